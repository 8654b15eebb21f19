"""Project-wide tasks."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "scopegrowth:worker-heartbeat"


@shared_task(name="scopegrowth.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Records that a worker is consuming tasks (beat sends it; tests and operators read it)."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=24 * 60 * 60)
