"""What the individual sees of their own conversations: time, place, invite, agreed summaries
and position, what they shared; never the facilitator's notes or preparation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations import selectors
from conversations.models import Conversation
from tests.conversations.conftest import complete_stages, make_journal, mark_prepared
from tests.conversations.helpers import write_stage

pytestmark = pytest.mark.django_db


def test_my_conversations_lists_what_is_coming_and_what_was_agreed(
    clock, client_for, people, conversation, make_conversation
):
    earlier = make_conversation(
        scheduled_at=timezone.now() - timedelta(days=200),
        status=Conversation.Status.COMPLETED,
    )
    complete_stages(earlier, 1, 2, 3)

    page = client_for("individual").get(reverse("conversations:mine")).content.decode()

    assert "Thursday 5 March 2026, 09:00" in page
    assert "Seminar room 2" in page
    assert "Helen Carter" in page
    assert reverse("conversations:invite", args=[conversation.pk]) in page
    assert "Earlier conversations" in page
    assert "Now: Depth" in page
    assert "Established in role" in page
    assert "In two years: Stretch" in page


def test_other_peoples_conversations_are_not_listed(clock, client_for, people, make_conversation):
    make_conversation(individual=people.colleague, location="Colleague's room")

    page = client_for("individual").get(reverse("conversations:mine")).content.decode()

    assert "Colleague's room" not in page
    assert "Nothing is scheduled" in page


def test_the_overview_shows_summaries_position_and_what_i_shared_never_the_notes(
    clock, client_for, people, conversation
):
    make_journal(
        people.individual,
        answers={"strengths": "My own words", "behaviours": "Kept"},
        shared=("strengths",),
    )
    mark_prepared(
        conversation,
        **{
            f: "CANARY-PREP"
            for f in (
                "evidence_feedback",
                "strengths",
                "self_check",
                "national_indicators",
                "view_evidence",
            )
        },
    )
    complete_stages(conversation, 1, 2)
    write_stage(conversation, 1, notes="CANARY-NOTES")

    page = (
        client_for("individual")
        .get(reverse("conversations:detail", args=[conversation.pk]))
        .content.decode()
    )

    assert "Summary of stage 1" in page
    assert "Summary of stage 2" in page
    assert "The position you agreed" in page
    assert "Depth: keep growing" in page
    assert "What you have shared with Helen Carter" in page
    assert "My own words" in page
    assert "Kept" not in page  # a section they did not share is not shown here either
    assert "CANARY" not in page
    assert "Your preparation" not in page


def test_the_individual_cannot_reach_the_facilitators_pages(clock, client_for, conversation):
    client = client_for("individual")
    pk = conversation.pk

    for name in ("prepare", "reschedule", "cancel"):
        assert client.get(reverse(f"conversations:{name}", args=[pk])).status_code == 403
    response = client.post(reverse("conversations:cancel", args=[pk]), {"reason": "I decide"})
    assert response.status_code == 403
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.SCHEDULED


def test_shared_answers_are_escaped(clock, client_for, people, conversation):
    make_journal(
        people.individual,
        answers={"strengths": "<b>bold</b> & <script>x()</script>"},
        shared=("strengths",),
    )

    page = (
        client_for("manager")
        .get(reverse("conversations:detail", args=[conversation.pk]))
        .content.decode()
    )

    assert "<script>x()</script>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in page


def test_next_conversation_for_the_home_page(clock, people, conversation, make_conversation):
    make_conversation(scheduled_at=timezone.now() + timedelta(days=20))
    make_conversation(
        scheduled_at=timezone.now() + timedelta(days=1),
        status=Conversation.Status.CANCELLED,
        cancel_reason="Ill",
    )

    assert selectors.next_conversation_for(people.individual) == conversation
    assert selectors.next_conversation_for(people.colleague) is None
    assert selectors.next_conversation_for(people.manager) is None


def test_the_facilitators_view_is_audited(clock, client_for, people, conversation):
    from scopegrowth.models import AuditEvent

    make_journal(people.individual, answers={"strengths": "x"}, shared=("strengths",))
    client_for("individual").get(reverse("conversations:detail", args=[conversation.pk]))
    client_for("manager").get(reverse("conversations:detail", args=[conversation.pk]))

    events = AuditEvent.objects.filter(actor=people.manager, action="view")
    assert {(e.object_type, e.detail) for e in events} == {
        ("conversation", ""),
        ("journal", "strengths"),
    }
    assert not AuditEvent.objects.filter(actor=people.individual).exists()
