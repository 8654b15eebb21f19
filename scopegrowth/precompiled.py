"""Queries whose SQL is built once per process (issue 20): a read that almost every page makes,
whose shape never changes and whose only variable is a person's id (their roles and links, who
supports them). Django builds and compiles a query's SQL on every call; for these few queries
that cost more than running them.

`build(pk)` must return the queryset for the person `pk`, depending on nothing else: no clock,
no settings, no other argument (what it reads of anything else is frozen at the first call). It
is built once for a stand-in id no row has, and each call runs that SQL with the person's id
where the stand-in stood. Models come back as the ORM makes them (`select_related`,
annotations).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

#: An id no row has: the queries are compiled for it, then it is replaced by the person's.
STAND_IN = -918_273_645

#: (database vendor, key) -> (queryset, compiler, SQL, parameters, the stand-in's places)
_compiled: dict[tuple, tuple[QuerySet, Any, str, tuple, tuple[int, ...]]] = {}


def _compile(key: tuple, build: Callable[[int], QuerySet]) -> tuple:
    found = (connections[DEFAULT_DB_ALIAS].vendor, *key)
    if found not in _compiled:
        queryset = build(STAND_IN)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        at = tuple(i for i, p in enumerate(params) if p == STAND_IN)
        _compiled[found] = (queryset, compiler, sql, tuple(params), at)
    return _compiled[found]


def _params(params: tuple, at: tuple[int, ...], pk: int) -> tuple:
    values = list(params)
    for i in at:
        values[i] = pk
    return tuple(values)


def rows(key: tuple, build: Callable[[int], QuerySet], pk: int) -> list[tuple]:
    """The rows (plain tuples, no conversion) of `build(pk)`."""
    queryset, _, sql, params, at = _compile(key, build)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, _params(params, at, pk))
        return cursor.fetchall()


def objects(key: tuple, build: Callable[[int], QuerySet], pk: int) -> list[Model]:
    """The model instances of `build(pk)`."""
    queryset, compiler, sql, params, at = _compile(key, build)
    run = copy.copy(compiler)  # the compiled select, with the person's parameters
    run.connection = connections[queryset.db]
    values = _params(params, at, pk)
    run.as_sql = lambda *args, **kwargs: (sql, values)
    fresh = queryset.all()
    fresh.query.get_compiler = lambda *args, **kwargs: run
    return list(fresh)
