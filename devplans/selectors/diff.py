"""The difference between two versions of a plan, and between a saved plan and a refused stale
save (pure functions over prefetched plans: no queries of their own)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from devplans.models import Objective, Plan

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
