"""The shared cache (Redis) with a fallback: when Redis is unreachable every cache call goes to
this process's memory instead, so sign-in and every page keep working.

What is kept in the cache is allauth's rate-limit history, the worker heartbeat and the journal
autosave's page keys (a random key and two version numbers per section), nothing a person typed.
While Redis is down the rate limits count per process (each gunicorn worker keeps its own
history, so a limit is at most the worker count times as generous); when Redis answers again
the shared counts take over. The switch is logged once each way per process, not per request,
and Redis is tried again at most every `retry_seconds` (so a page never waits on a dead server's
connect timeout more than once in that window).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# Per process and per Redis location: Django makes a cache object per thread, the outage is
# the same for all of them.
_state: dict[str, dict[str, Any]] = {}
_state_lock = threading.Lock()


class FallbackRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._retry_seconds = float(params.get("RETRY_SECONDS", 30))
        with _state_lock:
            self._shared = _state.setdefault(server, {"down_since": None, "retry_at": 0.0})
        local = {k: v for k, v in params.items() if k in ("TIMEOUT", "KEY_PREFIX", "VERSION")}
        if "KEY_FUNCTION" in params:
            local["KEY_FUNCTION"] = params["KEY_FUNCTION"]
        self._local = LocMemCache(f"scopegrowth-fallback:{server}", local)

    @property
    def using_fallback(self) -> bool:
        return self._shared["down_since"] is not None

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        shared = self._shared
        if shared["down_since"] is not None and time.monotonic() < shared["retry_at"]:
            return getattr(self._local, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as exc:
            self._went_down(exc)
            return getattr(self._local, name)(*args, **kwargs)
        if shared["down_since"] is not None:
            self._came_back()
        return result

    def _went_down(self, exc: BaseException) -> None:
        shared = self._shared
        with _state_lock:
            first = shared["down_since"] is None
            if first:
                shared["down_since"] = time.monotonic()
            shared["retry_at"] = time.monotonic() + self._retry_seconds
        if first:
            logger.error(
                "cache: Redis unreachable (%s); using this process's memory until it answers "
                "(rate limits now count per process)",
                type(exc).__name__,
            )

    def _came_back(self) -> None:
        shared = self._shared
        with _state_lock:
            since, shared["down_since"] = shared["down_since"], None
        if since is not None:
            logger.warning("cache: Redis answers again after %.0f s", time.monotonic() - since)

    # Every public operation of Django's RedisCache (the others are built on these).
    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")
