"""The HR CSV: formula cells neutralised, opens in Excel (UTF-8 with BOM), same filters."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from devplans.exports import BOM, FORMULA_TRIGGERS, csv_bytes, neutralise
from scopegrowth.models import AuditEvent
from tests.devplans.factories import agreed_plan
from tests.factories import UserFactory

URL = reverse("devplans:hr_csv")

cells = st.one_of(
    st.text(),
    st.sampled_from(FORMULA_TRIGGERS).flatmap(lambda t: st.text().map(lambda s: t + s)),
    st.sampled_from(
        [
            '=HYPERLINK("http://evil.example","click")',
            "+1+1",
            "-2+3",
            "@SUM(A1:A2)",
            "\t=1",
            "\r=1",
            "\0=1",
            "=cmd|' /C calc'!A0",
            "'already quoted",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=5))
def test_no_written_cell_starts_with_a_formula_trigger(rows):
    data = csv_bytes(rows)
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    parsed = list(csv.reader(io.StringIO(text[len(BOM) :], newline="")))
    assert parsed == [[neutralise(cell) for cell in row] for row in rows]
    for row, original in zip(parsed, rows, strict=True):
        for cell, before in zip(row, original, strict=True):
            assert not cell.startswith(FORMULA_TRIGGERS)
            if before.startswith(FORMULA_TRIGGERS):
                assert cell == "'" + before
            else:
                assert cell == before


@pytest.mark.django_db
def test_hr_downloads_the_filtered_list(client_for, people):
    agreed_plan(people.individual, people.manager)
    agreed_plan(people.colleague, people.manager)
    hostile = UserFactory(
        full_name='=HYPERLINK("http://evil.example","Zoë")',
        job_title="@SUM(1+1)",
        team=people.individual.team,
    )
    agreed_plan(hostile, people.manager)
    response = client_for("hr").get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="agreed-plans-')
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8")[1:], newline="")))
    assert rows[0][:4] == ["Name", "Job title", "Directorate", "Team"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {
        "Aisha Rahman",
        "Tom Hughes",
        '\'=HYPERLINK("http://evil.example","Zoë")',
    }
    row = by_name["Aisha Rahman"]
    assert row[1:4] == [
        "Staff Nurse",
        people.individual.team.directorate.name,
        "Acute Medical Unit",
    ]
    assert row[4] == "Helen Carter"
    assert row[8] == "Depth, established in role"
    assert row[9] == "Stretch / complexity, exceeding in role"
    assert row[10] == "2"
    assert by_name['\'=HYPERLINK("http://evil.example","Zoë")'][1] == "'@SUM(1+1)"
    assert AuditEvent.objects.filter(action="plans_csv", detail="3 plans").exists()


@pytest.mark.django_db
def test_the_csv_uses_the_list_filters(client_for, people):
    agreed_plan(people.individual, people.manager)
    agreed_plan(people.colleague, people.manager)
    body = b"".join(client_for("hr").get(URL, {"name": "hughes"}).streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8")[1:], newline="")))
    assert [r[0] for r in rows[1:]] == ["Tom Hughes"]


@pytest.mark.django_db
def test_an_invalid_filter_goes_back_to_the_list_with_a_message(client_for, people):
    response = client_for("hr").get(URL, {"team": "nope"}, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("devplans:hr_list"))
    assert b"Fix the filters below, then download the CSV again." in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["individual", "manager", "admin"])
def test_the_csv_is_for_hr_only(client_for, people, persona):
    assert client_for(persona).get(URL).status_code == 403
