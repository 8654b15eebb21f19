"""Overdue plan reviews on the dashboard (issue 15, item 5): tagged, counted by the "Review the
plan" filter even when the row also needs something else, and every action a row needs shown."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conversations.test_dashboard import DASHBOARD, Rows, _agreed_plan

pytestmark = pytest.mark.django_db


def _row(page: str, name: str) -> list[str]:
    return next(r for r in Rows(page).rows if r and name in r[0])


def test_a_review_due_two_months_ago_is_tagged_and_counted(clock, client_for, people):
    _agreed_plan(people.individual, people.manager, review_on=date(2026, 1, 2))

    page = client_for("manager").get(DASHBOARD).content.decode()
    aisha = _row(page, "Aisha Rahman")

    assert "Next review 2 Jan 2026 Overdue" in aisha[3]
    assert "Review the plan: overdue since 2 Jan 2026" in aisha[4]
    assert '<option value="review">Review the plan (1)</option>' in page


def test_a_row_that_needs_preparing_and_a_review_shows_both_and_counts_in_both(
    clock, client_for, people, make_conversation
):
    """Before: one action per row and "prepare" outranked "review", so the filter counted 0."""
    _agreed_plan(people.individual, people.manager, review_on=date(2026, 1, 2))
    make_conversation(individual=people.individual)  # the next conversation, not prepared yet
    client = client_for("manager")

    page = client.get(DASHBOARD).content.decode()
    aisha = _row(page, "Aisha Rahman")
    reviews = client.get(DASHBOARD + "?action=review").content.decode()

    assert aisha[4].index("Review the plan: overdue") < aisha[4].index("Prepare for")
    assert '<option value="review">Review the plan (1)</option>' in page
    assert '<option value="prepare">Prepare for the conversation (1)</option>' in page
    assert "Aisha Rahman" in reviews.split("<tbody")[1]


def test_a_review_due_today_is_due_but_not_overdue(clock, client_for, people):
    _agreed_plan(people.individual, people.manager, review_on=date(2026, 3, 2))

    aisha = _row(client_for("manager").get(DASHBOARD).content.decode(), "Aisha Rahman")

    assert "Review the plan" in aisha[4]
    assert "overdue" not in aisha[4]
    assert "Overdue" not in aisha[3]


def test_a_review_held_late_clears_the_tag(clock, client_for, people):
    plan = _agreed_plan(people.individual, people.manager, review_on=date(2026, 1, 2))
    plan.reviews.update(held_on=date(2026, 2, 27), recorded_by=people.manager)

    page = client_for("manager").get(DASHBOARD).content.decode()
    aisha = _row(page, "Aisha Rahman")

    assert "Overdue" not in aisha[3]
    assert "Review the plan" not in aisha[4]
    assert '<option value="review">Review the plan (0)</option>' in page
