"""A plain GET writes nothing (issue 20; security.md B3 and G5).

The only writes a read may make: the access-audit event for reading someone else's journal or
plan (G5), and the session's activity, at most once a minute per session (B3). Every main
page is read as the demo persona who uses it, with every INSERT, UPDATE and DELETE caught.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scopegrowth.models import AuditEvent, User
from tests.scopegrowth import demo_pages
from tests.scopegrowth.demo_pages import signed_in

pytestmark = pytest.mark.django_db
demo = demo_pages.demo  # the fixture

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def writes_of(client: Client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    return response.status_code, [q["sql"] for q in ctx.captured_queries if WRITE.match(q["sql"])]


def test_reading_every_main_page_writes_only_the_access_audit(demo):
    audit_table = AuditEvent._meta.db_table
    for key, paths in demo.items():
        client = signed_in(key)
        reader = User.objects.get(email=f"{key}@example.com")
        for path in paths:
            before = set(AuditEvent.objects.values_list("pk", flat=True))
            status, writes = writes_of(client, path)
            assert status in (200, 302), f"{key} {path}: {status}"
            other = [
                sql for sql in writes if not sql.lstrip().startswith(f'INSERT INTO "{audit_table}"')
            ]
            assert other == [], f"{key} {path} wrote: {other}"
            for event in AuditEvent.objects.exclude(pk__in=before):
                assert event.actor_id == reader.pk
                assert event.subject_id != reader.pk, f"{key} {path}: audited their own read"


def test_session_activity_is_written_at_most_once_a_minute(demo):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = signed_in("individual")
        assert writes_of(client, "/") == (200, [])
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert writes_of(client, "/journal/history/") == (200, [])
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        status, writes = writes_of(client, "/")
        assert status == 200
        # The session row, and the "your sessions" row (inserted: force_login's session had none)
        tables = sorted(
            re.search(r'^\s*(?:UPDATE|INSERT INTO) "(\w+)"', q).group(1) for q in writes
        )
        assert tables == ["django_session", "usersessions_usersession"]
    with time_machine.travel(start + timedelta(seconds=90), tick=False):
        assert writes_of(client, "/") == (200, [])


def test_the_idle_timeout_counts_from_the_recorded_activity(demo):
    """Reads within the minute after recorded activity are not recorded, so the 30 minutes run
    from the recorded one: a person is never signed in for longer than 30 idle minutes."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = signed_in("individual")
    with time_machine.travel(start + timedelta(seconds=40), tick=False):
        assert client.get("/").status_code == 200  # within the minute: not recorded
    with time_machine.travel(start + timedelta(minutes=29, seconds=50), tick=False):
        assert client.get("/").status_code == 200  # recorded: a new 30 minutes from here
    with time_machine.travel(start + timedelta(minutes=59, seconds=50), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=89, seconds=51), tick=False):
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_tells_its_warning_how_long_is_really_left(demo):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = signed_in("individual")
    with time_machine.travel(start + timedelta(seconds=45), tick=False):
        page = client.get("/").text
        keepalive = client.get("/session/keepalive/").json()
    assert 'data-seconds-left="1755"' in page  # 30 minutes from sign-in, not from this read
    assert keepalive["expires_in"] == 1755
