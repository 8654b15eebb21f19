"""The plan page's reads are built once per process (`scopegrowth.precompiled`, issue 20): each
gives what the ORM-built query gives, for every persona, before and after the plan changes
hands (a new line manager, some days later: the SQL compiled on the first day is reused)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from devplans import selectors
from devplans.models import Plan, PlanCheckIn
from devplans.views.plan import ACTIONS
from scopegrowth import access, access_memo
from tests.factories import ManagerLinkFactory

PERSONAS = ("individual", "manager", "other_manager", "coach", "hr", "hr_other_org", "admin")
DAY_ONE = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _orm_reads(user, plan: Plan) -> dict:
    """What the page reads, with querysets built as usual (the reference)."""
    found = access.scope(user, "view", selectors.plan_queryset()).filter(pk=plan.pk).first()
    versions = access.scope(user, "view", Plan).filter(lineage=plan.lineage).order_by("number")
    checkins = PlanCheckIn.objects.filter(plan__lineage=plan.lineage).order_by(
        "-held_on", "-created_at"
    )
    return {
        "found": found,
        "buttons": access.can_each(user, ACTIONS, plan),
        "versions": [v.pk for v in versions],
        "checkins": [c.pk for c in checkins],
    }


def _precompiled_reads(user, plan: Plan) -> dict:
    try:
        found = access.get_or_404(user, "view", selectors.plan_queryset, pk=plan.pk)
    except Http404:
        found = None
    return {
        "found": found,
        "buttons": selectors.plan_actions(user, plan, ACTIONS),
        "versions": [v.pk for v in selectors.plan_versions(user, plan)],
        "checkins": [c.pk for c in selectors.plan_checkins(plan)],
    }


def _with_notes_and_checkins(people, plan: Plan) -> Plan:
    from devplans.models import ProgressNote

    for objective in plan.objectives.all():
        ProgressNote.objects.create(objective=objective, author=people.individual, text="Went")
    PlanCheckIn.objects.create(
        plan=plan, author=people.manager, held_on=dt.date(2026, 3, 1), progressed="Some"
    )
    return plan


def _compare(people, plan: Plan) -> dict:
    answers = {}
    for persona in PERSONAS:
        user = people.get(persona)
        with access_memo.per_request():
            ours = _precompiled_reads(user, plan)
        assert ours == _orm_reads(user, plan), persona
        answers[persona] = ours
    return answers


@pytest.mark.parametrize("state", ["draft", "agreed"])
def test_the_reads_follow_a_new_manager_days_later(people, draft, agreed, state):
    plan = _with_notes_and_checkins(people, draft if state == "draft" else agreed)
    with time_machine.travel(DAY_ONE, tick=False):
        before = _compare(people, plan)
    assert before["manager"]["found"] == plan
    assert before["other_manager"]["found"] is None
    with time_machine.travel(DAY_ONE + dt.timedelta(days=9), tick=False):
        people.individual.manager_links.update(ended_at=timezone.now())
        ManagerLinkFactory(manager=people.other_manager, report=people.individual)
        after = _compare(people, plan)
    assert after["manager"]["found"] is None
    assert not any(after["manager"]["buttons"].values())
    assert after["other_manager"]["found"] == plan
    assert after["other_manager"]["buttons"] == before["manager"]["buttons"]
    assert after["other_manager"]["checkins"] == before["manager"]["checkins"] != []


def test_the_content_read_matches_prefetching(people, agreed):
    """Objectives (in order, with initiatives and notes) and reviews as `prefetch_related`
    put them; a filter on the related manager still reads only this plan's rows."""
    from django.db.models import Prefetch

    from devplans.models import Objective, ProgressNote, Review

    _with_notes_and_checkins(people, agreed)
    reference = Plan.objects.prefetch_related(
        Prefetch(
            "objectives",
            queryset=Objective.objects.order_by("order", "pk").prefetch_related(
                "initiatives",
                Prefetch("notes", queryset=ProgressNote.objects.select_related("author")),
            ),
        ),
        Prefetch("reviews", queryset=Review.objects.select_related("recorded_by")),
    ).get(pk=agreed.pk)
    ours = selectors.plan_with_content(Plan.objects.get(pk=agreed.pk))

    def shape(plan):
        return [
            (o.pk, [i.pk for i in o.initiatives.all()], [n.pk for n in o.notes.all()])
            for o in plan.objectives.all()
        ], [r.pk for r in plan.reviews.all()]

    assert shape(ours) == shape(reference)
    assert ours.objectives.count() == len(reference.objectives.all())
    first = ours.objectives.all()[0]
    assert list(ours.objectives.filter(pk=first.pk)) == [first]


def test_the_page_follows_the_new_manager(client_for, people, agreed):
    url = reverse("devplans:detail", args=[agreed.pk])
    assert client_for("manager").get(url).status_code == 200
    people.individual.manager_links.update(ended_at=timezone.now())
    ManagerLinkFactory(manager=people.other_manager, report=people.individual)
    assert client_for("manager").get(url).status_code == 404
    response = client_for("other_manager").get(url)
    assert response.status_code == 200
    assert "Record a review" in response.content.decode()
