"""Reminders follow the round's dates: a week before each deadline, to the people who have not
done that step, exactly once; a moved deadline gives a reminder for the new date (issue 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from reminders import services as reminders
from reminders.models import Reminder
from rounds import services
from tests.rounds.helpers import journal_ready, open_round

pytestmark = pytest.mark.django_db


def journal_reminders() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if "journal ready is due in a week" in m.subject)


def test_a_week_before_the_journal_deadline_those_not_ready_are_reminded_once(people):
    round_ = open_round(people.hr, teams=[people.individual.team], days=(10, 20, 30))
    journal_ready(people.colleague)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        reminders.send_due()
    assert journal_reminders() == []  # eight days before: not yet
    with time_machine.travel(timezone.now() + timedelta(days=3, hours=1)):
        reminders.send_due()
        reminders.send_due()
    assert journal_reminders() == ["individual@example.org", "manager@example.org"]
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        reminders.send_due()
    assert len(journal_reminders()) == 2, "sent twice"
    message = next(m for m in mail.outbox if m.to == ["individual@example.org"])
    assert round_.name in message.body
    assert (round_.journal_ready_by.strftime("%-d %B %Y")) in message.body


def test_a_journal_marked_ready_before_the_send_is_not_reminded(people):
    open_round(people.hr, teams=[people.individual.team], days=(7, 20, 30))
    reminders.scan(timezone.localdate())
    journal_ready(people.individual)
    reminders.send_due()
    assert "individual@example.org" not in journal_reminders()


def test_an_extended_deadline_gets_its_own_reminder_and_the_old_one_is_skipped(people):
    round_ = open_round(people.hr, teams=[people.individual.team], days=(5, 20, 30))
    reminders.scan(timezone.localdate())  # rows for the old date, not sent yet
    services.round_extend(
        actor=people.hr, round_=round_, step="journal",
        new_date=timezone.localdate() + timedelta(days=12),
    )  # fmt: skip
    reminders.send_due()
    assert journal_reminders() == []
    assert Reminder.objects.filter(kind="round_journal", status="skipped").count() == 3
    with time_machine.travel(timezone.now() + timedelta(days=5, hours=1)):
        reminders.send_due()
    assert journal_reminders() == [
        "colleague@example.org", "individual@example.org", "manager@example.org",
    ]  # fmt: skip


def test_a_closed_round_sends_no_reminders(people):
    round_ = open_round(people.hr, teams=[people.individual.team], days=(5, 20, 30))
    services.round_close(actor=people.hr, round_=round_)
    reminders.send_due()
    assert journal_reminders() == []


def test_someone_who_turned_off_optional_reminders_gets_none(people):
    people.individual.optional_reminders = False
    people.individual.save()
    open_round(people.hr, teams=[people.individual.team], days=(5, 20, 30))
    reminders.send_due()
    assert "individual@example.org" not in journal_reminders()
    assert "colleague@example.org" in journal_reminders()
