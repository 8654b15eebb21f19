"""Server-side prepared statements for `precompiled` reads on PostgreSQL (issue 20).

A precompiled query's SQL is the same on every call, but PostgreSQL plans it again each time:
for a page's reads that planning cost more than running them (the plan page's header read,
eleven joined tables, planned in 6 ms and run in 0.5 ms). Here such a read is prepared once per
database connection (`PREPARE sgp_N AS ...`, its arguments as `$1, $2, ...`) and run as
`EXECUTE sgp_N(...)`; after a few runs PostgreSQL keeps a generic plan and stops planning it.

- Only plain reads are prepared (a SELECT, not FOR UPDATE or SHARE): `EXECUTE sgp_` is always a
  read (`access_memo` keeps its facts over it, `dbfaults` runs it again on a dropped connection).
- A statement PostgreSQL cannot prepare (an argument whose type it cannot tell) is tried once
  per process, in a savepoint inside a transaction, and then run as plain SQL.
- Each connection prepares what it runs, in `_prepare_on_execute` (an execute wrapper next to
  `dbfaults`' retry, so a read run again on a new connection is prepared there first), at most
  `PER_CONNECTION` statements; beyond them queries run as plain SQL.
- `DB_PREPARED_STATEMENTS=false` turns it off (behind PgBouncer's transaction mode, say).
- The PREPARE itself goes through the driver's cursor: it is not counted as one of a page's
  queries (the EXECUTE is, as the query was).
"""

from __future__ import annotations

import itertools
import threading
import weakref
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.backends.signals import connection_created

#: Statements prepared per database connection, at most (each holds its plan in the server).
PER_CONNECTION = 256
PREFIX = "EXECUTE sgp_"

_texts: dict[str, str] = {}  # name -> the PREPARE statement
_names: dict[str, str | None] = {}  # the statement's SQL -> its name (None: it cannot be prepared)
_numbers = itertools.count(1)
_lock = threading.Lock()
# What each driver connection has prepared (it goes when the connection goes).
_done: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def statement(connection: Any, sql: str, params: list, places: tuple) -> str | None:
    """The name of a statement prepared from precompiled `sql` (its `params`, of which those at
    `places` are the arguments: `$1, $2, ...` in order; the others are written in), or None
    when it is not a plain read or PostgreSQL could not prepare it."""
    from scopegrowth.dbfaults import is_read

    if connection.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS or not is_read(sql):
        return None
    arguments = {at: n for n, (at, _, _) in enumerate(places, start=1)}
    pieces, constants, at, i = [], [], 0, 0
    while (found := sql.find("%", i)) >= 0:
        pieces.append(sql[i:found])
        if sql[found + 1 : found + 2] == "s":
            if at in arguments:
                pieces.append(f"${arguments[at]}")
            else:
                pieces.append("%s")
                constants.append(params[at])
            at += 1
        elif sql[found + 1 : found + 2] == "%":
            pieces.append("%%")
        else:  # pragma: no cover - Django writes a percent sign as %%
            return None
        i = found + 2
    pieces.append(sql[i:])
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        body = cursor.mogrify("".join(pieces), tuple(constants)).decode()
        if body in _names:  # compiled again (a shape forgotten, then asked for): the same name
            return _names[body]
        with _lock:
            name = f"sgp_{next(_numbers)}"
        text = f"PREPARE {name} AS {body}"
        prepared = _try(connection, cursor, text)
    _names[body] = name if prepared else None
    if not prepared:
        return None
    _texts[name] = text
    _done.setdefault(raw, set()).add(name)
    return name


def _try(connection: Any, cursor: Any, text: str) -> bool:
    """Prepare `text` (in a savepoint inside a transaction, which a refusal would abort); False
    when PostgreSQL refuses it. A dropped connection is raised, as for any read."""
    from scopegrowth.dbfaults import connection_dropped

    inside, errors = connection.in_atomic_block, connection.wrap_database_errors
    try:
        with errors:
            if inside:
                cursor.execute("SAVEPOINT sgp_try")
            cursor.execute(text)
    except DatabaseError as exc:
        if connection_dropped(connection, exc):
            raise
        if inside:
            with errors:
                cursor.execute("ROLLBACK TO SAVEPOINT sgp_try")
        return False
    if inside:
        with errors:
            cursor.execute("RELEASE SAVEPOINT sgp_try")
    return True


def usable(connection: Any, name: str) -> bool:
    """Whether `name` can run on this connection (prepared there, or room to prepare it)."""
    done = _done.get(connection.connection) if connection.connection is not None else None
    return done is None or name in done or len(done) < PER_CONNECTION


def execute_sql(name: str, count: int) -> str:
    """The EXECUTE of statement `name` for `count` arguments (`%s` each)."""
    return f"{PREFIX}{name[4:]}({', '.join(['%s'] * count)})" if count else f"{PREFIX}{name[4:]}"


def _prepare_on_execute(execute, sql, params, many, context):
    if sql.startswith(PREFIX):
        name = "sgp_" + sql[len(PREFIX) :].split("(", 1)[0]
        raw = context["connection"].connection
        done = _done.setdefault(raw, set())
        if name not in done:
            with context["connection"].wrap_database_errors, raw.cursor() as cursor:
                cursor.execute(_texts[name])
            done.add(name)
    return execute(sql, params, many, context)


def _install(sender, connection, **kwargs) -> None:
    if connection.vendor != "postgresql" or _prepare_on_execute in connection.execute_wrappers:
        return
    from scopegrowth.dbfaults import retry_dropped_read

    wrappers = connection.execute_wrappers
    # Inside the retry of a dropped read (it prepares again on the new connection), and never
    # last: a request's own wrappers (`access_memo`) are pushed and popped at the end.
    wrappers.insert(
        wrappers.index(retry_dropped_read) + 1 if retry_dropped_read in wrappers else 0,
        _prepare_on_execute,
    )


def install() -> None:
    connection_created.connect(_install, dispatch_uid="scopegrowth.prepared")
