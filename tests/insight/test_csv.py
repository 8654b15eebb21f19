"""The insight CSV: the page's aggregate tables only, formula-safe, audited, never cached."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from devplans.exports import FORMULA_TRIGGERS, csv_bytes
from insight import export as insight
from insight.models import Snapshot
from scopegrowth.models import AuditEvent
from tests.factories import TeamFactory
from tests.insight.conftest import held, staff

pytestmark = pytest.mark.django_db

URL = reverse("insight:hr_insight_csv")


def read(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_hr_downloads_the_aggregate_tables(trust):
    response = trust.client().get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="hr-insight-2026-03-02.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = read(response)
    assert rows[0] == ["Table", "Group", "Measure", "Count", "Rate"]
    assert rows[1] == ["About", "Snapshot", "", "Figures as at 2 March 2026", ""]
    assert rows[2] == [
        "About",
        "Period",
        "",
        "12 months, March 2025 to February 2026 (01/03/2025 to 28/02/2026)",
        "",
    ]
    assert ["About", "People", "", "14", ""] in rows
    assert ["Coverage", "All people", "Conversation held", "8", "57%"] in rows
    assert ["Ethnicity", "White", "People", "5", ""] in rows
    assert ["Ethnicity", "Not declared", "People", "[c]", ""] in rows
    event = AuditEvent.objects.get(action="export_insight")
    assert (event.actor, event.subject, event.detail) == (
        trust.hr,
        None,
        f"snapshot={Snapshot.objects.get().pk} 12m directorate=- team=-",
    )


def test_the_csv_holds_the_same_rows_however_many_people_there_are(trust):
    before = read(trust.client().get(URL))
    team = TeamFactory(directorate=trust.ward.directorate)
    for k in range(30):
        held(
            staff(team, f"Extra {k}", declare=("white", "no", "male", "25_34")), trust.staff["boss"]
        )
    trust.snapshot()

    after = read(trust.client().get(URL))

    # One row per table cell, never one per person.
    assert [r[:3] for r in after] == [r[:3] for r in before]
    assert ["About", "People", "", "44", ""] in after


def test_the_csv_names_nobody(trust):
    body = trust.client().get(URL).content.decode()

    for key, person in trust.staff.items():
        assert person.full_name not in body, key
        assert person.email not in body, key


def test_team_names_cannot_run_as_formulas(trust):
    team = TeamFactory(name='=HYPERLINK("http://x.example")', directorate=trust.ward.directorate)
    trust.snapshot()

    rows = read(trust.client().get(URL, {"team": team.pk}))

    assert ["About", "Team", "", '\'=HYPERLINK("http://x.example")', ""] in rows


def test_too_few_people_gives_the_message_and_no_figures(trust):
    pair = TeamFactory(name="Pharmacy", directorate=trust.ward.directorate)
    staff(pair, "Solo One", declare=("black", "yes", "male", "25_34"))
    trust.snapshot()

    rows = read(trust.client().get(URL, {"team": pair.pk}))

    assert ["About", "People", "", "fewer than 5", ""] in rows
    assert rows[-1][3].startswith("Fewer than 5 people match these filters")
    assert not [r for r in rows if r[0] not in ("Table", "About")]


def test_before_any_snapshot_there_is_nothing_to_download(people, client_for):
    response = client_for("hr").get(URL, follow=True)

    assert "There are no figures to download yet: no snapshot has been taken." in (
        response.content.decode()
    )
    assert "There are no figures yet" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export_insight").exists()


def test_invalid_filters_go_back_to_the_page_with_a_message(trust):
    response = trust.client().get(URL, {"team": "nope"}, follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("insight:hr_insight"))
    assert "Fix the filters below, then download the CSV again." in response.content.decode()
    assert not AuditEvent.objects.filter(action="export_insight").exists()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_no_written_cell_starts_with_a_formula_trigger(label):
    """F1 for the rows `csv_rows` writes: whatever text a label holds, the written cell is inert."""
    body = csv_bytes([[label, "Team", "", label, ""]], insight.CSV_HEADER).decode("utf-8")[1:]

    for row in list(csv.reader(io.StringIO(body, newline="")))[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS), repr(cell)
