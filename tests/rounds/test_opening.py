"""Opening a round tells everyone: one email to each person in the audience and to each of their
line managers, through the core's outbox, written by a task after the commit in rate-limited
batches, never in the request (issue 19)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reminders.models import Reminder
from rounds import services, tasks
from rounds.announce import announce_open_rounds, tell_audience
from rounds.models import Round
from scopegrowth import outbox
from scopegrowth.models import User
from scopegrowth.outbox.models import OutboundEmail
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


def opened(hr, **kw) -> Round:
    round_ = draft(hr, **kw)
    with mock.patch("rounds.tasks.announce_round.delay"):
        services.round_open(actor=hr, round_=round_)
    return round_


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
    assert not OutboundEmail.objects.filter(kind="round_opened").exists(), "written in the request"
    assert tell_audience(round_.pk) == 3  # individual, colleague, manager (manager of both)
    assert tell_audience(round_.pk) == 0  # a second run (a retried task) writes nothing
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert tell_audience(round_.pk) == 0
        assert announce_open_rounds() == 0
    assert not Reminder.objects.exists(), "the opening emails are not reminders any more"
    outbox.send_ready()
    sent = opening_emails()
    assert set(sent) == {"individual@example.org", "colleague@example.org", "manager@example.org"}
    assert len(mail.outbox) == 3
    to_person = sent["individual@example.org"]
    assert "Career conversations 2026/27 has started" in to_person.subject
    assert "Journal ready by" in to_person.body
    assert "Journal ready by" in to_person.alternatives[0][0]
    assert "2 of the people you line manage are in this round" in sent["manager@example.org"].body
    outbox.send_ready()
    assert len(mail.outbox) == 3, "sent twice"
    round_.refresh_from_db()
    assert round_.announced_at is not None


def test_a_manager_outside_the_audience_is_told_about_their_reports(people):
    round_ = draft(people.hr, whole_organisation=False, teams=[people.other_report.team])
    people.other_manager.team = people.individual.team  # the manager works elsewhere
    people.other_manager.save()
    with mock.patch("rounds.tasks.announce_round.delay"):
        services.round_open(actor=people.hr, round_=round_)
    tell_audience(round_.pk)
    outbox.send_ready()
    sent = opening_emails()
    assert set(sent) == {"other.report@example.org", "other.manager@example.org"}
    body = sent["other.manager@example.org"].body
    assert "1 of the people you line manage is in this round" in body
    assert "Journal ready by" not in body  # they are not asked to do anything themself


def test_the_emails_are_written_in_batches_at_the_rate_limit(people, settings):
    settings.ROUND_EMAILS_PER_MINUTE = 2
    round_ = opened(people.hr)
    everyone = User.objects.filter(organisation=people.hr.organisation, is_active=True).count()
    assert everyone > 4
    start = timezone.now()
    assert tell_audience(round_.pk) == 2
    assert announce_open_rounds() == 0  # the beat in the same minute: nothing more
    outbox.send_ready()
    assert len(mail.outbox) == 2
    with time_machine.travel(start + timedelta(seconds=30)):
        assert tell_audience(round_.pk) == 0
    minutes, written = 0, 2
    while written < everyone:
        minutes += 1
        with time_machine.travel(start + timedelta(minutes=minutes, seconds=1)):
            written += announce_open_rounds()
            outbox.send_ready()
            assert len(mail.outbox) == written
    assert minutes == (everyone + 1) // 2 - 1
    with time_machine.travel(start + timedelta(minutes=minutes + 5)):
        assert announce_open_rounds() == 0
        outbox.send_ready()
    assert len(opening_emails()) == everyone


def test_the_task_comes_back_a_minute_later_until_everyone_is_told(people, settings):
    settings.ROUND_EMAILS_PER_MINUTE = 2
    round_ = opened(people.hr, whole_organisation=False, teams=[people.individual.team])
    with mock.patch("rounds.tasks.announce_round.apply_async") as again:
        assert tasks.announce_round(round_.pk) == 2
        again.assert_called_once_with((round_.pk,), countdown=60)
        again.reset_mock()
        with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=1)):
            assert tasks.announce_round(round_.pk) == 1
        again.assert_not_called()


def test_someone_who_leaves_before_their_batch_is_not_emailed(people, settings):
    settings.ROUND_EMAILS_PER_MINUTE = 1
    round_ = opened(people.hr, whole_organisation=False, teams=[people.individual.team])
    start = timezone.now()
    tell_audience(round_.pk)  # the first of three (in id order)
    people.colleague.left_on = timezone.localdate()
    people.colleague.save()
    for minute in (1, 2, 3):
        with time_machine.travel(start + timedelta(minutes=minute, seconds=1)):
            tell_audience(round_.pk)
            outbox.send_ready()
    assert "colleague@example.org" not in opening_emails()
    assert "individual@example.org" in opening_emails()


def test_someone_deactivated_after_their_email_was_written_is_not_sent_it(people):
    round_ = opened(people.hr, whole_organisation=False, teams=[people.individual.team])
    tell_audience(round_.pk)
    people.colleague.is_active = False
    people.colleague.save()
    outbox.send_ready()
    assert "colleague@example.org" not in opening_emails()
    assert len(opening_emails()) == 2


def test_a_round_closed_before_the_task_ran_tells_nobody(people):
    round_ = opened(people.hr)
    services.round_close(actor=people.hr, round_=round_)
    assert tell_audience(round_.pk) == 0
    outbox.send_ready()
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
        with (
            mock.patch("rounds.tasks.announce_round.delay") as delay,
            mock.patch("rounds.tasks.count_round.delay") as count,
        ):
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                with CaptureQueriesContext(connection) as ctx:
                    assert hr.post(f"/hr/rounds/{round_.pk}/open/").status_code == 302
            assert delay.call_count == 1
            assert count.call_count == 1  # the figures are counted by a task too
            assert len(callbacks) == 2
        counts.append(len(ctx.captured_queries))
        assert not OutboundEmail.objects.filter(group__startswith=f"round-opened:{round_.pk}:")
        services.round_close(actor=people.hr, round_=round_)
    assert counts[1] == counts[2] <= 22, counts


@pytest.mark.parametrize("size", [20, 40])
def test_a_batch_makes_the_same_queries_whatever_the_audience(people, settings, size):
    """A run's work is bounded by the rate, not by the audience (N and 2N people)."""
    settings.ROUND_EMAILS_PER_MINUTE = 10
    crowd(people.individual.team, size)
    round_ = opened(people.hr)
    with CaptureQueriesContext(connection) as ctx:
        assert tell_audience(round_.pk) == 10
    # Nine for the batch (the round locked, who was told, the audience, their managers, the
    # managers' reports, the people, the mark, the savepoint and its release), then five per
    # email: the outbox's own write (savepoint, its group's older rows, the row, release).
    assert len(ctx.captured_queries) == 9 + 10 * 5


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
