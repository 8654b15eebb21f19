"""Project-wide tasks."""

from smtplib import SMTPException

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "scopegrowth:worker-heartbeat"


@shared_task(name="scopegrowth.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Records that a worker is consuming tasks (beat sends it; tests and operators read it)."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=24 * 60 * 60)


@shared_task(
    name="scopegrowth.tasks.send_notices",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def send_notices() -> int:
    """Send relationship notices and invitations (one email per person); the beat sweep calls
    it too, for notices queued while the broker was down."""
    from scopegrowth import notices

    return notices.send_pending()


@shared_task(name="scopegrowth.tasks.apply_people_import", ignore_result=True)
def apply_people_import(import_id: int) -> None:
    """Apply a previewed people file (whole or not at all)."""
    from scopegrowth.people_import import apply

    apply.run(import_id)
