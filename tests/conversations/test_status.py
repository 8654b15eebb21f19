"""The status of a conversation: scheduled, prepared (both sides), in progress, completed,
cancelled, and overdue when its time has passed without completion."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from conversations import selectors, services
from conversations.models import Conversation
from scopegrowth.exceptions import RuleError
from tests.conversations.conftest import complete_stages, make_journal, mark_prepared
from tests.conversations.helpers import date_fields

pytestmark = pytest.mark.django_db


def _detail(client, conversation) -> str:
    return client.get(reverse("conversations:detail", args=[conversation.pk])).content.decode()


def _complete(client, conversation):
    return client.post(reverse("conversations:complete", args=[conversation.pk]), follow=True)


def test_a_new_conversation_is_scheduled(clock, client_for, conversation):
    page = _detail(client_for("manager"), conversation)

    assert 'nhsuk-tag--white">Scheduled' in page
    assert "Waiting for you to prepare and for Aisha Rahman to mark their journal ready" in page


def test_prepared_on_both_sides(clock, client_for, conversation, people):
    make_journal(people.individual, ready=True)
    mark_prepared(conversation)

    assert "Prepared (both sides)" in _detail(client_for("manager"), conversation)
    assert "Prepared (both sides)" in _detail(client_for("individual"), conversation)


@pytest.mark.parametrize(
    ("journal_ready", "facilitator_ready", "persona", "expected"),
    [
        (False, True, "manager", "You have prepared. Waiting for Aisha Rahman"),
        (True, False, "manager", "Aisha Rahman has said their journal is ready. Waiting for you"),
        (True, False, "individual", "You have prepared. Waiting for Helen Carter to prepare"),
        (False, True, "individual", "Helen Carter has prepared. Waiting for you"),
    ],
)
def test_who_has_prepared_is_said_plainly(
    clock, client_for, conversation, people, journal_ready, facilitator_ready, persona, expected
):
    make_journal(people.individual, ready=journal_ready)
    if facilitator_ready:
        mark_prepared(conversation)

    assert expected in _detail(client_for(persona), conversation)


def test_saving_a_stage_puts_it_in_progress(clock, people, conversation):
    services.conversation_stage_save(
        actor=people.manager,
        conversation=conversation,
        stage=1,
        data=services.StageInput(agreed_summary="Talked", version=0),
    )

    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.IN_PROGRESS
    assert selectors.status_tag(conversation).label == "In progress"


def test_overdue_when_the_time_has_passed_without_completion(clock, client_for, conversation):
    clock.shift(timedelta(days=4))

    page = _detail(client_for("manager"), conversation)

    assert conversation.is_overdue
    assert 'nhsuk-tag--red">Overdue' in page


def test_a_completed_or_cancelled_conversation_is_never_overdue(clock, make_conversation):
    done = make_conversation(status=Conversation.Status.COMPLETED)
    off = make_conversation(
        status=Conversation.Status.CANCELLED,
        cancel_reason="Ill",
        scheduled_at=done.scheduled_at + timedelta(days=1),
    )
    clock.shift(timedelta(days=30))

    assert not done.is_overdue
    assert not off.is_overdue
    assert selectors.status_tag(done).label == "Completed"
    assert selectors.status_tag(off).label == "Cancelled"


def test_completing_needs_every_stage(clock, client_for, conversation):
    complete_stages(conversation, 1)

    page = _complete(client_for("manager"), conversation).content.decode()

    assert (
        "Complete stage 2 (career history and scope for growth) and stage 3 "
        "(aspirational development plan) first"
    ) in page
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.SCHEDULED


def test_completing_needs_an_agreed_position(clock, people, conversation):
    complete_stages(conversation, 1, 2, 3, position=False)

    with pytest.raises(RuleError, match="Record the agreed position first"):
        services.conversation_complete(actor=people.manager, conversation=conversation)
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.SCHEDULED


def test_completed_when_all_stages_are_done_and_a_position_agreed(clock, client_for, conversation):
    complete_stages(conversation, 1, 2, 3)
    clock.shift(timedelta(days=3))  # the conversation's time has come

    page = _complete(client_for("manager"), conversation).content.decode()

    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.COMPLETED
    assert conversation.completed_at is not None
    assert "Conversation completed" in page
    assert 'nhsuk-tag--green">Completed' in page


def test_completing_twice_says_it_is_already_done(clock, client_for, conversation):
    complete_stages(conversation, 1, 2, 3)
    clock.shift(timedelta(days=3))  # the conversation's time has come
    client = client_for("manager")
    _complete(client, conversation)

    page = _complete(client, conversation).content.decode()

    assert "was completed on" in page


def test_a_conversation_cannot_be_completed_before_its_start(clock, client_for, conversation):
    """Issue 15 item 7: completed early, the plan then showed an agreed date before the
    conversation took place."""
    complete_stages(conversation, 1, 2, 3)

    page = _complete(client_for("manager"), conversation).content.decode()

    assert "cannot be marked complete before then" in page
    assert "If it happened earlier, change its date first" in page
    conversation.refresh_from_db()
    assert conversation.status != Conversation.Status.COMPLETED
    clock.shift(timedelta(days=3))
    assert (
        "Conversation completed" in _complete(client_for("manager"), conversation).content.decode()
    )


def test_complete_rejects_get(clock, client_for, conversation):
    response = client_for("manager").get(reverse("conversations:complete", args=[conversation.pk]))

    assert response.status_code == 405


def test_the_individual_cannot_complete(clock, client_for, conversation):
    complete_stages(conversation, 1, 2, 3)

    response = client_for("individual").post(
        reverse("conversations:complete", args=[conversation.pk])
    )

    assert response.status_code == 403
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.SCHEDULED


def test_rescheduling_a_cancelled_conversation_is_refused_with_a_message(
    clock, client_for, make_conversation
):
    off = make_conversation(status=Conversation.Status.CANCELLED, cancel_reason="Ill")
    off.cancelled_at = off.created_at
    off.save()

    response = client_for("manager").post(
        reverse("conversations:reschedule", args=[off.pk]),
        {
            **date_fields("2026-03-20"),
            "time": "10:00",
            "duration_minutes": "60",
            "location": "Room 12",
            "agenda": "",
            "version": "1",
        },
    )

    page = response.content.decode()
    assert "was cancelled on" in page
    assert "Schedule a new conversation" in page
    assert "Room 12" in page
    off.refresh_from_db()
    assert off.location == "Seminar room 2"


def test_cancelling_a_completed_conversation_is_refused(clock, client_for, conversation):
    complete_stages(conversation, 1, 2, 3)
    clock.shift(timedelta(days=3))  # the conversation's time has come
    _complete(client_for("manager"), conversation)

    response = client_for("manager").post(
        reverse("conversations:cancel", args=[conversation.pk]), {"reason": "Oops"}
    )

    assert "was completed on" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.COMPLETED


def test_an_overdue_conversation_can_still_be_completed(clock, client_for, conversation):
    complete_stages(conversation, 1, 2, 3)
    clock.shift(timedelta(days=10))

    _complete(client_for("manager"), conversation)

    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.COMPLETED
