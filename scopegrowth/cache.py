"""A Redis cache that degrades instead of failing when Redis does not answer.

The cache holds only what can be lost: rate-limit counters (allauth's and
`scopegrowth.signin_limits`), the worker heartbeat. If Redis is down, a read misses and a write
is dropped, so every limit is skipped for the outage instead of every sign-in becoming an
error page (security A3: "never a 500"). Each outage is logged, at most once a minute per process.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("scopegrowth.cache")
_last_logged = 0.0


def _unavailable(operation: str) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged > 60:
        _last_logged = now
        log.warning("cache unavailable", extra={"event": "cache_down", "operation": operation})


class ForgivingRedisCache(RedisCache):
    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except (RedisError, OSError):
            _unavailable("add")
            return True  # as if stored: a lock is "taken", a limit is not enforced

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except (RedisError, OSError):
            _unavailable("get")
            return default

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except (RedisError, OSError):
            _unavailable("set")

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except (RedisError, OSError):
            _unavailable("touch")
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except (RedisError, OSError):
            _unavailable("delete")
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except (RedisError, OSError):
            _unavailable("get_many")
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except (RedisError, OSError):
            _unavailable("has_key")
            return False

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except (RedisError, OSError):
            _unavailable("set_many")
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except (RedisError, OSError):
            _unavailable("delete_many")

    def clear(self):
        try:
            return super().clear()
        except (RedisError, OSError):
            _unavailable("clear")
            return False
