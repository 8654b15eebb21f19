"""Opening a round tells everyone: one email to each person in the audience and to each of their
line managers, through the reminders outbox, written by a task after the commit and sent in
rate-limited batches, never in the request (issue 19)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from reminders import services as reminders
from reminders.models import Reminder
from rounds import services
from rounds.announce import tell_audience
from rounds.models import Round
from scopegrowth.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def draft(hr, **kw) -> Round:
    today = timezone.localdate()
    return services.round_create(
        actor=hr,
        name="Career conversations 2026/27",
        journal_ready_by=today + timedelta(days=14),
        conversation_held_by=today + timedelta(days=40),
        plan_agreed_by=today + timedelta(days=70),
        **kw,
    )


def opening_emails() -> dict[str, str]:
    return {m.to[0]: m for m in mail.outbox if "has started" in m.subject}


def test_opening_emails_each_person_and_line_manager_once(
    people, client_for, django_capture_on_commit_callbacks
):
    round_ = draft(people.hr, whole_organisation=False, teams=[people.individual.team])
    with (
        mock.patch("rounds.tasks.announce_round.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for("hr").post(f"/hr/rounds/{round_.pk}/open/")
    assert response.status_code == 302
    delay.assert_called_once_with(round_.pk)
    assert not Reminder.objects.exists(), "the request wrote the emails itself"
    assert tell_audience(round_.pk) == 3  # individual, colleague, manager (manager of both)
    assert tell_audience(round_.pk) == 0  # a second run (a retried task) writes nothing
    reminders.send_due()
    sent = opening_emails()
    assert set(sent) == {"individual@example.org", "colleague@example.org", "manager@example.org"}
    assert len(mail.outbox) == 3
    to_person = sent["individual@example.org"]
    assert "Career conversations 2026/27 has started" in to_person.subject
    assert "Journal ready by" in to_person.body
    assert "Journal ready by" in to_person.alternatives[0][0]
    assert "2 of the people you line manage are in this round" in sent["manager@example.org"].body
    reminders.send_due()
    assert len(mail.outbox) == 3, "sent twice"


def test_a_manager_outside_the_audience_is_told_about_their_reports(people):
    round_ = draft(people.hr, whole_organisation=False, teams=[people.other_report.team])
    people.other_manager.team = people.individual.team  # the manager works elsewhere
    people.other_manager.save()
    with mock.patch("rounds.tasks.announce_round.delay"):
        services.round_open(actor=people.hr, round_=round_)
    tell_audience(round_.pk)
    reminders.send_due()
    sent = opening_emails()
    assert set(sent) == {"other.report@example.org", "other.manager@example.org"}
    body = sent["other.manager@example.org"].body
    assert "1 of the people you line manage is in this round" in body
    assert "Journal ready by" not in body  # they are not asked to do anything themself


def test_the_emails_are_spread_out_at_the_rate_limit(people, settings):
    settings.ROUND_EMAILS_PER_MINUTE = 2
    round_ = draft(people.hr)
    with mock.patch("rounds.tasks.announce_round.delay"):
        services.round_open(actor=people.hr, round_=round_)
    written = tell_audience(round_.pk)
    assert (
        written == User.objects.filter(organisation=people.hr.organisation, is_active=True).count()
    )
    reminders.send_due()
    assert len(mail.outbox) == 2
    with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=5)):
        reminders.send_due()
    assert len(mail.outbox) == 4


def test_someone_who_leaves_before_their_email_is_sent_is_not_emailed(people, settings):
    settings.ROUND_EMAILS_PER_MINUTE = 1
    round_ = draft(people.hr, whole_organisation=False, teams=[people.individual.team])
    with mock.patch("rounds.tasks.announce_round.delay"):
        services.round_open(actor=people.hr, round_=round_)
    tell_audience(round_.pk)
    people.colleague.left_on = timezone.localdate()
    people.colleague.save()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        reminders.send_due()
    assert "colleague@example.org" not in opening_emails()


def test_a_round_closed_before_the_task_ran_tells_nobody(people):
    round_ = draft(people.hr)
    with mock.patch("rounds.tasks.announce_round.delay"):
        services.round_open(actor=people.hr, round_=round_)
    services.round_close(actor=people.hr, round_=round_)
    assert tell_audience(round_.pk) == 0
    reminders.send_due()
    assert not opening_emails()


def crowd(team, n):
    for _ in range(n):
        person = factories.UserFactory(team=team)
        factories.ManagerLinkFactory(manager=factories.UserFactory(team=team), report=person)


def test_opening_makes_the_same_few_queries_at_n_and_2n_people(
    people, client_for, django_capture_on_commit_callbacks
):
    """The request writes one row whatever the audience: 10,000 people do not block it."""
    hr = client_for("hr")
    hr.get("/hr/rounds/")  # warm-up (the session's first request)
    counts = []
    # The first opening also writes the session's activity record (a POST records it at once):
    # it is the warm-up; the next two compare N and 2N.
    for size in (0, 20, 40):
        crowd(people.individual.team, size)
        round_ = draft(people.hr)
        with mock.patch("rounds.tasks.announce_round.delay") as delay:
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as ctx:
                    assert hr.post(f"/hr/rounds/{round_.pk}/open/").status_code == 302
            assert delay.call_count == 1
            assert len(callbacks) == 1
        counts.append(len(ctx.captured_queries))
        assert not Reminder.objects.filter(subject_id=round_.pk).exists()
        services.round_close(actor=people.hr, round_=round_)
    assert counts[1] == counts[2] <= 22, counts
    # The task does the work: every person of the 2N and their managers.
    assert tell_audience(round_.pk) == 0  # closed: nothing
    Round.objects.filter(pk=round_.pk).update(state=Round.State.OPEN, closed_at=None)
    with CaptureQueriesContext(connection) as ctx:
        written = tell_audience(round_.pk)
    inserts = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    # The round, the audience, their line managers, the rows already written (before and after)
    # and the mark: six, whatever the size; the rows go in batches (SQLite's parameter limit
    # makes more of them than PostgreSQL's), never one per person.
    assert len(ctx.captured_queries) - len(inserts) == 6
    assert 1 <= len(inserts) <= 3
    assert written >= 2 * 40 + 20


def test_opening_twice_is_refused_with_a_message(
    people, client_for, django_capture_on_commit_callbacks
):
    round_ = draft(people.hr)
    hr = client_for("hr")
    with (
        mock.patch("rounds.tasks.announce_round.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        hr.post(f"/hr/rounds/{round_.pk}/open/")
        response = hr.post(f"/hr/rounds/{round_.pk}/open/", follow=True)
    assert delay.call_count == 1
    assert "was opened already" in response.text
