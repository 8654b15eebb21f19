"""Building a bulk export (the Celery tasks' bodies) and the sweep that keeps it from hanging.

`plan_export_build` claims the job and checks access again. Up to `PLAN_EXPORT_PART_SIZE` plans
it renders the ZIP itself. A larger job is split into parts: one task per part renders its PDFs
into a part file, so every free worker process renders at once, and the task that writes the
last part file joins the parts into the ZIP. Every step is safe to run twice: a part whose file
exists is not rendered again, and joining is claimed with a conditional UPDATE, so only one task
does it.

The database row is the truth (issue 17): every written PDF refreshes `progressed_at`, and the
beat sweep (`plan_exports_sweep`, every minute) sends again the unfinished work of a job with no
progress for `PLAN_EXPORT_STALL_SECONDS` (a killed worker, a part message lost with Redis's data,
a publish lost in an outage), counting `retries`; after `PLAN_EXPORT_MAX_RETRIES` it fails the
job with "try again". With the defaults (2 minutes, 2 retries, a sweep a minute) HR sees
"retrying" within 3 minutes and the ZIP or a failure within 9, never an hour. `retries` is also
the attempt number: a writer that was given up on (and sent again) cannot fail or finish the
newer attempt. A dropped database connection is reconnected before anything is recorded
(`dbfaults.write_after_fault`).
"""

from __future__ import annotations

import logging
import secrets
import zipfile
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from devplans import selectors
from devplans.export_services import (
    ACTIVE,
    EXPORT_LIFETIME,
    _enqueue,
    _remove_files,
    export_name,
    remove_stale_partials,
)
from devplans.export_storage import export_storage, opened, write_to_storage
from devplans.exports import join_zips, plan_pdf_name, write_zip
from devplans.models import ExportJob, Plan
from scopegrowth import access
from scopegrowth.dbfaults import write_after_fault

logger = logging.getLogger(__name__)

GAVE_UP = (
    "The export stopped before it finished and could not be restarted. Try again; if it fails "
    "again, tell the service desk."
)


def stall_window() -> timedelta:
    return timedelta(seconds=settings.PLAN_EXPORT_STALL_SECONDS)


def _alive(job_id: int, attempt: int | None = None, **changes) -> int:
    """Record progress (and `changes`) on an active job of this attempt; returns rows updated."""
    rows = ExportJob.objects.filter(pk=job_id, status__in=ACTIVE)
    if attempt is not None:
        rows = rows.filter(retries=attempt)
    return rows.update(progressed_at=timezone.now(), **changes)


