"""Marking an empty journal ready asks once (issue 15, item 8)."""

from __future__ import annotations

import pytest

from tests.journals import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal(people):
    return h.start(people.individual)


def ready_url(journal) -> str:
    from django.urls import reverse

    return reverse("journals:ready", args=[journal.pk])


def test_an_empty_journal_asks_before_it_is_marked_ready(journal, client_for):
    client = client_for("individual")

    asked = client.post(ready_url(journal))

    page = asked.content.decode()
    assert asked.status_code == 200
    assert "You have answered 0 of" in page
    assert "mark it ready anyway?" in page
    journal.refresh_from_db()
    assert journal.ready_at is None

    confirmed = client.post(ready_url(journal), {"confirm": "empty"})

    assert confirmed.status_code == 302
    journal.refresh_from_db()
    assert journal.ready_at is not None


def test_a_journal_with_an_answer_is_marked_ready_at_once(journal, client_for):
    h.answer(journal, "strengths", {h.text_questions("strengths")[0]: "Calm."})

    response = client_for("individual").post(ready_url(journal))

    assert response.status_code == 302
    journal.refresh_from_db()
    assert journal.ready_at is not None


def test_going_back_instead_leaves_it_not_ready(journal, client_for):
    client = client_for("individual")
    client.post(ready_url(journal))
    client.get(h.overview_url(journal))

    journal.refresh_from_db()
    assert journal.ready_at is None
