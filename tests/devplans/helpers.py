"""Building the edit page's POST data and reading pages and PDFs as a person would."""

from __future__ import annotations

import io
import re
from html import unescape

from pypdf import PdfReader

from devplans.models import Plan
from tests.dates import date_fields

PLAN_TEXT = ("current_evidence", "future_why", "reflections", "aspirations")
DATE_FIELDS = ("target_date", "due_on")  # posted as the NHS.UK date input's three boxes


def objective_row(objective=None, **values) -> dict:
    row = {"term": "short"}  # the radio a browser sends: "short" is checked by default
    if objective is not None:
        row = {
            "id": objective.pk,
            "description": objective.description,
            "aspiration": objective.aspiration,
            "term": objective.term,
            "success_measure": objective.success_measure,
            "target_date": objective.target_date.isoformat() if objective.target_date else "",
            "support_needed": objective.support_needed,
            "initiatives": [i.pk for i in objective.initiatives.all()],
        }
    row.update(values)
    return row


def edit_data(
    plan: Plan,
    *,
    objectives: list[dict] | None = None,
    reviews: list[dict] | None = None,
    **fields,
) -> dict:
    """The POST of the edit page for `plan` as saved now, with `fields` changed.

    `objectives` / `reviews`: rows (dicts, `id` for existing ones); default: as saved. Their
    dates (a date, "YYYY-MM-DD" or {"day": .., "month": .., "year": ..}) are posted as the
    NHS.UK date input's day, month and year boxes.
    """
    plan.refresh_from_db()
    data = {
        "version": plan.version,
        "current_growth": plan.current_growth,
        "current_impact": plan.current_impact_id or "",
        "future_growth": plan.future_growth,
        "future_impact": plan.future_impact_id or "",
    }
    for name in PLAN_TEXT:
        data[name] = getattr(plan, name)
    data.update(fields)
    if objectives is None:
        objectives = [objective_row(o) for o in plan.objectives.order_by("order", "pk")]
    if reviews is None:
        reviews = [
            {"id": r.pk, "due_on": r.due_on.isoformat()}
            for r in plan.reviews.filter(held_on__isnull=True).order_by("due_on")
        ]
    _formset(data, "objectives", objectives)
    _formset(data, "reviews", reviews)
    return data


def _formset(data: dict, prefix: str, rows: list[dict]) -> None:
    initial = sum(1 for r in rows if r.get("id"))
    data[f"{prefix}-TOTAL_FORMS"] = len(rows)
    data[f"{prefix}-INITIAL_FORMS"] = initial
    data[f"{prefix}-MIN_NUM_FORMS"] = 0
    data[f"{prefix}-MAX_NUM_FORMS"] = 1000
    # Existing rows first, as the formset expects.
    ordered = [r for r in rows if r.get("id")] + [r for r in rows if not r.get("id")]
    for index, row in enumerate(ordered):
        for key, value in row.items():
            if key == "delete":
                if value:
                    data[f"{prefix}-{index}-DELETE"] = "on"
                continue
            if key in DATE_FIELDS and not isinstance(value, dict):
                data.update(date_fields(value, f"{prefix}-{index}-{key}"))
            elif key in DATE_FIELDS:  # already the three boxes: {"day": .., "month": .., ..}
                data.update({f"{prefix}-{index}-{key}_{p}": v for p, v in value.items()})
            else:
                data[f"{prefix}-{index}-{key}"] = value if value is not None else ""


def page_text(response) -> str:
    """The visible text of an HTML response, tags removed, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return " ".join(text.split())


def pdf_reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:20]
    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    reader = pdf_reader(data)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squash(text: str) -> str:
    """Without any whitespace (PDF text wraps lines anywhere a word may break)."""
    return "".join(text.split())


def stored_export(file_name: str):
    """Where the default "exports" storage keeps `file_name` (PRIVATE_STORAGE_ROOT/exports)."""
    from pathlib import Path

    from django.conf import settings

    return Path(settings.PRIVATE_STORAGE_ROOT) / "exports" / file_name
