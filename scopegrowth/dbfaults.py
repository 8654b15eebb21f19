"""A database connection that drops (a failover, a restarted pooler, `pg_terminate_backend`) costs
no one a page: a read that fails because its connection died is run once more on a new
connection, and a session save that fails the same way is retried, so nobody is told their
session "was deleted" because the database was briefly unreachable.

Only what is safe to repeat is repeated: a single SELECT (not FOR UPDATE) outside a transaction
(at the cursor), a whole GET or HEAD request (the middleware below: a drop inside a transaction
or a middleware), and the session row's UPDATE (it writes the same data again). A POST is never
repeated. Connections killed between requests are caught before use by `CONN_HEALTH_CHECKS`.
"""

from __future__ import annotations

import logging
import re
import sys

from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

# A prepared precompiled read (`scopegrowth.prepared`) is a plain SELECT too.
_READ = re.compile(r"^\s*\(?\s*(SELECT|WITH)\b|^EXECUTE sgp_", re.IGNORECASE)
_LOCKING = re.compile(r"\bFOR\s+(UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b", re.IGNORECASE)


def is_read(sql: str) -> bool:
    return bool(_READ.match(sql)) and not _LOCKING.search(sql)


def connection_dropped(connection, exc: BaseException) -> bool:
    """The error came from a connection that died, not from the statement: the driver's own
    connection errors (no SQLSTATE), the server's "terminating connection" and connection
    exceptions (SQLSTATE 57P0x, 08xxx), or a connection that no longer answers. Django may already
    have replaced a connection that died inside `atomic()`, so the error itself is read first."""
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    if isinstance(exc, InterfaceError):
        return True
    code = getattr(exc.__cause__, "pgcode", None)
    if code is None or code.startswith(("57P0", "08")):
        return connection.vendor != "sqlite"
    return connection.connection is None or not connection.is_usable()


def reconnect(connection) -> None:
    try:
        connection.close()
    except DatabaseError:
        connection.connection = None
    connection.ensure_connection()


def write_after_fault(write, *, using: str = "default"):
    """Run `write` (an idempotent UPDATE: recording a failure, marking a send) in background work
    after a fault: a connection that died is replaced first (`close_old_connections`' check),
    and once more if the write still meets a dead connection. Inside a transaction nothing can
    be replaced, so there the error is raised. Returns what `write` returns."""
    connection = connections[using]
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()
    try:
        return write()
    except (DatabaseError, InterfaceError):
        if connection.in_atomic_block:
            raise
        logger.warning("database: a write after a fault met a dead connection; reconnecting")
        reconnect(connection)
        return write()


def retry_dropped_read(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except (OperationalError, InterfaceError) as exc:
        connection, cursor = context["connection"], context["cursor"]
        if (
            many
            or connection.in_atomic_block
            or not is_read(sql)
            or not connection_dropped(connection, exc)
        ):
            raise
        logger.warning("database: connection dropped during a read; reading again once")
        reconnect(connection)
        cursor.cursor = connection.create_cursor()  # the old one belonged to the dead connection
        return execute(sql, params, many, context)


def _install(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        return  # a file, not a connection that can drop
    if retry_dropped_read not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, retry_dropped_read)  # outermost


def install() -> None:
    connection_created.connect(_install, dispatch_uid="scopegrowth.dbfaults")
    got_request_exception.connect(_note_dropped_connection, dispatch_uid="scopegrowth.dbfaults")


def _note_dropped_connection(sender, request=None, **kwargs) -> None:
    """`got_request_exception`: remember that this request failed on a dropped connection."""
    exc = sys.exception()
    if request is None or not isinstance(exc, (OperationalError, InterfaceError)):
        return
    if any(connection_dropped(c, exc) for c in connections.all(initialized_only=True)):
        request._sg_connection_dropped = True


class RetryOnDroppedConnectionMiddleware:
    """A GET or HEAD that failed because a database connection dropped (anywhere: a middleware, a
    transaction, the session save) is handled once more on new connections. Nothing else is
    repeated: a POST may have written before the drop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and getattr(request, "_sg_connection_dropped", False):
            request._sg_connection_dropped = False
            for connection in connections.all(initialized_only=True):
                if connection.connection is not None and not connection.is_usable():
                    reconnect(connection)
            logger.warning("database: connection dropped during %s; answering it again once",
                           request.path)  # fmt: skip
            response = self.get_response(request)
        return response
