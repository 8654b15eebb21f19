"""Queries whose SQL is built once per process (issue 20). Django builds a queryset's `Q` tree
into lookups and compiles it to SQL on every call; for the small reads every page makes that
costs several times more than running them. Here a query is built and compiled once, for
stand-in values, and each call runs that SQL with its own values where the stand-ins stood.

    rows = precompiled.fetch(("current_plan",), build, q)

`build(*args)` returns the queryset; each argument is a value (an id, a date, a datetime, a
string, a model instance, a list of those) or a `Q` of such values (an `access` scope's, say).
What decides the SQL's shape is the key: the `key` given, the shape of each `Q` (its lookups and
connectors), booleans and `None`s, and the length of each list. A subquery can be held when
it was made by `subquery(key, build, *args)` (its key and its arguments' shapes join the
shape; its stand-ins are built by its own `build`). A `Q` holding anything else (another
subquery, an expression) cannot be precompiled: `fetch` then builds the query as usual.

`build` must depend on its arguments alone: no clock, no settings, no other state (what it read
of anything else would be frozen at the first call). The first call checks this: it builds the
query twice, for two sets of stand-ins, and refuses (raises) when the SQL differs or a value other
than an argument's moves, or when a date or time appears that is not an argument's.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from enum import Enum
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, Q, QuerySet

from scopegrowth import prepared

#: An id no row has: the older one-id queries are compiled for it.
STAND_IN = -918_273_645
_INT_BASES = (-918_273_645, -827_364_554)
_DAY_BASES = (dt.date(1901, 2, 3), dt.date(1902, 4, 5))
_MOMENT_BASES = (
    dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
    dt.datetime(1902, 4, 5, 6, 7, 8, tzinfo=dt.UTC),
)
_TEXT_BASES = ("\x1fsg-a-", "\x1fsg-b-")

#: How many shapes are kept per process (one entry per key and shape; least recently used out).
LIMIT = 512

_compiled: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()
_EMPTY = object()  # a build that Django found can match nothing
_NOT_PLAIN = object()  # a subquery, or stand-ins that match nothing: built as usual


class _Plain:
    """A walked argument: its shape (part of the key) and its values, in order."""

    __slots__ = ("shape", "values")

    def __init__(self) -> None:
        self.shape: list = []
        self.values: list = []


def _walk(value: Any, out: _Plain) -> bool:
    """Add `value`'s shape and plain values to `out`; False if it is not plain."""
    if isinstance(value, Enum):  # a model's choice (TextChoices, IntegerChoices): its value
        value = value.value
    kind = type(value)
    if value is None or kind is bool:
        out.shape.append(value)
    elif kind is int or kind is str or kind is dt.date or kind is dt.datetime:
        out.shape.append(kind.__name__)
        out.values.append(value)
    elif isinstance(value, Model):
        if value.pk is None:
            return False
        out.shape.append(("model", value._meta.label_lower))
        out.values.append(value.pk)
    elif kind in (list, tuple, set, frozenset):
        items = sorted(value) if kind in (set, frozenset) else value
        out.shape.append(("list", len(items)))
        if all(type(item) is int for item in items):  # ids, most lists: as one by one
            out.shape.extend(["int"] * len(items))
            out.values.extend(items)
            return True
        return all(_walk(item, out) for item in items)
    elif isinstance(value, Q):
        out.shape.append(("Q", value.connector, value.negated, len(value.children)))
        for child in value.children:
            if isinstance(child, Q) or hasattr(child, "_precompiled"):
                if not _walk(child, out):
                    return False
            elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[0], str):
                out.shape.append(child[0])
                if not _walk(child[1], out):
                    return False
            else:
                return False
    elif hasattr(value, "_precompiled"):  # made by `subquery`
        key, _, args = value._precompiled
        out.shape.append(("subquery", key, len(args)))
        return all(_walk(arg, out) for arg in args)
    else:
        return False
    return True


def subquery(key: tuple, build: Callable[..., Any], *args: Any) -> Any:
    """`build(*args)`, an expression such as `Exists(...)` over a queryset of the arguments,
    marked so that a precompiled query holding it (in a `Q`) keeps its SQL: `build` is called
    again for the stand-ins, and, as for `fetch`, must depend on its arguments alone (`key`
    names it; the first compile checks that both builds give the same SQL)."""
    found = build(*args)
    found._precompiled = (key, build, args)
    return found


