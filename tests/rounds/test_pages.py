"""HR's round pages, the home card and the manager's panel (issue 19)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rounds import tasks
from rounds.models import Round, Tally
from tests import factories
from tests.dates import date_fields, split_dates, typed
from tests.rounds.helpers import conversation_held, journal_ready, open_round, plan_agreed

pytestmark = pytest.mark.django_db


def day(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def form(**kw):
    data = {
        "name": "Career conversations 2026/27",
        "audience": "all",
        "journal_ready_by": day(14),
        "conversation_held_by": day(40),
        "plan_agreed_by": day(70),
    }
    return split_dates({**data, **kw}, *DEADLINES)


DEADLINES = ("journal_ready_by", "conversation_held_by", "plan_agreed_by")


# --- creating, extending, closing -----------------------------------------------------------


def test_hr_sets_up_a_draft_for_two_directorates(people, client_for):
    finance = people.other_report.team
    response = client_for("hr").post(
        "/hr/rounds/new/",
        form(
            audience="some",
            directorates=[people.individual.team.directorate_id, finance.directorate_id],
        ),
        follow=True,
    )
    round_ = Round.objects.get()
    assert round_.state == Round.State.DRAFT
    assert not round_.whole_organisation
    assert set(round_.directorates.all()) == {
        people.individual.team.directorate,
        finance.directorate,
    }
    assert "saved as a draft" in response.text
    assert "nobody is told until you open it" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter a name for the round."),
        (
            {"journal_ready_by": {"day": "31", "month": "2", "year": "2027"}},
            "The “journal ready by” date must be a real date, for example 15 3 2027",
        ),
        (
            {"plan_agreed_by": {"day": "1", "month": "", "year": "2027"}},
            "The “plan agreed by” date must include a month",
        ),
        ({"plan_agreed_by": day(1)}, "The dates must be in order"),
        ({"audience": "some"}, "Choose at least one directorate or team."),
    ],
)
def test_a_new_round_with_bad_input_says_what_to_fix(people, client_for, data, message):
    response = client_for("hr").post("/hr/rounds/new/", form(**data))
    assert response.status_code == 200
    assert message in response.text
    assert "There is a problem" in response.text
    assert not Round.objects.exists()


def test_the_deadlines_are_typed_as_day_month_and_year(people, client_for):
    hr = client_for("hr")
    page = hr.get("/hr/rounds/new/").text
    assert 'type="date"' not in page
    assert 'name="journal_ready_by_day"' in page
    assert "For example, 15 3 2027" in page
    when = timezone.localdate() + timedelta(days=14)
    hr.post(
        "/hr/rounds/new/",
        form(
            journal_ready_by={
                "day": str(when.day),
                "month": str(when.month),
                "year": str(when.year),
            }
        ),
    )
    assert Round.objects.get().journal_ready_by == when


def test_an_impossible_deadline_keeps_what_was_typed(people, client_for):
    """31 2 2027: the message names the deadline and the mistake; the three boxes (and the
    other deadlines) keep what was typed for HR to correct."""
    response = client_for("hr").post(
        "/hr/rounds/new/", form(conversation_held_by={"day": "31", "month": "2", "year": "2027"})
    )
    assert "The “conversation held by” date must be a real date" in response.text
    for part, value in (("day", "31"), ("month", "2"), ("year", "2027")):
        assert f'name="conversation_held_by_{part}" value="{value}"' in response.text
    when = timezone.localdate() + timedelta(days=14)
    assert f'name="journal_ready_by_day" value="{when.day}"' in response.text
    assert not Round.objects.exists()


def test_hr_cannot_choose_another_trusts_team(people, client_for):
    other = people.hr_other_org.team
    response = client_for("hr").post("/hr/rounds/new/", form(audience="some", teams=[other.pk]))
    assert "Select a valid choice" in response.text
    assert not Round.objects.exists()


def test_a_deadline_only_moves_later(people, client_for):
    round_ = open_round(people.hr)
    hr = client_for("hr")
    before = round_.journal_ready_by
    response = hr.post(
        f"/hr/rounds/{round_.pk}/extend/", {"step": "journal", **date_fields(day(3), "new_date")}
    )
    assert "Deadlines only move later" in response.text
    round_.refresh_from_db()
    assert round_.journal_ready_by == before
    response = hr.post(
        f"/hr/rounds/{round_.pk}/extend/", {"step": "journal", **date_fields(day(50), "new_date")}
    )
    assert "after the conversation held deadline: move that one first" in response.text
    response = hr.post(
        f"/hr/rounds/{round_.pk}/extend/",
        {"step": "journal", **date_fields(day(21), "new_date")},
        follow=True,
    )
    assert "The deadline is moved" in response.text
    round_.refresh_from_db()
    assert round_.journal_ready_by == timezone.localdate() + timedelta(days=21)


def test_an_impossible_new_deadline_keeps_what_was_typed(people, client_for):
    round_ = open_round(people.hr)
    before = round_.journal_ready_by
    response = client_for("hr").post(
        f"/hr/rounds/{round_.pk}/extend/",
        {"step": "journal", **typed("31", "2", "2027", "new_date")},
    )
    assert "The new date must be a real date, for example 15 3 2027" in response.text
    for part, value in (("day", "31"), ("month", "2"), ("year", "2027")):
        assert f'name="new_date_{part}" value="{value}"' in response.text
    round_.refresh_from_db()
    assert round_.journal_ready_by == before


def test_a_closed_round_cannot_be_extended_or_closed_again(people, client_for):
    round_ = open_round(people.hr)
    hr = client_for("hr")
    assert "The round is closed" in hr.post(f"/hr/rounds/{round_.pk}/close/", follow=True).text
    response = hr.post(
        f"/hr/rounds/{round_.pk}/extend/", {"step": "plan", **date_fields(day(90), "new_date")}
    )
    assert "Only an open round" in response.text
    assert (
        "Only an open round can be closed"
        in hr.post(f"/hr/rounds/{round_.pk}/close/", follow=True).text
    )
    round_.refresh_from_db()
    assert round_.state == Round.State.CLOSED


def test_the_actions_reject_get(people, client_for):
    round_ = open_round(people.hr)
    hr = client_for("hr")
    assert hr.get(f"/hr/rounds/{round_.pk}/close/").status_code == 405
    assert hr.get(f"/hr/rounds/{round_.pk}/open/").status_code == 405
    round_.refresh_from_db()
    assert round_.state == Round.State.OPEN


def test_hr_of_another_trust_gets_404_and_nothing_changes(people, client_for):
    round_ = open_round(people.hr)
    other = client_for("hr_other_org")
    assert other.get(f"/hr/rounds/{round_.pk}/").status_code == 404
    assert other.post(f"/hr/rounds/{round_.pk}/close/").status_code == 404
    round_.refresh_from_db()
    assert round_.state == Round.State.OPEN


# --- completion, the team list, the CSV -----------------------------------------------------


def test_completion_moves_as_people_act_and_the_team_list_shows_status_only(people, client_for):
    round_ = open_round(people.hr, teams=[people.individual.team])
    hr = client_for("hr")
    page = hr.get(f"/hr/rounds/{round_.pk}/").text
    assert "0 of 3" in page
    journal = journal_ready(people.individual)
    from journals.models import JournalSection

    assert not JournalSection.objects.filter(journal=journal).exists()
    conversation_held(people.individual, people.manager)
    # The figures are kept for a minute; "Count again now" counts at once.
    assert "0 of 3" in hr.get(f"/hr/rounds/{round_.pk}/").text
    page = hr.post(f"/hr/rounds/{round_.pk}/recount/", follow=True).text
    assert "counted again as of now" in page
    assert "1 of 3" in page
    assert "33%" in page
    team = hr.get(f"/hr/rounds/{round_.pk}/teams/{people.individual.team_id}/").text
    assert "Aisha Rahman" in team
    assert "Tom Hughes" in team
    assert team.count("nhsuk-tag--green") == 2  # her journal and conversation; nothing else


def test_the_figures_are_counted_by_the_sweep_and_when_the_round_changes(
    people, client_for, django_capture_on_commit_callbacks
):
    round_ = open_round(people.hr, teams=[people.individual.team])
    hr = client_for("hr")
    assert "0 of 3" in hr.get(f"/hr/rounds/{round_.pk}/").text
    journal_ready(people.individual)
    # A GET reads the stored figures; it does not count again.
    assert "0 of 3" in hr.get(f"/hr/rounds/{round_.pk}/").text
    csv_text = hr.get(f"/hr/rounds/{round_.pk}/completion.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith("Organisation,,,3,0,")  # the same count as the page
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert tasks.count_open_rounds() == 1  # the beat's sweep
        assert "1 of 3" in client_for("hr").get(f"/hr/rounds/{round_.pk}/").text
    journal_ready(people.colleague)
    with (
        mock.patch("rounds.tasks.count_round.delay") as count,
        django_capture_on_commit_callbacks(execute=True),
    ):
        hr.post(
            f"/hr/rounds/{round_.pk}/extend/", {"step": "plan", **date_fields(day(80), "new_date")}
        )
    count.assert_called_once_with(round_.pk)
    assert tasks.count_round(round_.pk)
    assert "2 of 3" in hr.get(f"/hr/rounds/{round_.pk}/").text


def test_a_changed_round_not_yet_counted_is_counted_on_its_first_read(people, client_for):
    round_ = open_round(people.hr, teams=[people.individual.team])
    hr = client_for("hr")
    assert "0 of 3" in hr.get(f"/hr/rounds/{round_.pk}/").text
    journal_ready(people.individual)
    with time_machine.travel(timezone.now() + timedelta(days=1)):  # a new day: overdue moves
        assert "1 of 3" in client_for("hr").get(f"/hr/rounds/{round_.pk}/").text


def test_a_read_stores_nothing_and_the_task_stores_the_figures(people, client_for):
    round_ = open_round(people.hr, teams=[people.individual.team])
    hr = client_for("hr")
    hr.get(f"/hr/rounds/{round_.pk}/")  # the session's first request records its activity
    Tally.objects.all().delete()  # as if the task had not run yet
    journal_ready(people.individual)
    with CaptureQueriesContext(connection) as ctx:
        assert "1 of 3" in hr.get(f"/hr/rounds/{round_.pk}/").text
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip()[:6] in ("INSERT", "UPDATE", "DELETE")
    ]
    assert all("scopegrowth_auditevent" in sql for sql in writes), writes
    assert not Tally.objects.exists()
    assert tasks.count_round(round_.pk)
    journal_ready(people.colleague)
    assert "1 of 3" in hr.get(f"/hr/rounds/{round_.pk}/").text  # the stored figures


def test_the_team_page_of_a_team_outside_the_round_is_404(people, client_for):
    round_ = open_round(people.hr, teams=[people.individual.team])
    url = f"/hr/rounds/{round_.pk}/teams/{people.other_report.team_id}/"
    assert client_for("hr").get(url).status_code == 404


def test_the_previous_round_is_shown_beside_this_one(people, client_for):
    from rounds import services

    with time_machine.travel(timezone.now() - timedelta(days=400)):
        earlier = open_round(people.hr, name="Career conversations 2025/26")
        plan_agreed(people.individual, people.manager)
        services.round_close(actor=people.hr, round_=earlier)
    current = open_round(people.hr)
    page = client_for("hr").get(f"/hr/rounds/{current.pk}/").text
    assert "compared with Career conversations 2025/26" in page
    assert "Previous round" in page


def test_the_csv_has_the_page_figures_and_neutralises_formulas(people, client_for):
    people.individual.team.name = '=HYPERLINK("http://evil.example","x")'
    people.individual.team.save()
    round_ = open_round(people.hr, teams=[people.individual.team])
    journal_ready(people.individual)
    tasks.count_open_rounds()  # the beat's sweep
    response = client_for("hr").get(f"/hr/rounds/{round_.pk}/completion.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Level", "Directorate", "Team", "People", "Journal ready"]
    assert rows[1][:6] == ["Organisation", "", "", "3", "1", "33"]
    team_row = next(r for r in rows if r[0] == "Team")
    assert team_row[2].startswith("'=")
    assert "Aisha" not in response.content.decode()


def _grow(people, n):
    org = people.hr.organisation
    for _ in range(n):
        team = factories.TeamFactory(directorate__organisation=org)
        for _ in range(2):
            person = factories.UserFactory(team=team, organisation=org)
            journal_ready(person)
            conversation_held(person, people.manager)
            plan_agreed(person, people.manager, reviews=[(timezone.localdate(), None)])


@pytest.mark.parametrize("counted", [True, False], ids=["counted-now", "stored"])
@pytest.mark.parametrize("page", ["detail", "csv", "team"])
def test_the_round_pages_make_the_same_queries_at_n_and_2n(people, client_for, page, counted):
    round_ = open_round(people.hr)
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        open_round(people.hr, name="Earlier")  # a previous round to compare with
    hr = client_for("hr")
    url = {
        "detail": f"/hr/rounds/{round_.pk}/",
        "csv": f"/hr/rounds/{round_.pk}/completion.csv",
        "team": f"/hr/rounds/{round_.pk}/teams/{people.individual.team_id}/",
    }[page]
    counts = []
    for n in (5, 10):
        _grow(people, n)
        for person in factories.UserFactory.create_batch(n, team=people.individual.team):
            journal_ready(person)
        hr.get(url)  # warm-up
        if counted:
            Tally.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            assert hr.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- what people and managers see -----------------------------------------------------------


def test_the_home_page_shows_the_deadlines_and_what_is_overdue(people, client_for):
    round_ = open_round(people.hr, teams=[people.individual.team], days=(5, 20, 40))
    home = client_for("individual")
    page = home.get("/").text
    assert "Career conversations 2026/27" in page
    assert "Journal ready by" in page
    assert "Overdue" not in page
    with time_machine.travel(timezone.now() + timedelta(days=7)):
        home = client_for("individual")  # a new session: the first one timed out meanwhile
        page = home.get("/").text
        assert "Overdue" in page
        assert "Journal ready was due by" in page
        journal_ready(people.individual)
        assert "Overdue" not in home.get("/").text
    # Someone outside the round sees no card; nor does anyone once it is closed.
    assert "Career conversations 2026/27" not in client_for("other_report").get("/").text
    from rounds import services

    services.round_close(actor=people.hr, round_=round_)
    assert "Career conversations 2026/27" not in client_for("individual").get("/").text


def test_a_manager_sees_only_their_own_reports_completion(people, client_for):
    open_round(people.hr)
    journal_ready(people.individual)
    journal_ready(people.other_report)
    journal_ready(people.hr)
    page = client_for("manager").get("/dashboard/").text
    assert "the people you line manage" in page
    assert "1 of 2" in page  # individual and colleague; not other_report, not HR
    other = client_for("other_manager").get("/dashboard/").text
    assert "1 of 1" in other
    assert "the people you line manage" not in client_for("coach").get("/dashboard/").text


def test_the_manager_panel_makes_the_same_queries_at_n_and_2n_reports(people, client_for):
    open_round(people.hr)
    manager = client_for("manager")
    counts = []
    for n in (5, 10):
        for person in factories.UserFactory.create_batch(n, team=people.individual.team):
            factories.ManagerLinkFactory(manager=people.manager, report=person)
            journal_ready(person)
        manager.get("/dashboard/")
        with CaptureQueriesContext(connection) as ctx:
            page = manager.get("/dashboard/").text
        counts.append(len(ctx.captured_queries))
    assert "15 of 17" in page  # the 15 new reports and individual, colleague: not ready
    assert counts[0] == counts[1], counts


def test_the_team_page_marks_what_is_overdue_after_a_deadline(people, client_for):
    round_ = open_round(people.hr, teams=[people.individual.team], days=(3, 20, 40))
    journal_ready(people.individual)
    url = f"/hr/rounds/{round_.pk}/teams/{people.individual.team_id}/"
    assert "Overdue" not in client_for("hr").get(url).text
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        page = client_for("hr").get(url).text
    assert page.count("nhsuk-tag--red") == 2  # colleague's and manager's journals; not hers
