"""A read's audit event commits on PostgreSQL without waiting for the disk, and only it: the
connection is back to the server's durability for the next write, and an event written with
other changes commits with them (issue 20; docs/security.md G5)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from scopegrowth import audit
from scopegrowth.models import AuditEvent, User
from tests.services import require

pytestmark = pytest.mark.django_db(transaction=True)


def durability() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def seen_by_its_commit(events) -> list[str]:
    """`synchronous_commit` as each event's INSERT ran (read in the same statement's wrapper)."""
    settings = []

    def spy(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith('INSERT INTO "SCOPEGROWTH_AUDITEVENT"'):
            with context["connection"].connection.cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                settings.append(cursor.fetchone()[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        audit.record_all(events)
    return settings


def test_a_reads_events_skip_the_wait_and_the_next_write_waits_again():
    require(connection.vendor == "postgresql", "needs PostgreSQL (synchronous_commit)")
    reader = User.objects.create_user("reader@example.org", "x", full_name="Rae Reader")
    default = durability()
    events = [audit.event(reader, "view_journal_section", reader, detail=f"s{i}") for i in (1, 2)]
    assert seen_by_its_commit(events) == ["off"]
    assert AuditEvent.objects.filter(actor=reader).count() == 2
    assert durability() == default == "on"


def test_events_written_with_other_changes_commit_with_them():
    require(connection.vendor == "postgresql", "needs PostgreSQL (synchronous_commit)")
    reader = User.objects.create_user("sharer@example.org", "x", full_name="Sam Sharer")
    with transaction.atomic():
        reader.job_title = "Nurse"
        reader.save(update_fields=["job_title"])
        assert seen_by_its_commit([audit.event(reader, "share", reader)]) == ["on"]
    assert AuditEvent.objects.filter(actor=reader, action="share").exists()
