"""The individual's and the facilitator's plans, one plan with its content, and what the
conversation pages and the facilitator's dashboard show of a plan (provided to conversations,
see devplans/providers.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from devplans.models import Initiative, Objective, Plan, PlanCheckIn, ProgressNote, Review
from scopegrowth import access, precompiled
from scopegrowth.models import ImpactLevel, User


def plan_queryset() -> QuerySet:
    """Plans with the people and positions a page header shows."""
    return Plan.objects.select_related(
        "individual__team__directorate",
        "facilitator",
        "facilitator_signed_by",
        "conversation",
        "current_impact",
        "future_impact",
        "updated_by",
        "reopened_by",
    )


def plan_conversation_links(user: User, plan: Plan) -> dict[str, Any]:
    """What the plan page links to of its conversation: `conversation` when the user may open
    it, and `complete_conversation` when they may complete it from here (it is still open, they
    facilitate it, and this is the plan's current version)."""
    conversation = plan.conversation
    if conversation is None or not access.can(user, "view", conversation):
        return {"conversation": None, "complete_conversation": None}
    can_complete = (
        conversation.is_open
        and plan.status != Plan.Status.SUPERSEDED
        and access.can(user, "facilitate", conversation)
    )
    return {
        "conversation": conversation,
        "complete_conversation": conversation if can_complete else None,
    }


def plan_with_content(plan: Plan) -> Plan:
    """Prefetch objectives (with initiatives and notes) and reviews onto `plan`."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        [plan],
        Prefetch(
            "objectives",
            queryset=Objective.objects.order_by("order", "pk").prefetch_related(
                "initiatives",
                Prefetch("notes", queryset=ProgressNote.objects.select_related("author")),
            ),
        ),
        Prefetch("reviews", queryset=Review.objects.select_related("recorded_by")),
    )
    return plan


def active_initiatives() -> list[Initiative]:
    """The catalogue of development initiatives an organisation offers (edited in the admin)."""
    return list(Initiative.objects.filter(is_active=True).order_by("order", "name"))


def impact_levels_for(user: User | None) -> QuerySet:
    """The default impact levels plus the organisation's own."""
    org_id = getattr(user, "organisation_id", None)
    return ImpactLevel.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=org_id))


# =============================================================================
# The individual's and the facilitator's plans
# =============================================================================


def current_plan_for(user: User) -> Plan | None:
    """The person's own current plan (the newest version that is not superseded), for home
    (its number, status and dates: none of the people `plan_queryset` joins; its SQL built
    once per process: `precompiled`)."""
    return precompiled.first(
        ("current_plan_for",), _current_plan_query, access.scope_q(user, "view", Plan), user.pk
    )


def _current_plan_query(scope: Q, pk: int) -> QuerySet:
    return (
        Plan.objects.filter(scope)
        .filter(individual=pk)
        .exclude(status=Plan.Status.SUPERSEDED)
        .order_by("-created_at", "-pk")[:1]
    )


def my_plans(user: User) -> dict[str, list[Plan]]:
    """`own`: every version of the user's own plans; `supported`: the current versions of the
    plans of people they manage or coach now."""
    visible = access.scope(user, "view", plan_queryset())
    own = list(visible.filter(individual=user).order_by("-created_at", "-number"))
    supported = list(
        visible.filter(access.facilitated_people_q(user, prefix="individual__"))
        .exclude(individual=user)
        .exclude(status=Plan.Status.SUPERSEDED)
        .order_by("individual__full_name", "-created_at")
    )
    return {"own": own, "supported": supported}


def plan_versions(user: User, plan: Plan) -> list[Plan]:
    return list(
        access.scope(user, "view", Plan)
        .filter(lineage=plan.lineage)
        .only("pk", "number", "status", "agreed_at", "created_at", "lineage")
        .order_by("number")
    )


def previous_version(plan: Plan) -> Plan | None:
    if plan.number <= 1:
        return None
    previous = (
        plan_queryset().filter(lineage=plan.lineage, number__lt=plan.number).order_by("-number")
    ).first()
    return plan_with_content(previous) if previous else None


# =============================================================================
# What the conversation pages show of the plan (provided to conversations)
# =============================================================================


def plan_for_conversation(conversation: Any) -> Plan | None:
    """The plan started from the conversation, its current (not superseded) version."""
    return (
        Plan.objects.filter(conversation=conversation)
        .exclude(status=Plan.Status.SUPERSEDED)
        .order_by("-created_at")
        .first()
    )


def conversation_has_plan(conversation: Any) -> bool:
    """Has a plan been started from the conversation (stage 3 completes only then)?"""
    return Plan.objects.filter(conversation=conversation).exists()


def dashboard_plan_columns() -> dict[str, Any]:
    """The facilitator's dashboard's plan columns, as expressions on a person
    (`OuterRef("pk")`): the latest plan's id and status, whether a version was ever agreed,
    and the next review due on the agreed plan."""
    latest_plan = (
        Plan.objects.filter(individual=OuterRef("pk"))
        .exclude(status=Plan.Status.SUPERSEDED)
        .order_by("-created_at")
    )
    return {
        "plan_id": Subquery(latest_plan.values("pk")[:1]),
        "plan_status": Subquery(latest_plan.values("status")[:1]),
        "has_agreed_plan": Exists(
            Plan.objects.filter(individual=OuterRef("pk"), agreed_at__isnull=False)
        ),
        "next_review": Subquery(
            Review.objects.filter(
                plan__individual=OuterRef("pk"),
                plan__status=Plan.Status.AGREED,
                held_on__isnull=True,
            )
            .order_by("due_on")
            .values("due_on")[:1]
        ),
    }


def plan_checkins(plan: Plan) -> list[PlanCheckIn]:
    """Every check-in on any version of the plan, newest first (a reopened draft shows the
    check-ins of the version it came from). For a viewer the view has let read them
    (`check_in` or the individual and facilitators' copy), never HR."""
    return list(
        PlanCheckIn.objects.filter(plan__lineage=plan.lineage)
        .select_related("author")
        .order_by("-held_on", "-created_at")
    )
