"""Roles and relationships are read once per request and shared by every `access` call in it;
any write in the request forgets them (issue 20). Outside a request every call reads."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scopegrowth import access, access_memo, audit
from scopegrowth.models import ManagerLink, User

pytestmark = pytest.mark.django_db


def test_one_query_answers_every_call_in_a_request(people):
    with access_memo.per_request():
        with CaptureQueriesContext(connection) as ctx:
            for _ in range(3):
                assert access.MANAGER in access.roles(people.manager)
                assert access.facilitates(people.manager, people.individual)
                assert access.manages(people.manager, people.colleague)
                assert not access.coaches(people.manager, people.individual)
    assert len(ctx.captured_queries) == 1


def test_a_link_ended_earlier_in_the_same_request_no_longer_counts(people):
    def reports_in_scope():
        return access.scope(people.manager, "facilitate", User).filter(
            pk__in=[people.individual.pk, people.colleague.pk]
        )

    with access_memo.per_request():
        assert access.facilitates(people.manager, people.individual)
        assert reports_in_scope().count() == 2
        ManagerLink.objects.filter(report=people.individual).update(ended_at=timezone.now())
        assert not access.facilitates(people.manager, people.individual)
        assert list(reports_in_scope()) == [people.colleague]
        ManagerLink.objects.filter(report=people.colleague).update(ended_at=timezone.now())
        assert access.MANAGER not in access.roles(people.manager)
        assert not reports_in_scope().exists()


def test_an_audit_event_is_not_a_change_that_forgets(people):
    with access_memo.per_request():
        access.roles(people.hr)
        audit.record(people.hr, "plans_list", detail="0 plans")
        with CaptureQueriesContext(connection) as ctx:
            assert access.HR in access.roles(people.hr)
    assert len(ctx.captured_queries) == 0


def test_outside_a_request_every_call_reads_the_database(people):
    assert access.facilitates(people.manager, people.individual)
    ManagerLink.objects.filter(report=people.individual).update(ended_at=timezone.now())
    assert not access.facilitates(people.manager, people.individual)
    with CaptureQueriesContext(connection) as ctx:
        access.roles(people.manager)
        access.roles(people.manager)
    assert len(ctx.captured_queries) == 2


def test_a_deactivated_account_has_no_roles_within_the_request(people):
    with access_memo.per_request():
        assert access.roles(people.hr)
        type(people.hr).objects.filter(pk=people.hr.pk).update(is_active=False)
        assert access.roles(people.hr) == frozenset()


def test_the_unread_updates_count_comes_with_the_facts_and_follows_writes(people):
    from scopegrowth.outbox.models import Update
    from scopegrowth.updates import unread_count

    def update():
        return Update.objects.create(recipient=people.individual, kind="k", text="t", link="/")

    first = update()
    Update.objects.create(recipient=people.manager, kind="k", text="not hers", link="/")
    with access_memo.per_request():
        with CaptureQueriesContext(connection) as ctx:
            assert access.INDIVIDUAL in access.roles(people.individual)
            assert unread_count(people.individual) == 1
        assert len(ctx.captured_queries) == 1  # one query for the roles and the count
        Update.objects.filter(pk=first.pk).update(read_at=timezone.now())  # marked read
        assert unread_count(people.individual) == 0
        update()  # one arrives later in the same request
        assert unread_count(people.individual) == 1
    assert unread_count(people.individual) == 1  # outside a request: its own COUNT


def test_an_answer_of_can_is_kept_for_the_request_until_a_write(people):
    """A page may ask `can(user, action, obj)` more than once; a rule the policy cannot answer
    in memory is one query per person and action, until anything is written."""
    from tests.devplans.factories import PlanFactory

    plan = PlanFactory(individual=people.individual, facilitator=people.manager)
    with access_memo.per_request():
        with CaptureQueriesContext(connection) as ctx:
            for _ in range(3):
                assert access.can(people.manager, "edit", plan)
                assert not access.can(people.colleague, "edit", plan)
        assert len(ctx.captured_queries) == 4  # each person's facts, each one's rule
        ManagerLink.objects.filter(report=people.individual).update(ended_at=timezone.now())
        assert not access.can(people.manager, "edit", plan)
        ManagerLink.objects.create(manager=people.manager, report=people.individual)
        assert access.can(people.manager, "edit", plan)


def test_the_facts_query_is_compiled_once_and_reads_each_person(people):
    """The facts query's SQL is built once per process and run for each person with their
    own id: two people in one request get their own links, flags and unread counts."""
    from scopegrowth.outbox.models import Update

    Update.objects.create(recipient=people.manager, kind="k", text="t", link="/")
    from scopegrowth import precompiled

    precompiled._compiled.clear()
    with access_memo.per_request():
        manager = access_memo.facts(people.manager)
        hr = access_memo.facts(people.hr)
        individual = access_memo.facts(people.individual)
    assert len(precompiled._compiled) == 1
    assert manager.reports == {people.individual.pk, people.colleague.pk}
    assert (manager.unread_updates, manager.hr) == (1, False)
    assert (hr.hr, hr.reports, hr.unread_updates) == (True, frozenset(), 0)
    assert (individual.reports, individual.active, individual.staff) == (frozenset(), True, False)
    with access_memo.per_request():
        assert access_memo.facts(people.inactive).active is False
