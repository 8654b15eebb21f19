"""What `scopegrowth.access` reads of people once per request: their roles and relationships
(and, in the same query, the header's count of their unread updates: `scopegrowth.updates`).

`per_request()` (entered by `middleware.AccessPerRequestMiddleware` around every request) keeps
what `access` read, by key, until the request ends or anything is written to the database (other
than an audit event). Outside it (tasks, commands, shells) nothing is kept and every call reads
the database. Only `access` (and `updates.unread_count`) use this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, Func, IntegerField, Subquery, Value

from scopegrowth.models import CoachLink, ManagerLink, User

#: Within `per_request()`: what has been read of people's roles and relationships, by key.
_known: ContextVar[dict | None] = ContextVar("scopegrowth_access_known", default=None)
# Statements that change nothing a rule reads: reads, savepoints, and the append-only audit.
_HARMLESS = re.compile(
    r'\s*(SELECT|SAVEPOINT|RELEASE|INSERT INTO "?scopegrowth_auditevent"?\s)', re.IGNORECASE
)


@contextmanager
def per_request() -> Iterator[None]:
    """Inside it (a request: `middleware.AccessPerRequestMiddleware`), each person's roles and
    relationships are read from the database once and shared by every access call; any write
    to the database inside it (other than an audit event) forgets them all, so a rule never
    sees links or roles older than the request's last write. Outside it (tasks, commands),
    every call reads the database."""
    token = _known.set({})
    try:
        with connection.execute_wrapper(_forget_on_write):
            yield
    finally:
        _known.reset(token)


def _forget_on_write(execute, sql, params, many, context):
    known = _known.get()
    if known and not _HARMLESS.match(sql):
        known.clear()
    return execute(sql, params, many, context)


def once(key: tuple, read: Callable[[], Any]) -> Any:
    known = _known.get()
    if known is None:
        return read()
    if key not in known:
        known[key] = read()
    return known[key]


@dataclass(frozen=True)
class Facts:
    """What the rules read of one person: whom they line-manage and coach now, and their
    account's flags; and (read with them, not a rule) how many of their updates are unread."""

    reports: frozenset[int]
    coachees: frozenset[int]
    active: bool
    hr: bool
    staff: bool
    unread_updates: int = 0


def facts(user: Any) -> Facts | None:
    """The person's `Facts`, read once per request, in one query; None outside a request
    (callers then ask the database inside their own queries)."""
    if _known.get() is None:
        return None

    def read() -> Facts:
        from scopegrowth import access  # access imports this module
        from scopegrowth.outbox.models import Update

        kind = IntegerField()
        person = User.objects.filter(pk=user.pk, is_active=True).order_by()
        # The unread count as a scalar subquery (COUNT over the person's updates through
        # `access`, as `updates.unread_count` reads it outside a request).
        unread = (
            access.scope(user, "view", Update)
            .filter(read_at__isnull=True)
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT", output_field=kind))
            .values("n")
        )
        rows = (
            ManagerLink.objects.active()
            .filter(manager=user.pk)
            .values_list("report_id", Value(0, output_field=kind))
            .union(
                CoachLink.objects.active()
                .filter(coach=user.pk)
                .values_list("coachee_id", Value(1, output_field=kind)),
                person.values_list("pk", Value(2, output_field=kind)),
                person.exclude(is_hr=False).values_list("pk", Value(3, output_field=kind)),
                person.exclude(is_staff=False).values_list("pk", Value(4, output_field=kind)),
                person.annotate(n=Subquery(unread, output_field=kind)).values_list(
                    "n", Value(5, output_field=kind)
                ),
                all=True,
            )
        )
        found: dict[int, set[int]] = {0: set(), 1: set(), 2: set(), 3: set(), 4: set(), 5: set()}
        for pk, which in rows:
            found[which].add(pk or 0)
        return Facts(
            reports=frozenset(found[0]),
            coachees=frozenset(found[1]),
            active=bool(found[2]),
            hr=bool(found[3]),
            staff=bool(found[4]),
            unread_updates=max(found[5], default=0),
        )

    return once(("facts", user.pk), read)
