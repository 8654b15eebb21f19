"""Real services started by fault-injection tests: a private `redis-server` on a free port that a
test can stop and start again, and the rule for a service that is missing.

Under CI (`CI=true`) a missing service is a failure, never a skip; on a developer's machine the
test is skipped with the reason (tests marked `services`).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def require(available: bool, reason: str) -> None:
    """Fail under CI, skip elsewhere, when a service a test needs is not there."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """One `redis-server` process of our own: `stop()` is an outage (SIGKILL, no save), `start()`
    brings it back on the same port with an empty dataset, as a restarted cache node would."""

    def __init__(self, folder: Path) -> None:
        self.binary = shutil.which("redis-server") or ""
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder), "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.ping():
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def private_redis(tmp_path):
    """A running private redis-server; the test may stop and start it. Killed afterwards."""
    server = RedisServer(tmp_path / "redis")
    require(bool(server.binary), "redis-server is not installed (apt-get install redis-server)")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """This process's Celery app publishes to `url` (celery 5.6 reads the Django-namespaced key
    first, so both names are set)."""
    from scopegrowth.celery import app

    keys = ("broker_url", "CELERY_BROKER_URL")
    old = {key: app.conf.get(key) for key in keys}
    for key in keys:
        app.conf[key] = url
    try:
        yield
    finally:
        for key, value in old.items():
            app.conf[key] = value


def set_transport_options(options: dict) -> dict:
    """Give this process's Celery app these broker transport options; returns the old ones.
    Celery 5.6 reads the Django-namespaced key first, so both names are set."""
    from scopegrowth.celery import app

    old = dict(app.conf.get("CELERY_BROKER_TRANSPORT_OPTIONS") or app.conf.broker_transport_options)
    for key in ("broker_transport_options", "CELERY_BROKER_TRANSPORT_OPTIONS"):
        app.conf[key] = options
    return old


def drop_database_connection() -> None:
    """The fault: PostgreSQL terminates this process's connection (pg_terminate_backend from a
    second connection); on SQLite the connection is closed under Django's feet."""
    from django.db import connection, connections

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
