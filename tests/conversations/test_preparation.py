"""The facilitator's preparation: saved, marked done, and private to its author."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from conversations.models import Conversation, Preparation
from conversations.services import PREPARATION_FIELDS
from tests.conversations.conftest import levels, make_journal
from tests.conversations.helpers import date_fields, write_stage
from tests.html_check import assert_valid_html

pytestmark = pytest.mark.django_db

TEXT_FIELDS = [
    name
    for name in PREPARATION_FIELDS
    if name not in ("adjustments", "view_now_growth", "view_now_impact")
]


def _prep_post(version: int = 0, **extra) -> dict:
    data = {name: f"CANARY-{name}" for name in TEXT_FIELDS}
    data.update(
        adjustments="review",
        view_now_growth="breadth",
        view_now_impact=str(levels()[1].pk),
        version=str(version),
    )
    data.update(extra)
    return data


def _prepare(client, conversation, **extra):
    return client.post(
        reverse("conversations:prepare", args=[conversation.pk]), _prep_post(**extra)
    )


def _urls_about(conversation) -> list[str]:
    pk = conversation.pk
    return [
        reverse("home"),
        reverse("conversations:mine"),
        reverse("conversations:detail", args=[pk]),
        reverse("conversations:prepare", args=[pk]),
        reverse("conversations:reschedule", args=[pk]),
        reverse("conversations:cancel", args=[pk]),
        reverse("conversations:invite", args=[pk]),
        *[reverse("conversations:stage", args=[pk, n]) for n in (1, 2, 3)],
        *[reverse("conversations:stage", args=[pk, n]) + "?present=1" for n in (1, 2, 3)],
        reverse("conversations:dashboard"),
    ]


def test_manager_saves_preparation_and_marks_it_done(clock, client_for, conversation, people):
    response = _prepare(client_for("manager"), conversation, prepared="1")

    assert response.status_code == 302
    preparation = Preparation.objects.get(conversation=conversation)
    for name in TEXT_FIELDS:
        assert getattr(preparation, name) == f"CANARY-{name}"
    assert preparation.adjustments == "review"
    assert preparation.view_now_growth == "breadth"
    assert preparation.view_now_impact == levels()[1]
    assert preparation.prepared_at is not None
    assert preparation.version == 1
    page = client_for("manager").get(response["Location"]).content.decode()
    assert "Marked as prepared" not in page  # shown on the preparation page, not here
    assert "You have prepared" in page


def test_save_for_later_does_not_mark_it_done(clock, client_for, conversation):
    _prepare(client_for("manager"), conversation, save="1")

    assert Preparation.objects.get(conversation=conversation).prepared_at is None


def test_the_preparation_page_shows_what_was_saved(clock, client_for, conversation):
    _prepare(client_for("manager"), conversation)

    page = (
        client_for("manager")
        .get(reverse("conversations:prepare", args=[conversation.pk]))
        .content.decode()
    )

    assert "CANARY-self_check" in page
    assert "Self-check prompts" in page
    assert "WRES" in page


def test_side_by_side_puts_shared_answers_next_to_the_preparation(
    clock, client_for, conversation, people
):
    make_journal(
        people.individual,
        answers={"strengths": "I am good with anxious patients", "wellbeing": "PRIVATE-HEALTH"},
        shared=("strengths",),
    )
    _prepare(client_for("manager"), conversation)

    page = (
        client_for("manager")
        .get(reverse("conversations:detail", args=[conversation.pk]))
        .content.decode()
    )

    assert "I am good with anxious patients" in page
    assert "CANARY-strengths" in page
    assert "CANARY-development_areas" in page
    assert page.index("I am good with anxious patients") < page.index("CANARY-strengths")
    assert "PRIVATE-HEALTH" not in page  # well-being was not shared
    # ...but the manager's own adjustments preparation for it is still theirs to see (issue 15)
    assert "Aisha Rahman keeps this section private" in page
    assert "CANARY-adjustments_notes" in page


def test_a_stage_shows_the_facilitators_preparation_for_its_own_private_sections_only(
    clock, client_for, conversation, people
):
    """The stage page picks the sections kept private from the stage's own sections (read once
    for its questions): well-being is a stage 1 section, so the manager's adjustments
    preparation for it shows beside its questions on stage 1, and not on stage 2."""
    make_journal(
        people.individual,
        answers={"strengths": "I am good with anxious patients", "wellbeing": "PRIVATE-HEALTH"},
        shared=("strengths",),
    )
    _prepare(client_for("manager"), conversation)
    manager = client_for("manager")

    def stage(n: int) -> str:
        url = reverse("conversations:stage", args=[conversation.pk, n])
        return manager.get(url).content.decode()

    first, second = stage(1), stage(2)

    assert first.count("CANARY-adjustments_notes") == 1
    assert first.count("CANARY-strengths") == 1  # shared: beside its answers, not again
    assert "PRIVATE-HEALTH" not in first
    assert "CANARY-adjustments_notes" not in second


@pytest.mark.parametrize(
    "persona",
    ["individual", "colleague", "other_manager", "unassigned_coach", "hr", "hr_other_org", "admin"],
)
def test_preparation_never_reaches_anyone_but_the_facilitators(
    clock, client_for, conversation, people, persona, invites, django_capture_on_commit_callbacks
):
    make_journal(
        people.individual, answers={"strengths": "Mine"}, shared=("strengths",), ready=True
    )
    _prepare(client_for("manager"), conversation, prepared="1")
    write_stage(conversation, 1, notes="CANARY-notes", agreed_summary="We agreed")
    with django_capture_on_commit_callbacks(execute=True):
        client_for("manager").post(
            reverse("conversations:reschedule", args=[conversation.pk]),
            {
                **date_fields("2026-03-06"),
                "time": "11:00",
                "duration_minutes": "90",
                "location": "Room 9",
                "agenda": "",
                "version": "1",
            },
        )
    client = client_for(persona)

    for url in _urls_about(conversation):
        response = client.get(url)
        assert "CANARY" not in response.content.decode(), f"{persona} saw a canary at {url}"
    for message in mail.outbox:
        bodies = [message.body, *(b for b, _ in message.alternatives)]
        bodies += [a[1] if isinstance(a[1], str) else a[1].decode() for a in message.attachments]
        assert all("CANARY" not in body for body in bodies)


def test_the_individual_is_refused_the_preparation_page(clock, client_for, conversation):
    response = client_for("individual").post(
        reverse("conversations:prepare", args=[conversation.pk]), _prep_post()
    )

    assert response.status_code == 403
    assert not Preparation.objects.exists()


def test_the_individual_sees_only_that_the_facilitator_prepared(
    clock, client_for, conversation, people
):
    _prepare(client_for("manager"), conversation, prepared="1")

    page = (
        client_for("individual")
        .get(reverse("conversations:detail", args=[conversation.pk]))
        .content.decode()
    )

    assert "Helen Carter has prepared" in page
    assert "CANARY" not in page


def test_the_assigned_coach_does_not_read_the_managers_preparation(clock, client_for, conversation):
    """Issue 14, item 3: preparation belongs to its author (it was shared with every current
    facilitator)."""
    _prepare(client_for("manager"), conversation)

    page = (
        client_for("coach")
        .get(reverse("conversations:prepare", args=[conversation.pk]))
        .content.decode()
    )

    assert "CANARY-" not in page


def test_a_save_from_a_stale_tab_shows_both_versions(clock, client_for, conversation):
    client = client_for("manager")
    client.post(
        reverse("conversations:prepare", args=[conversation.pk]), _prep_post(strengths="Tab A text")
    )

    response = client.post(
        reverse("conversations:prepare", args=[conversation.pk]),
        _prep_post(version=0, strengths="Tab B text"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "changed (in another tab, or by someone else)" in page
    assert "Tab B text" in page  # still in the form
    assert "Tab A text" in page  # the saved version shown beside it
    assert_valid_html([("the preparation's conflict page", page)])
    preparation = Preparation.objects.get()
    assert preparation.strengths == "Tab A text"
    assert preparation.version == 1


def test_after_a_conflict_saving_again_keeps_the_new_text(clock, client_for, conversation):
    client = client_for("manager")
    client.post(
        reverse("conversations:prepare", args=[conversation.pk]), _prep_post(strengths="Tab A text")
    )
    client.post(
        reverse("conversations:prepare", args=[conversation.pk]),
        _prep_post(version=0, strengths="Tab B text"),
    )

    response = client.post(
        reverse("conversations:prepare", args=[conversation.pk]),
        _prep_post(version=1, strengths="Tab B text"),
    )

    assert response.status_code == 302
    assert Preparation.objects.get().strengths == "Tab B text"


def test_a_note_that_is_too_long_is_refused_and_kept(clock, client_for, conversation):
    long_text = "x" * 10_001

    response = client_for("manager").post(
        reverse("conversations:prepare", args=[conversation.pk]),
        _prep_post(self_check=long_text),
    )

    assert response.status_code == 200
    assert "up to 10,000 characters" in response.content.decode()
    assert not Preparation.objects.exists()


def test_preparation_of_a_completed_conversation_is_refused_with_a_message(
    clock, client_for, make_conversation
):
    done = make_conversation(status=Conversation.Status.COMPLETED)
    done.completed_at = done.created_at
    done.save()

    response = client_for("manager").post(
        reverse("conversations:prepare", args=[done.pk]), _prep_post(strengths="Late thoughts")
    )

    page = response.content.decode()
    assert "was completed on" in page
    assert "Late thoughts" in page
    assert not Preparation.objects.exists()


def test_the_admin_site_shows_no_conversation_models(clock, client_for):
    response = client_for("admin").get("/admin/conversations/")

    assert response.status_code == 404
