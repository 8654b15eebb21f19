"""The home card's rounds (`rounds.selectors.my_rounds`) run SQL built once per process
(`scopegrowth.precompiled`), the clock's dates and the ids passed in: the answer is the one the
queries built afresh (`audience_q` and `flags` read at each call) give, whatever day it is.

Lived order: a round opens, the journal is made ready, a deadline passes and the step turns
overdue the day after (not on the day). Awkward order: the SQL is first built on a later day
(after the move, past a deadline), then read back on earlier days; the person moves team out
of the round's audience, and leaves the organisation.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from rounds.audience import audience_q, flags, rounds_for_person_q, window
from rounds.models import Round
from rounds.selectors import MEASURES, _steps, my_rounds
from scopegrowth import access, precompiled
from scopegrowth.models import User
from tests.rounds.helpers import conversation_held, journal_ready, open_round

pytestmark = pytest.mark.django_db


def built_afresh(user: Any) -> list[dict[str, Any]]:
    """`my_rounds` as it was before `precompiled`: every query built at the call."""
    if not access.is_person(user):
        return []
    rounds = list(
        access.scope(user, "follow", Round)
        .filter(rounds_for_person_q(user))
        .distinct()
        .order_by("journal_ready_by", "pk")
    )
    found = []
    for round_ in rounds:
        win = window(round_)
        row = (
            User.objects.filter(audience_q(round_), pk=user.pk)
            .annotate(**flags(win))
            .values(*(f"{k}_done" for k in MEASURES))
            .first()
        )
        if row is not None:
            steps = _steps(round_, row, win.judged_on)
            found.append({"round": round_, "steps": steps,
                          "overdue": [s for s in steps if s.overdue]})  # fmt: skip
    return found


def same(person: User) -> list[dict[str, Any]]:
    person = User.objects.get(pk=person.pk)  # as a request reads them (team, left_on)
    found = my_rounds(person)
    assert found == built_afresh(person)
    return found


def overdue(found: list[dict[str, Any]], name: str) -> list[str]:
    return [s.label for r in found if r["round"].name == name for s in r["overdue"]]


def at(days: int):
    return time_machine.travel(timezone.now() + timedelta(days=days), tick=False)


def test_lived_order_overdue_flips_the_day_after_the_deadline(people):
    precompiled._compiled.clear()
    team_round = open_round(people.hr, teams=[people.individual.team], days=(5, 20, 40))
    everyone = open_round(people.hr, name="Everyone 2026/27", days=(3, 30, 60))
    assert [r["round"] for r in same(people.individual)] == [everyone, team_round]
    assert overdue(same(people.individual), team_round.name) == []
    kinds = {key[1] for key in precompiled._compiled}
    assert {"my_rounds", "my_round_flags"} <= kinds  # built once, not afresh

    with at(5):  # the journal's deadline day: not overdue yet
        assert overdue(same(people.individual), team_round.name) == []
        assert overdue(same(people.individual), everyone.name) == ["Journal ready"]
    with at(6):  # the day after: overdue, until the journal is ready
        assert overdue(same(people.individual), team_round.name) == ["Journal ready"]
        journal_ready(people.individual)
        assert overdue(same(people.individual), team_round.name) == []
    with at(21):
        assert overdue(same(people.individual), team_round.name) == ["Conversation held"]
        conversation_held(people.individual, people.manager)
        found = same(people.individual)
        assert overdue(found, team_round.name) == []
        assert [s.done for s in found[1]["steps"]] == [True, True, False]


def test_awkward_order_built_on_a_later_day_then_read_earlier(people):
    precompiled._compiled.clear()
    team_round = open_round(people.hr, teams=[people.individual.team], days=(5, 20, 40))
    with at(30):  # first built well after two deadlines
        assert overdue(same(people.individual), team_round.name) == [
            "Journal ready",
            "Conversation held",
        ]
    assert overdue(same(people.individual), team_round.name) == []  # back to the opening day
    with at(6):
        assert overdue(same(people.individual), team_round.name) == ["Journal ready"]

    # Leaving tomorrow: still in the round today, out of it once the day has come.
    people.individual.left_on = timezone.localdate() + timedelta(days=1)
    people.individual.save()
    assert [r["round"] for r in same(people.individual)] == [team_round]
    with at(1):
        assert same(people.individual) == []
    people.individual.left_on = None
    people.individual.save()

    # Moving to a team outside the round's audience takes the card away; and back.
    team = people.individual.team
    people.individual.team = people.other_report.team
    people.individual.save()
    assert same(people.individual) == []
    people.individual.team = team
    people.individual.save()
    assert [r["round"] for r in same(people.individual)] == [team_round]

    # Other people: someone in another team, and someone in another organisation.
    assert same(people.other_report) == []
    assert same(people.hr_other_org) == []
