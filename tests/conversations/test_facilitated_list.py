"""A facilitator's "Your conversations" lists the conversations they facilitate beside their
own, and the dashboard finds people by name or job title."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation
from scopegrowth.models import ManagerLink
from tests import factories
from tests.devplans.helpers import page_text

pytestmark = pytest.mark.django_db

MINE = reverse("conversations:mine")
DASHBOARD = reverse("conversations:dashboard")


def test_a_manager_sees_the_conversations_they_facilitate_upcoming_and_held(
    clock, client_for, people, make_conversation
):
    make_conversation(scheduled_at=timezone.now() + timedelta(days=3))
    make_conversation(
        individual=people.colleague,
        scheduled_at=timezone.now() - timedelta(days=40),
        status=Conversation.Status.COMPLETED,
        completed_at=timezone.now() - timedelta(days=40),
    )

    text = page_text(client_for("manager").get(MINE))

    assert "Conversations you facilitate" in text
    coming, held = text.split("Held or cancelled")
    assert "Aisha Rahman" in coming.split("Coming up")[-1]
    assert "Staff Nurse" in coming.split("Coming up")[-1]
    assert "Tom Hughes" in held
    assert "Completed" in held
    person = reverse("devplans:person", args=[people.individual.pk])
    assert person in client_for("manager").get(MINE).content.decode()


def test_the_individual_sees_only_their_own(clock, client_for, make_conversation):
    make_conversation()
    text = page_text(client_for("individual").get(MINE))
    assert "Conversations you facilitate" not in text
    assert "Helen Carter" in text


def test_a_former_manager_no_longer_lists_them(clock, client_for, people, make_conversation):
    make_conversation()
    ManagerLink.objects.filter(report=people.individual).update(ended_at=timezone.now())
    factories.ManagerLinkFactory(manager=people.other_manager, report=people.individual)

    assert "Aisha Rahman" not in page_text(client_for("manager").get(MINE))


def test_the_coach_lists_only_what_they_facilitate(clock, client_for, make_conversation):
    make_conversation()  # facilitated by the manager
    assert "Conversations you facilitate" not in page_text(client_for("coach").get(MINE))


def test_the_list_keeps_its_query_count_as_conversations_grow(
    clock, client_for, people, make_conversation, django_assert_num_queries
):
    client = client_for("manager")

    def add(n):
        for i in range(n):
            make_conversation(scheduled_at=timezone.now() - timedelta(days=10 + i))

    add(3)
    client.get(MINE)
    with django_assert_num_queries(MINE_QUERIES):
        client.get(MINE)
    add(3)
    with django_assert_num_queries(MINE_QUERIES):
        response = client.get(MINE)
    assert page_text(response).count("Aisha Rahman") == 6


MINE_QUERIES = 5  # issue 20: no session writes, roles once with the unread updates count


@pytest.mark.parametrize(
    ("query", "found", "hidden"),
    [
        ("aisha", "Aisha Rahman", "Tom Hughes"),
        ("healthcare assistant", "Tom Hughes", "Aisha Rahman"),
        ("RAHMAN nurse", "Aisha Rahman", "Tom Hughes"),
    ],
)
def test_the_dashboard_search_finds_people_by_name_or_job_title(
    clock, client_for, query, found, hidden
):
    response = client_for("manager").get(DASHBOARD, {"q": query})
    assert response.status_code == 200
    table = page_text(response).split("People you line manage or coach")[-1]
    assert found in table
    assert hidden not in table
    assert "filtered: 1 of 2" in table


def test_a_search_that_matches_nobody_says_so(clock, client_for):
    text = page_text(client_for("manager").get(DASHBOARD, {"q": "zzz"}))
    assert "Tom Hughes" not in text.split("Needs action")[-1]
