"""`devplans.dates` writes what the `date` template filter writes, for days and moments
across the year (both sides of each clock change), in other time zones and before 1000."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from devplans import dates

FILTERS = Template(
    '{{ v|date:"j F Y" }}|{{ v|date:"j F Y, H:i" }}|{{ v|date:"Y-m-d" }}|'
    '{{ v|date:"Y-m-d\\TH:i:sO" }}'
)


DAY_FILTERS = Template('{{ v|date:"j F Y" }}|{{ v|date:"Y-m-d" }}')


def _filtered(value, template=FILTERS):
    return template.render(Context({"v": value})).split("|")


def _moments():
    start = datetime(2025, 1, 1, 0, 30, 15, tzinfo=UTC)
    for hours in range(0, 24 * 366, 7):
        yield start + timedelta(hours=hours)
    yield datetime(2025, 3, 30, 0, 59, 59, tzinfo=UTC)  # the last second of GMT
    yield datetime(2025, 3, 30, 1, 0, 0, tzinfo=UTC)
    yield datetime(2025, 10, 26, 0, 59, 59, tzinfo=UTC)
    yield datetime(2025, 10, 26, 1, 0, 0, tzinfo=UTC)
    yield datetime(999, 12, 31, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["Europe/London", "America/St_Johns", "UTC"])
def test_moments_are_written_as_the_date_filter_writes_them(settings, zone):
    settings.TIME_ZONE = zone
    with timezone.override(zone):
        for moment in _moments():
            text, with_time, _, iso = _filtered(moment)
            assert dates.day(moment) == text, moment
            assert dates.moment(moment) == with_time, moment
            assert dates.machine(moment) == iso, moment


def test_days_are_written_as_the_date_filter_writes_them():
    day = date(2024, 1, 1)
    for _ in range(400):
        text, machine = _filtered(day, DAY_FILTERS)
        assert dates.day(day) == text
        assert dates.machine(day) == machine
        day += timedelta(days=1)
    assert dates.day(None) == dates.moment(None) == ""
