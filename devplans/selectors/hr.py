"""HR: the agreed plans of the organisation (list, page, position matrix, filters) and HR's
bulk export jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from devplans.models import ExportJob, Objective, Plan, Review
from devplans.selectors.plans import impact_levels_for
from scopegrowth import access
from scopegrowth.models import Directorate, GrowthCategory, Team, User

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
