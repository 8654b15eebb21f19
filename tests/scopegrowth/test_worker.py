"""A real Celery worker consumes tasks from the configured broker: the embedded one by default,
Redis when REDIS_URL is set (as under CI)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches

from scopegrowth import settings as project_settings
from scopegrowth.celery import app
from scopegrowth.tasks import HEARTBEAT_KEY, heartbeat

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def isolated_broker(tmp_path, settings):
    """Point this process and the worker at the same private broker folder and cache."""
    settings.CACHES = project_settings.CACHES
    env = {**os.environ, "SCOPEGROWTH_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    old_options = dict(app.conf.broker_transport_options or {})
    if not project_settings.REDIS_URL:
        broker = tmp_path / "celery" / "broker"
        for sub in ("out", "processed", "control"):
            (broker / sub).mkdir(parents=True, exist_ok=True)
        app.conf.broker_transport_options = {
            **old_options,
            "data_folder_in": str(broker / "out"),
            "data_folder_out": str(broker / "out"),
            "processed_folder": str(broker / "processed"),
            "control_folder": str(broker / "control"),
        }
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    yield env
    app.conf.broker_transport_options = old_options


def test_a_worker_runs_a_task_sent_through_the_broker(isolated_broker):
    cache = caches["default"]
    cache.delete(HEARTBEAT_KEY)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "scopegrowth",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=isolated_broker,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        with app.connection_for_write() as connection:  # a fresh connection: today's options
            heartbeat.apply_async(connection=connection)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and cache.get(HEARTBEAT_KEY) is None:
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.3)
        assert cache.get(HEARTBEAT_KEY) is not None, "the worker did not run the task in 60 s"
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
