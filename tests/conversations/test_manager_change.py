"""A line manager who changes mid-cycle: the old one loses access on their next request, the
new one takes the conversation over (and the invite moves with it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.models import Conversation, Preparation
from scopegrowth.models import AuditEvent, ManagerLink
from tests import factories
from tests.conversations.conftest import mark_prepared
from tests.conversations.helpers import event_of, ics_attachment

pytestmark = pytest.mark.django_db


def _change_manager(people, new_manager) -> None:
    ManagerLink.objects.filter(report=people.individual, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    factories.ManagerLinkFactory(manager=new_manager, report=people.individual)


def _remove_coach(people) -> None:
    from scopegrowth.models import CoachLink

    CoachLink.objects.filter(coachee=people.individual).update(ended_at=timezone.now())


def test_the_old_manager_loses_access_on_the_next_request(clock, client_for, people, conversation):
    mark_prepared(conversation, strengths="Old manager's notes")
    old = client_for("manager")
    assert old.get(reverse("conversations:detail", args=[conversation.pk])).status_code == 200

    _change_manager(people, people.other_manager)

    pk = conversation.pk
    assert old.get(reverse("conversations:detail", args=[pk])).status_code == 404
    assert old.get(reverse("conversations:prepare", args=[pk])).status_code == 404
    assert old.get(reverse("conversations:invite", args=[pk])).status_code == 404
    response = old.post(
        reverse("conversations:prepare", args=[pk]), {"strengths": "Changed", "version": "1"}
    )
    assert response.status_code == 404
    assert Preparation.objects.get().strengths == "Old manager's notes"
    assert "Aisha Rahman" not in old.get("/dashboard/").content.decode()


def test_the_new_manager_sees_it_and_takes_over_on_their_first_change(
    clock, client_for, people, conversation, invites, django_capture_on_commit_callbacks
):
    _change_manager(people, people.other_manager)
    new = client_for("other_manager")

    page = new.get(reverse("conversations:detail", args=[conversation.pk])).content.decode()
    assert "no longer line manages or coaches Aisha Rahman" in page
    assert "Aisha Rahman" in new.get("/dashboard/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = new.post(
            reverse("conversations:prepare", args=[conversation.pk]),
            {"strengths": "New manager's view", "version": "0", "save": "1"},
        )

    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.facilitator == people.other_manager
    assert conversation.ics_sequence == 1
    assert AuditEvent.objects.filter(action="take_over", actor=people.other_manager).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people.individual.email, people.other_manager.email]
    )
    event = event_of(ics_attachment(mail.outbox[0]))
    assert str(event["ORGANIZER"]) == f"mailto:{people.other_manager.email}"
    assert int(event["SEQUENCE"]) == 1


def test_a_co_facilitating_coach_does_not_take_over_from_a_current_manager(
    clock, client_for, people, conversation
):
    client_for("coach").post(
        reverse("conversations:prepare", args=[conversation.pk]),
        {"strengths": "Coach notes", "version": "0", "save": "1"},
    )

    conversation.refresh_from_db()
    assert conversation.facilitator == people.manager
    assert Preparation.objects.get().strengths == "Coach notes"


def test_a_coach_whose_assignment_ended_loses_access(clock, client_for, people, make_conversation):
    coached = make_conversation(facilitator=people.coach)
    _remove_coach(people)

    response = client_for("coach").get(reverse("conversations:detail", args=[coached.pk]))

    assert response.status_code == 404


def test_the_take_over_service_moves_the_conversation(
    clock, people, conversation, invites, django_capture_on_commit_callbacks
):
    _change_manager(people, people.other_manager)

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_take_over(actor=people.other_manager, conversation=conversation)

    conversation.refresh_from_db()
    assert conversation.facilitator == people.other_manager
    assert conversation.version == 2
    assert len(mail.outbox) == 2


def test_taking_over_is_refused_when_it_clashes_with_the_new_managers_calendar(
    clock, people, conversation, make_conversation, invites
):
    """Issue 16: the new facilitator's calendar is checked as when rescheduling; a clash is
    refused with its time named, and nothing changes (no take-over, no invites)."""
    from conversations.services.clashes import Clash

    _change_manager(people, people.other_manager)
    busy = make_conversation(
        individual=people.colleague,
        facilitator=people.other_manager,
        scheduled_at=conversation.scheduled_at + timedelta(minutes=30),
        duration_minutes=60,
    )

    with pytest.raises(Clash, match="You already have a conversation") as refused:
        services.conversation_take_over(actor=people.other_manager, conversation=conversation)
    assert refused.value.clash == busy

    conversation.refresh_from_db()
    assert conversation.facilitator == people.manager
    assert conversation.version == 1
    assert mail.outbox == []

    # Once the other conversation moves out of the way, the take-over goes through.
    busy.scheduled_at = conversation.scheduled_at + timedelta(hours=3)
    busy.save(update_fields=["scheduled_at"])
    services.conversation_take_over(actor=people.other_manager, conversation=conversation)
    conversation.refresh_from_db()
    assert conversation.facilitator == people.other_manager


def test_the_old_manager_cannot_use_the_services_either(clock, people, conversation):
    from django.core.exceptions import PermissionDenied

    _change_manager(people, people.other_manager)

    with pytest.raises(PermissionDenied):
        services.conversation_cancel(
            actor=people.manager, conversation=conversation, reason="Not mine any more"
        )
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.SCHEDULED
