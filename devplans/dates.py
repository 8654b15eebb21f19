"""Dates as the plan and person pages print them, written in Python once per value rather than
by the `date` template filter per cell (issue 20): the same text as `{{ value|date:"j F Y" }}`
and `{{ value|date:"j F Y, H:i" }}` (a moment in local time, as templates show it), checked
against the filter by `tests/devplans/test_dates.py`."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.dates import MONTHS


def day(value: date | None) -> str:
    """`value|date:"j F Y"` ("" for None)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS[value.month]} {value.year:04d}"


def moment(value: datetime | None) -> str:
    """`value|date:"j F Y, H:i"` ("" for None)."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{day(value)}, {value.hour:02d}:{value.minute:02d}"


def machine(value: date) -> str:
    """`value|date:"Y-m-d"` for a day, `value|date:"Y-m-d\\TH:i:sO"` for a moment (the `datetime`
    attribute of a `<time>`)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    head = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if not isinstance(value, datetime):
        return head
    offset = value.utcoffset()
    zone = ""  # none for a naive moment, or one the clock change makes ambiguous (as Django)
    if offset is not None and offset == value.replace(fold=not value.fold).utcoffset():
        seconds = int(offset.total_seconds())
        sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
        zone = f"{sign}{seconds // 3600:02d}{(seconds // 60) % 60:02d}"
    return f"{head}T{value.hour:02d}:{value.minute:02d}:{value.second:02d}{zone}"
