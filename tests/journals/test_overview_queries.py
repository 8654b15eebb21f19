"""The overview page answers in a fixed number of queries, however much is in the journal and
however many other journals there are (build, warm up, measure; add more, measure again)."""

from __future__ import annotations

import pytest

from journals import selectors
from tests import factories
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

# Framework per request (3, issue 20: no session or user-session write on a read): session,
# user, the reader's roles and links with the header's unread updates count (once per request,
# scopegrowth/access_memo.py).
# The page (8): the journal; the sections the reader may see; sections with their question
# totals; answered counts; whom each section is shared with; section versions; who supports
# the owner (line manager and coaches in one query: scopegrowth.selectors.supporters_of); the
# owner's next conversation.
OWNER_QUERIES = 11
# The facilitator's page: no conversation lookup (one fewer); the read is recorded by the
# service (the audit event: one more); the "view" check answered from the sections shared with
# the reader, read once for both (journals.policies.shared_with_reader: one fewer).
FACILITATOR_QUERIES = 10
# The home page card: the open journal with its counts (questions asked, answers given,
# sections shared) in one query.
HOME_CARD_QUERIES = 1


def fill(journal, slugs, words):
    for slug in slugs:
        h.answer(journal, slug, {q: f"{words} {q.pk}" for q in h.text_questions(slug)})
        h.share(journal, slug)


def other_people_with_journals(count):
    for _ in range(count):
        person = factories.UserFactory()
        fill(h.start(person), ["strengths", "planner"], "someone else's words")


def test_the_owner_overview_query_count_does_not_grow(
    journal_owner, client_for, django_assert_num_queries
):
    journal = journal_owner
    client = client_for("individual")
    url = h.overview_url(journal)
    fill(journal, ["strengths"], "first")
    client.get(url)  # warm-up

    with django_assert_num_queries(OWNER_QUERIES):
        assert client.get(url).status_code == 200

    fill(journal, ["behaviours", "career-history", "planner", "wellbeing"], "more")
    other_people_with_journals(3)

    with django_assert_num_queries(OWNER_QUERIES):
        assert client.get(url).status_code == 200


def test_the_facilitator_overview_query_count_does_not_grow(
    journal_owner, client_for, django_assert_num_queries
):
    journal = journal_owner
    client = client_for("manager")
    url = h.overview_url(journal)
    fill(journal, ["strengths"], "first")
    client.get(url)

    with django_assert_num_queries(FACILITATOR_QUERIES):
        assert client.get(url).status_code == 200

    fill(journal, ["behaviours", "career-history", "planner"], "more")
    other_people_with_journals(3)

    with django_assert_num_queries(FACILITATOR_QUERIES):
        assert client.get(url).status_code == 200


def test_the_home_page_journal_card_query_count_does_not_grow(
    journal_owner, people, django_assert_num_queries
):
    journal = journal_owner
    fill(journal, ["strengths"], "first")

    with django_assert_num_queries(HOME_CARD_QUERIES):
        card = selectors.home_journal_card(people.individual)
    assert (card.answered, card.shared) == (len(h.text_questions("strengths")), 1)

    fill(journal, ["behaviours", "planner"], "more")
    other_people_with_journals(3)

    with django_assert_num_queries(HOME_CARD_QUERIES):
        card = selectors.home_journal_card(people.individual)
    assert card.shared == 3


def test_the_home_page_shows_the_journal_card(journal_owner, client_for):
    fill(journal_owner, ["strengths"], "first")

    page = client_for("individual").get("/").content.decode()

    assert "My journal" in page
    assert f"You have answered {len(h.text_questions('strengths'))} of" in page
    assert "shared 1 section" in page


def test_the_home_page_says_not_started_without_a_journal(people, client_for):
    page = client_for("colleague").get("/").content.decode()

    assert "My journal" in page
    assert "Not started." in page


@pytest.fixture
def journal_owner(people):
    return h.start(people.individual)
