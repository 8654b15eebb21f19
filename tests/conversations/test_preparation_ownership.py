"""Preparation and facilitator-only notes belong to their author (issue 14, item 3).

A co-facilitator (the coach) neither reads nor overwrites the line manager's preparation or
stage notes; a new line manager reads only what the old one chose to hand over; when the line
manager changes, the open conversations pass to the new one (all three are told) and the old
manager's preparation stays theirs; the dashboard tells only the holder to prepare.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.models import Conversation, Preparation, StageNote
from scopegrowth import relationships
from scopegrowth.models import AuditEvent
from tests.conversations.conftest import mark_prepared
from tests.conversations.helpers import own_notes, write_stage

pytestmark = pytest.mark.django_db


def _prepare_url(conversation) -> str:
    return reverse("conversations:prepare", args=[conversation.pk])


def _stage_url(conversation, stage: int = 1) -> str:
    return reverse("conversations:stage", args=[conversation.pk, stage])


def _change_manager(people, new) -> None:
    relationships.manager_set(actor=people.hr, person=people.individual, manager=new)


def _private_pages(conversation) -> list[str]:
    pk = conversation.pk
    return [
        _prepare_url(conversation),
        reverse("conversations:detail", args=[pk]),
        *[_stage_url(conversation, n) for n in (1, 2, 3)],
    ]


def test_the_coach_reads_none_of_the_managers_preparation_or_notes(clock, client_for, conversation):
    mark_prepared(conversation, self_check="MANAGER-SELF-CHECK", adjustments_notes="MANAGER-ADJ")
    write_stage(conversation, 1, notes="MANAGER-STAGE-NOTE")
    coach = client_for("coach")
    for url in _private_pages(conversation):
        page = coach.get(url).content.decode()
        assert "MANAGER-" not in page, url
    manager = client_for("manager")
    assert "MANAGER-SELF-CHECK" in manager.get(_prepare_url(conversation)).content.decode()
    assert "MANAGER-STAGE-NOTE" in manager.get(_stage_url(conversation)).content.decode()


def test_the_coach_saving_preparation_writes_their_own_and_never_the_managers(
    clock, client_for, conversation, people
):
    mark_prepared(conversation, strengths="Manager's view")
    response = client_for("coach").post(
        _prepare_url(conversation), {"strengths": "Coach's view", "version": "0", "save": "1"}
    )
    assert response.status_code == 302
    mine = Preparation.objects.get(conversation=conversation, author=people.manager)
    theirs = Preparation.objects.get(conversation=conversation, author=people.coach)
    assert (mine.strengths, theirs.strengths) == ("Manager's view", "Coach's view")
    assert "Manager's view" not in client_for("coach").get(_prepare_url(conversation)).text


def test_the_coach_saving_stage_notes_never_overwrites_the_managers(
    clock, client_for, conversation, people
):
    write_stage(conversation, 1, notes="Manager's note", agreed_summary="Agreed")
    record = conversation.stage_records.get(stage=1)
    response = client_for("coach").post(
        _stage_url(conversation),
        {
            "version": str(record.version),
            "facilitator_notes": "Coach's note",
            "agreed_summary": "Agreed",
            "save": "1",
        },
    )
    assert response.status_code == 302
    assert own_notes(conversation, 1, people.manager) == "Manager's note"
    assert own_notes(conversation, 1, people.coach) == "Coach's note"
    assert "Manager&#x27;s note" not in client_for("coach").get(_stage_url(conversation)).text


def test_a_manager_change_passes_open_conversations_and_tells_all_three(
    clock,
    people,
    conversation,
    make_conversation,
    invites,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from conversations import tasks

    monkeypatch.setattr(tasks.send_handover_notice, "delay", tasks.send_handover_notice)
    mark_prepared(conversation, strengths="OLD-MANAGER-PREP")
    done = make_conversation(status=Conversation.Status.COMPLETED, completed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        _change_manager(people, people.other_manager)

    conversation.refresh_from_db()
    done.refresh_from_db()
    assert conversation.facilitator == people.other_manager
    assert done.facilitator == people.manager  # what is finished stays as it happened
    prep = Preparation.objects.get(conversation=conversation)
    assert prep.author == people.manager  # the old manager's preparation stays theirs
    assert AuditEvent.objects.filter(action="conversation_passed").count() == 1
    notices = [m for m in mail.outbox if not m.attachments and "passed" in m.body]
    assert sorted(m.to[0] for m in notices) == sorted(
        [people.manager.email, people.other_manager.email, people.individual.email]
    )
    for message in notices:
        assert "OLD-MANAGER-PREP" not in message.body


def test_the_new_manager_reads_the_old_preparation_only_when_handed_over(
    clock, client_for, people, conversation
):
    mark_prepared(conversation, strengths="KEPT-BACK")
    _change_manager(people, people.other_manager)
    new = client_for("other_manager")
    assert new.get(_prepare_url(conversation)).status_code == 200
    assert "KEPT-BACK" not in new.get(_prepare_url(conversation)).text
    assert "KEPT-BACK" not in new.get(reverse("conversations:detail", args=[conversation.pk])).text


def test_a_handed_over_preparation_reaches_the_next_holder_read_only(
    clock, client_for, people, conversation
):
    client_for("manager").post(
        _prepare_url(conversation),
        {"strengths": "HANDED-OVER-VIEW", "hand_over": "on", "version": "0", "save": "1"},
    )
    assert Preparation.objects.get().handed_over_at is not None
    assert "HANDED-OVER-VIEW" not in client_for("coach").get(_prepare_url(conversation)).text
    _change_manager(people, people.other_manager)

    page = client_for("other_manager").get(_prepare_url(conversation)).text
    assert "Handed over by Helen Carter" in page
    assert "HANDED-OVER-VIEW" in page
    client_for("other_manager").post(
        _prepare_url(conversation), {"strengths": "New view", "version": "0", "save": "1"}
    )
    assert Preparation.objects.get(author=people.manager).strengths == "HANDED-OVER-VIEW"
    assert Preparation.objects.get(author=people.other_manager).strengths == "New view"


def test_taking_the_handover_back_hides_it_again(clock, people, conversation):
    services.preparation_save(
        actor=people.manager,
        conversation=conversation,
        values={"strengths": "X"},
        version=0,
        hand_over=True,
    )
    prep = services.preparation_save(
        actor=people.manager, conversation=conversation, values={}, version=1, hand_over=False
    )
    assert prep.handed_over_at is None


def test_the_dashboard_does_not_tell_the_manager_to_prepare_for_the_coachs_conversation(
    clock, client_for, people, make_conversation
):
    from tests.conversations.test_dashboard import Rows

    make_conversation(facilitator=people.coach)

    def action_for(persona: str) -> str:
        page = client_for(persona).get("/dashboard/").content.decode()
        return next(r[4] for r in Rows(page).rows if r and r[0].startswith("Aisha Rahman"))

    assert "Prepare for the conversation" not in action_for("manager")
    assert "Prepare for the conversation" in action_for("coach")


def test_the_download_holds_my_own_preparation_and_notes_only(
    clock, client_for, people, conversation
):
    import json

    mark_prepared(conversation, strengths="MANAGER-PREP")
    write_stage(conversation, 1, notes="MANAGER-NOTE")
    Preparation.objects.create(conversation=conversation, author=people.coach, strengths="COACH")
    StageNote.objects.create(conversation=conversation, stage=1, author=people.coach, text="CN")

    manager = client_for("manager").post("/my-data/download/").content.decode()
    assert "MANAGER-PREP" in manager
    assert "MANAGER-NOTE" in manager
    assert '"COACH"' not in manager
    coach = json.loads(client_for("coach").post("/my-data/download/").content)
    assert [p["strengths"] for p in coach["your_preparations"]] == ["COACH"]
    _change_manager(people, people.other_manager)
    after = client_for("manager").post("/my-data/download/").content.decode()
    assert "MANAGER-PREP" not in after
    assert "MANAGER-NOTE" not in after
