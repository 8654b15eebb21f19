"""Background work for plans: thin tasks that take ids and call a service."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

# A bulk export renders up to 1,000 PDFs: give it room, but never forever.
EXPORT_SOFT_LIMIT = 30 * 60
EXPORT_HARD_LIMIT = EXPORT_SOFT_LIMIT + 120


@shared_task(
    name="devplans.tasks.build_plan_export",
    ignore_result=True,
    soft_time_limit=EXPORT_SOFT_LIMIT,
    time_limit=EXPORT_HARD_LIMIT,
)
def build_plan_export(job_id: int) -> bool:
    """Build one bulk export's ZIP, or split it into parts (claims the job; a second delivery
    does nothing)."""
    from devplans import services

    return services.plan_export_build(job_id=job_id)


# One part is `PLAN_EXPORT_PART_SIZE` plans (50 by default: about ten seconds of rendering).
PART_SOFT_LIMIT = 10 * 60
PART_HARD_LIMIT = PART_SOFT_LIMIT + 60


@shared_task(
    name="devplans.tasks.build_plan_export_part",
    ignore_result=True,
    soft_time_limit=PART_SOFT_LIMIT,
    time_limit=PART_HARD_LIMIT,
)
def build_plan_export_part(job_id: int, part: int) -> bool:
    """Render one part of a large export; the task that finishes the last part joins them."""
    from devplans import services

    return services.plan_export_build_part(job_id=job_id, part=part)


@shared_task(name="devplans.tasks.purge_plan_exports", ignore_result=True)
def purge_plan_exports() -> int:
    """Delete exports older than a day and files left by dead writers (run hourly)."""
    from devplans import services

    return services.plan_exports_purge()


@shared_task(
    name="devplans.tasks.sweep_plan_exports", ignore_result=True, soft_time_limit=50, time_limit=60
)
def sweep_plan_exports() -> dict[str, int]:
    """Send again, or fail, exports with no progress for a few minutes (run every minute)."""
    from devplans import services

    return services.plan_exports_sweep()


@shared_task(
    name="devplans.tasks.send_plan_email",
    ignore_result=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_plan_email(plan_id: int, kind: str, actor_id: int | None = None) -> int:
    """Tell the other person a plan needs their signature, or both that it is agreed."""
    from devplans import notifications

    return notifications.plan_email_send(plan_id=plan_id, kind=kind, actor_id=actor_id)
