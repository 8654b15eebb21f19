"""HR: the agreed plans of the organisation (list, page, position matrix, filters) and HR's
bulk export jobs."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from devplans.content import position_label
from devplans.models import ExportJob, Objective, Plan, Review
from devplans.selectors.plans import impact_levels_for
from scopegrowth import access, precompiled
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
    scope = access.scope_q(user, "export", Plan)
    if scope is access.NOTHING:
        return Plan.objects.none()
    return _latest_agreed(scope, hr_filters_q(filters))


def apply_hr_filters(qs: QuerySet, filters: dict) -> QuerySet:
    return qs.filter(hr_filters_q(filters))


def hr_filters_q(filters: dict) -> Q:
    """The filters as one `Q` of plain values (a precompiled query's argument)."""
    f = filters or {}
    q = Q()
    if f.get("directorate"):
        q &= Q(individual__team__directorate_id=f["directorate"])
    if f.get("team"):
        q &= Q(individual__team_id=f["team"])
    for key in ("current_growth", "future_growth"):
        if f.get(key):
            q &= Q(**{key: f[key]})
    for key in ("current_impact", "future_impact"):
        if f.get(key):
            q &= Q(**{f"{key}_id": f[key]})
    if f.get("agreed_from"):
        q &= Q(agreed_at__date__gte=date.fromisoformat(f["agreed_from"]))
    if f.get("agreed_to"):
        q &= Q(agreed_at__date__lte=date.fromisoformat(f["agreed_to"]))
    if f.get("name"):
        q &= Q(individual__full_name__icontains=f["name"])
    return q


def _latest_agreed(scope: Q, filters: Q) -> QuerySet:
    newer_agreed = Plan.objects.filter(
        lineage=OuterRef("lineage"), agreed_at__isnull=False, number__gt=OuterRef("number")
    )
    return Plan.objects.filter(scope).filter(~Exists(newer_agreed)).filter(filters)


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


def _newest_plan() -> QuerySet:
    return Plan.objects.order_by("-pk").values_list("pk", flat=True)[:1]


def _figures_key(user: User, filters: dict) -> str:
    newest = precompiled.first(("hr_newest_plan",), _newest_plan) or 0
    version = cache.get(_version_key(user.organisation_id)) or "0"
    given = hashlib.sha256(json.dumps(filters, sort_keys=True, default=str).encode()).hexdigest()
    return f"devplans:hr-figures:{user.organisation_id}:{version}:{newest}:{user.pk}:{given}"


def hr_figures(user: User, filters: dict, base: QuerySet | None = None) -> HrFigures:
    """The matrix counts and the ordered ids of `base` (the viewer's filtered scope,
    `hr_base`, built only when the figures are read again), from the cache when they were
    read less than a minute ago and nothing was agreed since."""
    key = _figures_key(user, filters)
    found = cache.get(key)
    if isinstance(found, HrFigures):
        return found
    if base is None:
        base = hr_base(user, filters)
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


def hr_page(user: User, filters: dict, number, per_page: int, *, ordered_ids: list[int]) -> Page:
    """One page of the HR list, a slice of `ordered_ids` (`hr_figures`): only those rows get
    the joins and the per-plan subqueries, and they are read through the viewer's scope and
    the filters again, so a plan no longer in it is not shown. One precompiled query, whatever
    the number of plans (the ids padded to the page size: one shape)."""
    page = Paginator(ordered_ids, per_page).get_page(number)
    ids = list(page.object_list)
    scope = access.scope_q(user, "export", Plan)
    if scope is access.NOTHING or not ids:
        page.object_list = []
        return page
    filters_q, padded = hr_filters_q(filters), ids + [ids[-1]] * (per_page - len(ids))
    if filters.get("name"):  # `icontains` wraps the text in its SQL value: built as usual
        rows = list(_page_rows(scope, filters_q, padded))
    else:
        rows = precompiled.fetch(("hr_page",), _page_rows, scope, filters_q, padded)
    by_id = {row[0]: row for row in rows}
    labels: dict[tuple, str] = {}  # a position's words, once per page
    page.object_list = [_page_row(by_id[pk], labels) for pk in ids if pk in by_id]
    return page


# The columns the list shows, as plain values: no model instances (eight a row with the joins),
# the rows are written in Python (`devplans.forms.markup.hr_rows_html`, issue 20).
_PAGE_COLUMNS = (
    "pk",
    "individual__full_name",
    "individual__job_title",
    "individual__team_id",
    "individual__team__name",
    "individual__team__directorate__name",
    "agreed_at",
    "current_growth",
    "current_impact__name",
    "future_growth",
    "future_impact__name",
    "objective_count",
)


def _page_rows(scope: Q, filters: Q, ids: list[int]) -> QuerySet:
    objective_count = (
        Objective.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        _latest_agreed(scope, filters)
        .filter(pk__in=ids)
        .annotate(
            objective_count=Coalesce(
                Subquery(objective_count, output_field=IntegerField()), Value(0)
            )
        )
        .order_by()
        .values_list(*_PAGE_COLUMNS)
    )


def _label(labels: dict[tuple, str], growth: str, impact: str | None) -> str:
    if (growth, impact) not in labels:
        labels[(growth, impact)] = position_label(growth, impact)
    return labels[(growth, impact)]


def _page_row(values: tuple, labels: dict[tuple, str]) -> SimpleNamespace:
    """One row of the list: `plan.pk`, `plan.individual.full_name`, `.team.name`, ... as the
    template and the tests read a plan, and the two position labels."""
    (pk, name, title, team_id, team, directorate, agreed_at) = values[:7]
    (growth, impact, future_growth, future_impact, objectives) = values[7:]
    team_row = (
        SimpleNamespace(pk=team_id, name=team, directorate=SimpleNamespace(name=directorate))
        if team_id is not None
        else None
    )
    return SimpleNamespace(
        pk=pk,
        individual=SimpleNamespace(full_name=name, job_title=title, team=team_row),
        agreed_at=agreed_at,
        current_growth=growth,
        future_growth=future_growth,
        now_label=_label(labels, growth, impact),
        future_label=_label(labels, future_growth, future_impact),
        objective_count=objectives,
    )


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
    levels = _impact_levels_of(user.organisation_id)
    positions = [
        (growth.value, level_id, f"{growth.label.split(':')[0]}, {name.lower()}")
        for growth in GrowthCategory
        for level_id, name in levels
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


def _impact_levels(organisation_id: int | None) -> QuerySet:
    return impact_levels_for(SimpleNamespace(organisation_id=organisation_id)).values_list(
        "pk", "name"
    )


def hr_directorate_options(organisation_id: int | None) -> list[tuple[int, str]]:
    """(id, label) of the organisation's directorates, for the filter's select."""
    return _plain_rows(("hr_directorates",), _directorate_rows, organisation_id)


def _plain_rows(key: tuple, build, organisation_id: int | None) -> list[tuple]:
    """Ids and names need no conversion: the database's tuples as they come (`precompiled.rows`;
    a trust's hundreds of teams went through the ORM's row iterator, issue 20)."""
    if organisation_id is None:
        return precompiled.fetch(key, build, organisation_id)
    return precompiled.rows(key, build, organisation_id)


def _directorate_rows(organisation_id: int | None) -> QuerySet:
    return Directorate.objects.filter(organisation_id=organisation_id).values_list("pk", "name")


def hr_team_options(organisation_id: int | None) -> list[tuple[int, str]]:
    """(id, "Team (Directorate)") of the organisation's teams (`TeamChoiceField`'s labels)."""
    rows = _plain_rows(("hr_teams",), _team_rows, organisation_id)
    return [(pk, f"{name} ({directorate})") for pk, name, directorate in rows]


def _team_rows(organisation_id: int | None) -> QuerySet:
    return Team.objects.filter(directorate__organisation_id=organisation_id).values_list(
        "pk", "name", "directorate__name"
    )


def hr_impact_options(organisation_id: int | None) -> list[tuple[int, str]]:
    return [(pk, name) for pk, name in _impact_levels_of(organisation_id)]


def _impact_levels_of(organisation_id: int | None) -> list[tuple[int, str]]:
    """(id, name) of the levels the organisation uses (an `ImpactLevel` shows its name)."""
    return _plain_rows(("hr_impact_levels",), _impact_levels, organisation_id)


HR_CHOICE_SETS = ("directorates", "teams", "impact_levels")


def hr_filter_choices(user: User, wanted=HR_CHOICE_SETS) -> dict[str, QuerySet]:
    """The querysets the filter's selects check a value sent against (only those `wanted`)."""
    org_id = user.organisation_id
    made = {
        "directorates": lambda: Directorate.objects.filter(organisation_id=org_id),
        "teams": lambda: Team.objects.filter(directorate__organisation_id=org_id).select_related(
            "directorate"
        ),
        "impact_levels": lambda: impact_levels_for(user),
    }
    return {name: made[name]() for name in wanted}


def export_jobs_for(user: User, limit: int = 10) -> list[ExportJob]:
    return list(access.scope(user, "view", ExportJob).order_by("-created_at")[:limit])
