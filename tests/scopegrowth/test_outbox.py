"""A save while the broker is down still succeeds; the beat sweep sends the email later, once
(security J5: the database row is the outbox)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from conversations import services as conversation_services
from conversations.models import Conversation
from journals import services as journal_services
from journals.models import Journal
from scopegrowth import access
from scopegrowth.celery import app
from tests.services import broker_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    def fresh_pool():
        # Producers come from a pool made with the broker URL of its time: start a new one.
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None

    with broker_at("redis://127.0.0.1:1/0"):  # nothing listens on port 1
        fresh_pool()
        yield
    fresh_pool()


def test_scheduling_while_the_broker_is_down_saves_and_the_sweep_sends_the_invite(
    people, client_for, broker_down, django_capture_on_commit_callbacks
):
    when = timezone.localtime() + timedelta(days=10)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(
            f"/conversations/new/{people.individual.pk}/",
            {
                "date": f"{when:%Y-%m-%d}",
                "time": "10:00",
                "duration_minutes": "120",
                "location": "Seminar room 2",
                "agenda": "",
            },
        )
    assert response.status_code == 302
    assert time.monotonic() - started < 3
    conversation = Conversation.objects.get(individual=people.individual)
    assert conversation.invite_sent_sequence is None
    assert mail.outbox == []

    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        sent = conversation_services.conversation_invites_sweep(actor=access.SYSTEM)
        again = conversation_services.conversation_invites_sweep(actor=access.SYSTEM)
    assert (sent, again) == (2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people.individual.email, people.manager.email]
    )


def test_marking_the_journal_ready_while_the_broker_is_down_is_emailed_by_the_sweep(
    people, client_for, broker_down, django_capture_on_commit_callbacks
):
    journal = Journal.objects.create(owner=people.individual, cycle=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("individual").post(
            f"/journal/{journal.pk}/ready/",
            {"confirm": "empty"},  # an empty journal: confirmed once (issue 15)
        )
    assert response.status_code == 302
    journal.refresh_from_db()
    assert journal.ready_at is not None
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        journal_services.journal_ready_sweep(actor=access.SYSTEM)
        journal_services.journal_ready_sweep(actor=access.SYSTEM)
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert people.manager.email in recipients
    assert len(recipients) == len(set(recipients))
