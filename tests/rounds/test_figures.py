"""The completion figures against an oracle: the same shares and overdue counts worked out here
from the raw rows, in plain Python, over a random but realistic population (issue 19)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from conversations.models import Conversation
from devplans.models import Plan, Review
from journals.models import Journal
from rounds import services
from rounds.selectors import completion
from scopegrowth.models import User
from tests import factories
from tests.rounds.helpers import conversation_held, journal_ready, open_round, plan_agreed

pytestmark = pytest.mark.django_db


def oracle(round_, judged_on):
    """Per team id: [people, journal, conversation, plan, review due, on time, review overdue,
    journal overdue, conversation overdue, plan overdue], from the raw rows."""
    start, end = round_.opened_at, round_.closed_at or timezone.now()
    teams = set(round_.teams.values_list("pk", flat=True))
    directorates = set(round_.directorates.values_list("pk", flat=True))
    out: dict = {}
    for person in User.objects.filter(organisation=round_.organisation).select_related("team"):
        if not person.is_active or (person.left_on and person.left_on <= timezone.localdate()):
            continue
        if not round_.whole_organisation and not (
            person.team_id in teams or (person.team and person.team.directorate_id in directorates)
        ):
            continue
        journal = any(
            j.ready_at and start <= j.ready_at <= end for j in Journal.objects.filter(owner=person)
        )
        conversation = any(
            c.status == "completed" and start <= c.completed_at <= end
            for c in Conversation.objects.filter(individual=person)
        )
        plan = any(
            p.agreed_at and start <= p.agreed_at <= end
            for p in Plan.objects.filter(individual=person)
        )
        due = [
            r
            for r in Review.objects.filter(plan__individual=person, plan__status="agreed")
            if timezone.localtime(start).date() <= r.due_on <= judged_on
        ]
        row = out.setdefault(person.team_id, [0] * 10)
        done = (journal, conversation, plan)
        row[0] += 1
        for n, flag in enumerate(done):
            row[1 + n] += flag
        row[4] += bool(due)
        row[5] += any(r.held_on and r.held_on <= r.due_on for r in due)
        row[6] += any(r.held_on is None and r.due_on < judged_on for r in due)
        deadlines = (round_.journal_ready_by, round_.conversation_held_by, round_.plan_agreed_by)
        for n, (flag, deadline) in enumerate(zip(done, deadlines, strict=True)):
            row[7 + n] += (not flag) and judged_on > deadline
    return out


def figures_by_team(result):
    return {
        team.pk: [
            f.total, f.journal_done, f.conversation_done, f.plan_done, f.review_due,
            f.review_on_time, f.review_overdue, f.overdue["journal"], f.overdue["conversation"],
            f.overdue["plan"],
        ]
        for _, team in result.teams
        for f in [team.figures]
    }  # fmt: skip


def population(people, seed: int, size: int = 60):
    """People across four teams of two directorates (and one other), some of whom leave or move,
    with journals, conversations, plans and reviews before, in and after the window."""
    rng = random.Random(seed)
    org = people.hr.organisation
    teams = [people.individual.team, people.other_report.team]
    teams += [factories.TeamFactory(directorate=teams[0].directorate) for _ in range(2)]
    teams.append(factories.TeamFactory(directorate__organisation=org))
    crowd = [
        factories.UserFactory(team=rng.choice(teams + [None]), organisation=org)
        for _ in range(size)
    ]
    return rng, teams, crowd


def act(rng, crowd, facilitator, when):
    for person in crowd:
        if rng.random() < 0.5:
            journal_ready(person, at=when())
        if rng.random() < 0.4:
            conversation_held(person, facilitator, at=when())
        if rng.random() < 0.3:
            today = timezone.localdate()
            reviews = [
                (today - timedelta(days=rng.randint(-5, 20)),
                 rng.choice([None, today - timedelta(days=rng.randint(-3, 25))]))
                for _ in range(rng.randint(0, 2))
            ]  # fmt: skip
            plan_agreed(person, facilitator, at=when(), reviews=reviews)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_completion_matches_the_oracle_over_a_random_population(people, seed):
    rng, teams, crowd = population(people, seed)
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=40)):
        round_ = open_round(
            people.hr, directorates=[teams[0].directorate], teams=[teams[4]], days=(10, 20, 30)
        )
    act(rng, crowd, people.manager, lambda: start - timedelta(days=rng.randint(0, 60)))
    # Mid-round changes: some leave, some move, some are deactivated.
    for person in rng.sample(crowd, 10):
        choice = rng.random()
        if choice < 0.3:
            person.left_on = timezone.localdate() - timedelta(days=1)
        elif choice < 0.6:
            person.team = rng.choice(teams)
        else:
            person.is_active = False
        person.save()
    result = completion(round_)
    expected = oracle(round_, timezone.localdate())
    assert figures_by_team(result) == expected
    assert result.overall.total == sum(row[0] for row in expected.values())
    assert result.overall.total > 20, "the population is too small to prove anything"
    assert result.overall.plan_done
    assert result.overall.review_due
    assert result.overall.overdue["journal"]


def test_a_closed_round_is_judged_on_its_closing_day(people):
    rng, teams, crowd = population(people, 7, size=30)
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=40)):
        round_ = open_round(people.hr, days=(5, 10, 15))
    act(rng, crowd, people.manager, lambda: start - timedelta(days=rng.randint(0, 60)))
    with time_machine.travel(start - timedelta(days=28)):
        services.round_close(actor=people.hr, round_=round_)
    closing_day = timezone.localtime(round_.closed_at).date()
    result = completion(round_)
    assert figures_by_team(result) == oracle(round_, closing_day)
    # Judged on day 12: journal (day 5) and conversation (day 10) overdue, the plan not yet.
    assert result.overall.overdue["plan"] == 0
    assert result.overall.overdue["journal"] > 0


def test_shares_are_whole_percentages_and_none_when_nobody_counts(people):
    round_ = open_round(people.hr, teams=[people.individual.team])
    journal_ready(people.individual)
    shares = completion(round_).overall.shares
    assert shares["journal"] == 33  # 1 of 3 (individual, colleague, manager)
    assert shares["review"] is None  # nobody had a review due: no figure, not 0%
