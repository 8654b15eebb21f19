"""The conversation pages are accessible (axe-core, WCAG 2.2 AA), keep to the CSP, and have one
h1 each. Uses the browser harness of tests/browser (system Chromium, live server)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.harness import check_a11y, login
from tests.conversations.conftest import levels, make_journal, mark_prepared
from tests.factories import PASSWORD

# The live server needs committed data, so each test runs in a transactional database.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def ready(people):
    from conversations.models import Conversation

    lv = levels()
    make_journal(
        people.individual,
        answers={"strengths": "Calm in a crisis", "aspirations": "To lead a team"},
        shared=("strengths", "aspirations"),
        position=("breadth", lv[0], "stretch", lv[1]),
    )
    conversation = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=timezone.now() + timezone.timedelta(days=3),
        location="Seminar room 2",
        agenda="Our first conversation",
    )
    mark_prepared(
        conversation,
        strengths="Trusted by the team",
        view_now_growth="depth",
        view_now_impact=lv[1],
    )
    return conversation


def _pages(live_server, conversation, people):
    pk = conversation.pk
    return {
        "manager": [
            ("conversations-dashboard", "/dashboard/"),
            ("conversations-detail", f"/conversations/{pk}/"),
            ("conversations-prepare", f"/conversations/{pk}/preparation/"),
            ("conversations-stage1", f"/conversations/{pk}/stage/1/"),
            ("conversations-stage2", f"/conversations/{pk}/stage/2/"),
            ("conversations-stage3", f"/conversations/{pk}/stage/3/"),
            ("conversations-stage2-present", f"/conversations/{pk}/stage/2/?present=1"),
            ("conversations-schedule", f"/conversations/new/{people.colleague.pk}/"),
            ("conversations-reschedule", f"/conversations/{pk}/edit/"),
            ("conversations-cancel", f"/conversations/{pk}/cancel/"),
        ],
        "individual": [
            ("conversations-mine", "/conversations/"),
            ("conversations-detail-individual", f"/conversations/{pk}/"),
            ("conversations-stage2-individual", f"/conversations/{pk}/stage/2/"),
        ],
    }


@pytest.mark.parametrize("persona", ["manager", "individual"])
def test_conversation_pages_are_accessible(page, live_server, people, ready, persona):  # noqa: F811
    login(page, live_server, getattr(people, persona).email, PASSWORD)

    for name, path in _pages(live_server, ready, people)[persona]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        check_a11y(page, name)


def test_a_schedule_error_is_summarised_and_focused(page, live_server, people):  # noqa: F811
    login(page, live_server, people.manager.email, PASSWORD)
    page.goto(f"{live_server.url}/conversations/new/{people.colleague.pk}/")
    page.fill("#id_date_day", "1")
    page.fill("#id_date_month", "1")
    page.fill("#id_date_year", "2020")
    page.fill("#id_time", "10:00")
    page.fill("#id_location", "Room 1")
    page.get_by_role("button", name="Schedule and send the invites").click()

    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert summary.count() == 1
    assert "Choose a date and time in the future" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    check_a11y(page, "conversations-schedule-error")
    # The NHS.UK date input: day, month and year, all three marked, the hint in that format
    assert page.locator(".nhsuk-date-input .nhsuk-input--error").count() == 3
    assert "For example, 27 3 2026" in page.locator("#id_date_helptext").inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_date_day"


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_the_record_the_clash_and_the_cancelled_list_are_accessible(page, live_server, people):
    """Issue 15's new outputs: a completed record with what was shared then (one section since
    unshared), stage 1 with the manager's adjustments beside a private health section, a
    refused clash with its links, and a cancelled conversation listed apart."""
    from conversations.models import Conversation, Preparation
    from journals.models import JournalSection
    from tests.conversations.conftest import complete_stages

    journal = make_journal(
        people.individual, answers={"strengths": "Calm in a crisis"}, shared=("strengths",)
    )
    shared_at = timezone.now() - timezone.timedelta(days=10)
    held = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=timezone.now() - timezone.timedelta(days=5),
        location="Seminar room 2",
        status=Conversation.Status.COMPLETED,
        completed_at=timezone.now() - timezone.timedelta(days=5),
        journal=journal,
        shared_at_completion=[
            {
                "slug": "strengths",
                "title": "Personal strengths and development challenges",
                "shared_at": shared_at.isoformat(),
            },
            {
                "slug": "wellbeing",
                "title": "Health and well-being",
                "shared_at": shared_at.isoformat(),
            },
        ],
    )
    complete_stages(held, 1, 2, 3)
    Preparation.objects.create(
        conversation=held,
        author=people.manager,
        adjustments="review",
        adjustments_notes="A later start after clinic days",
    )
    assert not JournalSection.objects.get(
        journal=journal, section__slug="wellbeing"
    ).shares.exists()
    Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=timezone.now() + timezone.timedelta(days=20),
        location="Seminar room 2",
        status=Conversation.Status.CANCELLED,
        cancel_reason="Clinic",
        cancelled_at=timezone.now(),
    )
    Conversation.objects.create(
        individual=people.colleague,
        facilitator=people.manager,
        scheduled_at=timezone.now() + timezone.timedelta(days=9),
        location="Room 4",
    )

    login(page, live_server, people.manager.email, PASSWORD)
    for name, path in (
        ("conversations-record", f"/conversations/{held.pk}/"),
        ("conversations-record-stage1", f"/conversations/{held.pk}/stage/1/"),
        ("conversations-schedule-colleague-open", f"/conversations/new/{people.colleague.pk}/"),
    ):
        assert page.goto(f"{live_server.url}{path}").status == 200, path
        check_a11y(page, name)
    assert "no longer shared" in page.goto(f"{live_server.url}/conversations/{held.pk}/").text()

    # Booking Aisha into the colleague's slot: refused, naming and linking the clash.
    when = timezone.localtime(timezone.now() + timezone.timedelta(days=9))
    page.goto(f"{live_server.url}/conversations/new/{people.individual.pk}/")
    page.fill("#id_date_day", str(when.day))
    page.fill("#id_date_month", str(when.month))
    page.fill("#id_date_year", str(when.year))
    page.fill("#id_time", f"{when:%H:%M}")
    page.fill("#id_location", "Room 1")
    page.get_by_role("button", name="Schedule and send the invites").click()
    page.locator("#clash").wait_for()
    assert (
        "You already have a conversation with Tom Hughes"
        in page.locator(".nhsuk-error-summary").inner_text()
    )
    check_a11y(page, "conversations-schedule-clash")

    page.context.clear_cookies()
    login(page, live_server, people.individual.email, PASSWORD)
    page.goto(f"{live_server.url}/conversations/")
    assert "Cancelled conversations" in page.content()
    check_a11y(page, "conversations-mine-cancelled")
    page.goto(f"{live_server.url}/conversations/{held.pk}/")
    check_a11y(page, "conversations-record-individual")
