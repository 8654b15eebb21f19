"""Django's database sessions, except that a save which fails because the connection dropped is
tried once more on a new connection, and if the database is still unreachable the error says so
(a 500), instead of Django's 400 "the session was deleted before the request completed" (which
Django raises for any database error during the save, and which would send a person looking
for a concurrent sign-out that never happened).

A session is saved only when it changed (not on every request): its row's expiry is kept one
activity interval beyond the idle timeout, which `middleware.SessionActivityMiddleware`
enforces exactly from the activity it records at most once a minute."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from scopegrowth import dbfaults, precompiled


def _live_session(session_key: str, now: dt.datetime):
    return Session.objects.filter(session_key=session_key, expire_date__gt=now)[:1]


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        """Django's read of the live session row, with its SQL built once per process
        (`precompiled`; it runs on every request)."""
        if self.model is not Session or not isinstance(self.session_key, str):
            return super()._get_session_from_db()
        found = precompiled.first(
            ("live_session",), _live_session, self.session_key, timezone.now()
        )
        if found is None:
            self._session_key = None
        return found

    def create_model_instance(self, data):
        from scopegrowth.middleware import activity_interval

        instance = super().create_model_instance(data)
        if self.get("_session_expiry") is None:  # the idle timeout, not a chosen expiry
            instance.expire_date += dt.timedelta(seconds=activity_interval())
        return instance

    def save(self, must_create=False):
        try:
            return super().save(must_create=must_create)
        except UpdateError as exc:
            cause = exc.__context__
            connection = connections[router.db_for_write(self.model)]
            if (
                cause is None
                or connection.in_atomic_block
                or not dbfaults.connection_dropped(connection, cause)
            ):
                raise  # the row really is gone (signed out elsewhere)
        dbfaults.reconnect(connection)
        try:
            return super().save(must_create=must_create)
        except UpdateError as exc:
            if exc.__context__ is not None and dbfaults.connection_dropped(
                connection, exc.__context__
            ):
                raise exc.__context__ from None
            raise
