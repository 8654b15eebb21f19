"""A real Celery worker consumes tasks from the configured broker: the embedded one by default,
Redis when REDIS_URL is set (as under CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.cache import caches

from scopegrowth import settings as project_settings
from scopegrowth.celery import app
from scopegrowth.tasks import HEARTBEAT_KEY, heartbeat
from tests.services import set_transport_options
from tests.workers import celery_worker

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
        set_transport_options(
            {
                **old_options,
                "data_folder_in": str(broker / "out"),
                "data_folder_out": str(broker / "out"),
                "processed_folder": str(broker / "processed"),
                "control_folder": str(broker / "control"),
            }
        )
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    yield env
    set_transport_options(old_options)


def test_a_worker_runs_a_task_sent_through_the_broker(isolated_broker):
    cache = caches["default"]
    cache.delete(HEARTBEAT_KEY)
    with celery_worker(isolated_broker) as worker:
        with app.connection_for_write() as connection:  # a fresh connection: today's options
            heartbeat.apply_async(connection=connection)
        ran = worker.wait_for(lambda: cache.get(HEARTBEAT_KEY) is not None)
    assert ran, f"the worker did not run the task in 60 s:\n{worker.output()}"
