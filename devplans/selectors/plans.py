"""The individual's and the facilitator's plans, one plan with its content, and what the
conversation pages and the facilitator's dashboard show of a plan (provided to conversations,
see devplans/providers.py)."""

from __future__ import annotations

import copy
import enum
from typing import Any

from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, When

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


def _buttons(plan_id: int, *rules: Q) -> QuerySet:
    asks = {f"a{i}": Case(When(q, then=True), default=False) for i, q in enumerate(rules)}
    return Plan.objects.filter(pk=plan_id).values(**asks)[:1]


def _plain(q: Q) -> Q:
    """`q` with its choice values (`Plan.Status.DRAFT`) as plain strings, which `precompiled`
    takes as arguments (a `str` subclass would make it build the query every call)."""
    plain = copy.copy(q)
    plain.children = [
        _plain(c)
        if isinstance(c, Q)
        else (c[0], c[1].value if isinstance(c[1], enum.Enum) else c[1])
        for c in q.children
    ]
    return plain


def plan_actions(user: User, plan: Plan, actions: tuple[str, ...]) -> dict[str, bool]:
    """`access.can(user, action, plan)` for each action (the plan page's buttons), in one
    query built once per process: each rule is `access.scope_q`'s."""
    rules = {action: access.scope_q(user, action, Plan) for action in actions}
    asked = [action for action, q in rules.items() if q is not access.NOTHING]
    answers = dict.fromkeys(actions, False)
    if asked:
        row = precompiled.first(
            ("plan_actions", *asked), _buttons, plan.pk, *(_plain(rules[a]) for a in asked)
        )
        row = row or {}
        answers.update((a, bool(row.get(f"a{i}"))) for i, a in enumerate(asked))
    return answers


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


def _remember(obj: Any, name: str, rows: list) -> None:
    """Keep `rows` as what `obj.<name>.all()` gives, as `prefetch_related` does: the related
    manager's own (filtered) queryset, its results filled in."""
    found = getattr(obj, name).get_queryset()
    found._result_cache = rows
    found._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = found


def _objectives_of(plan_id: int) -> QuerySet:
    return Objective.objects.filter(plan=plan_id).order_by("order", "pk")


def _initiatives_of(plan_id: int) -> QuerySet:
    through = Objective.initiatives.through
    return (
        through.objects.filter(objective__plan=plan_id)
        .select_related("initiative")
        .order_by("initiative__order", "initiative__name", "initiative_id")
    )


def _notes_of(plan_id: int) -> QuerySet:
    return (
        ProgressNote.objects.filter(objective__plan=plan_id)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def _reviews_of(plan_id: int) -> QuerySet:
    return Review.objects.filter(plan=plan_id).select_related("recorded_by").order_by("due_on")


def plan_with_content(plan: Plan) -> Plan:
    """Objectives (with initiatives and notes) and reviews onto `plan`, as `prefetch_related`
    would put them (`plan.objectives.all()`, ...), in four queries built once per process."""
    objectives = precompiled.fetch(("plan_objectives",), _objectives_of, plan.pk)
    initiatives: dict[int, list] = {o.pk: [] for o in objectives}
    for link in precompiled.fetch(("plan_initiatives",), _initiatives_of, plan.pk):
        initiatives[link.objective_id].append(link.initiative)
    notes: dict[int, list] = {o.pk: [] for o in objectives}
    for note in precompiled.fetch(("plan_notes",), _notes_of, plan.pk):
        notes[note.objective_id].append(note)
    for objective in objectives:
        objective._state.fields_cache["plan"] = plan
        for note in notes[objective.pk]:
            note._state.fields_cache["objective"] = objective
        _remember(objective, "initiatives", initiatives[objective.pk])
        _remember(objective, "notes", notes[objective.pk])
        # And as plain lists, for a template to read without a related manager each time.
        objective.initiative_list = initiatives[objective.pk]
        objective.note_list = notes[objective.pk]
    reviews = precompiled.fetch(("plan_reviews",), _reviews_of, plan.pk)
    for review in reviews:
        review._state.fields_cache["plan"] = plan
    _remember(plan, "objectives", objectives)
    _remember(plan, "reviews", reviews)
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


def _same_lineage(plan_id: int) -> QuerySet:
    """The lineage of plan `plan_id`, as a subquery (a UUID is not a precompiled argument)."""
    return Plan.objects.filter(pk=plan_id).values("lineage")


def _versions(q: Q, plan_id: int) -> QuerySet:
    return (
        Plan.objects.filter(q, lineage__in=_same_lineage(plan_id))
        .only("pk", "number", "status", "agreed_at", "created_at", "lineage")
        .order_by("number")
    )


def plan_versions(user: User, plan: Plan) -> list[Plan]:
    """The versions of the plan's lineage the user may view, oldest first."""
    q = access.scope_q(user, "view", Plan)
    if q is access.NOTHING:
        return []
    return precompiled.fetch(("plan_versions",), _versions, q, plan.pk)


def _previous(plan_id: int) -> QuerySet:
    # The number is read in a subquery too: a stand-in (negative) `number__lt` would make the
    # query match nothing for every call (a positive field's `lt` a negative value is empty).
    this = Plan.objects.filter(pk=plan_id)
    return (
        plan_queryset()
        .filter(lineage__in=this.values("lineage"), number__lt=Subquery(this.values("number")[:1]))
        .order_by("-number")[:1]
    )


def previous_version(plan: Plan) -> Plan | None:
    """The version before `plan` (read with it: the viewer may view the plan), with content."""
    if plan.number <= 1:
        return None
    previous = precompiled.first(("plan_previous",), _previous, plan.pk)
    return plan_with_content(previous) if previous else None


# =============================================================================
# What the conversation pages show of the plan (provided to conversations)
# =============================================================================


def plan_for_conversation(conversation: Any) -> Plan | None:
    """The plan started from the conversation, its current (not superseded) version (its SQL
    built once per process: `precompiled`)."""
    return precompiled.first(
        ("plan_for_conversation",), _plan_for_conversation_query, conversation.pk
    )


def _plan_for_conversation_query(conversation_pk: int) -> QuerySet:
    return (
        Plan.objects.filter(conversation=conversation_pk)
        .exclude(status=Plan.Status.SUPERSEDED.value)
        .order_by("-created_at", "-pk")[:1]
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
        # A version ever agreed: the id of one (None when none), a scalar subquery read per
        # person through the individual's index. As `Exists`, PostgreSQL hashed every agreed
        # plan of the organisation (a full scan, most of the dashboard's query at 10,000).
        "has_agreed_plan": Subquery(
            Plan.objects.filter(individual=OuterRef("pk"), agreed_at__isnull=False).values("pk")[:1]
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


def _checkins(plan_id: int) -> QuerySet:
    return (
        PlanCheckIn.objects.filter(plan__lineage__in=_same_lineage(plan_id))
        .select_related("author")
        .order_by("-held_on", "-created_at")
    )


def plan_checkins(plan: Plan) -> list[PlanCheckIn]:
    """Every check-in on any version of the plan, newest first (a reopened draft shows the
    check-ins of the version it came from). For a viewer the view has let read them
    (`check_in` or the individual and facilitators' copy), never HR."""
    return precompiled.fetch(("plan_checkins",), _checkins, plan.pk)
