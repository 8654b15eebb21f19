"""Closing a round gives a new insight snapshot, through the core's `ROUND_CLOSED` event (rounds
and insight share a floor and do not import each other): queued after the close commits, taken
by insight's own task, one at a time (issue 19, issue 22's hook)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from insight import snapshots
from insight.models import Snapshot
from rounds import services
from scopegrowth import registry
from scopegrowth.exceptions import RuleError
from tests.rounds.helpers import journal_ready, open_round

pytestmark = pytest.mark.django_db


def test_closing_a_round_takes_a_snapshot_dated_at_the_close(
    people, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=20)):
        round_ = open_round(people.hr)
        journal_ready(people.individual)
    assert not Snapshot.objects.exists()
    with (
        mock.patch("insight.tasks.take_snapshot.delay") as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        services.round_close(actor=people.hr, round_=round_)
    assert callbacks, "the event waits for the commit"
    snapshot = Snapshot.objects.get()
    assert snapshot.reason == Snapshot.Reason.ROUND_CLOSED
    assert snapshot.organisation_id == people.hr.organisation_id
    delay.assert_called_once_with(snapshot.pk)
    assert snapshots.snapshot_take(snapshot.pk)  # what the task does
    snapshot.refresh_from_db()
    assert snapshot.status == Snapshot.Status.READY
    assert snapshot.as_at == timezone.localtime(round_.closed_at).date()
    assert snapshot.taken_at >= round_.closed_at


def test_nothing_is_queued_when_the_close_rolls_back(people, django_capture_on_commit_callbacks):
    round_ = open_round(people.hr)
    with (
        mock.patch("insight.tasks.take_snapshot.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
        mock.patch("rounds.services.audit.record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.round_close(actor=people.hr, round_=round_)
    delay.assert_not_called()
    assert not Snapshot.objects.exists()


def test_a_second_close_is_refused_and_queues_nothing(people, django_capture_on_commit_callbacks):
    round_ = open_round(people.hr)
    with (
        mock.patch("insight.tasks.take_snapshot.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.round_close(actor=people.hr, round_=round_)
        with pytest.raises(RuleError, match="Only an open round can be closed"):
            services.round_close(actor=people.hr, round_=round_)
    assert delay.call_count == 1
    assert Snapshot.objects.count() == 1


def test_two_rounds_closing_before_the_snapshot_is_taken_share_one(
    people, django_capture_on_commit_callbacks
):
    first = open_round(people.hr, name="First")
    second = open_round(people.hr, name="Second")
    with (
        mock.patch("insight.tasks.take_snapshot.delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.round_close(actor=people.hr, round_=first)
        services.round_close(actor=people.hr, round_=second)
    assert Snapshot.objects.filter(status=Snapshot.Status.PENDING).count() == 1


def test_insight_subscribes_to_the_core_event():
    assert "insight.snapshot" in dict(registry.ROUND_CLOSED.items())