def plan_export_build(*, job_id: int) -> bool:
    """Start building one job. Returns False when another worker already claimed it."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING, started_at=now, progressed_at=now, done=0
    )
    if claimed != 1:
        return False
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    attempt = job.retries
    # Access is checked again now: an HR user who lost the role exports nothing.
    plans = list(
        selectors.plans_for_export(access.scope(job.requested_by, "export", Plan)).filter(
            pk__in=job.plan_ids
        )
    )
    if not plans:
        _finish_failed(job_id, "None of the plans can be exported any more.")
        return True
    file_name = f"{secrets.token_urlsafe(32)}.zip"
    size = settings.PLAN_EXPORT_PART_SIZE
    parts = 0 if len(plans) <= size else -(-len(plans) // size)
    # The ordered ids are the parts' shared plan (see `_part_range`).
    ExportJob.objects.filter(pk=job_id).update(
        total=len(plans), plan_ids=[plan.pk for plan in plans], file_name=file_name, parts=parts
    )
    if not parts:
        try:
            write_to_storage(
                export_name(file_name),
                lambda file: write_zip(
                    file,
                    _entries(plans, first_index=1),
                    progress=lambda done: _alive(job_id, attempt, done=done),
                ),
            )
        except BaseException as exc:  # noqa: BLE001 - soft time limit, render error: fail visibly
            return _build_failed(job_id, exc, attempt)
        _finish_ready(job_id, attempt)
        return True
    for part in range(parts):
        _send_part(job_id, part)
    return True


def plan_export_build_part(*, job_id: int, part: int) -> bool:
    """Render part `part` of a split job; the task that writes the last part joins them.
    Returns False when there was nothing to do (job no longer building, part already done)."""
    job = (
        ExportJob.objects.select_related("requested_by")
        .filter(pk=job_id, status=ExportJob.Status.RUNNING, parts__gt=part)
        .first()
    )
    if job is None:
        return False
    attempt = job.retries
    name = _part_name(job, part)
    if export_storage().exists(name):  # a redelivery after the part was written
        _join_if_last(job)
        return False
    remove_stale_partials(job.file_name, older_than=stall_window())  # a dead writer's leftovers
    start, end = _part_range(len(job.plan_ids), job.parts, part)
    ids = job.plan_ids[start:end]
    by_id = {
        plan.pk: plan
        for plan in selectors.plans_for_export(
            access.scope(job.requested_by, "export", Plan)
        ).filter(pk__in=ids)
    }
    plans = [by_id[pk] for pk in ids if pk in by_id]
    try:
        write_to_storage(
            name,
            lambda file: write_zip(
                file,
                _entries(plans, first_index=start + 1),
                progress=lambda _done: _alive(job_id, done=Least(F("done") + 1, F("total"))),
                compression=zipfile.ZIP_STORED,  # compressed once, when the parts are joined
            ),
        )
    except BaseException as exc:  # noqa: BLE001 - soft time limit, render error: fail visibly
        return _build_failed(job_id, exc, attempt, part=part)
    if not ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).exists():
        _remove_files(job.file_name)  # the job failed meanwhile: leave nothing behind
        return True
    _join_if_last(job)
    return True


def _entries(plans: list[Plan], *, first_index: int):
    from devplans.pdf import render_plan_pdf

    return (
        (plan_pdf_name(plan, index), lambda p=plan: render_plan_pdf(p))
        for index, plan in enumerate(plans, start=first_index)
    )


def _part_range(total: int, parts: int, part: int) -> tuple[int, int]:
    """Which of the job's ordered plans part `part` renders: `parts` near-equal slices, from
    what the job row holds alone (a worker with another part size setting agrees)."""
    return part * total // parts, (part + 1) * total // parts


def _part_name(job: ExportJob, part: int) -> str:
    return f"{export_name(job.file_name).removesuffix('.zip')}-part{part:04d}.zip"


def _send_part(job_id: int, part: int) -> None:
    from devplans.tasks import build_plan_export_part

    # robust: a broker outage must not fail the caller; the sweep sends it again.
    transaction.on_commit(lambda: build_plan_export_part.delay(job_id, part), robust=True)


def _join_if_last(job: ExportJob) -> None:
    """Join the parts into the ZIP when all are written; only one task gets to do it."""
    storage = export_storage()
    names = [_part_name(job, part) for part in range(job.parts)]
    if not all(storage.exists(name) for name in names):
        return
    now = timezone.now()
    claimed = ExportJob.objects.filter(
        pk=job.pk, status=ExportJob.Status.RUNNING, assembly_started_at__isnull=True
    ).update(assembly_started_at=now, progressed_at=now)
    if claimed != 1:
        return
    attempt = ExportJob.objects.values_list("retries", flat=True).get(pk=job.pk)
    try:
        write_to_storage(export_name(job.file_name), lambda file: join_zips(file, opened(names)))
    except BaseException as exc:  # noqa: BLE001
        _build_failed(job.pk, exc, attempt)
        return
    for name in names:
        storage.delete(name)
    _finish_ready(job.pk)


# =============================================================================
# Finishing, failing, sending again
# =============================================================================


def _finish_ready(job_id: int, attempt: int | None = None) -> None:
    finished = timezone.now()
    rows = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING)
    if attempt is not None:  # one-task builds: a newer attempt writes another file
        rows = rows.filter(retries=attempt)
    rows.update(
        status=ExportJob.Status.READY,
        done=F("total"),
        finished_at=finished,
        expires_at=finished + EXPORT_LIFETIME,
    )


def _transient(exc: BaseException) -> bool:
    """A dropped database connection: worth sending the work again, not a broken export."""
    return isinstance(exc, (OperationalError, InterfaceError))


def _build_failed(job_id: int, exc: BaseException, attempt: int, part: int | None = None) -> bool:
    logger.exception("plan export failed", extra={"job": job_id, "part": part})
    if _transient(exc):
        write_after_fault(lambda: _resend(job_id, attempt))
    else:
        write_after_fault(lambda: _finish_failed(job_id, _failure_text(exc), attempt=attempt))
    if not isinstance(exc, Exception):
        raise exc
    return True


def _failure_text(exc: BaseException) -> str:
    if type(exc).__name__ == "SoftTimeLimitExceeded":
        return "The export took too long and was stopped. Narrow the filters and try again."
    return "The export could not be built. Try again; if it fails again, tell the service desk."


def _finish_failed(job_id: int, error: str, *, attempt: int | None = None) -> None:
    rows = ExportJob.objects.filter(pk=job_id)
    if attempt is not None:  # a writer given up on cannot fail the attempt sent after it
        rows = rows.filter(retries=attempt, status__in=ACTIVE)
    file_name = rows.values_list("file_name", flat=True).first()
    if file_name is None:
        return
    _remove_files(file_name)
    rows.update(
        status=ExportJob.Status.FAILED,
        error=error[:300],
        file_name="",
        finished_at=timezone.now(),
    )


def _resend(job_id: int, attempt: int) -> str:
    """Send a job's unfinished work again as attempt `attempt + 1`, or fail it when it has had
    its retries. Conditional on the attempt, so two sweeps (or a sweep and a failing part) send
    it once. Returns what was done."""
    job = ExportJob.objects.filter(pk=job_id, status__in=ACTIVE, retries=attempt).first()
    if job is None:
        return "moved-on"
    if job.retries >= settings.PLAN_EXPORT_MAX_RETRIES:
        _finish_failed(job_id, GAVE_UP, attempt=attempt)
        return "failed"
    rows = ExportJob.objects.filter(pk=job_id, status=job.status, retries=attempt)
    if job.status == ExportJob.Status.PENDING or not job.parts:
        # Never claimed, or built in one task: from the claim again (a new file name).
        if rows.update(status=ExportJob.Status.PENDING, retries=F("retries") + 1, done=0) != 1:
            return "moved-on"
        _alive(job_id)
        remove_stale_partials(job.file_name, older_than=stall_window())
        _enqueue(job_id)
        return "resent"
    storage = export_storage()
    written = [p for p in range(job.parts) if storage.exists(_part_name(job, p))]
    missing = [p for p in range(job.parts) if p not in written]
    total = len(job.plan_ids)
    done = sum(end - start for start, end in (_part_range(total, job.parts, p) for p in written))
    changed = rows.update(
        retries=F("retries") + 1, done=done, assembly_started_at=None, progressed_at=timezone.now()
    )
    if changed != 1:
        return "moved-on"
    remove_stale_partials(job.file_name, older_than=stall_window())
    # Every part written but never joined (the joiner died): the last part's task joins.
    for part in missing or [job.parts - 1]:
        _send_part(job_id, part)
    return "resent"


def plan_exports_sweep(*, now=None) -> dict[str, int]:
    """Send again (or fail) every active job with no progress for the stall window. Run by beat
    every minute; idempotent. Returns how many jobs were resent and failed."""
    now = now or timezone.now()
    counts = {"resent": 0, "failed": 0, "moved-on": 0}
    stalled = (
        ExportJob.objects.filter(status__in=ACTIVE)
        .alias(seen=Coalesce("progressed_at", "started_at", "created_at"))
        .filter(seen__lt=now - stall_window())
        .values_list("pk", "retries")
    )
    for job_id, attempt in list(stalled):
        counts[_resend(job_id, attempt)] += 1
    return counts
