"""The framework page in a browser: axe-clean, no CSP violation, valid HTML (Nu), desktop and
phone."""

from __future__ import annotations

import pytest

from tests.browser.harness import check_a11y, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_the_framework_page_is_accessible(page, live_server, people):
    login(page, live_server, people.individual.email, PASSWORD)
    response = page.goto(f"{live_server.url}/framework/")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.get_by_text("Reverse mentoring").count() == 1
    check_a11y(page, "framework")
