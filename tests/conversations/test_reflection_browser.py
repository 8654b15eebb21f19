"""The facilitator's reflection page (issue 16) in a real browser at desktop and phone widths
(axe-core, WCAG 2.2 AA, the CSP, the Nu HTML checker), empty, refused and saved; and the
completed conversation's link to it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.models import Conversation
from tests.browser.harness import check_a11y, login
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_the_reflection_page_is_accessible(page, live_server, people):
    held = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=timezone.now() - timedelta(days=2),
        location="Seminar room 2",
        status=Conversation.Status.COMPLETED,
        completed_at=timezone.now() - timedelta(days=2),
    )
    login(page, live_server, people.manager.email, PASSWORD)
    page.goto(f"{live_server.url}/conversations/{held.pk}/")
    check_a11y(page, "conversation-completed-with-reflection-link")
    page.get_by_role(
        "link", name="Reflect on how the conversation went: stop, start, continue"
    ).click()
    page.locator("#id_stop").wait_for()
    check_a11y(page, "conversation-reflection")

    page.get_by_role("button", name="Save my reflection").click()
    page.locator(".nhsuk-error-summary").wait_for()
    check_a11y(page, "conversation-reflection-error")

    page.fill("#id_start", "Start with the well-being question.")
    page.get_by_role("button", name="Save my reflection").click()
    page.get_by_text("Your reflection has been saved. Only you can read it.").wait_for()
    assert page.locator("#id_start").input_value() == "Start with the well-being question."
    check_a11y(page, "conversation-reflection-saved")
