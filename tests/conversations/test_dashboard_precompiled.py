"""The dashboard's precompiled queries (issue 20) give the rows the queries built as usual give
(`dashboard_rows` outside a request: its scope holds subqueries, so nothing is precompiled),
whatever order the shapes were first compiled in, across a change of line manager and days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations import selectors
from conversations.dashboard_markup import row_html
from scopegrowth.models import ManagerLink
from tests import factories

pytestmark = pytest.mark.django_db


def _facts(rows) -> list[tuple]:
    return [
        (
            r.person.pk,
            r.relation,
            r.actions,
            r.conversation.pk if r.conversation else None,
            r.answered,
            r.total,
            r.plan_id,
            r.plan_status,
            r.next_review,
            [js.pk for js in (r.journal.shared_states if r.journal else [])],
            str(row_html(r)),
        )
        for r in rows
    ]


def _same(client, user) -> list[tuple]:
    response = client.get(reverse("conversations:dashboard"))
    assert response.status_code == 200
    board = response.context["board"]
    for row in board.rows:
        assert row.html == row_html(row)
    expected = _facts(selectors.dashboard_rows(user).rows)
    assert _facts(board.rows) == expected
    return expected


def test_the_precompiled_rows_match_across_a_manager_change(
    clock, client_for, people, conversation
):
    def same(role: str) -> list[tuple]:  # signed in again: the clock moves past the session
        return _same(client_for(role), getattr(people, role))

    same("other_manager")  # the other manager's shape is compiled first
    before = same("manager")
    assert people.individual.pk in [f[0] for f in before]

    clock.shift(timedelta(days=10))
    ManagerLink.objects.filter(report=people.individual, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    factories.ManagerLinkFactory(manager=people.other_manager, report=people.individual)

    after_old = same("manager")
    assert people.individual.pk not in [f[0] for f in after_old if f[1] == "Line manager"]
    assert people.individual.pk in [f[0] for f in same("other_manager")]
    clock.shift(timedelta(days=40))  # past the conversation's date: overdue
    assert same("other_manager") != []
    same("manager")
