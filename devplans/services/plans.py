"""Starting and editing a plan (draft), with the dates of its two-year horizon."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from conversations.models import Conversation, StageRecord
from conversations.services import conversation_ready_for_plan
from devplans.content import add_months
from devplans.models import Initiative, Objective, Plan, Review
from devplans.selectors import conversation_has_plan
from scopegrowth import access, audit
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

HORIZON_YEARS = 2
REVIEW_EVERY_MONTHS = 6

PLAN_FIELDS = (
    "current_growth",
    "current_impact",
    "current_evidence",
    "future_growth",
    "future_impact",
    "future_why",
    "reflections",
    "aspirations",
)

LOCKED_MESSAGE = (
    "This plan has been agreed and is locked, so nothing has been changed. To change it, reopen "
    "it: that makes a new version and keeps this one readable."
)
NO_OBJECTIVES_MESSAGE = (
    "A plan needs at least one development objective before it can be signed. Add an objective, "
    "save the plan, then sign it."
)
NO_POSITIONS_MESSAGE = (
    "Record the current position and the position in two years (growth and impact) before "
    "signing the plan."
)
CHANGED_SINCE_OPENED_MESSAGE = (
    "The plan was changed after you opened it, so it has not been signed. Read the latest "
    "version below, then sign it if you agree."
)
CONFLICT_MESSAGE = (
    "Someone else saved this plan after you opened it, so your changes have not been saved. "
    "Both versions are shown below: check them, then save again to keep yours."
)


class PlanConflict(RuleError):
    """A save based on an older version: `current` is the plan as it is saved now."""

    def __init__(self, current: Plan) -> None:
        super().__init__(CONFLICT_MESSAGE)
        self.current = current


@dataclass
class ObjectiveInput:
    """One objective as submitted on the edit page (`id` None for a new one)."""

    description: str
    id: int | None = None
    aspiration: str = ""
    term: str = Objective.Term.SHORT
    success_measure: str = ""
    target_date: date | None = None
    support_needed: str = ""
    initiatives: list[Initiative] = field(default_factory=list)
    delete: bool = False


@dataclass
class ReviewInput:
    due_on: date
    id: int | None = None
    delete: bool = False


# =============================================================================
# Dates: the two-year horizon and the review rhythm
# =============================================================================


def horizon_for(start: date) -> date:
    return add_months(start, 12 * HORIZON_YEARS)


def default_review_dates(start: date, horizon_end: date) -> list[date]:
    """Six-monthly reviews from the conversation date, within the horizon."""
    dates = []
    months = REVIEW_EVERY_MONTHS
    while (due := add_months(start, months)) <= horizon_end:
        dates.append(due)
        months += REVIEW_EVERY_MONTHS
    return dates


def date_problem(
    value: date | None, *, horizon_end: date, previous: date | None = None, what: str
) -> str | None:
    """Why `value` cannot be a target or review date, or None. A date saved earlier and left
    unchanged is accepted even if it has passed (a reopened plan keeps its history)."""
    if value is None or value == previous:
        return None
    today = timezone.localdate()
    if value < today:
        return f"The {what} must be today or later: {value:%d/%m/%Y} has passed."
    if value > horizon_end:
        return (
            f"The {what} must be within the plan's two-year horizon, on or before "
            f"{horizon_end:%d/%m/%Y}."
        )
    return None


# =============================================================================
# Start (from the conversation's stage 3)
# =============================================================================


def plan_start_from_conversation(*, actor: User, conversation: Conversation) -> Plan:
    """The draft plan for `conversation`, created on first call and returned on later ones.

    Pre-filled from the agreed positions and the agreed summaries: stage 1's as the
    reflections, stage 2's and stage 3's (the plan's own stage) as the aspirations; the actor
    facilitates; the horizon is two years from the conversation date, with six-monthly reviews.
    A person's earlier agreed plan (another cycle) is left alone: this starts a new lineage.
    """
    if not access.can(actor, "facilitate", conversation):
        raise PermissionDenied("not allowed: facilitate")
    with transaction.atomic():
        # Serialise concurrent starts for one conversation (a no-op lock on SQLite, whose
        # IMMEDIATE transactions already serialise writers).
        Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
        existing = (
            Plan.objects.filter(conversation=conversation)
            .exclude(status=Plan.Status.SUPERSEDED)
            .order_by("-number", "-created_at")
            .first()
        )
        if existing is not None:
            return existing
        summaries = dict(
            StageRecord.objects.filter(conversation=conversation, stage__in=(1, 2, 3)).values_list(
                "stage", "agreed_summary"
            )
        )
        start = timezone.localtime(conversation.scheduled_at).date()
        horizon_end = horizon_for(start)
        now = timezone.now()
        plan = Plan(
            individual=conversation.individual,
            facilitator=actor,
            conversation=conversation,
            current_growth=conversation.agreed_now_growth,
            current_impact=conversation.agreed_now_impact,
            current_evidence=conversation.agreed_now_evidence,
            future_growth=conversation.agreed_future_growth,
            future_impact=conversation.agreed_future_impact,
            future_why=conversation.agreed_future_why,
            reflections=summaries.get(1, ""),
            aspirations="\n\n".join(t for t in (summaries.get(2, ""), summaries.get(3, "")) if t),
            horizon_end=horizon_end,
            created_at=now,
            updated_at=now,
            updated_by=actor,
        )
        plan.full_clean()
        plan.save()
        Review.objects.bulk_create(
            Review(plan=plan, due_on=due) for due in default_review_dates(start, horizon_end)
        )
        audit.record(actor, "plan_start", plan, subject=plan.individual)
        from devplans import notifications

        notifications.plan_email_send(plan_id=plan.pk, kind="plan_started", actor_id=actor.pk)
    return plan


def plan_start_from_stage_three(*, actor: User, conversation: Conversation) -> Plan:
    """The conversation's stage 3 hands over to the plan ("Start the development plan"):
    needs stages 1 and 2 complete (`conversation_ready_for_plan`), then
    `plan_start_from_conversation`. Once started, the same plan is returned every time.
    Provided to the conversations app as "plan_start_from_stage_three" (devplans/providers.py).
    """
    access.require(actor, "facilitate", conversation)
    if not conversation_has_plan(conversation):
        conversation = conversation_ready_for_plan(conversation)
    return plan_start_from_conversation(actor=actor, conversation=conversation)


# =============================================================================
# Edit (draft only, both people, optimistic version)
# =============================================================================


def plan_save(
    *,
    actor: User,
    plan: Plan,
    expected_version: int,
    fields: dict[str, Any],
    objectives: list[ObjectiveInput],
    reviews: list[ReviewInput] | None = None,
) -> Plan:
    """Save a draft: its texts and positions, its objectives and review dates.

    Refused with `PlanConflict` when someone saved after `expected_version` was read (nothing is
    overwritten); refused with `RuleError` on an agreed plan. Any save voids both signatures.
    """
    access.require(actor, "edit", plan)
    with transaction.atomic():
        claimed = Plan.objects.filter(
            pk=plan.pk, version=expected_version, status=Plan.Status.DRAFT
        ).update(version=F("version") + 1)
        if claimed != 1:
            current = Plan.objects.select_related("updated_by").get(pk=plan.pk)
            if current.status != Plan.Status.DRAFT:
                raise RuleError(LOCKED_MESSAGE)
            raise PlanConflict(current)
        plan.refresh_from_db()
        for name in PLAN_FIELDS:
            if name in fields:
                setattr(plan, name, fields[name])
        plan.clear_signatures()
        plan.updated_at = timezone.now()
        plan.updated_by = actor
        plan.full_clean()
        plan.save()
        _save_objectives(plan, objectives)
        if reviews is not None:
            _save_reviews(plan, reviews)
        if actor.pk != plan.individual_id:
            audit.record(actor, "plan_edit", plan, subject=plan.individual)
    return plan


def _save_objectives(plan: Plan, items: list[ObjectiveInput]) -> None:
    existing = {o.pk: o for o in plan.objectives.all()}
    order = 0
    for item in items:
        objective = existing.get(item.id) if item.id else None
        if item.delete:
            if objective is not None:
                objective.delete()
            continue
        problem = date_problem(
            item.target_date,
            horizon_end=plan.horizon_end,
            previous=objective.target_date if objective else None,
            what="target date",
        )
        if problem:
            raise RuleError(problem)
        if not (item.description or "").strip():
            raise RuleError("Every objective needs a description of what it is.")
        if objective is None:
            objective = Objective(plan=plan)
        order += 1
        objective.order = order
        objective.description = item.description
        objective.aspiration = item.aspiration
        objective.term = item.term
        objective.success_measure = item.success_measure
        objective.target_date = item.target_date
        objective.support_needed = item.support_needed
        objective.full_clean()
        objective.save()
        objective.initiatives.set(item.initiatives)


def _save_reviews(plan: Plan, items: list[ReviewInput]) -> None:
    existing = {r.pk: r for r in plan.reviews.filter(held_on__isnull=True)}
    for item in items:
        review = existing.get(item.id) if item.id else None
        if item.delete:
            if review is not None:
                review.delete()
            continue
        problem = date_problem(
            item.due_on,
            horizon_end=plan.horizon_end,
            previous=review.due_on if review else None,
            what="review date",
        )
        if problem:
            raise RuleError(problem)
        if review is None:
            review = Review(plan=plan)
        review.due_on = item.due_on
        review.full_clean()
        review.save()
