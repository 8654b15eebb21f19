"""Sign-off (each person for themself; both on the same content agree it) and reopening."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from devplans import selectors
from devplans.content import plan_content_hash
from devplans.models import REASON_MAX_LENGTH, Objective, Plan, ProgressNote, Review
from devplans.services.plans import (
    CHANGED_SINCE_OPENED_MESSAGE,
    LOCKED_MESSAGE,
    NO_OBJECTIVES_MESSAGE,
    NO_POSITIONS_MESSAGE,
    PLAN_FIELDS,
)
from scopegrowth import access, audit
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

# =============================================================================
# Sign-off: each person signs only for themself; both signatures on the same content agree it
# =============================================================================


def plan_sign(*, actor: User, plan: Plan, expected_version: int | None = None) -> Plan:
    """Sign the draft for the actor's own part (the individual, or a current facilitator).

    Each signature stores the SHA-256 of the canonical content. When both signatures carry the
    current hash the plan is agreed and locked.
    """
    access.require(actor, "sign", plan)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != Plan.Status.DRAFT:
            raise RuleError(LOCKED_MESSAGE)
        if expected_version is not None and plan.version != expected_version:
            raise RuleError(CHANGED_SINCE_OPENED_MESSAGE)
        if not plan.objectives.exists():
            raise RuleError(NO_OBJECTIVES_MESSAGE)
        if not (
            plan.current_growth
            and plan.current_impact_id
            and plan.future_growth
            and plan.future_impact_id
        ):
            raise RuleError(NO_POSITIONS_MESSAGE)
        digest = plan_content_hash(plan)
        now = timezone.now()
        if actor.pk == plan.individual_id:
            if plan.individual_signed_hash == digest:
                raise RuleError("You have already signed this version of the plan.")
            plan.individual_signed_at = now
            plan.individual_signed_hash = digest
            part = "individual"
        else:
            if plan.facilitator_signed_hash == digest:
                raise RuleError(
                    f"{plan.facilitator_signed_by} has already signed this version of the plan "
                    "as facilitator."
                )
            plan.facilitator_signed_by = actor
            plan.facilitator_signed_at = now
            plan.facilitator_signed_hash = digest
            part = "facilitator"
        agreed = plan.individual_signed_hash == digest == plan.facilitator_signed_hash
        if agreed:
            plan.status = Plan.Status.AGREED
            plan.agreed_at = now
        plan.full_clean()
        plan.save(
            update_fields=[
                "individual_signed_at",
                "individual_signed_hash",
                "facilitator_signed_by",
                "facilitator_signed_at",
                "facilitator_signed_hash",
                "status",
                "agreed_at",
            ]
        )
        audit.record(actor, "plan_sign", plan, subject=plan.individual, detail=part)
        if agreed:
            _hr_figures_changed(plan)
        _email_on_commit(plan.pk, "plan_agreed" if agreed else "plan_signature_needed", actor)
    return plan


def _hr_figures_changed(plan: Plan) -> None:
    """HR's list counts and order are read again (`forget_hr_figures`): now, and once this
    commits (a list read in between would otherwise keep the old figures)."""
    organisation_id = plan.individual.organisation_id
    selectors.forget_hr_figures(organisation_id)
    transaction.on_commit(lambda: selectors.forget_hr_figures(organisation_id))


def _email_on_commit(plan_id: int, kind: str, actor: User) -> None:
    """The emails go to the outbox in this transaction; a worker sends them after the commit."""
    from devplans import notifications

    notifications.plan_email_send(plan_id=plan_id, kind=kind, actor_id=actor.pk)


# =============================================================================
# Reopen: a new draft version; the agreed one stays readable
# =============================================================================


REASON_NEEDED_MESSAGE = (
    "Say why you are reopening the plan: the other person reads it on the plan. The plan has "
    "not been reopened."
)


def plan_reopen(*, actor: User, plan: Plan, reason: str) -> Plan:
    """Reopen an agreed plan as a new draft version, recording who, when and why (`reason`,
    required, shown on the new version). The other person is emailed a link to the plan (the
    email never carries the reason or anything else anyone wrote)."""
    access.require(actor, "reopen", plan)
    reason = (reason or "").replace("\r\n", "\n").strip()
    if not reason:
        raise RuleError(REASON_NEEDED_MESSAGE)
    if len(reason) > REASON_MAX_LENGTH:
        raise RuleError(
            f"The reason is longer than {REASON_MAX_LENGTH:,} characters. The plan has not been "
            "reopened."
        )
    try:
        with transaction.atomic():
            closed = Plan.objects.filter(pk=plan.pk, status=Plan.Status.AGREED).update(
                status=Plan.Status.SUPERSEDED
            )
            if closed != 1:
                raise RuleError(
                    "This plan has already been reopened: open its newest version instead."
                )
            source = Plan.objects.select_related("individual", "conversation__facilitator").get(
                pk=plan.pk
            )
            number = Plan.objects.filter(lineage=source.lineage).aggregate(n=Max("number"))["n"]
            now = timezone.now()
            new = Plan(
                individual_id=source.individual_id,
                facilitator=_supporter_for(source, actor),
                conversation_id=source.conversation_id,
                lineage=source.lineage,
                number=number + 1,
                status=Plan.Status.DRAFT,
                horizon_end=source.horizon_end,
                created_at=now,
                updated_at=now,
                updated_by=actor,
                reopened_by=actor,
                reopened_at=now,
                reopened_reason=reason,
                **{name: getattr(source, name) for name in PLAN_FIELDS},
            )
            new.full_clean()
            new.save()
            _copy_children(source, new)
            audit.record(actor, "plan_reopen", new, subject=source.individual)
            _hr_figures_changed(source)
            _email_on_commit(new.pk, "plan_reopened", actor)
    except IntegrityError:
        raise RuleError(
            "This plan has already been reopened: open its newest version instead."
        ) from None
    return new


NOBODY_SUPPORTS_MESSAGE = (
    "Nobody line manages or coaches you at the moment, so there is nobody to agree a new version "
    "with. Ask HR to record your line manager, then reopen the plan."
)


def _supporter_for(source: Plan, actor: User) -> User:
    """Who facilitates a new version: the conversation's facilitator if they still support the
    individual, otherwise the current line manager (then the acting coach). Never someone who
    no longer supports them: what the individual writes next must not reach a former manager."""
    individual = source.individual
    first = source.conversation.facilitator if source.conversation_id else source.facilitator
    for candidate in (first, access.current_manager(individual), actor):
        if (
            candidate is not None
            and candidate.pk != individual.pk
            and access.facilitates(candidate, individual)
        ):
            return candidate
    raise RuleError(NOBODY_SUPPORTS_MESSAGE)


def _copy_children(source: Plan, new: Plan) -> None:
    for old in source.objectives.prefetch_related("initiatives", "notes"):
        copy = Objective.objects.create(
            plan=new,
            copied_from=old,
            order=old.order,
            description=old.description,
            aspiration=old.aspiration,
            term=old.term,
            success_measure=old.success_measure,
            target_date=old.target_date,
            support_needed=old.support_needed,
            status=old.status,
        )
        copy.initiatives.set(old.initiatives.all())
        ProgressNote.objects.bulk_create(
            ProgressNote(
                objective=copy, author_id=n.author_id, created_at=n.created_at, text=n.text
            )
            for n in old.notes.all()
        )
    Review.objects.bulk_create(
        Review(
            plan=new,
            due_on=r.due_on,
            held_on=r.held_on,
            notes=r.notes,
            recorded_by_id=r.recorded_by_id,
        )
        for r in source.reviews.all()
    )
