"""Applying a people file: all of it in one transaction, or nothing.

The plan is built again inside the transaction (the database may have moved since the
preview); any row error then refuses the whole file. Line-manager changes and invitations go
through `scopegrowth.relationships` as one batch. Progress is kept in the cache (the work is
one transaction, so a database row would not show it until the end).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from scopegrowth import access, planner_stats, relationships
from scopegrowth.exceptions import RuleError
from scopegrowth.models import (
    AuditEvent,
    Directorate,
    ManagerLink,
    Organisation,
    PeopleImport,
    Team,
    User,
)
from scopegrowth.people_import import plan as planning
from scopegrowth.people_import.reader import FileError, read

logger = logging.getLogger(__name__)


class ImportRefused(RuleError):
    """The file has errors (or another import is running); nothing changed."""

    def __init__(self, message: str, plan: planning.Plan | None = None) -> None:
        super().__init__(message)
        self.plan = plan


def progress_key(import_id: int) -> str:
    return f"scopegrowth:people-import:{import_id}:progress"


def _progress(import_id: int | None, step: str) -> None:
    if import_id is not None:
        cache.set(progress_key(import_id), step, timeout=3600)


def preview(
    content: bytes,
    *,
    organisation: Organisation,
    actor: Any,
    deactivate_missing: bool = False,
    today: dt.date | None = None,
) -> planning.Plan:
    """The plan for a file; a file-level problem is a plan with one error on line 1."""
    try:
        sheet = read(content)
    except FileError as exc:
        return planning.Plan(errors=[(1, str(exc))])
    return planning.build(
        sheet,
        organisation=organisation,
        actor=actor,
        deactivate_missing=deactivate_missing,
        today=today or timezone.localdate(),
    )


def _teams(organisation: Organisation, wanted: list[planning.Wanted]) -> dict:
    names = {w.team for w in wanted if w.team}
    directorates = {d.name: d for d in Directorate.objects.filter(organisation=organisation)}
    for d in {d for d, _ in names} - set(directorates):
        directorates[d] = Directorate.objects.create(organisation=organisation, name=d)
    teams = {
        (t.directorate.name, t.name): t
        for t in Team.objects.filter(directorate__organisation=organisation).select_related(
            "directorate"
        )
    }
    for d, t in names - set(teams):
        teams[(d, t)] = Team.objects.create(directorate=directorates[d], name=t)
    return teams


@dataclass
class Result:
    counts: dict[str, int]


def apply_file(
    content: bytes,
    *,
    organisation: Organisation,
    actor: Any,
    deactivate_missing: bool = False,
    invite: bool = False,
    import_id: int | None = None,
    today: dt.date | None = None,
) -> Result:
    """Apply the file whole, or raise `ImportRefused` and change nothing."""
    now = timezone.now()
    with transaction.atomic():
        _progress(import_id, "Checking the file again")
        plan = preview(
            content,
            organisation=organisation,
            actor=actor,
            deactivate_missing=deactivate_missing,
            today=today,
        )
        if plan.errors:
            raise ImportRefused(f"The file has {len(plan.errors)} row error(s).", plan)
        _progress(import_id, "Creating teams")
        teams = _teams(organisation, plan.wanted)
        new: list[User] = []
        changed: list[User] = []
        fields_changed: set[str] = set()
        for w, change in zip(plan.wanted, plan.changes, strict=False):
            if change.kind == "unchanged":
                continue
            person = w.person or User(
                organisation=organisation, password=make_password(None), date_joined=now
            )
            values = dict(w.fields)
            if w.team is not False:
                values["team"] = teams[w.team] if w.team else None
            values["is_active"] = not w.leaving
            if w.leaving and not values.get("left_on"):
                values["left_on"] = timezone.localdate()
            for name, value in values.items():
                if getattr(person, name) != value:
                    setattr(person, name, value)
                    fields_changed.add(name)
            if not person.full_name:
                person.full_name = person.email
            (new if person.pk is None else changed).append(person)
        _progress(import_id, f"Saving {len(new)} new and {len(changed)} changed people")
        User.objects.bulk_create(new, batch_size=500)
        if changed:
            User.objects.bulk_update(
                changed, sorted(fields_changed | {"full_name"}), batch_size=500
            )
        for p in plan.missing:
            p.is_active = False
            p.left_on = p.left_on or timezone.localdate()
        User.objects.bulk_update(plan.missing, ["is_active", "left_on"], batch_size=500)

        _progress(import_id, "Moving people to their line managers")
        by_number = {
            p.employee_number: p
            for p in User.objects.filter(organisation=organisation).exclude(employee_number="")
        }
        moves = [
            (by_number[w.fields["employee_number"]], by_number.get(w.manager_number))
            for w in plan.wanted
            if w.manager_number is not None
        ]
        new_pks = frozenset(p.pk for p in new)
        relationships.managers_set(
            actor=actor, changes=moves, at=now, untold=frozenset() if invite else new_pks
        )
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    at=now,
                    actor=actor if isinstance(actor, User) else None,
                    subject=p,
                    action=action,
                    object_type="user",
                    object_id=p.pk,
                    detail="people import",
                )
                for action, group in (
                    ("person_created", new),
                    ("person_changed", changed),
                    ("person_deactivated", plan.missing),
                )
                for p in group
            ],
            batch_size=500,
        )
        if invite:
            relationships.people_invite(actor=actor, people=[p for p in new if p.is_active])
        written = len(new) + len(changed) + len(plan.missing)
        planner_stats.after_bulk_load(written, User, ManagerLink, Team, AuditEvent)
    _progress(import_id, "Done")
    return Result(counts=plan.counts)


# ---------------------------------------------------------------------------------------------
# The background job behind the page
# ---------------------------------------------------------------------------------------------


def queue(*, actor: Any, job: PeopleImport) -> None:
    """Mark a previewed file to be applied; refuses a second import while one is running."""
    access.require(actor, "apply", job)
    try:
        with transaction.atomic():
            claimed = PeopleImport.objects.filter(
                pk=job.pk, status=PeopleImport.Status.PREVIEW
            ).update(status=PeopleImport.Status.QUEUED)
    except IntegrityError:
        raise ImportRefused(
            "Another people file for your organisation is being applied. Try again when it "
            "has finished."
        ) from None
    if not claimed:
        raise ImportRefused("This file has been applied already, or it has errors.")

    def enqueue() -> None:
        from scopegrowth.tasks import apply_people_import

        apply_people_import.delay(job.pk)

    transaction.on_commit(enqueue, robust=True)


def run(import_id: int) -> None:
    """The task body: claim the queued job, apply it, record the outcome."""
    if not PeopleImport.objects.filter(pk=import_id, status=PeopleImport.Status.QUEUED).update(
        status=PeopleImport.Status.RUNNING
    ):
        return
    job = PeopleImport.objects.select_related("organisation", "uploaded_by").get(pk=import_id)
    try:
        result = apply_file(
            bytes(job.content),
            organisation=job.organisation,
            actor=job.uploaded_by,
            deactivate_missing=job.deactivate_missing,
            invite=job.invite,
            import_id=job.pk,
        )
    except RuleError as exc:
        summary = dict(job.summary, failure=str(exc))
        if isinstance(exc, ImportRefused) and exc.plan is not None:
            summary.update(exc.plan.summary())
        PeopleImport.objects.filter(pk=job.pk).update(
            status=PeopleImport.Status.FAILED, summary=summary, finished_at=timezone.now()
        )
        return
    except Exception:
        logger.exception("people import failed", extra={"import_id": job.pk})
        PeopleImport.objects.filter(pk=job.pk).update(
            status=PeopleImport.Status.FAILED,
            summary=dict(job.summary, failure="Something went wrong; nothing was changed."),
            finished_at=timezone.now(),
        )
        raise
    PeopleImport.objects.filter(pk=job.pk).update(
        status=PeopleImport.Status.DONE,
        summary=dict(job.summary, applied=result.counts),
        content=b"",  # the staff file is not kept once applied
        finished_at=timezone.now(),
    )
