"""Read models for the plan pages: each starts from an `access` scope and loads what the page
shows in a fixed number of queries."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from devplans.models import ExportJob, Objective, Plan, ProgressNote, Review
from scopegrowth import access
from scopegrowth.models import Directorate, GrowthCategory, ImpactLevel, Team, User

HR_FILTER_KEYS = (
    "directorate",
    "team",
    "current_growth",
    "current_impact",
    "future_growth",
    "future_impact",
    "agreed_from",
    "agreed_to",
    "name",
)


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
    )


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


def impact_levels_for(user: User | None) -> QuerySet:
    """The default impact levels plus the organisation's own."""
    org_id = getattr(user, "organisation_id", None)
    return ImpactLevel.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=org_id))


# =============================================================================
# The individual's and the facilitator's plans
# =============================================================================


def current_plan_for(user: User) -> Plan | None:
    """The person's own current plan (the newest version that is not superseded), for home."""
    return (
        access.scope(user, "view", plan_queryset())
        .filter(individual=user)
        .exclude(status=Plan.Status.SUPERSEDED)
        .order_by("-created_at", "-pk")
        .first()
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


# =============================================================================
# The difference between two versions
# =============================================================================


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    segments: list[tuple[str, str]] = field(default_factory=list)  # (op, text): equal/del/ins


@dataclass
class ObjectiveChange:
    description: str
    changes: list[FieldChange]


@dataclass
class PlanDiff:
    fields: list[FieldChange]
    added: list[Objective]
    removed: list[Objective]
    changed: list[ObjectiveChange]

    @property
    def is_empty(self) -> bool:
        return not (self.fields or self.added or self.removed or self.changed)


def word_segments(old: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff of two texts as (op, text) pairs; the template escapes the text."""
    a, b = old.split(" "), new.split(" ")
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", " ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            segments.append(("del", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("ins", " ".join(b[j1:j2])))
    return segments


def _change(label: str, old: Any, new: Any, words: bool = False) -> FieldChange | None:
    old_text, new_text = _text(old), _text(new)
    if old_text == new_text:
        return None
    return FieldChange(
        label, old_text, new_text, word_segments(old_text, new_text) if words else []
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


PLAN_TEXT_FIELDS = [
    ("current_evidence", "Evidence for the current position"),
    ("future_why", "Why this position in two years"),
    ("reflections", "Reflections"),
    ("aspirations", "Aspirations"),
]

OBJECTIVE_FIELDS = [
    ("description", "What"),
    ("aspiration", "Why"),
    ("get_term_display", "Short or long term"),
    ("success_measure", "How success will be seen"),
    ("target_date", "Target date"),
    ("support_needed", "Support needed"),
]


def plan_diff(old: Plan, new: Plan) -> PlanDiff:
    """What changed from `old` to `new` (both with `plan_with_content` prefetches)."""
    from devplans.content import position_label

    fields = [
        _change(
            "Current position",
            position_label(old.current_growth, old.current_impact),
            position_label(new.current_growth, new.current_impact),
        ),
        _change(
            "Position in two years",
            position_label(old.future_growth, old.future_impact),
            position_label(new.future_growth, new.future_impact),
        ),
    ]
    for name, label in PLAN_TEXT_FIELDS:
        fields.append(_change(label, getattr(old, name), getattr(new, name), words=True))
    old_reviews = ", ".join(_text(r.due_on) for r in old.reviews.all())
    new_reviews = ", ".join(_text(r.due_on) for r in new.reviews.all())
    fields.append(_change("Review dates", old_reviews, new_reviews))

    old_objectives = {o.pk: o for o in old.objectives.all()}
    matched: set[int] = set()
    added, changed = [], []
    for objective in new.objectives.all():
        before = old_objectives.get(objective.copied_from_id)
        if before is None:
            added.append(objective)
            continue
        matched.add(before.pk)
        changes = [
            _change(label, _value(before, name), _value(objective, name), words=True)
            for name, label in OBJECTIVE_FIELDS
        ]
        changes.append(
            _change(
                "Initiatives",
                ", ".join(i.name for i in before.initiatives.all()),
                ", ".join(i.name for i in objective.initiatives.all()),
            )
        )
        changes = [c for c in changes if c]
        if changes:
            changed.append(ObjectiveChange(objective.description, changes))
    removed = [o for pk, o in old_objectives.items() if pk not in matched]
    return PlanDiff([f for f in fields if f], added, removed, changed)


def _value(objective: Objective, name: str) -> Any:
    value = getattr(objective, name)
    return value() if callable(value) else value


def save_conflict(current: Plan, fields: dict, objectives: list) -> list[FieldChange]:
    """For a refused stale save: each part where the saved plan (`old`: theirs) differs from
    what this person submitted (`new`: yours, not saved)."""
    from devplans.content import position_label

    rows = [
        _change(
            "Current position",
            position_label(current.current_growth, current.current_impact),
            position_label(fields.get("current_growth", ""), fields.get("current_impact")),
        ),
        _change(
            "Position in two years",
            position_label(current.future_growth, current.future_impact),
            position_label(fields.get("future_growth", ""), fields.get("future_impact")),
        ),
    ]
    for name, label in PLAN_TEXT_FIELDS:
        rows.append(_change(label, getattr(current, name), fields.get(name, ""), words=True))
    saved = [o.description for o in current.objectives.order_by("order", "pk")]
    yours = [o.description for o in objectives if not o.delete]
    rows.append(_change("Objectives", "\n".join(saved), "\n".join(yours)))
    return [r for r in rows if r]


# =============================================================================
# HR: agreed plans of the organisation
# =============================================================================


def hr_base(user: User, filters: dict) -> QuerySet:
    """The latest agreed version of each plan lineage the HR user may export, filtered."""
    newer_agreed = Plan.objects.filter(
        lineage=OuterRef("lineage"), agreed_at__isnull=False, number__gt=OuterRef("number")
    )
    qs = access.scope(user, "export", Plan).filter(~Exists(newer_agreed))
    return apply_hr_filters(qs, filters)


def apply_hr_filters(qs: QuerySet, filters: dict) -> QuerySet:
    f = filters or {}
    if f.get("directorate"):
        qs = qs.filter(individual__team__directorate_id=f["directorate"])
    if f.get("team"):
        qs = qs.filter(individual__team_id=f["team"])
    for key in ("current_growth", "future_growth"):
        if f.get(key):
            qs = qs.filter(**{key: f[key]})
    for key in ("current_impact", "future_impact"):
        if f.get(key):
            qs = qs.filter(**{f"{key}_id": f[key]})
    if f.get("agreed_from"):
        qs = qs.filter(agreed_at__date__gte=date.fromisoformat(f["agreed_from"]))
    if f.get("agreed_to"):
        qs = qs.filter(agreed_at__date__lte=date.fromisoformat(f["agreed_to"]))
    if f.get("name"):
        qs = qs.filter(individual__full_name__icontains=f["name"])
    return qs


def agreed_plans_for_hr(
    user: User, filters: dict | None = None, *, base: QuerySet | None = None
) -> QuerySet:
    """The HR list's rows: people, team, positions, objective count and next review.
    `base`: `hr_base(user, filters)` when the caller already has it (one access check)."""
    objective_count = (
        Objective.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    next_review = (
        Review.objects.filter(plan=OuterRef("pk"), held_on__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    return (
        (base if base is not None else hr_base(user, filters or {}))
        .select_related(
            "individual__team__directorate",
            "facilitator",
            "conversation",
            "current_impact",
            "future_impact",
        )
        .annotate(
            objective_count=Coalesce(
                Subquery(objective_count, output_field=IntegerField()), Value(0)
            ),
            next_review=Subquery(next_review),
        )
        .order_by("individual__full_name", "pk")
    )


class _KnownCount:
    """A queryset of ids whose count is already known, for `Paginator` (no COUNT query)."""

    def __init__(self, queryset: QuerySet, count: int) -> None:
        self.queryset, self.total = queryset, count

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        return list(self.queryset[index])


def hr_page(user: User, base: QuerySet, number, per_page: int, *, count: int) -> Page:
    """One page of the HR list; `count` is how many plans match (the position matrix's total).

    The page's ids come from a slim sort of the filtered plans; only those rows get the joins
    and the per-plan subqueries, which otherwise run for every matching plan before the sort.
    Two queries, whatever the number of plans."""
    ordered_ids = base.order_by("individual__full_name", "pk").values_list("pk", flat=True)
    page = Paginator(_KnownCount(ordered_ids, count), per_page).get_page(number)
    by_id = {
        plan.pk: plan
        for plan in agreed_plans_for_hr(user, base=base.filter(pk__in=page.object_list))
    }
    page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]
    return page


def plans_for_export(qs: QuerySet) -> QuerySet:
    return qs.select_related("individual").order_by("individual__full_name", "pk")


@dataclass
class PositionMatrix:
    """Counts of current position (rows) x position in two years (columns)."""

    positions: list[tuple[str, int | None, str]]  # (growth, impact id, label)
    rows: list[dict]
    column_totals: list[int]
    total: int


def position_matrix(
    user: User, filters: dict | None = None, *, base: QuerySet | None = None
) -> PositionMatrix:
    """One aggregate query over the filtered set."""
    counts: dict[tuple, int] = {}
    for row in (
        (base if base is not None else hr_base(user, filters or {}))
        .order_by()
        .values("current_growth", "current_impact", "future_growth", "future_impact")
        .annotate(n=Count("pk"))
    ):
        now = (row["current_growth"] or "", row["current_impact"])
        then = (row["future_growth"] or "", row["future_impact"])
        counts[(now, then)] = counts.get((now, then), 0) + row["n"]
    levels = list(impact_levels_for(user))
    positions = [
        (growth.value, level.pk, f"{growth.label.split(':')[0]}, {level.name.lower()}")
        for growth in GrowthCategory
        for level in levels
    ]
    known = {(g, i) for g, i, _ in positions}
    if any(now not in known or then not in known for now, then in counts):
        positions.append(("", None, "Not recorded"))

    def key(position: tuple) -> tuple:
        k = (position[0], position[1])
        return k if k in known else ("", None)

    normalised: dict[tuple, int] = {}
    for (now, then), n in counts.items():
        k = (key(now), key(then))
        normalised[k] = normalised.get(k, 0) + n
    rows = []
    for g, i, label in positions:
        cells = [normalised.get(((g, i), (g2, i2)), 0) for g2, i2, _ in positions]
        rows.append({"label": label, "cells": cells, "total": sum(cells)})
    column_totals = [sum(r["cells"][c] for r in rows) for c in range(len(positions))]
    return PositionMatrix(positions, rows, column_totals, sum(column_totals))


def hr_filter_choices(user: User) -> dict[str, QuerySet]:
    org_id = user.organisation_id
    return {
        "directorates": Directorate.objects.filter(organisation_id=org_id),
        "teams": Team.objects.filter(directorate__organisation_id=org_id).select_related(
            "directorate"
        ),
        "impact_levels": impact_levels_for(user),
    }


def export_jobs_for(user: User, limit: int = 10) -> list[ExportJob]:
    return list(access.scope(user, "view", ExportJob).order_by("-created_at")[:limit])
