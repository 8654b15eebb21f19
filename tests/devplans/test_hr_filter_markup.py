"""The HR filter form's fields written in Python (`scopegrowth.field_markup`, issue 20) give the
crispy "nhsuk" pack's markup: the same tags, attributes and text (whitespace aside)."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template

from devplans.forms import hr as hr_forms

pytestmark = pytest.mark.django_db

CASES = [
    None,  # unbound
    {"current_growth": "depth", "name": "Ann"},
    {"agreed_from": "2027-03-15", "agreed_to_day": "1", "agreed_to_month": "2"},
    {  # every kind of error
        "name": "x" * 101,
        "directorate": "99999",
        "team": "abc",
        "current_growth": "zz",
        "current_impact": "0",
        "agreed_from_day": "31",
        "agreed_from_month": "2",
        "agreed_from_year": "2026",
        "agreed_to": "2020-01-01",
    },
]


def _normal(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*>\s*", ">", re.sub(r"\s*<\s*", "<", html)).strip()


def _crispy(form) -> str:
    template = Template(
        "{% load crispy_forms_filters %}{% for field in form %}{{ field|as_crispy_field }}"
        "{% endfor %}"
    )
    return template.render(Context({"form": form}))


@pytest.mark.parametrize("data", CASES)
def test_the_fields_are_the_crispy_packs_markup(people, data):
    def form():
        made = hr_forms.PlanFilterForm(data, user=people.hr)
        if data is not None:
            made.is_valid()
        return made

    assert _normal(form().fields_html()) == _normal(_crispy(form()))
    if data and "team" in data:
        assert "nhsuk-form-group--error" in form().fields_html()