def _stand_ins(shape: list, which: int) -> list:
    """The stand-in for each plain value of `shape`, in order (distinct within a query)."""
    found = []
    for part in shape:
        n = len(found)
        if part == "int" or (isinstance(part, tuple) and part[0] == "model"):
            found.append(_INT_BASES[which] - n)
        elif part == "str":
            found.append(f"{_TEXT_BASES[which]}{n}")
        elif part == "date":
            found.append(_DAY_BASES[which] + dt.timedelta(days=n))
        elif part == "datetime":
            found.append(_MOMENT_BASES[which] + dt.timedelta(seconds=n))
    return found


def _rebuild(value: Any, supply: list) -> Any:
    """`value` with its plain values replaced, in order, from `supply` (consumed)."""
    if isinstance(value, Enum):
        value = value.value
    kind = type(value)
    if value is None or kind is bool:
        return value
    if kind in (int, str, dt.date, dt.datetime):
        return supply.pop(0)
    if isinstance(value, Model):
        stand_in = value.__class__.__new__(value.__class__)
        stand_in.__dict__.update({"_state": copy.copy(value._state)})
        stand_in.pk = supply.pop(0)
        return stand_in
    if kind in (list, tuple, set, frozenset):
        items = sorted(value) if kind in (set, frozenset) else value
        return [_rebuild(item, supply) for item in items]
    if hasattr(value, "_precompiled"):  # made by `subquery`: built again for the stand-ins
        key, build, args = value._precompiled
        return subquery(key, build, *[_rebuild(arg, supply) for arg in args])
    rebuilt = copy.copy(value)  # a Q
    rebuilt.children = [
        (c[0], _rebuild(c[1], supply)) if isinstance(c, tuple) else _rebuild(c, supply)
        for c in value.children
    ]
    return rebuilt


def _forms(connection, value: Any) -> list[Callable[[Any], Any]]:
    """The ways a value of this kind can reach the SQL's parameters."""
    ops = connection.ops
    forms: list[Callable[[Any], Any]] = [lambda v: v]
    if type(value) is dt.datetime:
        forms += [ops.adapt_datetimefield_value, str]
    elif type(value) is dt.date:
        forms += [ops.adapt_datefield_value, str]
    return forms


def _compile_one(build: Callable, args: list) -> tuple[QuerySet, Any, str, list] | object:
    queryset = build(*args)
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _EMPTY
    except FullResultSet:  # pragma: no cover - a query always selects something
        raise
    return queryset, compiler, sql, list(params)


def _prepare(key: tuple, build: Callable, plain: _Plain, args: tuple) -> Any:
    connection = connections[DEFAULT_DB_ALIAS]
    stand_ins = [_stand_ins(plain.shape, 0), _stand_ins(plain.shape, 1)]
    built = []
    for which in (0, 1):
        supply = list(stand_ins[which])
        built.append(_compile_one(build, [_rebuild(a, supply) for a in args]))
    if built[0] is _EMPTY or built[1] is _EMPTY:
        # Django found the stand-ins match nothing (an empty list, or a value out of a small
        # integer field's range): what the real values match cannot be known from them.
        return _NOT_PLAIN
    (queryset, compiler, sql, params), (_, _, sql_b, params_b) = built
    if sql != sql_b or len(params) != len(params_b):
        raise ImproperlyConfigured(f"precompiled {key}: the SQL depends on more than its shape")
    places = []
    for at, (a, b) in enumerate(zip(params, params_b, strict=True)):
        mapped = None
        for i, (sa, sb) in enumerate(zip(stand_ins[0], stand_ins[1], strict=True)):
            for form in _forms(connection, sa):
                try:
                    if form(sa) == a and form(sb) == b:
                        mapped = (at, i, form)
                        break
                except (TypeError, ValueError, AttributeError):
                    continue
            if mapped:
                break
        if mapped:
            places.append(mapped)
        elif a != b:
            raise ImproperlyConfigured(f"precompiled {key}: parameter {at} is not an argument")
        elif isinstance(a, dt.date) or (isinstance(a, str) and _looks_like_a_date(a)):
            raise ImproperlyConfigured(
                f"precompiled {key}: a date that is not an argument (the clock read in build?)"
            )
    places = tuple(places)
    # On PostgreSQL, a plain read is prepared (`scopegrowth.prepared`: planned once per connection).
    return (
        queryset,
        compiler,
        sql,
        params,
        places,
        prepared.statement(connection, sql, params, places),
    )


def _looks_like_a_date(text: str) -> bool:
    return len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()


