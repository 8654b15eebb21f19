"""Project-wide tasks."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "scopegrowth:worker-heartbeat"


@shared_task(name="scopegrowth.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Records that a worker is consuming tasks (beat sends it; tests and operators read it)."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=24 * 60 * 60)


@shared_task(
    name="scopegrowth.tasks.send_outbox",
    ignore_result=True,
    soft_time_limit=240,
    time_limit=300,
)
def send_outbox(ids: list[int] | None = None) -> int:
    """Send outbox emails: the rows a commit wrote (its on-commit nudge), or, from the beat
    sweep, every row whose time has come (written while the broker was down, or due a retry)."""
    from scopegrowth import outbox

    return outbox.send_ready(ids)


# Names of tasks retired by the outbox (issue 17): a message queued before the upgrade runs the
# sweep instead of being refused.
@shared_task(name="scopegrowth.tasks.send_notices", ignore_result=True)
def send_notices(*args, **kwargs) -> int:
    return send_outbox()


@shared_task(name="scopegrowth.tasks.send_grant_notice", ignore_result=True)
def send_grant_notice(*args, **kwargs) -> int:
    return send_outbox()


@shared_task(name="scopegrowth.tasks.apply_people_import", ignore_result=True)
def apply_people_import(import_id: int) -> None:
    """Apply a previewed people file (whole or not at all)."""
    from scopegrowth.people_import import apply

    apply.run(import_id)
