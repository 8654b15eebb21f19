"""After agreement: the individual records progress; facilitators record reviews."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from devplans.content import plan_content_hash
from devplans.models import Objective, Plan, Review
from tests.dates import date_fields, typed
from tests.devplans.helpers import page_text

pytestmark = pytest.mark.django_db


def progress_url(plan: Plan) -> str:
    return reverse("devplans:progress", args=[plan.pk])


def review_url(plan: Plan) -> str:
    return reverse("devplans:review", args=[plan.pk])


def progress_post(objective: Objective, status: str, note: str = "") -> dict:
    prefix = f"o{objective.pk}"
    return {"objective": objective.pk, f"{prefix}-status": status, f"{prefix}-note": note}


def test_the_individual_updates_status_and_adds_a_dated_note_without_reopening(client_for, agreed):
    signed_hash = agreed.individual_signed_hash
    objective = agreed.objectives.first()
    client = client_for("individual")
    response = client.post(
        progress_url(agreed),
        progress_post(objective, "in_progress", "Ran the first teaching session."),
        follow=True,
    )
    text = page_text(response)
    assert "Progress saved for objective 1." in text
    assert f"{timezone.localdate():%-d %B %Y}: Ran the first teaching session." in text
    objective.refresh_from_db()
    assert objective.status == Objective.Status.IN_PROGRESS
    note = objective.notes.get()
    assert note.author.email == "individual@example.org"
    agreed.refresh_from_db()
    assert agreed.status == Plan.Status.AGREED
    assert Plan.objects.filter(lineage=agreed.lineage).count() == 1
    # Progress is not part of the signed content.
    assert plan_content_hash(agreed) == signed_hash == agreed.individual_signed_hash


def test_the_facilitator_sees_the_progress_note(client_for, agreed):
    objective = agreed.objectives.first()
    client_for("individual").post(
        progress_url(agreed), progress_post(objective, "achieved", "Done!")
    )
    text = page_text(client_for("manager").get(reverse("devplans:detail", args=[agreed.pk])))
    assert "Achieved" in text
    assert "Done!" in text


def test_saving_nothing_new_says_so(client_for, agreed):
    objective = agreed.objectives.first()
    response = client_for("individual").post(
        progress_url(agreed), progress_post(objective, objective.status, "   ")
    )
    assert response.status_code == 200
    assert "Nothing to save: choose a new status or write a progress note." in page_text(response)
    assert not objective.notes.exists()


def test_an_objective_of_another_plan_is_refused(client_for, agreed, people):
    from tests.devplans.factories import agreed_plan

    other = agreed_plan(people.colleague, people.manager).objectives.first()
    response = client_for("individual").post(
        progress_url(agreed), progress_post(other, "achieved", "Not mine"), follow=True
    )
    assert "That objective is not part of this plan. Nothing was saved." in page_text(response)
    other.refresh_from_db()
    assert other.status == Objective.Status.NOT_STARTED
    assert not other.notes.exists()


@pytest.mark.parametrize("persona", ["manager", "coach", "hr"])
def test_others_cannot_record_the_individuals_progress(client_for, agreed, persona):
    objective = agreed.objectives.first()
    response = client_for(persona).post(progress_url(agreed), progress_post(objective, "achieved"))
    assert response.status_code == 403
    objective.refresh_from_db()
    assert objective.status == Objective.Status.NOT_STARTED


def test_progress_needs_an_agreed_plan(client_for, draft):
    assert client_for("individual").get(progress_url(draft)).status_code == 403


# =============================================================================
# Reviews
# =============================================================================


def test_the_facilitator_records_a_planned_review(client_for, agreed):
    planned = agreed.reviews.order_by("due_on").first()
    response = client_for("manager").post(
        review_url(agreed),
        {
            "review": planned.pk,
            **date_fields(timezone.localdate(), "held_on"),
            "notes": "Good progress; focus on the audit next.",
        },
        follow=True,
    )
    assert "The review has been recorded on the plan." in page_text(response)
    planned.refresh_from_db()
    assert planned.held_on == timezone.localdate()
    assert planned.recorded_by.email == "manager@example.org"
    individual_view = page_text(
        client_for("individual").get(reverse("devplans:detail", args=[agreed.pk]))
    )
    assert "Good progress; focus on the audit next." in individual_view


def test_an_extra_review_can_be_recorded(client_for, agreed):
    before = agreed.reviews.count()
    client_for("coach").post(
        review_url(agreed),
        {"review": "", **date_fields(timezone.localdate(), "held_on"), "notes": "Extra check-in."},
    )
    assert agreed.reviews.count() == before + 1
    assert agreed.reviews.get(notes="Extra check-in.").held_on == timezone.localdate()


def test_a_review_in_the_future_is_refused(client_for, agreed):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for("manager").post(
        review_url(agreed), {**date_fields(tomorrow, "held_on"), "notes": "Planned"}
    )
    assert response.status_code == 200
    assert "The review date cannot be in the future" in page_text(response)
    assert not Review.objects.filter(notes="Planned").exists()


def test_a_review_needs_notes_and_a_date(client_for, agreed):
    response = client_for("manager").post(
        review_url(agreed), {**date_fields("", "held_on"), "notes": ""}
    )
    text = page_text(response)
    assert "Enter the date the review was held" in text
    assert "Write what was reviewed and agreed" in text


def test_an_impossible_review_date_is_named_and_kept_as_typed(client_for, agreed):
    """31 2 2027: the message says the date is not real, and the boxes keep 31, 2 and 2027 for
    the facilitator to correct; nothing is recorded until they do."""
    client = client_for("manager")
    response = client.post(
        review_url(agreed), {**typed("31", "2", "2027", "held_on"), "notes": "Typed badly"}
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "The date the review was held must be a real date, for example 15 3 2027" in text
    html = response.content.decode()
    for part, value in (("day", "31"), ("month", "2"), ("year", "2027")):
        assert f'name="held_on_{part}" value="{value}"' in html
    assert "Typed badly" in text  # the notes are kept too
    assert not Review.objects.filter(notes="Typed badly").exists()
    today = timezone.localdate()
    client.post(
        review_url(agreed),
        {**typed(str(today.day), str(today.month), str(today.year), "held_on"), "notes": "Fixed"},
    )
    assert agreed.reviews.get(notes="Fixed").held_on == today


@pytest.mark.parametrize("persona", ["individual", "hr"])
def test_only_facilitators_record_reviews(client_for, agreed, persona):
    response = client_for(persona).post(
        review_url(agreed), {**date_fields(timezone.localdate(), "held_on"), "notes": "Mine"}
    )
    assert response.status_code == 403
    assert not Review.objects.filter(notes="Mine").exists()


def test_hr_sees_review_dates_but_not_notes(client_for, agreed):
    review = agreed.reviews.order_by("due_on").first()
    review.held_on = timezone.localdate()
    review.notes = "CANARY-REVIEW-NOTE"
    review.save()
    objective = agreed.objectives.first()
    objective.notes.create(text="CANARY-PROGRESS-NOTE")
    text = page_text(client_for("hr").get(reverse("devplans:detail", args=[agreed.pk])))
    assert "Aisha Rahman" in text
    assert "Reviews" in text
    assert "CANARY" not in text
