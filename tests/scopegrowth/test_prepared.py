"""Precompiled reads prepared on PostgreSQL (`scopegrowth.prepared`): each call answers for its own
values, as the ORM's query does; a new connection (a dropped one replaced) prepares again; a read
PostgreSQL cannot prepare is run as plain SQL, and the transaction it ran in goes on."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from scopegrowth import precompiled, prepared
from scopegrowth.models import User
from tests.services import require

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL=postgres://...)")
    precompiled._compiled.clear()
    yield
    precompiled._compiled.clear()


def _team(q: Q):
    return User.objects.filter(q).select_related("team").order_by("full_name", "pk")


def _prepared_here() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def test_each_call_runs_the_prepared_statement_for_its_own_values(people):
    persons = [people.individual, people.manager, people.hr, people.colleague]
    persons = [p for p in persons if p.team_id is not None]  # one shape (no team: IS NULL)
    assert len(persons) >= 2
    names = set()
    for person in persons:
        q = Q(team_id=person.team_id, is_active=True) & ~Q(pk=person.pk)
        with CaptureQueriesContext(connection) as ctx:
            found = precompiled.fetch(("team",), _team, q)
        assert found == list(_team(q))
        assert [u.team for u in found] == [u.team for u in _team(q)]  # select_related kept
        sql = ctx.captured_queries[-1]["sql"]
        assert sql.startswith("EXECUTE sgp_")
        names.add("sgp_" + sql.removeprefix("EXECUTE sgp_").split("(")[0])
    assert len(names) == 1  # one statement for every call, prepared on this connection
    assert names <= _prepared_here()


@pytest.mark.django_db(transaction=True)  # a connection can be closed outside a transaction only
def test_a_new_connection_prepares_the_statement_again(people):
    q = Q(pk__in=[people.individual.pk, people.manager.pk])
    assert precompiled.fetch(("two",), _team, q) == list(_team(q))
    before = connection.connection
    connection.close()  # as a connection that dropped is replaced: nothing prepared on the new one
    q = Q(pk__in=[people.hr.pk, people.colleague.pk])
    with CaptureQueriesContext(connection) as ctx:
        assert precompiled.fetch(("two",), _team, q) == list(_team(q))
    assert connection.connection is not before
    sql = ctx.captured_queries[0]["sql"]
    assert sql.startswith("EXECUTE sgp_")
    assert "sgp_" + sql.removeprefix("EXECUTE sgp_").split("(")[0] in _prepared_here()


def test_a_read_postgresql_cannot_prepare_runs_as_sql_and_the_transaction_goes_on(people):
    with transaction.atomic():
        User.objects.filter(pk=people.individual.pk).update(job_title="Ward sister")
        # The type of an argument only tested for NULL cannot be told: PREPARE is refused.
        assert (
            prepared.statement(connection, "SELECT 1 WHERE %s IS NULL", [0], ((0, 0, str),)) is None
        )
        q = Q(pk=people.individual.pk)
        assert [u.job_title for u in precompiled.fetch(("one",), _team, q)] == ["Ward sister"]
    assert User.objects.get(pk=people.individual.pk).job_title == "Ward sister"


def test_turned_off_the_reads_run_as_plain_sql(people, settings):
    settings.DB_PREPARED_STATEMENTS = False  # behind PgBouncer's transaction mode, say
    q = Q(pk=people.manager.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert precompiled.fetch(("off",), _team, q) == [people.manager]
    assert ctx.captured_queries[-1]["sql"].startswith("SELECT")
