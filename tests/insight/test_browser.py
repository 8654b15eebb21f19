"""The equality and insight pages in a real browser: accessible (axe-core, WCAG 2.2 AA), within
the CSP (the SVG charts use no inline style), one h1 each."""

from __future__ import annotations

import pytest
import time_machine

from insight.models import Snapshot
from tests.browser.harness import check_a11y, login
from tests.factories import PASSWORD
from tests.insight.conftest import NOW

# The live server needs committed data, so each test runs in a transactional database.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The trust's activity is dated 2025-26; the browser runs on the real clock (a frozen server
# clock would make its session cookie expire at once), so the snapshot it shows is taken with
# the clock moved to 2 March 2026 for that moment only.


@pytest.fixture
def clock():
    """No frozen clock here (see above)."""
    return None


def test_the_equality_page_is_accessible_empty_with_an_error_and_saved(page, live_server, people):
    login(page, live_server, people.individual.email, PASSWORD)

    page.goto(f"{live_server.url}/me/equality/")
    assert page.locator("h1").all_inner_texts() == ["Equality monitoring (optional)"]
    check_a11y(page, "equality-empty")

    page.get_by_role("button", name="Save my answers").click()
    page.locator(".nhsuk-error-summary").wait_for()
    check_a11y(page, "equality-error")

    page.get_by_label("Mixed or multiple ethnic groups").check()
    page.get_by_label("45 to 54").check()
    page.get_by_role("button", name="Save my answers").click()
    page.get_by_text("Your answers are saved.").wait_for()
    assert page.get_by_label("Mixed or multiple ethnic groups").is_checked()
    check_a11y(page, "equality-saved")


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_the_insight_page_is_accessible_with_figures_and_when_hidden(
    page, live_server, trust, settings
):
    Snapshot.objects.all().delete()
    login(page, live_server, trust.hr.email, PASSWORD)
    page.goto(f"{live_server.url}/hr/insight/")
    page.get_by_text("There are no figures yet").wait_for()
    check_a11y(page, "insight-no-snapshot")

    settings.INSIGHT_TEAM_MIN_DECLARATIONS = 10  # Ward 1 has 5: no equality cuts there
    with time_machine.travel(NOW, tick=False):
        trust.snapshot()

    page.goto(f"{live_server.url}/hr/insight/")
    assert page.locator("h1").all_inner_texts() == ["Equality and coverage insight"]
    assert page.get_by_role("img", name="Coverage in the period").count() == 1
    page.get_by_text("Figures as at 2 March 2026").wait_for()
    check_a11y(page, "insight")

    page.goto(f"{live_server.url}/hr/insight/?period=2025-q2&team={trust.ward.pk}")
    page.get_by_text("Figures by equality group are not shown here").wait_for()
    check_a11y(page, "insight-team")

    page.goto(f"{live_server.url}/hr/insight/?period=2025-06-01")
    page.locator(".nhsuk-error-summary").wait_for()
    check_a11y(page, "insight-error")
