"""Database connections killed with `pg_terminate_backend` in the middle of a request (a real
PostgreSQL; runs when DATABASE_URL names PostgreSQL, as under CI): every read-only page still
answers as usual whichever of its queries the connection dies before, and nobody is told their
session "was deleted" because the database was briefly unreachable."""

from __future__ import annotations

import time
from datetime import timedelta

import psycopg2
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.services import require

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

PAGES = {
    "individual": ["/", "/journal/", "/plans/"],
    "manager": ["/dashboard/"],
    "hr": ["/hr/plans/"],
}


@pytest.fixture
def admin_connection():
    require(
        connection.vendor == "postgresql",
        "needs PostgreSQL (DATABASE_URL=postgres://...) to kill database connections",
    )
    db = connection.settings_dict
    admin = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"] or "postgres", password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
    )  # fmt: skip
    admin.autocommit = True
    yield admin
    admin.close()


class Killer:
    """An execute wrapper that terminates this connection's server process just before the
    query number `at` (0-based) or every query matching `sql`, `times` times."""

    def __init__(self, admin, at: int | None = None, sql: str = "", times: int = 1) -> None:
        self.admin, self.at, self.sql, self.remaining = admin, at, sql, times
        self.seen = 0

    def __call__(self, execute, sql, params, many, context):
        hit = self.seen == self.at if self.at is not None else self.sql in sql
        self.seen += 1
        if hit and self.remaining:
            self.remaining -= 1
            self.terminate(context["connection"].connection.get_backend_pid())
        return execute(sql, params, many, context)

    def terminate(self, pid: int) -> None:
        with self.admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(100):  # gone within milliseconds
                cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() is None:
                    return
                time.sleep(0.01)


def signed_in(people, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(people.get(persona), backend="django.contrib.auth.backends.ModelBackend")
    return client


def count_queries(client, url) -> tuple[int, int]:
    counter = Killer(None, at=-1)
    with connection.execute_wrapper(counter):
        status = client.get(url).status_code
    assert status in (200, 302), f"{url}: {status} without a fault"
    return counter.seen, status


def test_every_read_only_page_survives_a_connection_killed_before_any_of_its_queries(
    people, admin_connection
):
    failures = []
    for persona, urls in PAGES.items():
        client = signed_in(people, persona)
        for url in urls:
            queries, expected = count_queries(client, url)
            for at in range(queries):
                killer = Killer(admin_connection, at=at)
                with connection.execute_wrapper(killer):
                    status = client.get(url).status_code
                if status != expected:
                    failures.append(f"{persona} {url}, killed before query {at}: {status}")
    assert not failures, "\n".join(failures)


def test_a_session_save_on_a_dropped_connection_is_retried_not_called_deleted(
    people, admin_connection
):
    client = signed_in(people, "individual")
    with connection.execute_wrapper(Killer(admin_connection, sql='UPDATE "django_session"')):
        response = client.get("/")
    assert response.status_code == 200
    assert client.get("/").status_code == 200  # still signed in: the session was saved


def test_a_database_still_down_at_the_session_save_is_an_error_not_a_deleted_session(
    people, admin_connection
):
    client = signed_in(people, "individual")
    # The save is tried twice, and the whole GET twice: four drops in a row is an outage.
    killer = Killer(admin_connection, sql='UPDATE "django_session"', times=4)
    # A read saves the session only when its activity is a minute old (issue 20): two minutes on.
    later = timezone.now() + timedelta(minutes=2)
    with time_machine.travel(later), connection.execute_wrapper(killer):
        response = client.get("/")
    assert response.status_code == 500  # the error page, with its request id
    assert b"session was deleted" not in response.content
    with time_machine.travel(later):
        assert client.get("/").status_code == 200  # nothing was lost: signed in as before