def _entry(key: tuple, build: Callable, args: tuple) -> tuple[Any, _Plain]:
    plain = _Plain()
    if not all(_walk(a, plain) for a in args):
        return _NOT_PLAIN, plain
    found = (connections[DEFAULT_DB_ALIAS].vendor, *key, repr(plain.shape))
    with _lock:
        entry = _compiled.get(found)
        if entry is not None:
            _compiled.move_to_end(found)
            return entry, plain
    entry = _prepare(key, build, plain, args)
    with _lock:
        _compiled[found] = entry
        while len(_compiled) > LIMIT:
            _compiled.popitem(last=False)
    return entry, plain


def fetch(key: tuple, build: Callable[..., QuerySet], *args: Any) -> list:
    """What iterating `build(*args)` gives (models, dicts or tuples as the queryset makes them,
    `select_related` and annotations included; `prefetch_related` runs its own queries)."""
    entry, plain = _entry(key, build, args)
    if entry is _NOT_PLAIN:
        return list(build(*args))
    queryset, compiler, sql, values = _with_values(entry, plain)
    run = copy.copy(compiler)
    run.connection = connection = connections[queryset.db]
    run.as_sql = lambda *a, **k: (sql, values)
    run.get_converters = _converters(compiler, connection)
    fresh = queryset.all()
    fresh.query.get_compiler = lambda *a, **k: run
    return list(fresh)


def _converters(compiler: Any, connection: Any) -> Callable[[list], dict]:
    """`get_converters` for a copy of `compiler` running on `connection`: Django looks up each
    column's converters (the backend's and the field's) on every execution, 2 to 7 % of a page
    (issue 20). They depend on the compiled query and the connection alone (a converter may be
    a method of the connection's operations), so they are looked up once and kept with the
    compiler for the last connection that ran it (a worker's one connection; a threaded server
    looks them up again when another thread's connection runs it)."""
    kept = compiler.__dict__.get("_sg_converters")
    if kept is not None and kept[0] is connection:
        converters = kept[1]
        return lambda _expressions: converters

    def lookup(expressions: list) -> dict:
        run = copy.copy(compiler)
        run.connection = connection
        found = type(compiler).get_converters(run, expressions)
        compiler._sg_converters = (connection, found)
        return found

    return lookup


def _with_values(entry: Any, plain: _Plain) -> tuple[QuerySet, Any, str, tuple]:
    """The entry's queryset and compiler, and its SQL and parameters for these values: the
    prepared statement's EXECUTE and the arguments when it can run on this connection."""
    queryset, compiler, sql, params, places, name = entry
    values = list(params)
    for at, i, form in places:
        values[at] = form(plain.values[i])
    if name is not None and prepared.usable(connections[queryset.db], name):
        return (
            queryset,
            compiler,
            prepared.execute_sql(name, len(places)),
            tuple(values[at] for at, _, _ in places),
        )
    return queryset, compiler, sql, tuple(values)


def first(key: tuple, build: Callable[..., QuerySet], *args: Any) -> Any:
    """The first of `fetch` (build should slice `[:1]`), or None."""
    found = fetch(key, build, *args)
    return found[0] if found else None


# The one-id forms the first precompiled queries use (the person's id is the argument).


def rows(key: tuple, build: Callable[[int], QuerySet], pk: int) -> list[tuple]:
    """The rows (plain tuples, no conversion) of `build(pk)`."""
    entry, plain = _entry(key, build, (pk,))
    if entry is _NOT_PLAIN:
        return [tuple(row) for row in build(pk)]
    queryset, _, sql, values = _with_values(entry, plain)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


def raw_rows(key: tuple, build: Callable[..., QuerySet], *args: Any) -> list[tuple]:
    """The rows of `build(*args)` as the database driver gives them (plain tuples in the
    queryset's column order, no Django conversion: a date may come as text on SQLite, JSON as
    text), for a caller that converts the few columns it reads itself (issue 20: the
    dashboard's people)."""
    entry, plain = _entry(key, build, args)
    if entry is _NOT_PLAIN:
        queryset = build(*args)
        try:
            sql, values = queryset.query.get_compiler(using=queryset.db).as_sql()
        except EmptyResultSet:
            return []
    else:  # prepared on PostgreSQL, as `fetch` and `rows` are
        queryset, _, sql, values = _with_values(entry, plain)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, tuple(values))
        return cursor.fetchall()


def objects(key: tuple, build: Callable[[int], QuerySet], pk: int) -> list[Model]:
    """The model instances of `build(pk)`."""
    return fetch(key, build, pk)
