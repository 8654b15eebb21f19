"""/healthz/: 200 with both parts ok, or 503 naming what is down."""

from __future__ import annotations

import os

import pytest
from django.db.utils import OperationalError

from tests.services import broker_at

pytestmark = pytest.mark.django_db


def test_everything_up(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_a_broker_that_is_down_is_named(client, settings):
    with broker_at("redis://127.0.0.1:1/0"):  # nothing listens on port 1
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down"}


def test_a_database_that_is_down_is_named(client, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refuse(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_pages_that_need_only_the_database_work_while_the_broker_is_down(client_for):
    with broker_at("redis://127.0.0.1:1/0"):
        assert client_for("individual").get("/").status_code == 200


def test_ci_runs_against_real_services():
    """Under CI the suite must run on PostgreSQL and Redis, never quietly on the defaults."""
    if not os.environ.get("CI"):
        return
    from django.conf import settings
    from django.db import connection

    assert connection.vendor == "postgresql", "CI must set DATABASE_URL to PostgreSQL"
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "CI must set REDIS_URL"
    import redis

    assert redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).ping()
