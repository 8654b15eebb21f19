"""Redis (the cache and the broker) stopped: sign-in and every page still work, the rate limit
still counts (per process), the outage is logged once, and /healthz/ names the broker as down.

Against a real private redis-server that the test stops, not a mock."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import caches

from scopegrowth.celery import app
from tests.factories import PASSWORD
from tests.services import broker_at

pytestmark = [pytest.mark.django_db, pytest.mark.services]

PAGES = {
    "individual": [
        "/", "/journal/", "/journal/history/", "/conversations/", "/plans/", "/preferences/",
        "/my-data/", "/me/equality/", "/accounts/email/", "/accounts/sessions/",
    ],
    "manager": ["/", "/dashboard/", "/conversations/", "/plans/"],
    "hr": ["/", "/hr/plans/", "/hr/insight/", "/hr/retention/"],
}  # fmt: skip


@pytest.fixture
def redis_cache(private_redis, settings):
    """This process's cache and broker on the private Redis, as the production settings make
    them when REDIS_URL is set."""
    settings.CACHES = {
        "default": {
            "BACKEND": settings.REDIS_CACHE_BACKEND,
            "LOCATION": private_redis.url(1),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            "RETRY_SECONDS": 60,  # longer than the test: one attempt, then memory
        }
    }
    caches["default"].set("probe", 1)
    assert caches["default"].get("probe") == 1, "the private Redis cache is not in use"
    with broker_at(private_redis.url(0)):
        assert app.connection_for_write().as_uri().endswith(f":{private_redis.port}/0")
        yield private_redis


def sign_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_sign_in_and_pages_work_while_redis_is_down(client, people, redis_cache, caplog):
    redis_cache.stop()
    caplog.set_level(logging.WARNING, logger="scopegrowth.cache")

    response = sign_in(client, "individual@example.org")
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/"
    for persona, urls in PAGES.items():
        from django.test import Client

        c = Client()
        assert sign_in(c, people.get(persona).email).status_code == 302, persona
        for url in urls:
            status = c.get(url).status_code
            assert status in (200, 302), f"{persona} {url}: {status} while Redis is down"

    outage_logs = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(outage_logs) == 1, [r.getMessage() for r in caplog.records]


def test_the_failed_sign_in_limit_still_holds_while_redis_is_down(client, people, redis_cache):
    redis_cache.stop()
    for _ in range(5):
        assert sign_in(client, "individual@example.org", "wrong-one").status_code == 200
    blocked = sign_in(client, "individual@example.org")
    assert "_auth_user_id" not in client.session, "the sixth try signed in: no limit while down"
    assert blocked.status_code in (200, 302, 429)


def test_the_shared_cache_is_used_again_once_redis_is_back(people, redis_cache, settings):
    settings.CACHES = {"default": {**settings.CACHES["default"], "RETRY_SECONDS": 0}}
    redis_cache.stop()
    cache = caches["default"]
    cache.set("while-down", "memory")
    assert cache.get("while-down") == "memory"
    redis_cache.start()
    cache.set("after", "redis")
    assert cache.get("after") == "redis"
    assert cache.using_fallback is False
    assert cache.get("while-down") is None  # the process's memory is not the shared cache


def test_healthz_names_the_broker_down_while_pages_work(client_for, redis_cache):
    redis_cache.stop()
    response = client_for("individual").get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down"}
    assert client_for("individual").get("/").status_code == 200
