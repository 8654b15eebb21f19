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
from django.db import connections, router

from scopegrowth import dbfaults


class SessionStore(DatabaseSessionStore):
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
