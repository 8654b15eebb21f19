"""What the conversations and people pages show of a journal follows the person-by-person
sharing rule (issue 14): each viewer sees only what is shared with them by name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from journals.models import Question, SectionShare
from tests.conversations.conftest import make_journal
from tests.conversations.test_dashboard import DASHBOARD, Rows

pytestmark = pytest.mark.django_db

FOR_MANAGER = "Words-for-the-manager"
FOR_COACH = "Words-for-the-coach-only"


@pytest.fixture
def journal(people):
    """Strengths shared with the manager and the coach, career history with the coach only."""
    journal = make_journal(
        people.individual,
        answers={"strengths": FOR_MANAGER, "career-history": FOR_COACH},
        shared=("strengths", "career-history"),
    )
    SectionShare.objects.filter(
        journal_section__journal=journal,
        journal_section__section__slug="career-history",
        reader=people.manager,
    ).delete()
    return journal


def _cell(client, name: str) -> str:
    page = client.get(DASHBOARD).content.decode()
    return next(r for r in Rows(page).rows if r and name in r[0])[1]


def test_the_dashboard_counts_only_what_is_shared_with_that_viewer(
    clock, client_for, people, journal
):
    strengths = Question.objects.filter(is_active=True, section__slug="strengths").count()
    career = Question.objects.filter(is_active=True, section__slug="career-history").count()

    manager = _cell(client_for("manager"), "Aisha Rahman")
    coach = _cell(client_for("coach"), "Aisha Rahman")

    assert f"1 of {strengths} shared questions answered" in manager
    assert f"2 of {strengths + career} shared questions answered" in coach


def test_the_side_by_side_view_shows_each_reader_only_their_sections(
    clock, client_for, people, journal, conversation
):
    url = reverse("conversations:detail", args=[conversation.pk])

    manager = client_for("manager").get(url).content.decode()
    individual = client_for("individual").get(url).content.decode()
    stage = client_for("manager").get(f"/conversations/{conversation.pk}/stage/2/").content.decode()

    assert FOR_MANAGER in manager
    assert FOR_COACH not in manager
    assert FOR_COACH not in stage
    # The individual sees what the person holding this conversation (the manager) may read.
    assert FOR_MANAGER in individual
    assert FOR_COACH not in individual


def test_the_person_page_lists_only_what_is_shared_with_the_viewer(
    clock, client_for, people, journal
):
    url = reverse("devplans:person", args=[people.individual.pk])

    manager = client_for("manager").get(url).content.decode()
    coach = client_for("coach").get(url).content.decode()

    assert "Shared with you: Personal strengths and development challenges" in manager
    assert "Career history" not in manager
    assert "Career history" in coach
