"""Dates as the NHS.UK date input posts them: `<name>_day`, `<name>_month`, `<name>_year`."""

from __future__ import annotations

from datetime import date


def date_fields(value: date | str | None, name: str) -> dict[str, str]:
    """`value` (a date, or "YYYY-MM-DD" text, or "" / None for empty boxes) as the three boxes
    a person types into. Text that is not ISO is typed into the day box as it is."""
    if isinstance(value, date):
        return {
            f"{name}_day": str(value.day),
            f"{name}_month": str(value.month),
            f"{name}_year": str(value.year),
        }
    text = str(value or "")
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        year, month, day = parts
        return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}
    return {f"{name}_day": text, f"{name}_month": "", f"{name}_year": ""}


def typed(day: str, month: str, year: str, name: str) -> dict[str, str]:
    """Exactly what was typed into the three boxes (for mistakes such as "31 2 2027")."""
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def split_dates(data: dict, *names: str) -> dict:
    """`data` with each date field in `names` (a key, or a key's ending such as "-due_on")
    posted as its three boxes instead of one value. A value may also be the boxes themselves:
    {"day": "31", "month": "2", "year": "2027"}."""
    out = {}
    for key, value in data.items():
        if not any(key == n or key.endswith(f"-{n}") for n in names):
            out[key] = value
        elif isinstance(value, dict):
            out.update({f"{key}_{part}": text for part, text in value.items()})
        else:
            out.update(date_fields(value, key))
    return out
