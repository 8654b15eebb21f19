"""Queries built once per process (`scopegrowth.precompiled`): each call must give what the ORM's
own query gives for the same values, person by person and day by day; a build that reads
anything but its arguments is refused on its first call, not answered wrongly later."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scopegrowth import access, access_memo, precompiled
from scopegrowth.models import ManagerLink, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    precompiled._compiled.clear()
    yield
    precompiled._compiled.clear()


def _colleagues(q: Q):
    return User.objects.filter(q).select_related("team").order_by("full_name", "pk")


def test_each_call_answers_for_its_own_values_and_compiles_once(people):
    for person in (people.individual, people.manager, people.other_report, people.hr):
        q = Q(team_id=person.team_id, is_active=True) & ~Q(pk=person.pk)
        fresh = list(_colleagues(q))
        found = precompiled.fetch(("colleagues",), _colleagues, q)
        assert found == fresh
        assert [u.team for u in found] == [u.team for u in fresh]  # select_related kept
    # team_id=None is a different shape (IS NULL): people with no team.
    assert len(precompiled._compiled) == 2


def test_the_second_call_builds_nothing(people, django_assert_num_queries):
    q = Q(pk__in=[people.individual.pk, people.colleague.pk])
    precompiled.fetch(("some",), _colleagues, q)
    calls = []
    original = User.objects.filter

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    User.objects.filter = counting
    try:
        with django_assert_num_queries(1):
            found = precompiled.fetch(("some",), _colleagues, Q(pk__in=[-5, people.manager.pk]))
    finally:
        del User.objects.filter
    assert found == [people.manager]
    assert calls == []


def test_lists_of_other_lengths_and_empty_lists(people):
    ids = [people.individual.pk, people.colleague.pk, people.manager.pk]
    for n in range(len(ids) + 1):
        q = Q(pk__in=ids[:n])
        assert precompiled.fetch(("by_ids",), _colleagues, q) == list(_colleagues(q))
    assert precompiled.fetch(("by_ids",), _colleagues, access.NOTHING) == []


def test_dates_and_times_are_arguments_day_by_day(people):
    ManagerLink.objects.filter(report=people.colleague).update(
        ended_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    )

    def links(manager_id: int, moment: dt.datetime, day: dt.date):
        return (
            ManagerLink.objects.filter(manager_id=manager_id, started_at__lte=moment)
            .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gt=day))
            .order_by("pk")
        )

    for moment in (
        dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 1, 8, 59, tzinfo=dt.UTC),
        timezone.now(),
    ):
        day = timezone.localdate(moment)
        expected = list(links(people.manager.pk, moment, day))
        assert precompiled.fetch(("links",), links, people.manager.pk, moment, day) == expected


def test_a_model_instance_and_an_access_scope(people):
    from devplans.models import Plan
    from tests.devplans.factories import agreed_plan

    plan = agreed_plan(people.individual, people.manager)

    def plans(q: Q):
        return Plan.objects.filter(q).order_by("pk")

    with access_memo.per_request():
        for who in (people.individual, people.manager, people.coach, people.colleague, people.hr):
            q = access.scope_q(who, "view", Plan) & Q(individual=people.individual)
            expected = list(access.scope(who, "view", Plan))
            assert precompiled.fetch(("plans",), plans, q) == expected
            assert (plan in expected) == (who != people.colleague)
    assert precompiled.fetch(("plans",), plans, Q(pk=plan.pk)) == [plan]


def test_a_subquery_is_built_as_usual(people):
    reports = ManagerLink.objects.active().filter(manager=people.manager).values("report")
    q = Q(pk__in=reports)
    with CaptureQueriesContext(connection):
        found = precompiled.fetch(("subquery",), _colleagues, q)
    assert found == list(_colleagues(q))
    assert precompiled._compiled == {}


def _managed_by(manager_pk: int):
    return Exists(ManagerLink.objects.filter(report=OuterRef("pk"), manager=manager_pk))


def test_a_marked_subquery_is_compiled_once_and_answers_for_each_person(people):
    def q_for(who: User) -> Q:
        managed = precompiled.subquery(("managed_by",), _managed_by, who.pk)
        return Q(pk=who.pk) | (Q(team=people.individual.team_id) & Q(managed))

    for who in (people.manager, people.other_manager, people.individual, people.manager):
        q = q_for(who)
        found = precompiled.fetch(("marked",), _colleagues, q)
        assert found == list(_colleagues(q)), who.email
        assert (people.individual in found) == (who in (people.manager, people.individual))
    assert len(precompiled._compiled) == 1
    with CaptureQueriesContext(connection) as ctx:
        precompiled.fetch(("marked",), _colleagues, q_for(people.coach))
    assert len(ctx.captured_queries) == 1
    assert str(people.coach.pk) in ctx.captured_queries[0]["sql"]


def test_a_marked_subquery_that_reads_the_clock_is_refused(people):
    def since_today(manager_pk: int):
        links = ManagerLink.objects.filter(started_at__lte=timezone.now(), manager=manager_pk)
        return Exists(links.filter(report=OuterRef("pk")))

    q = Q(precompiled.subquery(("clock",), since_today, people.manager.pk))
    with pytest.raises(ImproperlyConfigured):
        precompiled.fetch(("clock",), _colleagues, q)


def test_a_build_that_reads_the_clock_is_refused(people):
    def reads_the_clock(person_id: int):
        return User.objects.filter(pk=person_id, date_joined__date__lte=timezone.localdate())

    with pytest.raises(ImproperlyConfigured, match="date that is not an argument"):
        precompiled.fetch(("clock",), reads_the_clock, people.individual.pk)


def test_a_build_whose_sql_changes_with_the_values_is_refused(people):
    def depends_on_the_value(person_id: int):
        extra = Q(is_hr=True) if person_id % 2 else Q()
        return User.objects.filter(Q(pk=person_id) & extra)

    with pytest.raises(ImproperlyConfigured, match="more than its shape"):
        precompiled.fetch(("moving",), depends_on_the_value, people.individual.pk)


def test_answers_follow_time_machine_after_the_first_compile(people):
    """Compiled on Monday, asked on Friday: the day is an argument, so Friday's answer."""
    from tests import factories

    late = factories.UserFactory(full_name="Zed Late", team=people.individual.team)

    def joined_by(team_id: int, day: dt.date):
        return User.objects.filter(team_id=team_id, date_joined__date__lte=day).order_by("pk")

    User.objects.filter(pk=late.pk).update(date_joined=dt.datetime(2026, 6, 5, 10, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        monday = precompiled.fetch(("joined",), joined_by, late.team_id, timezone.localdate())
    with time_machine.travel(dt.datetime(2026, 6, 5, 12, tzinfo=dt.UTC), tick=False):
        friday = precompiled.fetch(("joined",), joined_by, late.team_id, timezone.localdate())
    assert late not in monday
    assert late in friday
    assert len(precompiled._compiled) == 1


def test_a_small_number_field_is_answered_for_its_value_not_the_stand_in(db):
    """A stand-in id out of a small field's range makes Django match nothing: the query is
    then built for each call, so stage 2's sections are still found."""
    from journals.models import Section

    def sections(stage: int):
        return Section.objects.filter(stage=stage).order_by("pk")

    for stage in (1, 2, 3):
        expected = list(sections(stage))
        assert precompiled.fetch(("sections",), sections, stage) == expected
    assert precompiled.fetch(("sections",), sections, 2)  # the question bank has stage 2


def test_a_choice_member_is_its_value(people):
    from devplans.models import Plan
    from tests.devplans.factories import agreed_plan

    plan = agreed_plan(people.individual, people.manager)

    def by_status(status: str):
        return Plan.objects.filter(status=status).order_by("pk")

    assert precompiled.fetch(("status",), by_status, Plan.Status.AGREED) == [plan]
    assert precompiled.fetch(("status",), by_status, Plan.Status.DRAFT) == []
    assert len(precompiled._compiled) == 1


def test_every_call_converts_its_own_rows_with_converters_looked_up_once(people, monkeypatch):
    """A link's start is an aware datetime and a values() row's too, on every call (SQLite
    stores them as text: the converters must run each time), while the converters themselves
    are looked up on the first call only (issue 20: 2 to 7 % of a page)."""
    from django.db.models.sql.compiler import SQLCompiler

    def links(manager_pk: int):
        return ManagerLink.objects.filter(manager_id=manager_pk).order_by("pk")

    def starts(manager_pk: int):
        return links(manager_pk).values("report_id", "started_at")

    managers = (people.manager, people.coach, people.hr)
    expected = {m.pk: list(links(m.pk)) for m in managers}
    expected_starts = {m.pk: list(starts(m.pk)) for m in managers}
    assert any(expected.values())
    lookups = []
    original = SQLCompiler.get_converters

    def counting(compiler, expressions):
        lookups.append(len(expressions))
        return original(compiler, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counting)
    for _ in range(2):
        for manager in managers:
            found = precompiled.fetch(("links",), links, manager.pk)
            assert [(x.pk, x.started_at) for x in found] == [
                (x.pk, x.started_at) for x in expected[manager.pk]
            ]
            assert all(timezone.is_aware(x.started_at) for x in found)
            rows = precompiled.fetch(("starts",), starts, manager.pk)
            assert rows == expected_starts[manager.pk]
            assert all(isinstance(r["started_at"], dt.datetime) for r in rows)
    assert len(lookups) == 2  # one per query, not one per call
