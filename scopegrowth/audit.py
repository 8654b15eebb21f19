"""Append-only audit trail: who viewed, shared, changed, signed or exported what (never content)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connections, router
from django.db.models import Model

from scopegrowth.logging import request_id_var
from scopegrowth.models import AuditEvent, User


def event(
    actor: Any,
    action: str,
    obj: Model | None = None,
    *,
    subject: User | None = None,
    detail: str = "",
) -> AuditEvent:
    """An event not yet written: give it to `record_all` (with the others of the same read)."""
    return AuditEvent(
        actor=actor if isinstance(actor, User) else None,
        subject=subject,
        action=action,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        detail=detail[:100],
        request_id=request_id_var.get(),
    )


def record(
    actor: Any,
    action: str,
    obj: Model | None = None,
    *,
    subject: User | None = None,
    detail: str = "",
) -> AuditEvent:
    return record_all([event(actor, action, obj, subject=subject, detail=detail)])[0]


def record_all(events: Sequence[AuditEvent]) -> list[AuditEvent]:
    """Write new events (from `event`), in their order, in one INSERT statement (a page that
    shows a facilitator a conversation and three journal sections records four reads).

    Append-only: an event already written is refused, as `AuditEvent.save` refuses it. Not
    `bulk_create`: it wraps its INSERT in a transaction, two more statements, and
    `access_memo` takes the BEGIN for a write (it forgets the request's roles, read again).
    One INSERT needs no transaction: it is written whole or not at all, like `save()`'s.
    """
    if any(e.pk is not None for e in events):
        raise ValueError("Audit events are append-only")
    connection = connections[router.db_for_write(AuditEvent)]
    if connection.vendor == "postgresql" and not connection.in_atomic_block and events:
        with _without_waiting_for_the_disk(connection):
            return _insert(events)
    return _insert(events)


@contextmanager
def _without_waiting_for_the_disk(connection: Any) -> Iterator[None]:
    """Events written on their own (a read's, outside any transaction) commit on PostgreSQL
    without waiting for the write-ahead log to reach the disk (`synchronous_commit` off for
    them, then back to the server's setting): that wait was about 4 ms of every audited page
    here. A database server crash can lose the last fraction of a second of such events (what
    SQLite's `synchronous=NORMAL` also allows); the database stays consistent, and events written
    with other changes (a share, a sign-off) commit with them, waiting as before. The two SETs
    go through the driver's cursor: they are not counted as the page's queries."""
    connection.ensure_connection()
    raw = connection.connection  # a dropped connection is replaced: the new one is as configured
    with raw.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
        try:
            yield
        finally:
            if not raw.closed:
                cursor.execute("RESET synchronous_commit")


def _insert(events: Sequence[AuditEvent]) -> list[AuditEvent]:
    if len(events) <= 1:
        for e in events:
            e.save(force_insert=True)  # as `objects.create` wrote it
        return list(events)
    meta, db = AuditEvent._meta, router.db_for_write(AuditEvent)
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
    connection = connections[db]
    room = connection.ops.bulk_batch_size(fields, events)
    if not connection.features.can_return_rows_from_bulk_insert or len(events) > room:
        return AuditEvent.objects.bulk_create(events)
    # `_insert` is how `Model.save()` and `bulk_create` write: the fields' `pre_save`, one
    # INSERT ... RETURNING the ids (SQLite 3.35+, PostgreSQL), in the events' order.
    rows = AuditEvent.objects._insert(
        events, fields=fields, returning_fields=meta.db_returning_fields, using=db
    )
    for e, row in zip(events, rows, strict=True):
        for value, field in zip(row, meta.db_returning_fields, strict=True):
            setattr(e, field.attname, value)
        e._state.adding = False
        e._state.db = db
    return list(events)
