"""Faults for reminder tests: an email backend after whose every send the database connection
drops (pg_terminate_backend on PostgreSQL; closed under Django's feet on SQLite), so marking the
reminder sent meets a dead connection."""

from __future__ import annotations

from django.core.mail.backends.locmem import EmailBackend

from tests.services import drop_database_connection


class DropAfterSendBackend(EmailBackend):
    def send_messages(self, messages):
        sent = super().send_messages(messages)
        drop_database_connection()
        return sent
