"""The plan page tags a review whose date passed without being held (issue 15, item 5)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.devplans.factories import agreed_plan

pytestmark = pytest.mark.django_db


def _reviews_table(page: str) -> str:
    return page.split("Review dates, six-monthly", 1)[1].split("</table>", 1)[0]


def test_a_missed_review_is_tagged_overdue_and_a_late_one_says_late(people, client_for):
    with time_machine.travel("2026-01-05 09:00Z", tick=False) as clock:
        plan = agreed_plan(people.individual, people.manager)
        first = plan.reviews.order_by("due_on").first()
        clock.move_to(first.due_on + timedelta(days=60))
        missed = _reviews_table(
            client_for("individual")
            .get(reverse("devplans:detail", args=[plan.pk]))
            .content.decode()
        )
        first.held_on = first.due_on + timedelta(days=61)
        first.save()
        held = _reviews_table(
            client_for("manager").get(reverse("devplans:detail", args=[plan.pk])).content.decode()
        )

    assert missed.count("Overdue") == 1
    assert "Overdue" not in held
    assert "(late)" in held


def test_a_review_not_yet_due_is_not_overdue(people, client_for):
    with time_machine.travel(date(2026, 1, 5).isoformat() + " 09:00Z", tick=False):
        plan = agreed_plan(people.individual, people.manager)
        page = client_for("individual").get(reverse("devplans:detail", args=[plan.pk]))

    assert "Overdue" not in _reviews_table(page.content.decode())
