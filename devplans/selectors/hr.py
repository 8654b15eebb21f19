"""HR: the agreed plans of the organisation (list, page, position matrix, filters) and HR's
bulk export jobs."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
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


# --- the figures that grow with the organisation, cached ------------------------------------
#
# The position matrix counts every matching plan and the page is picked from every matching
# plan sorted by name: both read the whole organisation. They are kept for a viewer and a set
# of filters for `HR_FIGURES_SECONDS`, computed from the viewer's own `access` scope (the rows
# shown are always read through it again), and forgotten when a plan is created (the newest
# plan id is part of the key: one indexed read), agreed or reopened (`forget_hr_figures`, from
# the services). A person's rename, team move or departure shows within that time.

HR_FIGURES_SECONDS = 60


@dataclass
class HrFigures:
    counts: dict[tuple, int]  # ((growth now, impact now), (growth then, impact then)) -> plans
    ordered_ids: list[int]  # every matching plan, by name: the page is a slice of it


def _version_key(organisation_id: int) -> str:
    return f"devplans:hr-figures:{organisation_id}:version"


def forget_hr_figures(organisation_id: int | None) -> None:
    """A plan of the organisation was agreed or reopened: its HR figures are read again."""
    if organisation_id is not None:
        cache.set(_version_key(organisation_id), uuid.uuid4().hex, None)


def _figures_key(user: User, filters: dict) -> str:
    newest = Plan.objects.aggregate(n=Max("pk"))["n"] or 0
    version = cache.get(_version_key(user.organisation_id)) or "0"
    given = hashlib.sha256(json.dumps(filters, sort_keys=True, default=str).encode()).hexdigest()
    return f"devplans:hr-figures:{user.organisation_id}:{version}:{newest}:{user.pk}:{given}"


def hr_figures(user: User, filters: dict, base: QuerySet) -> HrFigures:
    """The matrix counts and the ordered ids of `base` (the viewer's filtered scope), from the
    cache when they were read less than a minute ago and nothing was agreed since."""
    key = _figures_key(user, filters)
    found = cache.get(key)
    if isinstance(found, HrFigures):
        return found
    counts: dict[tuple, int] = {}
    for row in (
        base.order_by()
        .values("current_growth", "current_impact", "future_growth", "future_impact")
        .annotate(n=Count("pk"))
    ):
        now = (row["current_growth"] or "", row["current_impact"])
        then = (row["future_growth"] or "", row["future_impact"])
        counts[(now, then)] = counts.get((now, then), 0) + row["n"]
    ordered = list(base.order_by("individual__full_name", "pk").values_list("pk", flat=True))
    figures = HrFigures(counts, ordered)
    cache.set(key, figures, HR_FIGURES_SECONDS)
    return figures


def hr_page(user: User, base: QuerySet, number, per_page: int, *, ordered_ids: list[int]) -> Page:
    """One page of the HR list, a slice of `ordered_ids` (`hr_figures`): only those rows get
    the joins and the per-plan subqueries, and they are read through `base` (the viewer's
    scope) again, so a plan no longer in it is not shown. One query, whatever the number of
    plans."""
    page = Paginator(ordered_ids, per_page).get_page(number)
    by_id = {
        plan.pk: plan
        for plan in agreed_plans_for_hr(user, base=base.filter(pk__in=list(page.object_list)))
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
    user: User,
    filters: dict | None = None,
    *,
    base: QuerySet | None = None,
    counts: dict[tuple, int] | None = None,
) -> PositionMatrix:
    """One aggregate query over the filtered set (none when `counts` come from `hr_figures`)."""
    if counts is None:
        base = base if base is not None else hr_base(user, filters or {})
        counts = hr_figures(user, filters or {}, base).counts
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
