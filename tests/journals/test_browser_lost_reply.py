"""In a real browser (issue 15, item 6): the server saved, the reply never arrived; the page
goes on saving, and never says "saved in another tab"."""

from __future__ import annotations

import pytest

from journals.models import Answer
from tests.browser.harness import login
from tests.journals import helpers as h

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def owner(make_user):  # noqa: F811 - the imported fixture
    return make_user(email="aisha.rahman@example.org", full_name="Aisha Rahman")


def test_a_lost_autosave_reply_does_not_stop_autosave(page, live_server, owner):  # noqa: F811
    journal = h.start(owner)
    first = h.text_questions("strengths")[0]
    lost = []

    def lose_the_first_reply(route):
        if lost:
            route.continue_()
            return
        route.fetch()  # the server saves it...
        lost.append(True)
        route.abort("connectionreset")  # ...and the reply is lost on the way back

    page.route("**/autosave/", lose_the_first_reply)
    login(page, live_server, owner.email)
    page.goto(f"{live_server.url}{h.section_url(journal, 'strengths')}")

    saved = "() => document.querySelector('#autosave-status').textContent.includes('Saved at')"
    page.fill(f"#id_q_{first.pk}", "Calm")
    page.wait_for_function(saved, timeout=15_000)  # sent again with the page's key: saved
    page.evaluate("document.querySelector('#autosave-status').textContent = ''")
    page.fill(f"#id_q_{first.pk}", "Calm in a crisis, and kind.")
    page.wait_for_function(saved, timeout=15_000)

    assert lost == [True]
    assert "another tab" not in page.inner_text("#autosave-status")
    assert Answer.objects.get(question=first).text == "Calm in a crisis, and kind."
    # the lost reply is a failed fetch on purpose; nothing else may go wrong
    page.problems.console_errors = [
        e for e in page.problems.console_errors if "ERR_CONNECTION_RESET" not in e
    ]
