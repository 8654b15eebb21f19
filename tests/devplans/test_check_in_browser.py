"""The check-in page (issue 16) in a real browser at desktop and phone widths (axe-core, WCAG
2.2 AA, the CSP, the Nu HTML checker): empty, refused (a future date, the text kept), and the
plan showing the recorded check-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.harness import check_a11y, login
from tests.devplans.factories import agreed_plan
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_the_check_in_page_is_accessible(page, live_server, people):
    plan = agreed_plan(people.individual, people.manager)
    login(page, live_server, people.individual.email, PASSWORD)

    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name="Record a check-in").first.click()
    page.locator("#id_progressed").wait_for()
    check_a11y(page, "plan-check-in")

    tomorrow = timezone.localdate() + timedelta(days=1)
    page.fill("[name=held_on_day]", str(tomorrow.day))
    page.fill("[name=held_on_month]", str(tomorrow.month))
    page.fill("[name=held_on_year]", str(tomorrow.year))
    page.fill("#id_progressed", "Led the safety huddle.")
    page.get_by_role("button", name="Record the check-in").click()
    page.locator(".nhsuk-error-summary").wait_for()
    assert page.locator("#id_progressed").input_value() == "Led the safety huddle."
    check_a11y(page, "plan-check-in-error")

    today = timezone.localdate()
    page.fill("[name=held_on_day]", str(today.day))
    page.fill("[name=held_on_month]", str(today.month))
    page.fill("[name=held_on_year]", str(today.year))
    page.get_by_role("button", name="Record the check-in").click()
    page.locator("#check-ins").wait_for()
    assert "Led the safety huddle." in page.locator("main").inner_text()
    check_a11y(page, "plan-with-check-in")
