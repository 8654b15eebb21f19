"""Project-wide tasks."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "scopegrowth:worker-heartbeat"


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Records that a worker is consuming tasks (beat sends it; tests and operators read it)."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=24 * 60 * 60)


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300)
def send_due_reminders() -> int:
    """The periodic sweep (beat, every 5 minutes): scan the rules and send what is due."""
    from scopegrowth import reminders

    return len(reminders.send_due())
