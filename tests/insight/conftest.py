"""Builders for the insight tests, and `trust`: a hand-counted organisation.

The clock is frozen at Monday 2 March 2026, 09:00 in London, so a snapshot taken then covers
the 12 whole months from 1 March 2025 to 28 February 2026 (the default period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from conversations.models import Conversation
from devplans.models import Plan, Review
from insight import snapshots
from insight.models import EqualityDeclaration, Snapshot
from journals.models import Journal
from scopegrowth.models import Team, User
from tests.devplans.factories import PlanFactory, agree, impact
from tests.factories import ManagerLinkFactory, TeamFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
IN_PERIOD = datetime(2025, 6, 10, 10, 0, tzinfo=LONDON)
BEFORE_PERIOD = datetime(2025, 1, 15, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def exact_counts(request, settings):
    """The hand-counted tests here check the suppression on exact counts; the protection
    (perturbation and rounding, on by default) has its own tests, which opt out of this with
    the `protected` marker (test_protection.py, test_attacker.py)."""
    if request.node.get_closest_marker("protected") is None:
        settings.INSIGHT_ROUNDING_BASE = 1
        settings.INSIGHT_PERTURBATION = False
        settings.INSIGHT_TEAM_MIN_DECLARATIONS = 0  # its own tests: test_snapshots.py


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def staff(team: Team | None, name: str, *, declare: tuple | None = None, **kw) -> User:
    """A member of staff; `declare`: (ethnicity, disability, sex, age band), blanks allowed."""
    kw.setdefault("organisation", team.directorate.organisation if team else None)
    person = UserFactory(full_name=name, team=team, **kw)
    if declare:
        ethnicity, disability, sex, age_band = declare
        EqualityDeclaration.objects.create(
            person=person, ethnicity=ethnicity, disability=disability, sex=sex, age_band=age_band
        )
    return person


def held(person: User, facilitator: User, on: datetime = IN_PERIOD) -> Conversation:
    return Conversation.objects.create(
        individual=person,
        facilitator=facilitator,
        scheduled_at=on,
        location="Seminar room 2",
        status=Conversation.Status.COMPLETED,
        completed_at=on,
        created_at=on,
        updated_at=on,
    )


def ready(person: User, on: datetime = IN_PERIOD) -> Journal:
    return Journal.objects.create(owner=person, cycle=1, ready_at=on)


def agreed(
    person: User,
    facilitator: User,
    now: str,
    future: str,
    *,
    on: datetime = IN_PERIOD,
    reviews: tuple[tuple[date, date | None], ...] = (),
    now_impact: str = "Established in role",
    future_impact: str = "Exceeding in role",
    **kw,
) -> Plan:
    """An agreed plan with these growth categories; `reviews`: (due on, held on or None)."""
    plan = PlanFactory(
        individual=person,
        facilitator=facilitator,
        current_growth=now,
        future_growth=future,
        current_impact=impact(now_impact),
        future_impact=impact(future_impact),
        reviews=[due for due, _ in reviews],
        **kw,
    )
    for due, held_on in reviews:
        Review.objects.filter(plan=plan, due_on=due).update(held_on=held_on)
    return agree(plan, at=on)


def take_snapshot(hr: User, reason: str = Snapshot.Reason.ON_DEMAND) -> Snapshot:
    """Take a snapshot of the HR user's organisation now, as the Celery task does."""
    snapshot = Snapshot.objects.create(organisation_id=hr.organisation_id, reason=reason)
    assert snapshots.snapshot_take(snapshot.pk)
    snapshot.refresh_from_db()
    return snapshot


@dataclass
class Trust:
    hr: User
    staff: dict[str, User]
    ward: Team
    theatres: Team

    def snapshot(self) -> Snapshot:
        return take_snapshot(self.hr)

    def client(self) -> Client:
        c = Client()
        c.force_login(self.hr, backend="django.contrib.auth.backends.ModelBackend")
        return c


W, A, B, M, OTH, P = "white", "asian", "black", "mixed", "other", "prefer_not_to_say"


