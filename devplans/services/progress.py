"""After agreement: progress on objectives, reviews, and the audited reads of a plan."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from devplans.models import Objective, Plan, ProgressNote, Review
from scopegrowth import access, audit
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

# =============================================================================
# Progress and reviews after agreement
# =============================================================================


def objective_progress_record(
    *, actor: User, objective: Objective, status: str, note: str = ""
) -> Objective:
    """The individual updates an objective's status and adds a dated note (no reopening)."""
    plan = objective.plan
    access.require(actor, "update_progress", plan)
    note = (note or "").strip()
    if status not in Objective.Status.values:
        raise RuleError("Choose one of the statuses listed.")
    if status == objective.status and not note:
        raise RuleError("Nothing to save: choose a new status or write a progress note.")
    with transaction.atomic():
        Objective.objects.filter(pk=objective.pk, plan=plan).update(status=status)
        objective.status = status
        if note:
            progress = ProgressNote(objective=objective, author=actor, text=note)
            progress.full_clean()
            progress.save()
    return objective


def plan_review_record(
    *,
    actor: User,
    plan: Plan,
    held_on: date,
    notes: str,
    review: Review | None = None,
) -> Review:
    """A facilitator records a review held with the individual (a planned one, or an extra)."""
    access.require(actor, "record_review", plan)
    today = timezone.localdate()
    if held_on > today:
        raise RuleError("The review date cannot be in the future: record a review once held.")
    if plan.agreed_at and held_on < timezone.localtime(plan.agreed_at).date():
        raise RuleError(
            f"The review date must be on or after the day the plan was agreed "
            f"({timezone.localtime(plan.agreed_at):%d/%m/%Y})."
        )
    if not (notes or "").strip():
        raise RuleError("Write what was reviewed and agreed.")
    with transaction.atomic():
        if review is not None:
            if review.plan_id != plan.pk or review.held_on is not None:
                raise RuleError("That review has already been recorded: choose another.")
        else:
            review = Review(plan=plan, due_on=held_on)
        review.held_on = held_on
        review.notes = notes
        review.recorded_by = actor
        review.full_clean()
        review.save()
        audit.record(actor, "plan_review", plan, subject=plan.individual)
    return review


# =============================================================================
# Reads that are audited (someone other than the individual)
# =============================================================================


def plan_viewed(*, actor: User, plan: Plan) -> None:
    access.require(actor, "view", plan)
    if actor.pk != plan.individual_id:
        audit.record(actor, "plan_view", plan, subject=plan.individual)


def plan_pdf(*, actor: User, plan: Plan) -> bytes:
    """The plan as a PDF for a person allowed to download it; audited. The individual and
    their facilitators get the whole plan; anyone else (HR) the copy without progress notes
    and review outcomes, as on the plan page."""
    from devplans.pdf import render_plan_pdf

    access.require(actor, "download_pdf", plan)
    audit.record(actor, "plan_pdf", plan, subject=plan.individual)
    with_notes = actor.pk == plan.individual_id or access.facilitates(actor, plan.individual)
    return render_plan_pdf(plan, with_notes=with_notes)
