"""A missed plan review is chased (issue 15, item 5): on the day, a week later, a month later,
then no more; each reminder exactly once, whatever the days the scan runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from reminders.models import Reminder
from tests.reminders.test_reminders import _agreed_plan_with_review, at, run

pytestmark = pytest.mark.django_db

DUE = date(2027, 3, 10)


def _days_sent(start: int, stop: int) -> dict[int, set]:
    """Run the reminders every day from DUE+start to DUE+stop: day -> {(kind, step, who)}."""
    sent: dict[int, set] = {}
    for day in range(start, stop + 1):
        for r in run(at(DUE + timedelta(days=day))):
            sent.setdefault(day, set()).add((r.kind, r.subject_type, r.recipient.email))
    return sent


def test_a_review_never_held_is_chased_three_times_then_left(people):
    _agreed_plan_with_review(people, DUE)

    sent = _days_sent(-8, 90)

    both = ("individual@example.org", "manager@example.org")
    assert sent == {
        -7: {(Reminder.Kind.REVIEW_SOON, "review", who) for who in both},
        0: {(Reminder.Kind.REVIEW_DUE, "review", who) for who in both},
        7: {(Reminder.Kind.REVIEW_DUE, "review_late_week", who) for who in both},
        30: {(Reminder.Kind.REVIEW_DUE, "review_late_month", who) for who in both},
    }
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 8


def test_the_late_reminders_say_it_was_missed(people):
    review = _agreed_plan_with_review(people, DUE)
    run(at(DUE + timedelta(days=7)))

    message = next(m for m in mail.outbox if "manager@example.org" in m.to)

    assert "overdue" in message.subject
    assert "was due on Wednesday 10 March 2027 and has not been recorded as held" in message.body
    assert f"/plans/{review.plan_id}/" in message.body


def test_a_review_held_late_stops_the_chase(people):
    review = _agreed_plan_with_review(people, DUE)
    _days_sent(0, 10)
    review.held_on = DUE + timedelta(days=10)
    review.save()

    assert _days_sent(11, 60) == {}


def test_days_without_a_scan_send_only_the_step_that_applies(people):
    """The beat was down for twelve days: one catch-up chase, never the day's and the week's."""
    _agreed_plan_with_review(people, DUE)

    first = run(at(DUE + timedelta(days=12)))
    again = run(at(DUE + timedelta(days=12), hour=15))

    assert {r.subject_type for r in first} == {"review_late_week"}
    assert again == []


def test_a_review_moved_to_a_new_date_starts_again_and_skips_the_old_chase(people):
    review = _agreed_plan_with_review(people, DUE)
    _days_sent(0, 7)
    review.due_on = DUE + timedelta(days=40)
    review.save()

    sent = _days_sent(8, 80)

    assert sorted(sent) == [33, 40, 47, 70]  # a week before the new date, then its chase
