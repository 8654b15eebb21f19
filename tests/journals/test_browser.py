"""In a real browser: autosave while typing, the two-tab conflict, text kept across an expired
session, nothing in browser storage, and each journal page accessible (axe) under the CSP."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from journals.models import Answer
from tests.browser.fixtures import PageProblems
from tests.browser.harness import check_a11y, login
from tests.journals import helpers as h

# The live server needs real commits; the `page` fixture puts the question bank back.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TYPED = ("What energises me is teaching students on the ward. " * 40)[:2000]


@pytest.fixture
def owner(make_user):  # noqa: F811 - the imported fixture
    return make_user(email="aisha.rahman@example.org", full_name="Aisha Rahman")


@pytest.fixture
def journal(owner):
    return h.start(owner)


def storage_keys(pg) -> list[str]:
    return pg.evaluate("[...Object.keys(localStorage), ...Object.keys(sessionStorage)]")


def test_typing_is_saved_automatically(page, live_server, owner, journal):  # noqa: F811
    login(page, live_server, owner.email)
    page.goto(f"{live_server.url}{h.section_url(journal, 'strengths')}")
    first = h.text_questions("strengths")[0]

    page.fill(f"#id_q_{first.pk}", "Calm in a crisis, organised.")
    page.get_by_text("Saved at").wait_for(timeout=10_000)

    assert Answer.objects.get(question=first).text == "Calm in a crisis, organised."
    assert page.input_value("input[name='version']") == "1"
    assert storage_keys(page) == []
    check_a11y(page, "journal-section-autosaved")


def test_a_second_tab_never_overwrites_newer_text(page, live_server, owner, journal):  # noqa: F811
    login(page, live_server, owner.email)
    url = f"{live_server.url}{h.section_url(journal, 'career-history')}"
    first = h.text_questions("career-history")[0]
    tab_b = page.context.new_page()
    tab_b.viewport_name = "desktop"
    tab_b.problems = PageProblems()
    tab_b.problems.attach(tab_b)
    page.goto(url)
    tab_b.goto(url)

    page.fill(f"#id_q_{first.pk}", "Tab A: the falls project.")
    page.get_by_text("Saved at").wait_for(timeout=10_000)
    tab_b.fill(f"#id_q_{first.pk}", "Tab B: a year of nights.")
    tab_b.get_by_text("saved in another tab").wait_for(timeout=10_000)
    tab_b.get_by_role("button", name="Save").click()

    assert tab_b.get_by_text("Someone (or another tab) saved this section").count() >= 1
    assert tab_b.get_by_text("Tab A: the falls project.").count() == 1
    assert tab_b.input_value(f"#id_q_{first.pk}") == "Tab B: a year of nights."
    assert Answer.objects.get(question=first).text == "Tab A: the falls project."
    # the refused autosave and the refused save are 409s on purpose; nothing else may go wrong
    tab_b.problems.console_errors = [
        e for e in tab_b.problems.console_errors if "status of 409" not in e
    ]
    check_a11y(tab_b, "journal-section-conflict")


def test_text_typed_when_the_session_expired_comes_back_after_signing_in(
    page,  # noqa: F811
    live_server,
    owner,
    journal,
):
    login(page, live_server, owner.email)
    page.goto(f"{live_server.url}{h.section_url(journal, 'wellbeing')}")
    first = h.text_questions("wellbeing")[0]
    page.evaluate("document.getElementById('section-form').removeAttribute('data-autosave-url')")
    page.fill(f"#id_q_{first.pk}", TYPED)

    Session.objects.all().delete()  # the session expires while she types
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/accounts/login/**")
    page.fill("#id_login", owner.email)
    page.fill("#id_password", "Browser-test-password-1")
    page.locator("main form").get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{h.section_url(journal, 'wellbeing')}")

    assert page.input_value(f"#id_q_{first.pk}") == TYPED
    assert page.get_by_text("We kept what you typed before you were signed out.").count() == 1
    assert storage_keys(page) == []
    assert not Answer.objects.exists()
    check_a11y(page, "journal-section-restored")


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_the_journal_pages_are_accessible(page, live_server, owner, journal):  # noqa: F811
    h.answer(journal, "strengths", {h.text_questions("strengths")[0]: "Calm in a crisis."})
    h.share(journal, "strengths")
    login(page, live_server, owner.email)

    for name, path in [
        ("journal-overview", h.overview_url(journal)),
        ("journal-wellbeing", h.section_url(journal, "wellbeing")),
        ("journal-current-role", h.section_url(journal, "current-role")),
        ("journal-aspirations", h.section_url(journal, "aspirations")),
        ("journal-readers", f"/journal/{journal.pk}/readers/"),
        ("journal-history", "/journal/history/"),
        ("journal-new", "/journal/new/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, name
        check_a11y(page, name)


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_choosing_who_reads_a_section_is_accessible_and_works_by_keyboard(
    page, live_server, owner, journal, make_user
):
    """Issue 14: one checkbox per person supporting her, by name and role."""
    from tests import factories

    manager = make_user(email="helen.carter@example.org", full_name="Helen Carter")
    coach = make_user(email="grace.adeyemi@example.org", full_name="Grace Adeyemi")
    factories.ManagerLinkFactory(manager=manager, report=owner)
    factories.CoachLinkFactory(coach=coach, coachee=owner)
    h.answer(journal, "strengths", {h.text_questions("strengths")[0]: "Calm in a crisis."})
    h.share(journal, "strengths")  # with both
    login(page, live_server, owner.email)
    page.goto(f"{live_server.url}{h.section_url(journal, 'strengths')}#sharing")
    check_a11y(page, "journal-section-choose-readers")

    page.get_by_label("Helen Carter (your line manager)").focus()
    page.keyboard.press("Space")  # untick the manager
    page.get_by_role("button", name="Save who can read this section").press("Enter")

    page.wait_for_load_state()
    assert page.get_by_text("is now shared with Grace Adeyemi (your coach).").count() == 1
    assert not page.get_by_label("Helen Carter (your line manager)").is_checked()
    assert page.get_by_label("Grace Adeyemi (your coach)").is_checked()
    page.goto(f"{live_server.url}{h.overview_url(journal)}")
    check_a11y(page, "journal-overview-shared-with")