@pytest.fixture
def trust(db) -> Trust:
    """Trust C: 12 staff and an HR user (13 people counted). Expected figures are counted by
    hand in the comments; everything outside the period or the organisation must not count."""
    ward = TeamFactory(
        name="Ward 1", directorate__name="Medicine", directorate__organisation__name="Trust C"
    )
    theatres = TeamFactory(
        name="Theatres",
        directorate__name="Surgery",
        directorate__organisation=ward.directorate.organisation,
    )
    org = ward.directorate.organisation
    hr = staff(None, "Harriet HR", organisation=org, is_hr=True)  # counted: not declared
    boss = staff(ward, "Fiona Facilitator")  # counted too: see the `people` count below
    s = {
        # name: (ethnicity, disability, sex, age)           held ready plan(now->future) reviews
        "p1": staff(
            ward, "P One", declare=(W, "no", "female", "25_34")
        ),  # y y depth->stretch on time
        "p2": staff(
            ward, "P Two", declare=(W, "no", "female", "35_44")
        ),  # y y depth->depth (v2) late
        "p3": staff(ward, "P Three", declare=(W, "yes", "male", "45_54")),  # y n breadth->stretch
        "p4": staff(ward, "P Four", declare=(W, "no", "male", "25_34")),  # n y -
        "p5": staff(
            theatres, "P Five", declare=(A, "no", "female", "25_34")
        ),  # y y depth->breadth late
        "p6": staff(
            theatres, "P Six", declare=(B, "no", "female", "35_44")
        ),  # y y stretch->stretch
        "p7": staff(theatres, "P Seven", declare=(B, "yes", "female", "45_54")),  # n n (draft)
        "p8": staff(theatres, "P Eight", declare=(M, "no", "male", "55_64")),  # y n depth->stretch
        "p9": staff(theatres, "P Nine", declare=(P, P, P, P)),  # y y -
        "p10": staff(theatres, "P Ten"),  # n n (plan before the period)
        "p11": staff(
            theatres, "P Eleven", declare=(OTH, "no", "female", "")
        ),  # y y breadth->breadth on time
    }
    s["boss"] = boss
    for person in s.values():
        if person is not boss:
            ManagerLinkFactory(manager=boss, report=person)
    p = s
    for key in ("p1", "p2", "p3", "p5", "p6", "p8", "p9", "p11"):
        held(p[key], boss)
    for key in ("p1", "p2", "p4", "p5", "p6", "p9", "p11"):
        ready(p[key])
    agreed(p["p1"], boss, "depth", "stretch", reviews=((date(2025, 9, 1), date(2025, 8, 30)),))
    # p2: v1 agreed, reopened and agreed again in the period: counted once, positions from v2;
    # its late review is copied to v2 and counted once.
    late = ((date(2025, 9, 1), date(2025, 9, 10)),)
    v1 = agreed(p["p2"], boss, "depth", "breadth", reviews=late, on=IN_PERIOD - timedelta(days=30))
    Plan.objects.filter(pk=v1.pk).update(status=Plan.Status.SUPERSEDED)
    agreed(p["p2"], boss, "depth", "depth", reviews=late, lineage=v1.lineage, number=2)
    agreed(p["p3"], boss, "breadth", "stretch")
    agreed(p["p5"], boss, "depth", "breadth", reviews=((date(2025, 10, 1), None),))
    agreed(p["p6"], boss, "stretch", "stretch", now_impact="Exceeding in role")
    PlanFactory(individual=p["p7"], facilitator=boss)  # a draft: not agreed
    agreed(p["p8"], boss, "depth", "stretch", reviews=((date(2026, 6, 1), None),))  # not due yet
    agreed(p["p10"], boss, "stretch", "stretch", on=BEFORE_PERIOD)
    held(p["p4"], boss, on=BEFORE_PERIOD)
    agreed(p["p11"], boss, "breadth", "breadth", reviews=((date(2026, 1, 15), date(2026, 1, 15)),))
    # p12: a declaration with only two answers, a journal ready, nothing else.
    p["p12"] = staff(ward, "P Twelve", declare=(W, "", "female", ""))
    ready(p["p12"])

    # Never counted: a leaver, a deactivated account, someone in another organisation.
    leaver = staff(
        ward, "Left Already", declare=(B, "yes", "male", "25_34"), left_on=date(2025, 12, 31)
    )
    gone = staff(ward, "Deactivated", declare=(B, "yes", "male", "25_34"), is_active=False)
    elsewhere = staff(
        TeamFactory(directorate__organisation__name="Trust D"),
        "Elsewhere",
        declare=(B, "yes", "male", "25_34"),
    )
    for person in (leaver, gone, elsewhere):
        held(person, boss)
        ready(person)
        agreed(person, boss, "stretch", "stretch")
    found = Trust(hr=hr, staff=s, ward=ward, theatres=theatres)
    found.snapshot()  # what the page shows: tests that change the data take another
    return found
