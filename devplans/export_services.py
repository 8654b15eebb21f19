"""HR exports: the CSV of the filtered list and the bulk ZIP of PDFs (built by a Celery task).

A bulk export is an `ExportJob` row: created here for the filters of the HR list, claimed by the
worker with a conditional UPDATE (so a redelivered task never builds twice), written to private
storage under a random name, downloadable only by the HR user who asked, deleted after a day.
Import these through `devplans.services`.
"""

from __future__ import annotations

import logging
import re
import secrets
import zipfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from devplans import selectors
from devplans.exports import join_zips, plan_pdf_name, write_zip
from devplans.models import ExportJob, Plan
from scopegrowth import access, audit
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

logger = logging.getLogger(__name__)

EXPORT_MAX_PLANS = 1000
EXPORT_LIFETIME = timedelta(hours=24)
EXPORTS_PER_HOUR = 5
STALE_RUNNING = timedelta(hours=1)  # longer than the task's hard time limit
STALE_PENDING = timedelta(minutes=5)  # a lost publish (broker down at the time) is re-sent
ACTIVE = (ExportJob.Status.PENDING, ExportJob.Status.RUNNING)
FILE_NAME = re.compile(r"^[A-Za-z0-9_-]{20,80}\.zip$")
# A job's ZIP, its parts and the writers' temporary files: STEM.zip, STEM-part0001.zip,
# STEM.0123456789abcdef.tmp, STEM-part0001.0123456789abcdef.tmp.
LEFTOVER = re.compile(r"^(?P<stem>[A-Za-z0-9_-]+?)(?:-part\d{4})?(?:\.zip|\.[0-9a-f]{16}\.tmp)$")


class ExportRefused(RuleError):
    """A bulk export that will not be started; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 200) -> None:
        super().__init__(message)
        self.status = status


def _require_hr(actor: User) -> None:
    if access.HR not in access.roles(actor):
        raise PermissionDenied("not allowed: export")


def export_path(file_name: str) -> Path:
    """Where a job's ZIP lives: private storage, never under a URL."""
    if not FILE_NAME.match(file_name or ""):
        raise ValueError("not an export file name")
    return Path(settings.PRIVATE_STORAGE_ROOT) / "exports" / file_name


def plan_list_viewed(*, actor: User, count: int) -> None:
    """HR looked at the list of agreed plans (names and positions of many people)."""
    _require_hr(actor)
    audit.record(actor, "plans_list", detail=f"{count} plans")


def plan_csv_exported(*, actor: User, count: int) -> None:
    _require_hr(actor)
    audit.record(actor, "plans_csv", detail=f"{count} plans")


# =============================================================================
# Start
# =============================================================================


def plan_export_start(*, actor: User, filters: dict) -> tuple[ExportJob, bool]:
    """Start a bulk export of the agreed plans matching `filters` (the HR list's, cleaned).

    Returns (job, created). The same export asked for again while it is waiting or being
    built returns that job; zero plans, more than `EXPORT_MAX_PLANS`, another export still
    running or too many exports in an hour are refused with a message.
    """
    _require_hr(actor)
    plans = selectors.hr_base(actor, filters)
    ids = list(plans.order_by("pk").values_list("pk", flat=True)[: EXPORT_MAX_PLANS + 1])
    if not ids:
        raise ExportRefused(
            "No agreed plans match these filters, so there is nothing to export. "
            "Change the filters and try again."
        )
    if len(ids) > EXPORT_MAX_PLANS:
        raise ExportRefused(
            f"More than {EXPORT_MAX_PLANS:,} plans match these filters. An export can hold up "
            f"to {EXPORT_MAX_PLANS:,}: narrow the filters (for example by directorate or team) "
            "and export each part."
        )
    try:
        with transaction.atomic():
            active = _active_job(actor)
            if active is not None:
                return _same_or_refuse(active, filters), False
            recent = ExportJob.objects.filter(
                requested_by=actor, created_at__gte=timezone.now() - timedelta(hours=1)
            ).count()
            if recent >= EXPORTS_PER_HOUR:
                raise ExportRefused(
                    f"You have started {EXPORTS_PER_HOUR} exports in the last hour, the most "
                    "allowed. Download one of them, or try again later.",
                    status=429,
                )
            job = ExportJob.objects.create(
                requested_by=actor, filters=filters, plan_ids=ids, total=len(ids)
            )
            audit.record(actor, "plans_export_start", job, detail=f"{len(ids)} plans")
            _enqueue(job.pk)
    except IntegrityError:
        # Another request of the same person created one between our check and insert.
        active = _active_job(actor)
        if active is None:
            raise
        return _same_or_refuse(active, filters), False
    return job, True


