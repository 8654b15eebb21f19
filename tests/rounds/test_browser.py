"""HR runs a round end to end in a real browser (issue 19): sets it up for two directorates,
opens it (everyone in it and their line managers are emailed), watches completion move as
people act, follows a team, moves a deadline (an earlier date is refused), closes the round and
downloads the CSV. The person's home card and the manager's dashboard panel are seen by them.
Every page is checked with axe at desktop and phone widths and, at the end, with the Nu HTML
Checker. What people do in their own journals and conversations is arranged in Python (those
pages have journeys of their own in tests/browser/test_journeys.py)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from scopegrowth import outbox
from tests import factories
from tests.browser.journey_helpers import Browsers, choose, fill_date
from tests.factories import PASSWORD
from tests.rounds.helpers import conversation_held, journal_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def tasks_in_process(monkeypatch):
    """No Celery worker beside a live server: the announcing task runs in-process."""
    from rounds import tasks

    monkeypatch.setattr(tasks.announce_round, "delay", tasks.announce_round)


@pytest.fixture
def browsers(request, browser, transactional_db, reference_data, live_server):
    b = Browsers(browser, live_server)
    yield b
    b.close(check=getattr(request.node, "sg_call_passed", False))


@pytest.fixture
def trust(people):
    medicine = people.individual.team.directorate
    medicine.name = "Medicine"
    medicine.save()
    corporate = people.other_report.team.directorate
    corporate.name = "Corporate Services"
    corporate.save()
    theatres = factories.TeamFactory(
        name="Theatres",
        directorate__name="Surgery",
        directorate__organisation=medicine.organisation,
    )
    outsider = factories.UserFactory(email="surgeon@example.org", team=theatres)
    return {"medicine": medicine, "corporate": corporate, "outsider": outsider}


def day(n: int):
    return timezone.localdate() + timedelta(days=n)


def test_hr_runs_a_round_from_opening_to_the_csv(browsers, people, trust):
    hr = browsers.open()
    browsers.sign_in(hr, people.hr.email, PASSWORD, role="hr")
    hr.goto(f"{browsers.url}/hr/rounds/")
    browsers.check(hr, "hr", "rounds-list-empty")
    hr.get_by_role("link", name="Set up a new round").click()
    hr.get_by_role("button", name="Save the draft round").click()
    hr.locator(".nhsuk-error-summary").wait_for()
    browsers.check(hr, "hr", "round-create-errors")

    hr.get_by_label("Name of the round").fill("Career conversations 2026/27")
    choose(hr, "Who is in the round", "Chosen directorates and teams")
    choose(hr, "Directorates", "Medicine")
    choose(hr, "Directorates", "Corporate Services")
    fill_date(hr, "Journal ready by", day(14))
    fill_date(hr, "Conversation held by", day(40))
    fill_date(hr, "Plan agreed by", day(70))
    hr.get_by_role("button", name="Save the draft round").click()
    hr.get_by_text("The round is saved as a draft").wait_for()
    browsers.check(hr, "hr", "round-draft")

    hr.get_by_role("button", name="Open the round and tell everyone").click()
    hr.get_by_text("The round is open").wait_for()
    outbox.send_ready()  # the outbox sweep, as the beat runs it
    told = {m.to[0] for m in mail.outbox if "has started" in m.subject}
    assert told == {
        "individual@example.org", "colleague@example.org", "manager@example.org",
        "other.manager@example.org", "other.report@example.org",
    }  # fmt: skip
    assert "0 of 5" in hr.locator("#round-overall").inner_text()
    browsers.check(hr, "hr", "round-open")

    # People act; HR watches the figures move.
    journal_ready(people.individual)
    journal_ready(people.other_report)
    conversation_held(people.individual, people.manager)
    journal_ready(trust["outsider"])  # not in the round: not counted
    hr.get_by_role("button", name="Count again now").click()
    hr.get_by_text("The figures are counted again as of now").wait_for()
    overall = hr.locator("#round-overall").inner_text()
    assert "2 of 5" in overall
    assert "1 of 5" in overall
    assert hr.get_by_role("img", name="Bar chart").count() == 1
    browsers.check(hr, "hr", "round-progress")

    hr.get_by_role("link", name="Acute Medical Unit").click()
    hr.get_by_role("heading", name="Acute Medical Unit").wait_for()
    assert "Aisha Rahman" in hr.locator("table").inner_text()
    browsers.check(hr, "hr", "round-team")

    # The person and the manager see the round too.
    person = browsers.open()
    browsers.sign_in(person, people.individual.email, PASSWORD, role="individual")
    assert "Career conversations 2026/27" in person.locator("main").inner_text()
    browsers.check(person, "individual", "home-with-round")
    manager = browsers.open()
    browsers.sign_in(manager, people.manager.email, PASSWORD, role="manager")
    manager.goto(f"{browsers.url}/dashboard/")
    panel = manager.get_by_role("region", name="Career conversations 2026/27")
    assert "1 of 2" in panel.inner_text()
    browsers.check(manager, "manager", "dashboard-with-round")

    # Move a deadline: earlier is refused, later is saved.
    hr.get_by_role("link", name="Back to the round").click()
    hr.get_by_role("link", name="Move a deadline later").click()
    browsers.check(hr, "hr", "round-extend")
    choose(hr, "Which deadline", "Journal ready")
    fill_date(hr, "New date", day(7))
    hr.get_by_role("button", name="Move the deadline").click()
    hr.locator(".nhsuk-error-summary").wait_for()
    assert "Deadlines only move later" in hr.locator(".nhsuk-error-summary").inner_text()
    browsers.check(hr, "hr", "round-extend-error")
    fill_date(hr, "New date", day(21))
    hr.get_by_role("button", name="Move the deadline").click()
    hr.get_by_text("The deadline is moved").wait_for()
    assert (timezone.localdate() + timedelta(days=21)).strftime("%-d %B %Y") in hr.locator(
        "main"
    ).inner_text()

    # The group's buttons line up (inside its own form, "Close the round" sat 20 px lower).
    move = hr.get_by_role("link", name="Move a deadline later").bounding_box()
    assert abs(hr.get_by_role("button", name="Close the round").bounding_box()["y"] - move["y"]) < 1
    hr.get_by_role("button", name="Close the round").click()
    hr.get_by_text("The round is closed").wait_for()
    browsers.check(hr, "hr", "round-closed")
    with hr.expect_download() as download:
        hr.get_by_role("link", name="Download the completion figures (CSV)").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert rows[1][:7] == ["Organisation", "", "", "5", "2", "40", "1"]
    assert {r[1] for r in rows[2:]} == {"Medicine", "Corporate Services"}
    hr.goto(f"{browsers.url}/hr/rounds/")
    browsers.check(hr, "hr", "rounds-list")
    assert browsers.too_wide == [], "pages that scroll sideways at 390 px (WCAG 1.4.10)"
