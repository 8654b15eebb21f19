"""HR exports: the CSV of the filtered list and the bulk ZIP of PDFs (built by a Celery task).

A bulk export is an `ExportJob` row: created here for the filters of the HR list, claimed by the
worker with a conditional UPDATE (so a redelivered task never builds twice), written to the
"exports" storage (`devplans.export_storage`: the private folder, or object storage on several
hosts) under a random name, downloadable only by the HR user who asked, deleted after a day.
Import these through `devplans.services`.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from devplans import selectors
from devplans.export_storage import export_storage, stored_names, temp_dir
from devplans.models import ExportJob
from scopegrowth import access, audit
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

logger = logging.getLogger(__name__)

EXPORT_MAX_PLANS = 1000
EXPORT_LIFETIME = timedelta(hours=24)
EXPORTS_PER_HOUR = 5
# Leftovers of a dead writer are deleted after this long (the sweep and the next writer of the
# same part delete them sooner, after the stall window).
LEFTOVER_AGE = timedelta(hours=1)
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


def export_name(file_name: str) -> str:
    """A job's ZIP's name in the exports storage (checked: a random name, no folders)."""
    if not FILE_NAME.match(file_name or ""):
        raise ValueError("not an export file name")
    return file_name


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
                requested_by=actor,
                filters=filters,
                plan_ids=ids,
                total=len(ids),
                progressed_at=timezone.now(),
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

    # robust: a broker outage must not turn a saved job into an error page; the sweep
    # (export_build.plan_exports_sweep) sends it again.
    transaction.on_commit(lambda: build_plan_export.delay(job_id), robust=True)


def _remove_files(file_name: str) -> None:
    """Delete a job's ZIP and its parts (in the storage) and this host's half-written files."""
    if not file_name:
        return
    stem = export_name(file_name).removesuffix(".zip")
    storage = export_storage()
    for name in stored_names():
        if name.startswith(stem):
            storage.delete(name)
    for path in temp_dir().glob(f"{stem}*"):
        path.unlink(missing_ok=True)


def remove_stale_partials(file_name: str, *, older_than: timedelta) -> int:
    """Delete the half-written files of a job's writers that died (not written to for
    `older_than`); a live writer writes at least once a PDF. Temporary files are on this
    host's disk only: a writer on another host cleans its own. Returns how many."""
    if not file_name:
        return 0
    stem = export_name(file_name).removesuffix(".zip")
    oldest = (timezone.now() - older_than).timestamp()
    removed = 0
    for path in temp_dir().glob(f"{stem}*.tmp"):
        try:
            if path.stat().st_mtime < oldest:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed


# =============================================================================
# Download and purge
# =============================================================================


def plan_export_file(*, actor: User, job: ExportJob) -> File:
    """The ZIP, open for reading from the exports storage, for the HR user who started the
    job; audited. The caller streams and closes it."""
    access.require(actor, "download", job)
    now = timezone.now()
    if job.status == ExportJob.Status.EXPIRED or (job.expires_at and job.expires_at <= now):
        raise RuleError(
            "This export has expired: exports are kept for 24 hours. Start a new export."
        )
    if job.status != ExportJob.Status.READY:
        raise RuleError("This export is not ready yet. This page shows its progress.")
    storage = export_storage()
    name = export_name(job.file_name)
    if not storage.exists(name):
        raise RuleError("This export has expired. Start a new export.")
    audit.record(actor, "plans_export_download", job, detail=f"{job.total} plans")
    return storage.open(name, "rb")


def plan_exports_purge(*, now=None) -> int:
    """Delete expired ZIPs (marking their jobs EXPIRED) and files left by dead writers (stuck
    jobs are the sweep's, `export_build.plan_exports_sweep`): parts in the exports storage, and
    temporary files on this host. Idempotent; returns how many files were deleted."""
    now = now or timezone.now()
    storage = export_storage()
    deleted = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.READY, expires_at__lte=now):
        try:
            storage.delete(export_name(job.file_name))
            deleted += 1
        except ValueError:
            pass
        ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.READY).update(
            status=ExportJob.Status.EXPIRED, file_name=""
        )
    # Anything left behind by a worker that died mid-write (a part, a temporary file).
    kept = set(
        ExportJob.objects.filter(status__in=(*ACTIVE, ExportJob.Status.READY))
        .exclude(file_name="")
        .values_list("file_name", flat=True)
    )
    oldest = now - EXPORT_LIFETIME - LEFTOVER_AGE

    def leftover(name: str) -> bool:
        match = LEFTOVER.match(name)
        return match is not None and f"{match['stem']}.zip" not in kept

    for name in stored_names():
        if leftover(name) and storage.get_modified_time(name) < oldest:
            storage.delete(name)
            deleted += 1
    for path in temp_dir().glob("*.tmp"):
        try:
            if leftover(path.name) and path.stat().st_mtime < oldest.timestamp():
                path.unlink()
                deleted += 1
        except FileNotFoundError:
            pass
    return deleted
