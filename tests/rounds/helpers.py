"""Building rounds and what people do in them, for the rounds tests."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from conversations.models import Conversation
from devplans.models import Plan, Review
from journals.models import Journal
from rounds import services, tasks
from tests.devplans.factories import PlanFactory


def open_round(
    hr, *, name="Career conversations 2026/27", directorates=(), teams=(), days=(14, 45, 75)
):
    """A round created and opened by `hr` (the announcing task is not run; the counting task
    is, as the worker would after the commit)."""
    today = timezone.localdate()
    round_ = services.round_create(
        actor=hr,
        name=name,
        whole_organisation=not (directorates or teams),
        directorates=list(directorates),
        teams=list(teams),
        journal_ready_by=today + timedelta(days=days[0]),
        conversation_held_by=today + timedelta(days=days[1]),
        plan_agreed_by=today + timedelta(days=days[2]),
    )
    with mock.patch("rounds.tasks.announce_round.delay"):
        services.round_open(actor=hr, round_=round_)
    tasks.count_round(round_.pk)
    return round_


def journal_ready(person, at=None):
    cycle = Journal.objects.filter(owner=person).count() + 1
    Journal.objects.filter(owner=person, closed_at__isnull=True).update(closed_at=timezone.now())
    return Journal.objects.create(owner=person, cycle=cycle, ready_at=at or timezone.now())


def conversation_held(person, facilitator, at=None):
    at = at or timezone.now()
    return Conversation.objects.create(
        individual=person,
        facilitator=facilitator,
        scheduled_at=at,
        location="Seminar room",
        status=Conversation.Status.COMPLETED,
        completed_at=at,
    )


def plan_agreed(person, facilitator, at=None, reviews=()):
    """An agreed plan with the given (due_on, held_on) reviews."""
    at = at or timezone.now()
    plan = PlanFactory(
        individual=person,
        facilitator=facilitator,
        status=Plan.Status.AGREED,
        agreed_at=at,
        reviews=[],
    )
    for due_on, held_on in reviews:
        Review.objects.create(plan=plan, due_on=due_on, held_on=held_on)
    return plan
