"""The facilitation screens fit the screen they are shared on (issue 16, part 5): with the demo's
answers (`seed_demo`), stages 1 to 3 read at 1024, 1280 and 1440 px without a word broken across
two lines ("Developmen / t areas") or a sideways scroll; stage 2 at 1280 px is no taller than
4,000 px as it is shared (notes hidden) nor with the facilitator's notes and preparation
showing (it was 5,961 and 7,144 px, then 4,309 px with notes); and the stage pages pass axe at
desktop and phone widths, notes shown and hidden."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from scopegrowth.demo import DEFAULT_PASSWORD
from tests.browser.harness import check_a11y, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1024, 1280, 1440)
STAGE_2_MAX_HEIGHT = 4000  # as shared on screen: notes and preparation hidden
STAGE_2_WITH_NOTES_MAX_HEIGHT = 4000  # notes and preparation showing (3,929 px; was 4,309)

# Every word of the main content, as the browser laid it out: a word whose characters sit on
# more than one line was broken mid-word. Words are split at spaces and after hyphens and
# slashes (where a line may end without breaking a word); form fields' own text is left out.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("textarea, script, style, .nhsuk-u-visually-hidden")) continue;
    const text = node.textContent;
    const word = /[^\\s\\-\\u2010-\\u2014\\/]+[\\-\\u2010-\\u2014\\/]?/g;
    for (let match = word.exec(text); match; match = word.exec(text)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].replace(/[\\-\\u2010-\\u2014\\/]$/, "").length);
      const tops = new Set();
      for (const rect of range.getClientRects()) {
        if (rect.width > 0) tops.add(Math.round(rect.top));
      }
      if (tops.size > 1) broken.push(`${match[0]} (in <${node.parentElement.localName}>)`);
    }
  }
  return broken;
}"""


@pytest.fixture
def demo_stages(transactional_db):
    """The demo's upcoming conversation (Aisha with her manager, who has started preparing):
    its stage pages' paths."""
    call_command("seed_demo", verbosity=0)
    from conversations.models import Conversation
    from scopegrowth.models import User

    individual = User.objects.get(email="individual@example.com")
    conversation = Conversation.objects.filter(individual=individual).latest("pk")
    return [f"/conversations/{conversation.pk}/stage/{n}/" for n in (1, 2, 3)]


def _sign_in_as_manager(page, live_server):
    login(page, live_server, "manager@example.com", DEFAULT_PASSWORD)


def test_stage_pages_break_no_word_at_desktop_widths(page, live_server, demo_stages):
    """The manager shares the stages on a laptop or a meeting-room screen, notes showing: every
    word stays whole, nothing scrolls sideways, and stage 2 fits in about four screens."""
    _sign_in_as_manager(page, live_server)
    heights = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for number, path in enumerate(demo_stages, start=1):
            assert page.goto(f"{live_server.url}{path}").status == 200, path
            # The demo's answers or the questions to ask are on the page (real text measured).
            assert page.locator(".sg-answers dd, .sg-columns li").count() >= 3, path
            broken = page.evaluate(BROKEN_WORDS)
            assert not broken, f"stage {number} at {width} px breaks words: {broken[:10]}"
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"stage {number} at {width} px scrolls sideways by {overflow}px"
            heights[(number, width)] = page.evaluate("document.documentElement.scrollHeight")
    assert heights[(2, 1280)] <= STAGE_2_WITH_NOTES_MAX_HEIGHT, heights


def test_stage_2_with_notes_hidden_keeps_the_answers_whole(page, live_server, demo_stages):
    """Switching to the presentation view part-way through (notes hidden): the individual's
    answers are still there under their questions, words whole, and the manager's preparation
    is not on the page."""
    _sign_in_as_manager(page, live_server)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{demo_stages[1]}")
    assert page.locator(".sg-private").count() > 0
    page.locator("[data-sg-present=on]").click()
    page.wait_for_url("**/?present=1")
    assert page.locator(".sg-private").count() == 0
    assert "Your preparation" not in page.locator("main").inner_text()
    assert page.locator(".sg-answers").count() > 0
    assert not page.evaluate(BROKEN_WORDS)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= STAGE_2_MAX_HEIGHT, height
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in demo_stages:
            page.goto(f"{live_server.url}{path}?present=1")
            assert not page.evaluate(BROKEN_WORDS), (path, width)


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_stage_pages_with_the_demo_answers_are_accessible(page, live_server, demo_stages):
    _sign_in_as_manager(page, live_server)
    for number, path in enumerate(demo_stages, start=1):
        for suffix, query in (("", ""), ("-present", "?present=1")):
            assert page.goto(f"{live_server.url}{path}{query}").status == 200, path
            check_a11y(page, f"conversations-demo-stage{number}{suffix}")
