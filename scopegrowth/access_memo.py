"""What `scopegrowth.access` reads of people once per request: their roles and relationships
(and, in the same query, the header's count of their unread updates: `scopegrowth.updates`).

`per_request()` (entered by `middleware.AccessPerRequestMiddleware` around every request) keeps
what `access` read, by key (a person's `Facts`; an answer of `access.can` that needed the
database), until the request ends or anything is written to the database (other than an audit
event). Outside it (tasks, commands, shells) nothing is kept and every call reads the
database. Only `access` (and `updates.unread_count`) use this module. The facts query's SQL is
built once per process (`_facts_rows`, `scopegrowth.precompiled`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, Func, IntegerField, Q, QuerySet, Subquery, Value

from scopegrowth.models import CoachLink, ManagerLink, User

#: Within `per_request()`: what has been read of people's roles and relationships, by key.
_known: ContextVar[dict | None] = ContextVar("scopegrowth_access_known", default=None)
# Statements that change nothing a rule reads: reads (a prepared read: `prepared`), savepoints,
# and the append-only audit.
_HARMLESS = re.compile(
    r'[\s(]*(SELECT|SAVEPOINT|RELEASE|EXECUTE sgp_|INSERT INTO "?scopegrowth_auditevent"?\s)',
    re.IGNORECASE,
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
        found: dict[int, set[int]] = {0: set(), 1: set(), 2: set(), 3: set(), 4: set(), 5: set()}
        for pk, which in _facts_rows(user):
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


def _facts_query(user: Any) -> QuerySet:
    """The one query of `facts`: (id, 0) per report, (id, 1) per coachee, and a row each for
    "active" (2), "HR" (3), "admin" (4) and the unread updates count (5)."""
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
    return (
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


def _facts_rows(user: Any) -> list[tuple]:
    """The rows of `_facts_query(user)`, from its SQL built once per process (`precompiled`:
    building and compiling the six-part union cost more than the rest of a small page's
    queries together). The SQL depends on nothing of the person but their id, and on the
    Update policy's filter, which is part of the key: a filter that reads more than the id (or
    holds values other than plain ones) is built for each request like any query."""
    from scopegrowth import access, precompiled  # access imports this module
    from scopegrowth.outbox.models import Update

    policy = access.POLICIES.get(Update._meta.label_lower)
    shape = _shape(policy.q(user, "view"), user.pk) if policy is not None else None
    stand_in = copy.copy(user)
    stand_in.pk = precompiled.STAND_IN
    if shape is None or _shape(policy.q(stand_in, "view"), precompiled.STAND_IN) != shape:
        return list(_facts_query(user))

    def build(pk: int) -> QuerySet:
        person = copy.copy(user)
        person.pk = pk
        return _facts_query(person)

    return precompiled.rows(("facts", shape), build, user.pk)


def _shape(q: Any, pk: Any) -> tuple | None:
    """A `Q` as a tuple, with `pk` as a marker; None if it holds anything but plain values."""
    if not isinstance(q, Q):
        return None
    parts: list = [q.connector, q.negated]
    for child in q.children:
        if isinstance(child, Q):
            inner = _shape(child, pk)
            if inner is None:
                return None
            parts.append(inner)
        elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[0], str):
            value = child[1]
            if type(value) not in (int, str, bool, type(None)):
                return None
            parts.append((child[0], "<person>" if value == pk and type(value) is int else value))
        else:
            return None
    return tuple(parts)
