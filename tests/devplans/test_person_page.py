"""The person page (`/people/<id>/`): a supporter reads one person's history, through `access`.

Lived order (journal, conversation, plan, reviews, a second cycle) and awkward order (the line
manager changes, the coach link ends, a plan is reopened) both end on the same rule: only a
*current* line manager or assigned coach reads it, and only what `access` lets them see.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation
from devplans import services as plan_services
from devplans.models import Objective, Plan, PlanCheckIn, Review
from scopegrowth.models import CoachLink, ManagerLink
from tests import factories
from tests.conversations.conftest import clock, levels  # noqa: F401  (the clock fixture)
from tests.devplans.factories import ProgressNoteFactory, agreed_plan
from tests.devplans.helpers import page_text
from tests.journals import helpers as jh

pytestmark = pytest.mark.django_db


def person_url(person) -> str:
    return reverse("devplans:person", args=[person.pk])


def _conversation(individual, facilitator, when, **values) -> Conversation:
    now = timezone.now()
    return Conversation.objects.create(
        individual=individual,
        facilitator=facilitator,
        scheduled_at=when,
        location="Seminar room 2",
        created_at=now,
        updated_at=now,
        **values,
    )


def _completed(individual, facilitator, when) -> Conversation:
    low, mid, high = levels()
    return _conversation(
        individual,
        facilitator,
        when,
        status=Conversation.Status.COMPLETED,
        completed_at=when + timedelta(hours=2),
        agreed_now_growth="depth",
        agreed_now_impact=mid,
        agreed_future_growth="stretch",
        agreed_future_impact=high,
    )


@pytest.fixture
def history(clock, people):  # noqa: F811
    """Two journal cycles (the first shares one section), a held conversation facilitated by the
    manager, an upcoming one with the coach, an agreed plan with a held review and progress."""
    first = jh.start(people.individual)
    jh.answer(first, "strengths", {jh.text_questions("strengths")[0]: "SHARED-ANSWER-TEXT"})
    jh.answer(first, "wellbeing", {jh.text_questions("wellbeing")[0]: "PRIVATE-ANSWER-TEXT"})
    jh.share(first, "strengths")
    held = _completed(people.individual, people.manager, timezone.now() - timedelta(days=30))
    plan = agreed_plan(people.individual, people.manager, objectives=2, conversation=held)
    objective = plan.objectives.first()
    ProgressNoteFactory(objective=objective, author=people.individual, text="Ran the first one.")
    review = plan.reviews.order_by("due_on").first()
    review.held_on = date(2026, 2, 20)
    review.notes = "On track; add a second teaching slot."
    review.recorded_by = people.manager
    review.save()
    second = jh.start(people.individual)  # cycle 2: nothing shared yet
    upcoming = _conversation(people.individual, people.coach, timezone.now() + timedelta(days=5))
    return {"first": first, "second": second, "held": held, "plan": plan, "upcoming": upcoming}


def test_the_line_manager_reads_the_whole_history(history, client_for):
    response = client_for("manager").get(person_url(history["plan"].individual))

    assert response.status_code == 200
    text = page_text(response)
    assert "Aisha Rahman" in text
    assert "Staff Nurse" in text
    assert "You are their line manager" in text
    # Conversations past and future, who facilitated, status, agreed position.
    assert "Facilitated by Helen Carter" in text
    assert "Facilitated by Grace Adeyemi" in text
    assert "Completed" in text
    assert "Scheduled" in text
    assert "Depth, established in role" in text
    assert "Stretch / complexity, exceeding in role" in text
    # The plan: its version, the review's outcome and the progress.
    assert "Version 1" in text
    assert "Agreed" in text
    assert "Review held by Helen Carter" in text
    assert "On track; add a second teaching slot." in text
    assert "Progress recorded by Aisha Rahman" in text
    assert "Ran the first one." in text
    assert "0 of 2 achieved" in text
    # Journals: only the cycle that shares something, only the shared section's title.
    assert "Cycle 1" in text
    assert "Cycle 2" not in text
    assert "Personal strengths and development challenges" in text
    assert "SHARED-ANSWER-TEXT" not in text
    assert "PRIVATE-ANSWER-TEXT" not in text
    assert "Health and well-being" not in text
    # Coming up lists the next conversation before the history.
    assert text.index("Coming up") < text.index("Facilitated by Grace Adeyemi")
    assert text.index("Facilitated by Grace Adeyemi") < text.index("History, newest first")


def test_the_assigned_coach_reads_it_too(history, client_for):
    response = client_for("coach").get(person_url(history["plan"].individual))
    assert response.status_code == 200
    assert "You are their coach" in page_text(response)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("individual", 403),
        ("hr", 403),
        ("colleague", 404),
        ("other_manager", 404),
        ("unassigned_coach", 404),
        ("hr_other_org", 404),
        ("admin", 404),
    ],
)
def test_nobody_else_reads_it(history, client_for, people, persona, status):
    response = client_for(persona).get(person_url(people.individual))
    assert response.status_code == status
    assert b"On track" not in response.content


def test_it_rejects_post(history, client_for, people):
    assert client_for("manager").post(person_url(people.individual)).status_code == 405


def test_a_former_line_manager_loses_it_and_the_new_one_sees_the_old_conversations(
    history, client_for, people
):
    ManagerLink.objects.filter(report=people.individual).update(ended_at=timezone.now())
    factories.ManagerLinkFactory(manager=people.other_manager, report=people.individual)

    assert client_for("manager").get(person_url(people.individual)).status_code == 404
    response = client_for("other_manager").get(person_url(people.individual))
    assert response.status_code == 200
    text = page_text(response)
    assert "Facilitated by Helen Carter" in text  # the history stays with the person
    assert "Review held by Helen Carter" in text


def test_a_coach_whose_link_ended_loses_it(history, client_for, people):
    CoachLink.objects.filter(coachee=people.individual).update(ended_at=timezone.now())
    assert client_for("coach").get(person_url(people.individual)).status_code == 404


def test_a_second_cycle_shares_a_section_and_a_reopened_plan_shows_both_versions(
    history, client_for, people
):
    jh.share(history["second"], "aspirations")
    plan_services.plan_reopen(
        actor=people.manager, plan=history["plan"], reason="Objectives changed"
    )

    text = page_text(client_for("manager").get(person_url(people.individual)))
    assert "Cycle 2" in text
    assert "Cycle 1" in text
    assert text.index("Cycle 2") < text.index("Cycle 1")
    assert "Version 2" in text
    assert "Version 1" in text
    assert "Draft" in text
    assert "Plan version 2 started" in text
    # Reviews and progress copied into the draft are not listed twice.
    assert text.count("Review held by Helen Carter") == 1


def test_the_dashboard_the_conversation_and_the_plan_link_to_it(history, client_for, people):
    client = client_for("manager")
    url = person_url(people.individual)
    assert url in client.get(reverse("conversations:dashboard")).content.decode()
    detail = reverse("conversations:detail", args=[history["held"].pk])
    assert url in client.get(detail).content.decode()
    assert url in client.get(reverse("devplans:detail", args=[history["plan"].pk])).content.decode()


def test_the_individual_is_not_linked_to_a_page_they_cannot_open(history, client_for, people):
    client = client_for("individual")
    url = person_url(people.individual)
    detail = reverse("conversations:detail", args=[history["held"].pk])
    assert url not in client.get(detail).content.decode()
    assert (
        url
        not in client.get(reverse("devplans:detail", args=[history["plan"].pk])).content.decode()
    )


PERSON_QUERIES = (
    12  # issue 20: no session writes; roles and the unread updates count once a request;
    # the facilitate check answered from the links already read; issue 16: the plans' check-ins
)


def _grow(people, n: int) -> None:
    """n more of everything: held conversations, plans with reviews and notes, journal cycles."""
    for _ in range(n):
        when = timezone.now() - timedelta(days=400)
        held = _completed(people.individual, people.manager, when)
        plan = agreed_plan(people.individual, people.manager, objectives=2, conversation=held)
        for objective in plan.objectives.all():
            ProgressNoteFactory(objective=objective, author=people.individual)
        Review.objects.filter(plan=plan).update(held_on=date(2025, 6, 1), notes="Fine.")
        PlanCheckIn.objects.create(
            plan=plan, author=people.manager, held_on=date(2025, 3, 1), progressed="Moving."
        )
        journal = jh.start(people.individual)
        jh.share(journal, "strengths")


def test_the_query_count_does_not_grow_with_the_history(
    clock,  # noqa: F811
    client_for,
    people,
    django_assert_num_queries,
):
    client = client_for("manager")
    url = person_url(people.individual)
    _grow(people, 3)
    client.get(url)  # warm-up

    with django_assert_num_queries(PERSON_QUERIES):
        first = client.get(url)
    _grow(people, 3)
    with django_assert_num_queries(PERSON_QUERIES):
        second = client.get(url)

    assert page_text(first).count("Plan version") == 3 * 2
    assert page_text(second).count("Plan version") == 6 * 2
    assert page_text(second).count("Check-in recorded by") == 6
    assert Plan.objects.filter(individual=people.individual).count() == 6
    assert Objective.objects.filter(plan__individual=people.individual).count() == 12