def _active_job(actor: User) -> ExportJob | None:
    return ExportJob.objects.filter(requested_by=actor, status__in=ACTIVE).first()


def _same_or_refuse(active: ExportJob, filters: dict) -> ExportJob:
    if active.filters == filters:
        return active
    raise ExportRefused(
        "Your earlier export is still being built. Wait until it is ready (this page shows its "
        "progress), then start another."
    )


def _enqueue(job_id: int) -> None:
    from devplans.tasks import build_plan_export

    # robust: a broker outage must not turn a saved job into an error page; the sweeper
    # (plan_exports_purge) sends it again.
    transaction.on_commit(lambda: build_plan_export.delay(job_id), robust=True)


# =============================================================================
# Build (the Celery tasks' bodies)
# =============================================================================
#
# `plan_export_build` claims the job and checks access again. Up to `PLAN_EXPORT_PART_SIZE`
# plans it renders the ZIP itself. A larger job is split into parts: one task per part renders
# its PDFs into a part file, so every free worker process renders at once, and the task that
# writes the last part file joins the parts into the ZIP. Every step is safe to run twice:
# a part whose file exists is not rendered again, and joining is claimed with a conditional
# UPDATE, so only one task does it.


def plan_export_build(*, job_id: int) -> bool:
    """Start building one job. Returns False when another worker already claimed it."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING, started_at=now, done=0
    )
    if claimed != 1:
        return False
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
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
    export_path(file_name).parent.mkdir(parents=True, exist_ok=True)
    size = settings.PLAN_EXPORT_PART_SIZE
    parts = 0 if len(plans) <= size else -(-len(plans) // size)
    # The ordered ids are the parts' shared plan (see `_part_range`).
    ExportJob.objects.filter(pk=job_id).update(
        total=len(plans), plan_ids=[plan.pk for plan in plans], file_name=file_name, parts=parts
    )
    if not parts:
        try:
            write_zip(
                export_path(file_name),
                _entries(plans, first_index=1),
                progress=lambda done: ExportJob.objects.filter(pk=job_id).update(done=done),
            )
        except BaseException as exc:  # noqa: BLE001 - soft time limit, render error: fail visibly
            return _build_failed(job_id, exc)
        _finish_ready(job_id)
        return True
    from devplans.tasks import build_plan_export_part

    for part in range(parts):
        transaction.on_commit(
            lambda part=part: build_plan_export_part.delay(job_id, part), robust=True
        )
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
    path = _part_path(job, part)
    if path.exists():  # a redelivery after the part was written
        _join_if_last(job)
        return False
    start, end = _part_range(len(job.plan_ids), job.parts, part)
    ids = job.plan_ids[start:end]
    by_id = {
        plan.pk: plan
        for plan in selectors.plans_for_export(
            access.scope(job.requested_by, "export", Plan)
        ).filter(pk__in=ids)
    }
    plans = [by_id[pk] for pk in ids if pk in by_id]

    def progress(_done: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(done=Least(F("done") + 1, F("total")))

    try:
        write_zip(
            path,
            _entries(plans, first_index=start + 1),
            progress=progress,
            compression=zipfile.ZIP_STORED,  # compressed once, when the parts are joined
        )
    except BaseException as exc:  # noqa: BLE001 - soft time limit, render error: fail visibly
        return _build_failed(job_id, exc)
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


def _part_path(job: ExportJob, part: int) -> Path:
    return export_path(f"{Path(job.file_name).stem}-part{part:04d}.zip")


def _join_if_last(job: ExportJob) -> None:
    """Join the parts into the ZIP when all are written; only one task gets to do it."""
    paths = [_part_path(job, part) for part in range(job.parts)]
    if not all(path.is_file() for path in paths):
        return
    claimed = ExportJob.objects.filter(
        pk=job.pk, status=ExportJob.Status.RUNNING, assembly_started_at__isnull=True
    ).update(assembly_started_at=timezone.now())
    if claimed != 1:
        return
    try:
        join_zips(export_path(job.file_name), paths)
    except BaseException as exc:  # noqa: BLE001
        _build_failed(job.pk, exc)
        return
    for path in paths:
        path.unlink(missing_ok=True)
    _finish_ready(job.pk)


def _finish_ready(job_id: int) -> None:
    finished = timezone.now()
    ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.READY,
        done=F("total"),
        finished_at=finished,
        expires_at=finished + EXPORT_LIFETIME,
    )


def _build_failed(job_id: int, exc: BaseException) -> bool:
    logger.exception("plan export failed", extra={"job": job_id})
    _finish_failed(job_id, _failure_text(exc))
    if not isinstance(exc, Exception):
        raise exc
    return True


def _failure_text(exc: BaseException) -> str:
    if type(exc).__name__ == "SoftTimeLimitExceeded":
        return "The export took too long and was stopped. Narrow the filters and try again."
    return "The export could not be built. Try again; if it fails again, tell the service desk."


def _finish_failed(job_id: int, error: str) -> None:
    file_name = ExportJob.objects.filter(pk=job_id).values_list("file_name", flat=True).first()
    _remove_files(file_name or "")
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.FAILED,
        error=error[:300],
        file_name="",
        finished_at=timezone.now(),
    )


def _remove_files(file_name: str) -> None:
    """Delete a job's ZIP, its parts and any half-written file."""
    if not file_name:
        return
    final = export_path(file_name)
    for path in final.parent.glob(f"{final.stem}*"):
        path.unlink(missing_ok=True)


