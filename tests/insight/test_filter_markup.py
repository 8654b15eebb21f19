"""HR insight's filter fields written in Python (`insight.markup.filter_fields_html`, issue 20)
give the crispy "nhsuk" pack's markup, and its selects the organisation's own teams and
directorates, checked against a value sent as before."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template

from insight import markup
from insight.forms import InsightFilterForm
from insight.selectors import latest_snapshot, snapshot_periods
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _normal(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*>\s*", ">", re.sub(r"\s*<\s*", "<", html)).strip()


def _crispy(form) -> str:
    template = Template(
        "{% load crispy_forms_filters %}{% for field in form %}{{ field|as_crispy_field }}"
        "{% endfor %}"
    )
    return template.render(Context({"form": form}))


def _cases(trust):
    elsewhere = TeamFactory(directorate__organisation__name="Trust D")
    return [
        None,
        {"period": "2025-q2", "team": str(trust.theatres.pk)},
        {"directorate": str(trust.ward.directorate_id), "team": str(trust.theatres.pk)},
        {"period": "zz", "directorate": "99999", "team": str(elsewhere.pk)},
    ]


def test_the_fields_are_the_crispy_packs_markup(trust):
    periods = snapshot_periods(latest_snapshot(trust.hr))
    for data in _cases(trust):

        def form(data=data):
            made = InsightFilterForm(data, user=trust.hr, periods=periods)
            if data is not None:
                made.is_valid()
            return made

        written = "".join(markup.filter_fields_html(form()).values())
        assert _normal(written) == _normal(_crispy(form())), data


def test_a_team_of_another_organisation_is_refused(trust):
    periods = snapshot_periods(latest_snapshot(trust.hr))
    elsewhere = TeamFactory(name="Far Away", directorate__organisation__name="Trust D")
    form = InsightFilterForm({"team": str(elsewhere.pk)}, user=trust.hr, periods=periods)
    assert not form.is_valid()
    assert form.errors["team"] == ["Choose a team from the list"]
    html = markup.filter_fields_html(form)["team"]
    assert "Far Away" not in html
    assert "Theatres (Surgery)" in html
