"""The canonical content of a plan version: what both people sign, and what the diff compares.

`plan_content(plan)` is a plain, JSON-ready dict (positions, texts, objectives with their
initiatives, review dates); `plan_content_hash(plan)` is the SHA-256 of its deterministic JSON.
Progress (objective status, progress notes) and held reviews are not part of it: they change
after agreement without reopening the plan.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from datetime import date

from devplans.models import Objective, Plan, Review
from scopegrowth.models import GrowthCategory

CONTENT_FORMAT = 1


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's last day (31 Aug + 6 months = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _impact_name(plan: Plan, field: str) -> str:
    impact = getattr(plan, field)
    return impact.name if impact is not None else ""


def objective_content(objective: Objective) -> dict:
    return {
        "description": objective.description,
        "aspiration": objective.aspiration,
        "term": objective.term,
        "success_measure": objective.success_measure,
        "target_date": objective.target_date.isoformat() if objective.target_date else "",
        "support_needed": objective.support_needed,
        "initiatives": sorted(i.name for i in objective.initiatives.all()),
    }


def plan_content(plan: Plan) -> dict:
    """Everything both people agree to, read fresh from the database (never a stale cache)."""
    objectives = Objective.objects.filter(plan_id=plan.pk).prefetch_related("initiatives")
    reviews = Review.objects.filter(plan_id=plan.pk).order_by("due_on", "pk")
    return {
        "format": CONTENT_FORMAT,
        "plan": {"lineage": str(plan.lineage), "number": plan.number},
        "individual": plan.individual_id,
        "current": {
            "growth": plan.current_growth,
            "impact": _impact_name(plan, "current_impact"),
            "evidence": plan.current_evidence,
        },
        "future": {
            "growth": plan.future_growth,
            "impact": _impact_name(plan, "future_impact"),
            "why": plan.future_why,
        },
        "reflections": plan.reflections,
        "aspirations": plan.aspirations,
        "horizon_end": plan.horizon_end.isoformat() if plan.horizon_end else "",
        "objectives": [objective_content(o) for o in objectives],
        "reviews": [r.due_on.isoformat() for r in reviews],
    }


def canonical_json(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def plan_content_hash(plan: Plan) -> str:
    return hashlib.sha256(canonical_json(plan_content(plan))).hexdigest()


def position_label(growth: str, impact) -> str:
    """ "Depth, established in role" (or "Not recorded")."""
    if not growth and impact is None:
        return "Not recorded"
    parts = []
    if growth:
        parts.append(GrowthCategory(growth).label.split(":")[0])
    if impact is not None:
        parts.append(str(impact).lower() if parts else str(impact))
    return ", ".join(parts)
