"""Faults for reminder tests: an email backend after whose every send the database connection
drops (pg_terminate_backend on PostgreSQL; closed under Django's feet on SQLite), so marking the
reminder sent meets a dead connection."""

from __future__ import annotations

from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, connections


def drop_database_connection() -> None:
    if connection.vendor != "postgresql":
        connection.connection.close()
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


class DropAfterSendBackend(EmailBackend):
    def send_messages(self, messages):
        sent = super().send_messages(messages)
        drop_database_connection()
        return sent
