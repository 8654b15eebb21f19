"""The plan pages in a real browser: accessible (axe-core, WCAG 2.2 AA), within the CSP.

Uses the browser harness of tests/browser (its fixtures are imported here, since that folder's
conftest only reaches its own tests).
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from devplans import services
from tests.browser.harness import check_a11y, login
from tests.devplans.factories import ObjectiveFactory, PlanFactory, agreed_plan, initiative
from tests.factories import PASSWORD

# The live server needs committed data, so each test runs in a transactional database.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, live_server, persona_user) -> None:  # noqa: F811 - the page fixture
    login(page, live_server, persona_user.email, PASSWORD)


def test_draft_plan_pages_are_accessible(page, live_server, people):  # noqa: F811
    plan = PlanFactory(individual=people.individual, facilitator=people.manager)
    ObjectiveFactory(plan=plan, initiatives=[initiative("Coaching"), initiative("Shadowing")])
    sign_in(page, live_server, people.individual)

    page.goto(f"{live_server.url}/plans/")
    assert page.locator("h1").all_inner_texts() == ["Development plans"]
    check_a11y(page, "plans-mine")

    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    check_a11y(page, "plan-draft")

    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")
    check_a11y(page, "plan-edit")
    page.fill("#id_objectives-1-description", "")
    page.fill("#id_objectives-1-success_measure", "A measure without a description")
    page.get_by_role("button", name="Save the plan").click()
    page.locator(".nhsuk-error-summary").wait_for()
    assert "Enter what the objective is" in page.locator(".nhsuk-error-summary").inner_text()
    check_a11y(page, "plan-edit-error")


def test_agreed_plan_pages_are_accessible(page, live_server, people):  # noqa: F811
    plan = agreed_plan(people.individual, people.manager)
    new = services.plan_reopen(actor=people.manager, plan=plan, reason="Objectives changed")
    first = new.objectives.first()
    first.description = "Lead the teaching session for students"
    first.save()
    services.plan_sign(actor=people.individual, plan=new)
    services.plan_sign(actor=people.manager, plan=new)

    sign_in(page, live_server, people.individual)
    page.goto(f"{live_server.url}/plans/{new.pk}/")
    assert page.get_by_role("heading", name="What changed since version 1").is_visible()
    check_a11y(page, "plan-agreed-diff")
    page.goto(f"{live_server.url}/plans/{new.pk}/progress/")
    check_a11y(page, "plan-progress")


def test_review_and_hr_pages_are_accessible(page, live_server, people):  # noqa: F811
    plan = agreed_plan(people.individual, people.manager)
    sign_in(page, live_server, people.manager)
    page.goto(f"{live_server.url}/plans/{plan.pk}/review/")
    check_a11y(page, "plan-review")
    page.context.clear_cookies()

    sign_in(page, live_server, people.hr)
    page.goto(f"{live_server.url}/hr/plans/")
    assert page.locator("h1").all_inner_texts() == ["Agreed development plans"]
    check_a11y(page, "hr-plans")
    page.goto(f"{live_server.url}/hr/plans/?agreed_from=2026-06-01&agreed_to=2026-01-01")
    page.locator(".nhsuk-error-summary").wait_for()
    check_a11y(page, "hr-plans-error")
    page.goto(f"{live_server.url}/hr/plans/export/?agreed_to={timezone.localdate().isoformat()}")
    check_a11y(page, "hr-export")


def test_export_progress_updates_without_a_reload(page, live_server, people):  # noqa: F811
    from datetime import timedelta

    from devplans.models import ExportJob

    plan = agreed_plan(people.individual, people.manager)
    job = ExportJob.objects.create(requested_by=people.hr, plan_ids=[plan.pk], total=1)
    sign_in(page, live_server, people.hr)
    page.goto(f"{live_server.url}/hr/plans/export/")
    assert page.get_by_text("Waiting to start").is_visible()
    check_a11y(page, "hr-export-progress")
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, done=0, started_at=now
    )
    page.get_by_text("Building: 0 of 1").wait_for()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.READY,
        done=1,
        file_name="browser-test-file-0123456789abcdef.zip",
        finished_at=now,
        expires_at=now + timedelta(hours=24),
    )
    page.get_by_role("link", name="Download ZIP").wait_for()
    assert page.locator("#export-status").inner_text() == "Your export is ready to download."
