"""The person page in a browser: axe-clean (WCAG 2.2 AA), no CSP violation and valid HTML (the
Nu HTML Checker runs on every page the `page` fixture visits), at desktop and phone widths."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.harness import check_a11y, login
from tests.devplans.factories import ProgressNoteFactory, agreed_plan
from tests.factories import PASSWORD
from tests.journals import helpers as jh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_the_person_page_is_accessible(page, live_server, people):
    from tests.devplans.test_person_page import _completed, _conversation

    journal = jh.start(people.individual)
    jh.share(journal, "strengths")
    held = _completed(people.individual, people.manager, timezone.now() - timedelta(days=30))
    plan = agreed_plan(people.individual, people.manager, objectives=2, conversation=held)
    ProgressNoteFactory(objective=plan.objectives.first(), author=people.individual)
    _conversation(people.individual, people.coach, timezone.now() + timedelta(days=5))

    login(page, live_server, people.manager.email, PASSWORD)
    response = page.goto(f"{live_server.url}/people/{people.individual.pk}/")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.locator(".sg-timeline__item").count() >= 5
    check_a11y(page, "person-page")
