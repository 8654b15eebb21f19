"""The pages issue 15 added, in a real browser at desktop and phone widths (axe-core, WCAG 2.2
AA, the CSP, the Nu HTML checker): an agreed plan asked to be edited, the reopen confirmation
(and its error), a reopened plan with its reason, the plan's next step (complete the
conversation), and the "mark it ready anyway?" questions of an empty journal and preparation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.models import Conversation
from devplans import services
from journals import services as journal_services
from tests.browser.harness import check_a11y, login
from tests.devplans.factories import agreed_plan, impact
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
BOTH_VIEWPORTS = pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)


@BOTH_VIEWPORTS
def test_agreed_plan_edit_and_reopen_pages_are_accessible(page, live_server, people):
    plan = agreed_plan(people.individual, people.manager)
    login(page, live_server, people.individual.email, PASSWORD)

    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")
    assert page.locator("h1").inner_text().endswith("This plan is agreed")
    check_a11y(page, "plan-locked")

    page.get_by_role("link", name="Reopen the plan").click()
    page.locator("#id_reason").wait_for()
    check_a11y(page, "plan-reopen")
    page.get_by_role("button", name="Reopen the plan").click()
    page.locator(".nhsuk-error-summary").wait_for()
    check_a11y(page, "plan-reopen-error")

    page.fill("#id_reason", "A secondment came up.")
    page.get_by_role("button", name="Reopen the plan").click()
    page.wait_for_url("**/edit/")
    page.goto(page.url.replace("/edit/", "/"))
    assert "A secondment came up." in page.locator("#reopened").inner_text()
    check_a11y(page, "plan-reopened")


@BOTH_VIEWPORTS
def test_the_plans_next_step_is_accessible(page, live_server, people):
    conversation = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=timezone.now() - timedelta(hours=1),
        location="Ward office",
        status=Conversation.Status.IN_PROGRESS,
        agreed_now_growth="depth",
        agreed_now_impact=impact("Established in role"),
        agreed_future_growth="stretch",
        agreed_future_impact=impact("Exceeding in role"),
    )
    from conversations.models import StageRecord

    for stage in (1, 2):
        StageRecord.objects.create(
            conversation=conversation, stage=stage, completed_at=timezone.now()
        )
    plan = services.plan_start_from_conversation(actor=people.manager, conversation=conversation)
    login(page, live_server, people.manager.email, PASSWORD)

    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert page.locator("#next-step").is_visible()
    check_a11y(page, "plan-next-step")


@BOTH_VIEWPORTS
def test_the_empty_journal_and_preparation_questions_are_accessible(page, live_server, people):
    journal = journal_services.journal_start_new(actor=people.individual, copy_previous=False)
    login(page, live_server, people.individual.email, PASSWORD)
    page.goto(f"{live_server.url}/journal/{journal.pk}/")
    page.get_by_role("button", name="My journal is ready for the conversation").click()
    page.locator("#empty-journal").wait_for()
    check_a11y(page, "journal-ready-empty")
    page.context.clear_cookies()

    conversation = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=timezone.now() + timedelta(days=3),
        location="Ward office",
    )
    login(page, live_server, people.manager.email, PASSWORD)
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/preparation/")
    page.get_by_role("button", name="Save and mark as prepared").click()
    page.locator("#empty-preparation").wait_for()
    check_a11y(page, "preparation-empty")
