"""The shared date and time pieces: relative days worded on the day they are read, the NHS.UK
date input (day, month, year) and the typed time field (issue 15, item 7)."""

from __future__ import annotations

from datetime import date, time

import pytest
from django import forms

from scopegrowth.dates import relative_day
from scopegrowth.forms import DateParts, TimeText

WEDNESDAY = date(2027, 1, 13)


@pytest.mark.parametrize(
    ("today", "words"),
    [
        (date(2027, 1, 13), "today"),
        (date(2027, 1, 12), "tomorrow"),
        (date(2027, 1, 11), "on Wednesday"),
        (date(2027, 1, 7), "on Wednesday"),
        (date(2027, 1, 6), "in a week"),
        (date(2027, 1, 1), "on Wednesday 13 January 2027"),
    ],
)
def test_relative_day_is_true_on_the_day_it_is_read(today, words):
    assert relative_day(WEDNESDAY, today) == words


class Form(forms.Form):
    when = DateParts(label="Date", what="the date of the review")
    at = TimeText(label="Time", what="the time", required=False)


def test_the_date_input_is_the_nhs_pattern_with_the_saved_date_filled_in():
    html = str(Form(initial={"when": date(2027, 3, 9)})["when"])

    assert 'class="nhsuk-date-input" id="id_when"' in html
    for part, value, width in (("day", 9, 2), ("month", 3, 2), ("year", 2027, 4)):
        assert f'name="when_{part}" value="{value}"' in html
        assert f'for="id_when_{part}"' in html
        assert f"nhsuk-input--width-{width}" in html
    assert html.count('inputmode="numeric"') == 3


@pytest.mark.parametrize(
    ("day", "month", "year", "result"),
    [
        ("9", "3", "2027", date(2027, 3, 9)),
        (" 09 ", "03", "2027", date(2027, 3, 9)),
        ("29", "2", "2027", "The date of the review must be a real date, for example 27 3 2026"),
        ("", "3", "2027", "The date of the review must include a day"),
        ("9", "", "", "The date of the review must include a month and year"),
        ("nine", "3", "2027", "The date of the review must be in numbers, for example 27 3 2026"),
        ("", "", "", "Enter the date of the review"),
    ],
)
def test_each_date_mistake_has_its_own_message(day, month, year, result):
    form = Form({"when_day": day, "when_month": month, "when_year": year})
    if isinstance(result, date):
        assert form.is_valid(), form.errors
        assert form.cleaned_data["when"] == result
    else:
        assert not form.is_valid()
        assert form.errors["when"] == [result]


@pytest.mark.parametrize(
    ("typed", "result"),
    [
        ("09:30", time(9, 30)),
        ("9.30", time(9, 30)),
        ("23:59", time(23, 59)),
        ("24:00", "24:00 is not a time of day: the hour must be from 00 to 23"),
        ("12:60", "12:60 is not a time of day: the minutes must be from 00 to 59"),
        ("noon", "Enter the time as hours and minutes with a colon"),
    ],
)
def test_a_typed_time_is_read_or_told_what_is_wrong(typed, result):
    form = Form({"when_day": "9", "when_month": "3", "when_year": "2027", "at": typed})
    if isinstance(result, time):
        assert form.is_valid(), form.errors
        assert form.cleaned_data["at"] == result
    else:
        assert not form.is_valid()
        assert form.errors["at"][0].startswith(result)