# =============================================================================
# Download and purge
# =============================================================================


def plan_export_file(*, actor: User, job: ExportJob) -> Path:
    """The ZIP's path for the HR user who started the job; audited."""
    access.require(actor, "download", job)
    now = timezone.now()
    if job.status == ExportJob.Status.EXPIRED or (job.expires_at and job.expires_at <= now):
        raise RuleError(
            "This export has expired: exports are kept for 24 hours. Start a new export."
        )
    if job.status != ExportJob.Status.READY:
        raise RuleError("This export is not ready yet. This page shows its progress.")
    path = export_path(job.file_name)
    if not path.is_file():
        raise RuleError("This export has expired. Start a new export.")
    audit.record(actor, "plans_export_download", job, detail=f"{job.total} plans")
    return path


def plan_exports_purge(*, now=None) -> int:
    """Delete expired ZIPs (marking their jobs EXPIRED), fail jobs stuck running, and send
    again the jobs whose publish was lost. Idempotent; returns how many files were deleted."""
    now = now or timezone.now()
    deleted = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.READY, expires_at__lte=now):
        try:
            export_path(job.file_name).unlink(missing_ok=True)
            deleted += 1
        except ValueError:
            pass
        ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.READY).update(
            status=ExportJob.Status.EXPIRED, file_name=""
        )
    for job_id in ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING, started_at__lt=now - STALE_RUNNING
    ).values_list("pk", flat=True):
        _finish_failed(job_id, "The export stopped before it finished. Start it again.")
    for job_id in ExportJob.objects.filter(
        status=ExportJob.Status.PENDING, created_at__lt=now - STALE_PENDING
    ).values_list("pk", flat=True):
        _enqueue(job_id)
    # Anything left behind by a worker that died mid-write (a part, a temporary file).
    folder = Path(settings.PRIVATE_STORAGE_ROOT) / "exports"
    kept = set(
        ExportJob.objects.filter(status__in=(*ACTIVE, ExportJob.Status.READY))
        .exclude(file_name="")
        .values_list("file_name", flat=True)
    )
    oldest = (now - EXPORT_LIFETIME - STALE_RUNNING).timestamp()
    for path in folder.glob("*") if folder.is_dir() else ():
        match = LEFTOVER.match(path.name)
        if match is None or f"{match['stem']}.zip" in kept:
            continue
        if path.is_file() and path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
