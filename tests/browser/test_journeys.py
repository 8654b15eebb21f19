"""End-to-end journeys in headless Chromium (issue 8): a whole Scope for Growth cycle through the
pages, by the people who use it, each in their own browser.

1. The individual signs in, starts her journal, answers every question of every section (the
   0-10 scale, her position now and in two years, reasonable adjustments), shares exactly two
   sections and says the journal is ready.
2. Her line manager sees exactly those two sections (and nothing private), schedules the
   conversation, prepares, runs stages 1-3 (agreeing a position in stage 2, starting the plan in
   stage 3) and drafts the plan's objectives.
3. Both sign the plan, each in their own browser context.
4. HR filters the agreed plans, downloads one PDF and a bulk export ZIP.
Every page each person visits is checked with axe at desktop size and, opened again by the same
person at that moment, at a 390-pixel-wide phone viewport; no request leaves our origin
(security.md G7).

Other journeys: never losing a word (autosave across a reload; an expired session's text is
never shown to someone else), keyboard only, and JavaScript off for every form.

Covered elsewhere, so not repeated here: the second tab's stale save showing both versions
(tests/journals/test_browser.py::test_a_second_tab_never_overwrites_newer_text), the owner's text
restored after an expired session and empty browser storage
(::test_text_typed_when_the_session_expired_comes_back_after_signing_in), the skip link on the
sign-in page (tests/browser/test_pages_a11y.py), and a bulk export built by a real Celery worker
(tests/devplans/test_bulk_export.py).

Every step is a click or a key press; only the starting state (people, question bank) is
arranged in Python. Celery tasks run in-process (see `tasks_in_process`): a live-server test has
no worker.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone

from tests.browser.harness import check_a11y
from tests.browser.journey_helpers import (
    Browsers,
    choose,
    fill_date,
    focus_problem,
    publish_screenshot,
    tab_to,
)
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# (slug, title) in the journal's order.
SECTIONS = [
    ("wellbeing", "Health and well-being"),
    ("strengths", "Personal strengths and development challenges"),
    ("behaviours", "Behaviours and performance"),
    ("career-history", "Career history"),
    ("current-role", "Current role"),
    ("aspirations", "Aspirations"),
    ("planner", "Career planner"),
]
SHARED = ("strengths", "career-history")
# Pages that still scroll sideways at 390 px (axe cannot see it; WCAG 1.4.10 Reflow): reported in
# var/journey-requests.md. Remove a name here once its template is fixed.
KNOWN_TOO_WIDE: tuple[str, ...] = ()  # none: every page reflows at 390 px
TITLES = dict(SECTIONS)


def answer_text(slug: str, n: int) -> str:
    """Aisha's answer to question n of a section: unique, so a test can look for it anywhere."""
    return f"Aisha's {slug} answer {n}: time on the acute medical unit taught me this."


@pytest.fixture(autouse=True)
def tasks_in_process(monkeypatch):
    """The live server has no Celery worker, and a message left in the embedded broker's folder
    (var/celery/) could later reach a `make run` worker with another database. So every `.delay`
    the pages trigger runs the real task body in-process instead (in the live server's thread,
    after the commit): emails go to the locmem outbox, and the bulk export's ZIP is built before
    the "Start the export" response returns. A real worker builds one in
    tests/devplans/test_bulk_export.py."""
    from devplans import tasks as plan_tasks
    from scopegrowth import tasks as core_tasks

    for task in [
        core_tasks.send_outbox,  # every email (the outbox's sender)
        plan_tasks.build_plan_export,
    ]:
        monkeypatch.setattr(task, "delay", task)


@pytest.fixture
def browsers(request, browser, transactional_db, reference_data, live_server):
    """Browser contexts for the people of a journey (the data migrations' rows put back by
    `reference_data`); on teardown, after a passing test, no page may have logged a console
    error, broken the CSP or sent a request to another origin."""
    b = Browsers(browser, live_server)
    yield b
    b.close(check=getattr(request.node, "sg_call_passed", False))


# =============================================================================================
# 1-4: the whole cycle
# =============================================================================================


