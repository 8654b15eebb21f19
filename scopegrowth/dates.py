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
