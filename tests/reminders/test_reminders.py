"""Preparation reminders: each rule at its boundaries, exactly once, and never any private text."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from conversations.models import Conversation, Preparation
from devplans.models import Plan, Review
from journals.models import Journal
from reminders import services as reminders
from reminders.models import Reminder
from tests.conversations.helpers import write_stage

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
CANARY = "CANARY-reminder-7f3a"


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def conversation(people, day: date, **kw) -> Conversation:
    journal = Journal.objects.create(owner=people.individual, cycle=1)
    created = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        journal=journal,
        scheduled_at=at(day, 10),
        location="Seminar room 2",
        agenda=CANARY,
        **kw,
    )
    write_stage(created, 1, notes=CANARY)
    return created


def sent_to(email: str) -> list:
    return [m for m in mail.outbox if email in m.to]


def run(moment: datetime) -> list[Reminder]:
    with time_machine.travel(moment, tick=False):
        return reminders.send_due()


WEDNESDAY = date(2026, 12, 9)
MONDAY = date(2026, 12, 14)


def test_journal_reminder_a_week_before_then_two_days_before(people):
    conversation(people, WEDNESDAY)
    assert run(at(WEDNESDAY - timedelta(days=8))) == []
    week = run(at(WEDNESDAY - timedelta(days=7)))
    assert [r.kind for r in week] == [Reminder.Kind.JOURNAL_WEEK]
    assert "in a week" in sent_to(people.individual.email)[0].subject
    assert run(at(WEDNESDAY - timedelta(days=6))) == []
    soon = run(at(WEDNESDAY - timedelta(days=2)))
    assert Reminder.Kind.JOURNAL_SOON in [r.kind for r in soon]


def test_no_journal_reminder_once_the_journal_is_ready(people):
    c = conversation(people, WEDNESDAY)
    Journal.objects.filter(pk=c.journal_id).update(ready_at=timezone.now())
    assert run(at(WEDNESDAY - timedelta(days=7))) == []
    assert Reminder.objects.get().status == Reminder.Status.SKIPPED


def test_preparation_reminder_three_days_before_goes_to_the_facilitator(people):
    conversation(people, WEDNESDAY)
    Journal.objects.update(ready_at=timezone.now())
    assert run(at(WEDNESDAY - timedelta(days=4))) == []
    sent = run(at(WEDNESDAY - timedelta(days=3)))
    assert [(r.kind, r.recipient) for r in sent] == [(Reminder.Kind.PREPARATION, people.manager)]


def test_no_preparation_reminder_when_prepared(people):
    c = conversation(people, WEDNESDAY)
    Journal.objects.update(ready_at=timezone.now())
    Preparation.objects.create(conversation=c, author=c.facilitator, prepared_at=timezone.now())
    assert run(at(WEDNESDAY - timedelta(days=3))) == []


def test_a_monday_conversation_is_reminded_on_the_friday_to_both(people):
    conversation(people, MONDAY)
    Journal.objects.update(ready_at=timezone.now())
    friday = MONDAY - timedelta(days=3)
    thursday = [r.kind for r in run(at(friday - timedelta(days=1)))]
    assert Reminder.Kind.DAY_BEFORE not in thursday
    mail.outbox.clear()
    sent = run(at(friday))
    day_before = [r for r in sent if r.kind == Reminder.Kind.DAY_BEFORE]
    assert {r.recipient for r in day_before} == {people.individual, people.manager}
    message = sent_to(people.individual.email)[-1]
    assert "Monday" in message.subject
    assert [a[0] for a in message.attachments] == ["scope-for-growth-conversation-2026-12-14.ics"]
    assert message.attachments[0][2] == "text/calendar; method=REQUEST"
    assert run(at(MONDAY - timedelta(days=2))) == []  # Saturday: already sent


def test_the_day_before_reminder_ignores_the_opt_out(people):
    people.individual.optional_reminders = False
    people.individual.save()
    conversation(people, WEDNESDAY)
    sent = run(at(WEDNESDAY - timedelta(days=1)))
    kinds = {(r.kind, r.recipient_id) for r in sent}
    assert (Reminder.Kind.DAY_BEFORE, people.individual.pk) in kinds
    assert (Reminder.Kind.JOURNAL_SOON, people.individual.pk) not in kinds


def test_a_cancelled_conversation_sends_nothing(people):
    c = conversation(people, WEDNESDAY)
    c.status = Conversation.Status.CANCELLED
    c.cancel_reason = "Annual leave"
    c.save()
    assert run(at(WEDNESDAY - timedelta(days=1))) == []


def test_a_moved_conversation_gets_reminders_for_its_new_date_only(people):
    c = conversation(people, WEDNESDAY)
    with time_machine.travel(at(WEDNESDAY - timedelta(days=7)), tick=False):
        reminders.scan(timezone.localdate())
    c.scheduled_at = at(WEDNESDAY + timedelta(days=14), 10)
    c.save()
    assert run(at(WEDNESDAY - timedelta(days=7))) == []
    assert Reminder.objects.get().status == Reminder.Status.SKIPPED
    moved = run(at(WEDNESDAY + timedelta(days=7)))
    assert [r.kind for r in moved] == [Reminder.Kind.JOURNAL_WEEK]


def test_overdue_reminder_to_the_facilitator_once(people):
    conversation(people, WEDNESDAY)
    Journal.objects.update(ready_at=timezone.now())
    c = Conversation.objects.get()
    Preparation.objects.create(conversation=c, author=c.facilitator, prepared_at=timezone.now())
    assert run(at(WEDNESDAY, 18)) == []
    sent = run(at(WEDNESDAY + timedelta(days=1)))
    kinds = [(r.kind, r.recipient) for r in sent if r.kind == Reminder.Kind.OVERDUE]
    assert kinds == [(Reminder.Kind.OVERDUE, people.manager)]
    later = run(at(WEDNESDAY + timedelta(days=2)))
    assert Reminder.Kind.OVERDUE not in [r.kind for r in later]


def test_plan_not_signed_two_working_days_after(people):
    friday = date(2026, 12, 11)
    c = conversation(people, friday, status=Conversation.Status.COMPLETED)
    Plan.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        conversation=c,
        horizon_end=friday + timedelta(days=730),
    )
    assert [r for r in run(at(friday + timedelta(days=3))) if r.kind == "plan_unsigned"] == []
    tuesday = friday + timedelta(days=4)
    sent = [r for r in run(at(tuesday)) if r.kind == Reminder.Kind.PLAN_UNSIGNED]
    assert {r.recipient for r in sent} == {people.individual, people.manager}


def _agreed_plan_with_review(people, due: date) -> Review:
    plan = Plan.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        status=Plan.Status.AGREED,
        agreed_at=timezone.now() - timedelta(days=180),
        horizon_end=due + timedelta(days=365),
    )
    return Review.objects.create(plan=plan, due_on=due)


def test_review_reminders_a_week_before_and_on_the_day(people):
    due = date(2027, 3, 10)
    _agreed_plan_with_review(people, due)
    assert run(at(due - timedelta(days=8))) == []
    soon = run(at(due - timedelta(days=7)))
    assert {(r.kind, r.recipient) for r in soon} == {
        (Reminder.Kind.REVIEW_SOON, people.individual),
        (Reminder.Kind.REVIEW_SOON, people.manager),
    }
    today = run(at(due))
    assert {r.kind for r in today} == {Reminder.Kind.REVIEW_DUE}


def test_no_review_reminder_once_the_review_is_held(people):
    due = date(2027, 3, 10)
    review = _agreed_plan_with_review(people, due)
    review.held_on = due - timedelta(days=8)
    review.save()
    assert run(at(due - timedelta(days=7))) == []


def test_a_person_who_left_gets_nothing(people):
    conversation(people, WEDNESDAY)
    people.individual.left_on = WEDNESDAY - timedelta(days=10)
    people.individual.save()
    assert run(at(WEDNESDAY - timedelta(days=7))) == []


def test_emails_carry_no_private_text_and_absolute_links(people, settings):
    settings.SITE_URL = "https://sg.example.org"
    conversation(people, WEDNESDAY)
    run(at(WEDNESDAY - timedelta(days=1)))
    assert mail.outbox
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert CANARY not in message.body + html + message.subject
        assert "https://sg.example.org/" in message.body
        assert 'href="https://sg.example.org/' in html
        assert (
            people.individual.full_name in message.body or people.manager.full_name in message.body
        )


def test_a_display_name_with_a_line_break_cannot_add_headers(people):
    people.manager.full_name = "Helen\r\nBcc: attacker@example.org"
    people.manager.save()
    conversation(people, WEDNESDAY)
    run(at(WEDNESDAY - timedelta(days=1)))
    assert mail.outbox
    for message in mail.outbox:
        assert "\n" not in message.subject
        assert message.message()["Bcc"] is None
        assert "attacker@example.org" not in message.recipients()


def test_send_reminders_command_sends_once_and_says_what(people):
    conversation(people, WEDNESDAY)
    out = StringIO()
    with time_machine.travel(at(WEDNESDAY - timedelta(days=7)), tick=False):
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", stdout=out)
    text = out.getvalue()
    assert "Sent 1 reminder." in text
    assert "Sent 0 reminders." in text
    assert people.individual.email in text
    assert len(mail.outbox) == 1


def test_a_failing_send_is_retried_with_back_off_then_reported(people, monkeypatch):
    conversation(people, WEDNESDAY)

    def refuse(*args, **kwargs):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr(reminders.emails, "send", refuse)
    moment = at(WEDNESDAY - timedelta(days=7))
    run(moment)
    row = Reminder.objects.get()
    assert (row.status, row.attempts) == (Reminder.Status.PENDING, 1)
    for attempt in range(2, 6):
        moment += timedelta(minutes=2**attempt + 1)
        run(moment)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Reminder.Status.FAILED, 5, "OSError")
    monkeypatch.undo()
    run(moment + timedelta(hours=1))
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_senders_send_once(people):
    conversation(people, WEDNESDAY)
    with time_machine.travel(at(WEDNESDAY - timedelta(days=7)), tick=False):
        reminders.scan(timezone.localdate())
        reminders.scan(timezone.localdate())  # a second beat adds nothing
        assert Reminder.objects.count() == 1
        pk = Reminder.objects.get().pk
        results: list[str] = []
        barrier = threading.Barrier(8)

        def sender():
            barrier.wait()
            try:
                results.append(reminders.deliver(pk))
            finally:
                connection.close()

        threads = [threading.Thread(target=sender) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    assert results.count(Reminder.Status.SENT) == 1
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_crashed_worker_is_taken_over(people, settings):
    settings.REMINDER_STALE_CLAIM_SECONDS = 600
    conversation(people, WEDNESDAY)
    moment = at(WEDNESDAY - timedelta(days=7))
    with time_machine.travel(moment, tick=False):
        reminders.scan(timezone.localdate())
        row = Reminder.objects.get()
        assert reminders.claim(row.pk)  # the worker that then died
        assert reminders.send_due() == []
    assert run(moment + timedelta(minutes=11))[0].pk == row.pk
    assert len(mail.outbox) == 1


def test_the_first_sweep_sends_what_it_finds_on_a_running_clock(people):
    """No frozen clock: rows made by the scan must be sent by the same sweep."""
    Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=at(timezone.localdate() + timedelta(days=1), 12),  # tomorrow noon
        location="Room 4",
    )
    sent = reminders.send_due()
    assert Reminder.Kind.DAY_BEFORE in {r.kind for r in sent}
    assert not Reminder.objects.filter(status=Reminder.Status.PENDING).exists()