def individual_fills_her_journal(b: Browsers, aisha) -> tuple[object, str]:
    page = b.open()
    b.sign_in(page, aisha.email, PASSWORD, role="individual")
    assert page.url == f"{b.url}/"
    assert page.locator("h1").inner_text().endswith("Hello, Aisha")
    b.check(page, "individual", "home-individual")
    publish_screenshot(page, "home-desktop")

    page.locator("#home-journal-card").get_by_role("link", name="My journal").click()
    page.wait_for_url("**/journal/new/")
    b.check(page, "individual", "journal-start")
    page.get_by_role("button", name="Start my journal").click()
    page.wait_for_url(re.compile(r"/journal/\d+/$"))
    journal_url = page.url
    assert "You have answered 0 of" in page.locator("#journal-progress").inner_text()
    b.check(page, "individual", "journal-overview-new")

    for slug, title in SECTIONS:
        page.locator(".nhsuk-task-list").get_by_role("link", name=title, exact=True).click()
        page.wait_for_url(f"{journal_url}{slug}/")
        assert page.locator("h1").inner_text().endswith(title)
        form = page.locator("#section-form")
        boxes = form.locator("textarea")
        for n in range(boxes.count()):
            boxes.nth(n).fill(answer_text(slug, n + 1))
        if slug == "current-role":
            choose(form, "current level of fulfilment", "7")
        if slug == "aspirations":
            choose(form, "Growth now", "Depth")
            choose(form, "Impact now", "Established in role")
            choose(form, "Growth in two years", "Stretch")
            choose(form, "Impact in two years", "Exceeding in role")
        if slug == "wellbeing":
            assert form.get_by_label(
                "Are any reasonable adjustments needed to support my career aspirations?"
            ).input_value() == answer_text(slug, 7)
        form.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text(f"Your answers to \u201c{title}\u201d are saved.").wait_for()
        # the page after the round trip holds every answer
        for n in range(boxes.count()):
            assert boxes.nth(n).input_value() == answer_text(slug, n + 1), (slug, n)
        b.check(page, "individual", f"journal-{slug}")
        if slug == "aspirations":
            publish_screenshot(page, "journal-section")
        page.get_by_role("link", name="Back to your journal").click()

    progress = page.locator("#journal-progress").inner_text()
    total = re.search(r"of (\d+) question", progress).group(1)
    assert f"You have answered {total} of {total}" in progress

    for slug in SHARED:
        page.get_by_role("button", name=f"Share {TITLES[slug]}", exact=True).click()
        page.get_by_text(f"\u201c{TITLES[slug]}\u201d is now shared with").wait_for()
    for slug, _ in SECTIONS:
        status = page.locator(f"#share-status-{slug}").inner_text()
        assert status.startswith("Shared since" if slug in SHARED else "Private"), slug

    page.get_by_role("button", name="My journal is ready for the conversation").click()
    page.locator(".nhsuk-tag", has_text="Ready").wait_for()
    b.check(page, "individual", "journal-overview")
    publish_screenshot(page, "journal-overview")
    return page, journal_url


def manager_sees_only_what_was_shared(b: Browsers, page, journal_url: str) -> None:
    private = [answer_text(slug, 1) for slug, _ in SECTIONS if slug not in SHARED]

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    page.wait_for_url("**/dashboard/")
    row = page.locator("tr", has_text="Aisha Rahman")
    assert "Shared: " in row.inner_text()
    for slug in SHARED:
        assert TITLES[slug] in row.inner_text()
    b.check(page, "manager", "dashboard")
    publish_screenshot(page, "dashboard")

    # Nothing on the dashboard links to the shared journal (var/journey-requests.md): by URL.
    page.goto(journal_url)
    links = page.locator(".nhsuk-task-list__link")
    assert sorted(links.all_inner_texts()) == sorted(TITLES[s] for s in SHARED)
    assert "has shared 2 sections with you" in page.locator("main").inner_text()
    b.check(page, "manager", "journal-shared-overview")
    for slug in SHARED:
        page.get_by_role("link", name=TITLES[slug], exact=True).click()
        page.wait_for_url(f"{journal_url}{slug}/")
        text = page.locator("#shared-answers").inner_text()
        assert answer_text(slug, 1) in text
        assert page.locator("textarea").count() == 0
        assert not any(p in page.content() for p in private)
        b.check(page, "manager", f"journal-shared-{slug}")
        page.get_by_role("link", name="Back to the shared journal").click()
    response = page.goto(f"{journal_url}wellbeing/")
    assert response.status == 404
    assert not any(p in page.content() for p in private)


