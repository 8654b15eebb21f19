"""Issue 17 item 5 (docs/security.md K1): a reminder's Message-ID is stable, "may have been sent"
is recorded before the SMTP call, and an uncertain send is sent again with the same Message-ID.
The fault, repeated: the database connection drops between sending and marking sent."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone

from conversations.models import Conversation
from reminders import services as reminders
from reminders.models import Reminder
from tests import factories
from tests.services import require

pytestmark = pytest.mark.django_db


def conversations_tomorrow(people, count: int) -> None:
    noon = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), datetime.min.time())
    ) + timedelta(hours=12)
    for n in range(count):
        person = factories.UserFactory(team=people.individual.team, email=f"p{n}@example.org")
        factories.ManagerLinkFactory(manager=people.manager, report=person)
        Conversation.objects.create(
            individual=person, facilitator=people.manager, scheduled_at=noon, location="Room 4"
        )


def report() -> dict[str, int]:
    """The figures: reminders, emails, lost (due but never sent), repeats and how many of them
    carry the first send's Message-ID."""
    rows = {row.message_id: row for row in Reminder.objects.all()}
    sent = Counter(m.extra_headers["Message-ID"] for m in mail.outbox)
    return {
        "reminders": len(rows),
        "emails": len(mail.outbox),
        "lost": sum(1 for mid, row in rows.items() if not sent[mid] or row.status != "sent"),
        "repeats": sum(n - 1 for n in sent.values()),
        "repeats_with_first_message_id": sum(n - 1 for mid, n in sent.items() if mid in rows),
        "foreign_message_ids": sum(1 for mid in sent if mid not in rows),
    }


def sweeps_until_done(settings, rounds: int = 4) -> None:
    """Beat's sweep, each time past the stale-claim window, until nothing is left to send."""
    moment = timezone.now()
    for _ in range(rounds):
        with time_machine.travel(moment, tick=False):
            reminders.send_due()
        if not Reminder.objects.exclude(status=Reminder.Status.SENT).exists():
            return
        moment += timedelta(seconds=settings.REMINDER_STALE_CLAIM_SECONDS + 1)


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_after_every_send_loses_nothing_and_keeps_the_message_id(
    people, settings, record_property
):
    # A real dropped connection needs a server: on SQLite's in-memory test database, closing the
    # connection under Django's feet can take the whole database with it, depending on which
    # other connections happen to be open (the live server's, after browser tests).
    require(
        connection.vendor == "postgresql",
        "needs PostgreSQL (DATABASE_URL=postgres://...) to drop database connections",
    )
    settings.EMAIL_BACKEND = "tests.reminders.faults.DropAfterSendBackend"
    conversations_tomorrow(people, 6)  # six people, their manager six times
    sweeps_until_done(settings)
    figures = report()
    record_property("reminder_faults", figures)  # in the JUnit report, and the README's figures
    assert figures["reminders"] >= 12, figures
    assert figures["lost"] == 0, figures
    assert figures["repeats"] == figures["repeats_with_first_message_id"]
    assert figures["foreign_message_ids"] == 0


def test_an_uncertain_send_is_sent_again_with_the_same_message_id(people, settings, monkeypatch):
    """The database stays away after the send (the mark fails on a new connection too): the row
    stays "may have been sent" and the next sweep repeats it with the first Message-ID."""
    conversations_tomorrow(people, 1)
    real = reminders.write_after_fault
    calls = {"n": 0}

    def failing_mark(write):
        calls["n"] += 1
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(reminders, "write_after_fault", failing_mark)
    reminders.send_due()
    rows = list(Reminder.objects.all())
    assert calls["n"] == len(rows) >= 2  # every mark failed
    assert {row.status for row in rows} == {Reminder.Status.UNCERTAIN}
    assert all(row.message_id and row.send_started_at for row in rows)
    first = sorted(m.extra_headers["Message-ID"] for m in mail.outbox)
    assert first == sorted(row.message_id for row in rows)

    monkeypatch.setattr(reminders, "write_after_fault", real)
    sweeps_until_done(settings)
    figures = report()
    n = len(rows)
    assert figures == {
        "reminders": n,
        "emails": 2 * n,
        "lost": 0,
        "repeats": n,
        "repeats_with_first_message_id": n,
        "foreign_message_ids": 0,
    }


def test_a_failed_smtp_call_is_retried_with_the_same_message_id(people, settings, monkeypatch):
    conversations_tomorrow(people, 1)
    from scopegrowth import emails

    real = emails.send
    monkeypatch.setattr(emails, "send", lambda *a, **k: (_ for _ in ()).throw(OSError("down")))
    reminders.send_due()
    ids = set(Reminder.objects.values_list("message_id", flat=True))
    assert len(ids) == Reminder.objects.count() >= 2
    assert "" not in ids
    monkeypatch.setattr(emails, "send", real)
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        reminders.send_due()
    assert {m.extra_headers["Message-ID"] for m in mail.outbox} == ids
