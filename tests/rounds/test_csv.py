"""The round's completion CSV is stored as the file HR downloads (issue 20): the counting task
writes the text, a download sends it as it is, and it is byte for byte the file the download
built from the figures before (BOM, header, neutralised formulas)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devplans import exports
from rounds import services, tasks
from rounds.models import Round, Tally
from rounds.report import CSV_HEADER, csv_rows
from rounds.selectors import completion
from scopegrowth import prepared
from tests import factories
from tests.dates import date_fields
from tests.rounds.helpers import conversation_held, journal_ready, open_round, plan_agreed

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","x")'


def _url(round_) -> str:
    return f"/hr/rounds/{round_.pk}/completion.csv"


def _old_bytes(round_, stored: bool) -> bytes:
    """The file as the download built it before issue 20: from the rows counted now, passed
    through JSON as the stored rows were when `stored`."""
    rows = list(csv_rows(completion(round_)))
    if stored:
        rows = json.loads(json.dumps(rows))
    return exports.csv_bytes(rows, CSV_HEADER)


def _team_rows(content: bytes) -> dict[str, list[str]]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return {row[2]: row for row in rows if row[0] == "Team"}


def _busy_round(people):
    """An open round whose teams include one named like a formula, with people at every step."""
    people.other_report.team.name = EVIL
    people.other_report.team.save()
    round_ = open_round(people.hr)
    journal_ready(people.individual)
    conversation_held(people.individual, people.manager)
    journal_ready(people.other_report)
    plan_agreed(people.other_report, people.manager, reviews=[(timezone.localdate(), None)])
    tasks.count_open_rounds()
    return round_


def _writes(ctx) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip()[:6] in ("INSERT", "UPDATE", "DELETE")
        and "scopegrowth_auditevent" not in q["sql"]
    ]


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
def test_the_stored_file_is_the_one_the_download_built_before(people, client_for, closed):
    round_ = _busy_round(people)
    if closed:
        services.round_close(actor=people.hr, round_=round_)
        round_.refresh_from_db()
    hr = client_for("hr")
    stored = hr.get(_url(round_))
    assert stored.content == _old_bytes(round_, stored=True) == _old_bytes(round_, stored=False)
    assert stored.content.startswith(exports.BOM.encode() + b"Level,Directorate,Team,People,")
    assert _team_rows(stored.content)["'" + EVIL][2] == "'" + EVIL  # still neutralised
    assert stored["Content-Type"] == "text/csv; charset=utf-8"
    assert stored["Cache-Control"].startswith("no-store")
    assert stored["Content-Disposition"].startswith('attachment; filename="round-career-')
    Tally.objects.all().delete()  # nothing stored: counted for this download, the same bytes
    assert hr.get(_url(round_)).content == stored.content
    assert not Tally.objects.exists()


def test_a_move_shows_in_the_download_once_the_round_is_counted_again(people, client_for):
    round_ = _busy_round(people)
    hr = client_for("hr")
    before = _team_rows(hr.get(_url(round_)).content)
    finance = "'" + EVIL  # the other team (named like a formula by `_busy_round`)
    assert before["Acute Medical Unit"][3:5] == ["3", "1"]  # Aisha, her colleague, her manager
    assert before[finance][3:5] == ["2", "1"]  # the other report (ready) and their manager
    people.individual.team = people.other_report.team  # Aisha moves to the other team
    people.individual.save()
    # Until it is counted again the download is the stored file, as the page is.
    assert _team_rows(hr.get(_url(round_)).content) == before
    hr.post(f"/hr/rounds/{round_.pk}/recount/")  # "Count again now"
    after = _team_rows(hr.get(_url(round_)).content)
    assert after["Acute Medical Unit"][3:5] == ["2", "0"]
    assert after[finance][3:5] == ["3", "2"]


def test_a_download_right_after_an_extension_is_counted_and_stores_nothing(
    people, client_for, django_capture_on_commit_callbacks
):
    round_ = _busy_round(people)
    hr = client_for("hr")
    stored_text = Tally.objects.get(round=round_).csv_text
    journal_ready(people.colleague)  # after the count: only a new count shows it
    with (
        mock.patch("rounds.tasks.count_round.delay") as task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        new_date = date_fields(timezone.localdate() + timedelta(days=80), "new_date")
        hr.post(f"/hr/rounds/{round_.pk}/extend/", {"step": "plan", **new_date})
    task.assert_called_once_with(round_.pk)  # queued, not run yet
    round_.refresh_from_db()
    with CaptureQueriesContext(connection) as ctx:
        content = hr.get(_url(round_)).content
    assert _writes(ctx) == []
    assert Tally.objects.get(round=round_).csv_text == stored_text  # nothing written
    assert content == _old_bytes(round_, stored=False)
    assert _team_rows(content)["Acute Medical Unit"][4] == "2"  # Aisha and now her colleague
    assert tasks.count_round(round_.pk)
    assert Tally.objects.get(round=round_).csv_text.encode() == content


def prepared_text(sql: str) -> str:
    """The SQL a query ran: on PostgreSQL a fixed read runs as `EXECUTE sgp_N(...)` of the
    statement prepared on the connection (`scopegrowth.prepared`)."""
    if not sql.startswith(prepared.PREFIX):
        return sql
    return prepared._texts["sgp_" + sql[len(prepared.PREFIX) :].split("(")[0]]


def test_the_page_reads_the_figures_section_and_the_csv_its_file_only(people, client_for):
    round_ = _busy_round(people)
    hr = client_for("hr")
    hr.get(f"/hr/rounds/{round_.pk}/")  # warm-up
    tally_reads = {}
    for name, url in (("page", f"/hr/rounds/{round_.pk}/"), ("csv", _url(round_))):
        with CaptureQueriesContext(connection) as ctx:
            assert hr.get(url).status_code == 200
        statements = [prepared_text(q["sql"]) for q in ctx.captured_queries]
        (sql,) = [text for text in statements if 'FROM "rounds_tally"' in text]
        tally_reads[name] = sql
    assert '"rounds_tally"."html"' in tally_reads["page"]
    assert '"rounds_tally"."csv_text"' not in tally_reads["page"]
    assert '"rounds_tally"."csv_text"' in tally_reads["csv"]
    assert '"rounds_tally"."html"' not in tally_reads["csv"]


@pytest.mark.parametrize("counted", [False, True], ids=["stored", "counted-now"])
def test_a_closed_rounds_csv_makes_the_same_queries_at_n_and_2n_kept(people, client_for, counted):
    org = people.hr.organisation
    counts, sizes = [], []
    for n in (5, 10):
        with time_machine.travel(timezone.now() - timedelta(days=30)):
            round_ = open_round(people.hr, name=f"Round of {n} teams")
        for _ in range(n):
            team = factories.TeamFactory(directorate__organisation=org)
            for person in factories.UserFactory.create_batch(2, team=team, organisation=org):
                journal_ready(person)
        services.round_close(actor=people.hr, round_=round_)
        hr = client_for("hr")
        hr.get(_url(round_))  # warm-up
        if counted:
            Tally.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            response = hr.get(_url(round_))
        counts.append(len(ctx.captured_queries))
        sizes.append(len(_team_rows(response.content)))
        Round.objects.filter(pk=round_.pk).delete()
    assert sizes[1] >= sizes[0] + 5, sizes
    assert counts[0] == counts[1], counts