def manager_runs_the_conversation(b: Browsers, page) -> str:
    """Schedules, prepares, runs stages 1-3 and starts the plan; returns the conversation URL."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    row = page.locator("tr", has_text="Aisha Rahman")
    row.get_by_role("link", name="Schedule a conversation with Aisha Rahman").click()
    page.wait_for_url("**/conversations/new/*/")
    # Soon, so it can be completed in this run (never before its start: issue 15, item 7); the
    # test moves the clock past it before the plan is drafted.
    when = timezone.localtime() + timedelta(minutes=10)
    fill_date(page, "Date", when.date())
    page.get_by_label("Start time (UK time)").fill(f"{when:%H:%M}")
    page.get_by_label("Place or video-call link").fill("Seminar room 2, Education Centre")
    page.get_by_label("Agenda note (optional)").fill("Our first Scope for Growth conversation")
    b.check(page, "manager", "conversation-schedule")
    page.get_by_role("button", name="Schedule and send the invites").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/$"))
    conversation_url = page.url
    assert "Seminar room 2, Education Centre" in page.locator("main").inner_text()
    b.check(page, "manager", "conversation")
    publish_screenshot(page, "conversation")

    page.get_by_role("link", name="Prepare for the conversation").click()
    page.wait_for_url("**/preparation/")
    page.get_by_label("Their strengths, as you see them").fill("Calm and trusted on a busy ward.")
    page.get_by_label("Their development areas, as you see them").fill("Delegating to others.")
    choose(page.locator("main form"), "Growth now", "Depth")
    page.get_by_label("Your evidence for that view").fill("Leads the safety huddle.")
    b.check(page, "manager", "conversation-prepare")
    page.get_by_role("button", name="Save and mark as prepared").click()
    page.wait_for_url(conversation_url)

    # Stage 1
    page.get_by_role("navigation", name="Conversation stages").get_by_role(
        "link", name=re.compile("^Stage 1")
    ).click()
    page.wait_for_url("**/stage/1/")
    page.get_by_label("Your notes").fill("Energised by teaching; tired after nights.")
    page.get_by_label("Agreed summary").fill("Aisha is at her best teaching students.")
    b.check(page, "manager", "conversation-stage1")
    page.get_by_role("button", name="Save and complete stage 1").click()

    # Stage 2: agree a position
    page.wait_for_url("**/stage/2/")
    page.get_by_text("Stage 1 is complete.").wait_for()
    form = page.locator("main form").last
    choose(form, "Growth now", "Depth")
    choose(form, "Impact now", "Established in role")
    choose(form, "Growth in two years", "Stretch")
    choose(form, "Impact in two years", "Exceeding in role")
    form.get_by_label("The evidence for the position now").fill("Leads the safety huddle.")
    form.get_by_label("Why this position in two years").fill("Wants to lead a team.")
    form.get_by_label("Agreed summary").fill("Depth now; stretch towards a ward sister role.")
    b.check(page, "manager", "conversation-stage2")
    publish_screenshot(page, "stage-2")
    form.get_by_role("button", name="Save and complete stage 2").click()

    # Stage 3: start the plan
    page.wait_for_url("**/stage/3/")
    page.get_by_text("Stage 2 is complete.").wait_for()
    b.check(page, "manager", "conversation-stage3")
    page.get_by_role("button", name="Start the development plan").click()
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    return conversation_url


def manager_drafts_the_plan(b: Browsers, page, conversation_url: str) -> str:
    """On the new draft: two objectives; then stage 3 and the conversation completed."""
    plan_url = page.url
    page.get_by_text("The development plan is ready to fill in together").wait_for()
    assert page.locator("h1").inner_text().endswith("Aisha Rahman")
    b.check(page, "manager", "plan-draft")
    page.get_by_role("link", name="Edit the plan").click()
    page.wait_for_url("**/edit/")
    objectives = [
        ("Lead the weekly teaching session for students", "Short term", "Coaching", 120),
        ("Act up as deputy ward sister for three months", "Long term", "Secondment", 500),
    ]
    for n, (what, term, initiative, days) in enumerate(objectives):
        new = page.locator("#new-objective")
        new.get_by_label("What is the objective?").fill(what)
        new.get_by_label("Why: which aspiration does it serve?").fill("Become a ward sister.")
        choose(new, "Short or long term", term)
        new.get_by_label("How will success be seen?").fill("Feedback from the team.")
        fill_date(new, "Target date", timezone.localdate() + timedelta(days=days))
        new.get_by_label("Support needed").fill("Protected time on the rota.")
        choose(new, "Development initiatives", initiative)
        if n == 0:
            b.check(page, "manager", "plan-edit")
            page.get_by_role("button", name="Save and add another objective").click()
            page.wait_for_url("**/edit/#new-objective")
            blank = page.locator("#new-objective").get_by_label("What is the objective?")
            assert blank.input_value() == ""
        else:
            page.get_by_role("button", name="Save the plan").click()
            page.wait_for_url(plan_url)
    main = page.locator("main").inner_text()
    for what, *_ in objectives:
        assert what in main

    page.goto(conversation_url)
    page.get_by_role("navigation", name="Conversation stages").get_by_role(
        "link", name=re.compile("^Stage 3")
    ).click()
    page.get_by_label("Agreed summary").fill("Two objectives agreed; the plan is drafted.")
    page.get_by_role("button", name="Save and complete stage 3").click()
    page.wait_for_url(conversation_url)
    page.get_by_role("button", name="Mark the conversation complete").click()
    page.get_by_text("Conversation completed.").wait_for()
    page.get_by_role("link", name="Open the development plan").click()
    page.wait_for_url(plan_url)
    return plan_url


def both_sign(b: Browsers, helen_page, aisha_page, plan_url: str) -> None:
    helen_page.get_by_role("button", name="Sign the plan as facilitator").click()
    helen_page.get_by_text("You have signed this version.").wait_for()
    b.check(helen_page, "manager", "plan-signed-once")

    aisha_page.get_by_role("navigation", name="Menu").get_by_role("link", name="My plans").click()
    b.check(aisha_page, "individual", "plans-mine")
    mine = aisha_page.locator("main")
    mine.get_by_role("link", name=re.compile(r"^Conversation of .*, version 1$")).click()
    aisha_page.wait_for_url(plan_url)
    b.check(aisha_page, "individual", "plan-to-sign")
    aisha_page.get_by_role("button", name="Sign the plan", exact=True).click()
    aisha_page.get_by_text("You have both signed: the plan is agreed and locked.").wait_for()
    agreement = aisha_page.locator("#agreement + dl").inner_text()
    assert agreement.count("Signed ") == 2
    b.check(aisha_page, "individual", "plan-agreed")
    publish_screenshot(aisha_page, "plan")

    helen_page.reload()
    assert "Agreed" in helen_page.locator("main").inner_text()


def hr_finds_and_exports(b: Browsers, hr, tmp_path) -> None:
    from pypdf import PdfReader

    page = b.open()
    b.sign_in(page, hr.email, PASSWORD, role="hr")
    b.check(page, "hr", "home-hr")
    publish_screenshot(page, "home-hr")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Agreed plans").click()
    page.wait_for_url("**/hr/plans/")
    b.check(page, "hr", "hr-plans")

    filters = page.locator("main form[method=get]")
    team = filters.get_by_label("Team", exact=True)
    team.select_option(label=team.locator("option", has_text="Acute Medical Unit").inner_text())
    filters.get_by_label("Growth now").select_option(label="Depth")
    fill_date(filters, "Agreed from", timezone.localdate())
    filters.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/hr/plans/\?"))
    assert page.locator("main h2", has_text=re.compile(r"^1 plan$")).count() == 1
    rows = page.locator("main table").first.locator("tbody tr")
    assert rows.count() == 1
    assert "Aisha Rahman" in rows.first.inner_text()
    b.check(page, "hr", "hr-plans-filtered")
    publish_screenshot(page, "hr-plans")

    with page.expect_download() as download:
        rows.first.get_by_role("link", name="PDF of Aisha Rahman's plan").click()
    pdf = tmp_path / "plan.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "Aisha Rahman" in text
    assert "Lead the weekly teaching session for students" in text

    page.get_by_role("link", name="Export these plans as PDFs in a ZIP file").click()
    page.wait_for_url("**/hr/plans/export/?*")
    assert "1 plan matches these filters." in page.locator("main").inner_text()
    b.check(page, "hr", "hr-export")
    page.get_by_role("button", name="Start the export").click()
    # Step-up: many people's plans are about to leave, so the password is asked again, and the
    # export that was asked for starts once it is confirmed.
    page.wait_for_url("**/accounts/reauthenticate/*")
    assert page.locator("h1").inner_text().strip() == "Confirm it is you"
    b.check(page, "hr", "hr-export-confirm-password")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Confirm").click()
    page.get_by_text("Your export of 1 plan has started.").wait_for()
    # The task ran in-process when the job was committed (tasks_in_process): ready at once.
    link = page.get_by_role("link", name=re.compile("^Download ZIP"))
    link.wait_for(timeout=30_000)
    b.check(page, "hr", "hr-export-ready")
    with page.expect_download() as download:
        link.click()
    archive = tmp_path / "plans.zip"
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as z:
        pdfs = [n for n in z.namelist() if n.endswith(".pdf")]
        assert len(pdfs) == 1, z.namelist()
        body = z.read(pdfs[0])
    assert body.startswith(b"%PDF")
    assert "Aisha Rahman" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)


def test_a_whole_cycle_from_journal_to_hr_export(browsers, people, tmp_path):
    b = browsers
    aisha, helen = people.individual, people.manager

    aisha_page, journal_url = individual_fills_her_journal(b, aisha)

    helen_page = b.open()
    b.sign_in(helen_page, helen.email, PASSWORD, role="manager")
    b.check(helen_page, "manager", "home-manager")
    publish_screenshot(helen_page, "home-manager")
    manager_sees_only_what_was_shared(b, helen_page, journal_url)
    conversation_url = manager_runs_the_conversation(b, helen_page)
    # The conversation's time comes (15 minutes on: well inside the 30-minute idle timeout).
    with time_machine.travel(timezone.now() + timedelta(minutes=15), tick=True):
        plan_url = manager_drafts_the_plan(b, helen_page, conversation_url)

        both_sign(b, helen_page, aisha_page, plan_url)
        aisha_page.goto(conversation_url)
        b.check(aisha_page, "individual", "conversation-individual")

        hr_finds_and_exports(b, people.hr, tmp_path)

    # the emails the pages triggered (journal ready, invites, signatures) reached both of them
    recipients = {address for message in mail.outbox for address in message.to}
    assert {aisha.email, helen.email} <= recipients

    assert sum(len(v) for v in b.visited.values()) >= 30
    too_wide = [page for page in b.too_wide if not page.startswith(KNOWN_TOO_WIDE)]
    assert not too_wide, f"pages wider than the phone (WCAG 1.4.10 reflow): {too_wide}"
    for page in b.too_wide:
        warnings.warn(f"known reflow problem, see var/journey-requests.md: {page}", stacklevel=1)
    assert b.foreign_requests == [], "requests left our origin (security.md G7)"


# =============================================================================================
# 5: never lose a word
# =============================================================================================

LONG_TEXT = ("What energises me is teaching students on the ward, even after nights. " * 30)[:2000]


def storage_keys(page) -> list[str]:
    return page.evaluate("[...Object.keys(localStorage), ...Object.keys(sessionStorage)]")


def test_autosaved_text_survives_a_reload(browsers, people):
    from tests.journals import helpers as h

    journal = h.start(people.individual)
    b = browsers
    page = b.open()
    b.sign_in(page, people.individual.email, PASSWORD)
    page.goto(f"{b.url}{h.overview_url(journal)}")
    page.locator(".nhsuk-task-list").get_by_role("link", name="Career planner").click()
    box = page.locator("#section-form textarea").first

    box.click()
    page.keyboard.type("Leading the falls-prevention audit. ")  # real key presses
    box.press("End")
    page.keyboard.insert_text(LONG_TEXT)  # then a long paste
    page.locator("#autosave-status", has_text="Saved at").wait_for()
    typed = "Leading the falls-prevention audit. " + LONG_TEXT
    page.reload()

    assert page.locator("#section-form textarea").first.input_value() == typed
    assert storage_keys(page) == []
    check_a11y(page, "journey-autosave-reloaded")


def test_text_typed_after_the_session_expired_is_shown_to_no_one_else(browsers, people):
    """The owner gets it back (tests/journals/test_browser.py); anyone else who signs in on
    that browser sees none of it, not even her line manager reading the same shared section."""
    from tests.journals import helpers as h

    journal = h.start(people.individual)
    h.share(journal, "strengths")
    b = browsers
    page = b.open()
    b.sign_in(page, people.individual.email, PASSWORD)
    page.goto(f"{b.url}{h.section_url(journal, 'strengths')}")

    Session.objects.all().delete()  # her session expires while she types
    page.locator("#section-form textarea").first.fill(LONG_TEXT)
    # the autosave finds out and says so instead of pretending to save
    page.locator("#autosave-status", has_text="You have been signed out").wait_for()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/accounts/login/**")
    assert page.get_by_text("Sign in again and we will put back what you typed.").count() == 1

    # her line manager signs in on the same computer instead
    page.fill("#id_login", people.manager.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{h.section_url(journal, 'strengths')}")

    html = page.content()
    assert LONG_TEXT[:40] not in html
    assert "We kept what you typed" not in html
    assert page.locator("textarea").count() == 0
    assert storage_keys(page) == []
    check_a11y(page, "journey-expired-other-person")


# =============================================================================================
# 6: keyboard only
# =============================================================================================


def skip_link_first(page) -> None:
    """The first Tab on a page lands on a visible skip link; Enter moves focus to <main>.
    (Not on a page that opens with a success banner: NHS.UK moves focus to the banner, so it
    is read first, and Tab goes on from there.)"""
    assert page.evaluate("document.activeElement === document.body"), page.url
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-skip-link')"), page.url
    skip = page.locator(".nhsuk-skip-link")
    box = skip.bounding_box()
    assert box, "skip link not rendered"
    assert box["width"] > 1, "skip link hidden"
    assert box["height"] > 1, "skip link hidden"
    assert box["y"] >= 0, "skip link off screen"
    assert not focus_problem(page)
    page.keyboard.press("Enter")
    # A selector, not wait_for_function: that evaluates its predicate with eval in the page,
    # which our CSP refuses when the first check fails and Playwright polls.
    page.locator("#maincontent:focus").wait_for()


def no_positive_tabindex(page) -> None:
    assert (
        page.evaluate(
            "[...document.querySelectorAll('[tabindex]')].filter(e => e.tabIndex > 0).length"
        )
        == 0
    ), f"tabindex > 0 changes the focus order on {page.url}"


def test_keyboard_only_sign_in_answer_a_section_and_share_it(browsers, people):
    """No mouse: Tab, Shift+Tab, Enter, Space, arrows and typing. Every stop shows a focus
    indicator and focus moves forward through the page in document order."""
    from tests.journals import helpers as h

    journal = h.start(people.individual)
    b = browsers
    page = b.open()
    stops: list[str] = []
    page.goto(f"{b.url}/accounts/login/")

    skip_link_first(page)
    tab_to(page, "el.id === 'id_login'", stops=stops)
    page.keyboard.type(people.individual.email)
    tab_to(page, "el.id === 'id_password'", stops=stops)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{b.url}/")

    # Home opens with the "signed in" banner focused (NHS.UK's success banner); Tab goes on
    no_positive_tabindex(page)
    # the banner's script is a module loaded after the page: wait for it to take the focus
    page.locator(".nhsuk-notification-banner--success:focus").wait_for(timeout=10_000)
    assert not focus_problem(page)
    tab_to(page, "el.closest('#home-journal-card') && el.tagName === 'A'", stops=stops)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{b.url}{h.overview_url(journal)}")

    no_positive_tabindex(page)
    skip_link_first(page)
    tab_to(
        page,
        "el.matches('.nhsuk-task-list__link') && el.textContent.trim() === 'Current role'",
        stops=stops,
    )
    page.keyboard.press("Enter")
    page.wait_for_url(f"{b.url}{h.section_url(journal, 'current-role')}")

    no_positive_tabindex(page)
    skip_link_first(page)
    first = "el.matches('#section-form textarea')"
    tab_to(page, first, stops=stops)
    page.keyboard.type("Teaching students motivates me; short staffing does not.")
    # the 0-10 scale: Tab reaches the group, the arrow keys choose
    tab_to(page, "el.matches('#section-form input[type=radio]')", stops=stops)
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.value") == "7"
    assert not focus_problem(page)
    tab_to(page, "el.matches('#section-form textarea')", stops=stops)
    page.keyboard.type("Protected teaching time, a mentor and fewer night shifts.")

    # back one stop with Shift+Tab (focus goes backwards, still visible), then on to Save
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.value") == "7"
    assert not focus_problem(page)
    tab_to(page, "el.matches('#section-form button[type=submit]')", stops=stops)
    page.keyboard.press("Enter")
    page.get_by_text("Your answers to \u201cCurrent role\u201d are saved.").wait_for()

    answers = page.locator("#section-form textarea")
    assert answers.nth(0).input_value().startswith("Teaching students motivates me")
    assert page.locator("#section-form input[type=radio][value='7']").is_checked()
    assert [a for a in answers.all() if a.input_value().startswith("Protected teaching time")]

    # share it with Space
    tab_to(
        page, "el.matches('button') && el.textContent.trim() === 'Share this section'", stops=stops
    )
    page.keyboard.press("Space")
    page.get_by_text("\u201cCurrent role\u201d is now shared with").wait_for()
    assert page.locator("#share-status").inner_text().startswith("Shared since")
    assert len(stops) > 10
    check_a11y(page, "journey-keyboard-shared")


# =============================================================================================
# 7: JavaScript off
# =============================================================================================


def test_every_form_works_with_javascript_off(browsers, people, tmp_path):
    """Progressive enhancement: with JavaScript disabled, the forms of each journey still work
    as plain server round trips (no autosave, no NHS.UK component scripts)."""
    from tests.devplans.factories import ObjectiveFactory, PlanFactory, initiative

    plan = PlanFactory(individual=people.individual, facilitator=people.manager)
    ObjectiveFactory(plan=plan, initiatives=[initiative("Coaching")])
    b = browsers

    # -- the individual: start the journal, save a section, share it, say it is ready
    aisha = b.open(js=False)
    b.sign_in(aisha, people.individual.email, PASSWORD)
    assert aisha.locator("body.js-enabled").count() == 0  # really no JavaScript
    aisha.get_by_role("navigation", name="Menu").get_by_role("link", name="My journal").click()
    aisha.get_by_role("button", name="Start my journal").click()
    aisha.locator(".nhsuk-task-list").get_by_role("link", name="Current role").click()
    form = aisha.locator("#section-form")
    form.locator("textarea").first.fill("Teaching students motivates me.")
    choose(form, "current level of fulfilment", "6")
    form.get_by_role("button", name="Save", exact=True).click()
    aisha.get_by_text("Your answers to \u201cCurrent role\u201d are saved.").wait_for()
    assert aisha.locator("#section-form textarea").first.input_value() == (
        "Teaching students motivates me."
    )
    assert aisha.locator("#section-form input[value='6']").is_checked()
    aisha.get_by_role("button", name="Share this section").click()
    aisha.get_by_text("\u201cCurrent role\u201d is now shared with").wait_for()
    aisha.get_by_role("link", name="Back to your journal").click()
    aisha.get_by_role("button", name="My journal is ready for the conversation").click()
    aisha.locator(".nhsuk-tag", has_text="Ready").wait_for()

    # -- the manager: schedule, prepare, save a stage, edit and sign the plan
    helen = b.open(js=False)
    b.sign_in(helen, people.manager.email, PASSWORD)
    helen.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    row = helen.locator("tr", has_text="Aisha Rahman")
    assert "Shared: Current role" in row.inner_text()
    row.get_by_role("link", name="Schedule a conversation with Aisha Rahman").click()
    fill_date(helen, "Date", timezone.localdate() + timedelta(days=2))
    helen.get_by_label("Start time (UK time)").fill("14:30")
    helen.get_by_label("Place or video-call link").fill("Ward office")
    helen.get_by_role("button", name="Schedule and send the invites").click()
    helen.wait_for_url(re.compile(r"/conversations/\d+/$"))
    assert "Ward office" in helen.locator("main").inner_text()
    helen.get_by_role("link", name="Prepare for the conversation").click()
    helen.get_by_label("Their strengths, as you see them").fill("Calm under pressure.")
    helen.get_by_role("button", name="Save for later").click()
    helen.wait_for_url(re.compile(r"/conversations/\d+/$"))
    helen.get_by_role("navigation", name="Conversation stages").get_by_role(
        "link", name=re.compile("^Stage 1")
    ).click()
    helen.get_by_label("Agreed summary").fill("At her best when teaching.")
    helen.get_by_role("button", name="Save", exact=True).click()
    helen.get_by_text("Stage 1 saved.").wait_for()
    assert helen.get_by_label("Agreed summary").input_value() == "At her best when teaching."

    helen.goto(f"{b.url}/plans/{plan.pk}/")
    helen.get_by_role("link", name="Edit the plan").click()
    new = helen.locator("#new-objective")
    new.get_by_label("What is the objective?").fill("Mentor two newly qualified nurses")
    choose(new, "Short or long term", "Short term")
    fill_date(new, "Target date", timezone.localdate() + timedelta(days=90))
    helen.get_by_role("button", name="Save the plan").click()
    helen.wait_for_url(f"{b.url}/plans/{plan.pk}/")
    assert "Mentor two newly qualified nurses" in helen.locator("main").inner_text()
    helen.get_by_role("button", name="Sign the plan as facilitator").click()
    helen.get_by_text("You have signed this version.").wait_for()

    # -- the individual signs too
    aisha.goto(f"{b.url}/plans/{plan.pk}/")
    aisha.get_by_role("button", name="Sign the plan", exact=True).click()
    aisha.get_by_text("You have both signed: the plan is agreed and locked.").wait_for()

    # -- HR: the filter form, the export form, the ZIP (the export page refreshes itself with
    #    <meta http-equiv="refresh">, not JavaScript)
    hr = b.open(js=False)
    b.sign_in(hr, people.hr.email, PASSWORD)
    hr.goto(f"{b.url}/hr/plans/")
    hr.get_by_label("Name contains").fill("Rahman")
    hr.get_by_role("button", name="Apply filters").click()
    assert hr.locator("main table").first.locator("tbody tr").count() == 1
    hr.get_by_role("link", name="Export these plans as PDFs in a ZIP file").click()
    hr.get_by_role("button", name="Start the export").click()
    hr.locator("#id_password").fill(PASSWORD)  # the step-up form works without JavaScript
    hr.locator("main").get_by_role("button", name="Confirm").click()
    link = hr.get_by_role("link", name=re.compile("^Download ZIP"))
    link.wait_for(timeout=30_000)
    with hr.expect_download() as download:
        link.click()
    archive = tmp_path / "plans.zip"
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as z:
        assert len([n for n in z.namelist() if n.endswith(".pdf")]) == 1

    # -- signing out is a form too
    hr.get_by_role("navigation", name="Account").get_by_role("button", name="Sign out").click()
    hr.goto(f"{b.url}/")
    assert "/accounts/login/" in hr.url
