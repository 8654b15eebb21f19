"""Calendar helpers shared by the apps' rules: Europe/London dates, Monday-to-Friday working
days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def previous_working_day(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def local_midnight(day: date) -> datetime:
    """The aware start of `day` in the project's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def relative_day(day: date, today: date) -> str:
    """How far off `day` is, in words true on `today`: "today", "tomorrow", "on Wednesday"
    (within the week), "in a week" (seven days), else "on Tuesday 3 March 2026". For "is ..."
    sentences, so an email written on any day of its window says the right thing."""
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if 2 <= days <= 6:
        return f"on {day:%A}"
    if days == 7:
        return "in a week"
    return f"on {day:%A} {day.day} {day:%B %Y}"
