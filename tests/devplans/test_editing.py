"""Editing a draft plan together: the individual and the facilitator, objectives, conflicts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devplans.forms import PlanForm, objective_formset, review_formset
from devplans.models import Objective, Plan
from tests.devplans.factories import agree, initiative
from tests.devplans.helpers import edit_data, objective_row, page_text
from tests.html_check import assert_valid_html

pytestmark = pytest.mark.django_db


def url(plan: Plan) -> str:
    return reverse("devplans:edit", args=[plan.pk])


def in_six_months() -> str:
    return (timezone.localdate() + timedelta(days=182)).isoformat()


def test_individual_saves_the_draft_and_sees_it_on_the_plan(client_for, draft):
    client = client_for("individual")
    data = edit_data(draft, reflections="I am at my best when teaching students.")
    response = client.post(url(draft), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("devplans:detail", args=[draft.pk])
    page = client.get(response["Location"])
    assert "I am at my best when teaching students." in page_text(page)
    assert "The plan has been saved" in page_text(page)
    draft.refresh_from_db()
    assert draft.version == 2
    assert draft.updated_by.email == "individual@example.org"


def test_facilitator_edits_the_same_draft(client_for, draft):
    data = edit_data(draft, aspirations="Become a ward sister within two years.")
    response = client_for("manager").post(url(draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.aspirations == "Become a ward sister within two years."


def test_edit_page_shows_the_plan_in_a_form(client_for, draft):
    response = client_for("coach").get(url(draft))
    assert response.status_code == 200
    text = page_text(response)
    assert "Edit the plan" in text
    assert draft.objectives.get().description in response.content.decode()
    assert "Add an objective" in text


def test_adding_objectives_with_initiatives(client_for, draft):
    existing = draft.objectives.get()
    new = objective_row(
        description="Shadow the matron for a week",
        aspiration="See the wider role",
        term="long",
        success_measure="A write-up shared with my manager",
        target_date=in_six_months(),
        support_needed="Cover for the shifts",
        initiatives=[initiative("Shadowing").pk, initiative("Mentoring").pk],
    )
    data = edit_data(draft, objectives=[objective_row(existing), new])
    data["action"] = "add"
    response = client_for("individual").post(url(draft), data)
    assert response.status_code == 302
    assert response["Location"].endswith("#new-objective")
    added = draft.objectives.get(description="Shadow the matron for a week")
    assert added.term == "long"
    assert {i.name for i in added.initiatives.all()} == {"Shadowing", "Mentoring"}
    assert [o.order for o in draft.objectives.order_by("order")] == [1, 2]


def test_removing_an_objective(client_for, draft):
    existing = draft.objectives.get()
    data = edit_data(draft, objectives=[objective_row(existing, delete=True)])
    assert client_for("individual").post(url(draft), data).status_code == 302
    assert not draft.objectives.exists()


def test_an_objective_without_a_description_is_refused(client_for, draft):
    before = draft.objectives.count()
    new = objective_row(description="", success_measure="Some measure", target_date=in_six_months())
    data = edit_data(draft, reflections="Changed text", objectives=[new])
    response = client_for("individual").post(url(draft), data)
    assert response.status_code == 200
    assert "Objective 1: Enter what the objective is" in page_text(response)
    # Everything typed is still on the page; nothing was saved.
    assert "Some measure" in response.content.decode()
    draft.refresh_from_db()
    assert draft.reflections != "Changed text"
    assert draft.objectives.count() == before


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "The target date must be today or later"),
        (2 * 366 + 10, "The target date must be within the plan's two-year horizon"),
    ],
)
def test_target_dates_in_the_past_or_beyond_the_horizon_are_refused(
    client_for, draft, days, message
):
    target = (timezone.localdate() + timedelta(days=days)).isoformat()
    new = objective_row(description="Lead a project", target_date=target)
    data = edit_data(draft, objectives=[objective_row(draft.objectives.get()), new])
    response = client_for("individual").post(url(draft), data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not Objective.objects.filter(description="Lead a project").exists()


def test_a_target_date_typed_as_day_month_and_year_is_saved(client_for, draft):
    """The NHS.UK date input: three boxes, the hint's example in the same form."""
    page = page_text(client_for("individual").get(url(draft)))
    assert "For example, 15 3 2027" in page
    when = timezone.localdate() + timedelta(days=100)
    new = objective_row(
        description="Lead a project",
        target_date={"day": str(when.day), "month": str(when.month), "year": str(when.year)},
    )
    data = edit_data(draft, objectives=[objective_row(draft.objectives.get()), new])
    assert client_for("individual").post(url(draft), data).status_code == 302
    assert Objective.objects.get(description="Lead a project").target_date == when


def test_an_impossible_target_date_is_named_and_kept_as_typed(client_for, draft):
    new = objective_row(
        description="Lead a project", target_date={"day": "31", "month": "2", "year": "2027"}
    )
    data = edit_data(draft, objectives=[objective_row(draft.objectives.get()), new])
    response = client_for("individual").post(url(draft), data)
    assert response.status_code == 200
    assert "The target date must be a real date, for example 15 3 2027" in page_text(response)
    html = response.content.decode()
    for part, value in (("day", "31"), ("month", "2"), ("year", "2027")):
        assert f'name="objectives-1-target_date_{part}" value="{value}"' in html
    assert "Lead a project</textarea>" in html  # the rest of the objective is kept
    assert not Objective.objects.filter(description="Lead a project").exists()


def test_an_impossible_review_date_is_named_and_kept_as_typed(client_for, draft):
    reviews = list(draft.reviews.order_by("due_on"))
    rows = [{"id": r.pk, "due_on": r.due_on} for r in reviews]
    rows[0]["due_on"] = {"day": "31", "month": "2", "year": "2027"}
    response = client_for("manager").post(url(draft), edit_data(draft, reviews=rows))
    assert response.status_code == 200
    assert "The review date must be a real date, for example 15 3 2027" in page_text(response)
    html = response.content.decode()
    for part, value in (("day", "31"), ("month", "2"), ("year", "2027")):
        assert f'name="reviews-0-due_on_{part}" value="{value}"' in html
    before = reviews[0].due_on
    reviews[0].refresh_from_db()
    assert reviews[0].due_on == before


def test_an_unchanged_target_date_that_has_passed_is_kept(client_for, draft):
    """A reopened plan keeps objectives whose date passed; saving it again must work."""
    objective = draft.objectives.get()
    Objective.objects.filter(pk=objective.pk).update(
        target_date=timezone.localdate() - timedelta(days=30)
    )
    objective.refresh_from_db()
    data = edit_data(draft, reflections="Still fine")
    assert client_for("individual").post(url(draft), data).status_code == 302


def test_review_dates_can_be_changed_within_the_horizon(client_for, draft):
    reviews = list(draft.reviews.order_by("due_on"))
    rows = [{"id": r.pk, "due_on": r.due_on.isoformat()} for r in reviews]
    rows[0]["due_on"] = (timezone.localdate() + timedelta(days=90)).isoformat()
    rows.append({"due_on": (draft.horizon_end + timedelta(days=30)).isoformat()})
    response = client_for("manager").post(url(draft), edit_data(draft, reviews=rows))
    assert response.status_code == 200
    assert "The review date must be within the plan's two-year horizon" in page_text(response)
    rows.pop()
    response = client_for("manager").post(url(draft), edit_data(draft, reviews=rows))
    assert response.status_code == 302
    reviews[0].refresh_from_db()
    assert reviews[0].due_on == timezone.localdate() + timedelta(days=90)


def test_a_plan_full_of_html_is_shown_as_text(client_for, draft):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = edit_data(draft, reflections=payload)
    assert client_for("individual").post(url(draft), data).status_code == 302
    page = client_for("manager").get(reverse("devplans:detail", args=[draft.pk]))
    html = page.content.decode()
    assert payload not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_text_over_the_limit_is_refused_with_a_message(client_for, draft):
    data = edit_data(draft, reflections="x" * 1_000_000)
    response = client_for("individual").post(url(draft), data)
    assert response.status_code == 200
    assert "This can be up to 10,000 characters" in page_text(response)
    draft.refresh_from_db()
    assert draft.reflections == "Energised by teaching students."


def test_status_and_signatures_cannot_be_posted(client_for, draft):
    data = edit_data(draft, reflections="Mass assignment try")
    data.update(
        status="agreed",
        agreed_at="2026-01-01 10:00",
        individual_signed_hash="0" * 64,
        facilitator_signed_by=1,
        individual=9999,
    )
    assert client_for("individual").post(url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT
    assert draft.agreed_at is None
    assert draft.individual_signed_hash == ""
    assert draft.individual.email == "individual@example.org"


# =============================================================================
# Conflicts: two people (or two tabs) editing at once
# =============================================================================


def test_a_stale_save_is_refused_and_shows_both_versions(client_for, draft):
    opened_by_individual = edit_data(draft, reflections="Hers: teaching matters most.")
    opened_by_manager = edit_data(draft, reflections="His: leadership of the shift.")
    assert client_for("individual").post(url(draft), opened_by_individual).status_code == 302

    response = client_for("manager").post(url(draft), opened_by_manager)
    assert response.status_code == 409
    text = page_text(response)
    assert "Your changes have not been saved" in text
    assert "Saved by Aisha Rahman" in text
    assert "Hers: teaching matters most." in text  # theirs, saved
    assert "His: leadership of the shift." in text  # yours, not saved
    assert_valid_html([("the plan's conflict page", response.content.decode())])
    draft.refresh_from_db()
    assert draft.reflections == "Hers: teaching matters most."
    assert draft.version == 2


def test_saving_again_after_seeing_the_conflict_keeps_yours(client_for, draft):
    stale = edit_data(draft, reflections="Second tab text")
    client_for("individual").post(url(draft), edit_data(draft, reflections="First tab text"))
    conflict = client_for("individual").post(url(draft), stale)
    assert conflict.status_code == 409
    # The re-rendered form now carries the saved version: a second save is deliberate.
    assert 'name="version" value="2"' in conflict.content.decode()
    stale["version"] = 2
    assert client_for("individual").post(url(draft), stale).status_code == 302
    draft.refresh_from_db()
    assert draft.reflections == "Second tab text"


def test_an_objective_added_by_the_other_person_survives_a_conflict_resave(client_for, draft):
    mine = edit_data(draft, aspirations="Mine")
    theirs = edit_data(
        draft,
        objectives=[
            objective_row(draft.objectives.get()),
            objective_row(
                description="Theirs: join the practice council", target_date=in_six_months()
            ),
        ],
    )
    assert client_for("manager").post(url(draft), theirs).status_code == 302
    conflict = client_for("individual").post(url(draft), mine)
    assert conflict.status_code == 409
    assert "Theirs: join the practice council" in page_text(conflict)
    mine["version"] = 2
    assert client_for("individual").post(url(draft), mine).status_code == 302
    assert draft.objectives.filter(description__startswith="Theirs").exists()


# =============================================================================
# Who may edit
# =============================================================================


def test_editing_an_agreed_plan_is_refused_and_changes_nothing(client_for, draft):
    agree(draft)
    data = edit_data(draft, reflections="Sneaky change")
    for persona in ("individual", "manager"):
        response = client_for(persona).post(url(draft), data)
        # issue 15: the page says the plan is agreed and nothing was saved (not a 403 page)
        assert response.status_code == 409
        assert "This plan is agreed" in response.content.decode()
        assert "Nothing has been saved" in response.content.decode()
    draft.refresh_from_db()
    assert draft.reflections != "Sneaky change"
    assert draft.status == Plan.Status.AGREED


@pytest.mark.parametrize("persona", ["colleague", "other_manager", "hr", "hr_other_org", "admin"])
def test_people_outside_the_plan_get_404_and_nothing_changes(client_for, draft, persona):
    data = edit_data(draft, reflections="Outsider change")
    assert client_for(persona).post(url(draft), data).status_code == 404
    assert client_for(persona).get(url(draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.reflections != "Outsider change"
    assert draft.version == 1


def test_a_manager_who_no_longer_manages_loses_access_on_the_next_request(
    client_for, draft, people
):
    client = client_for("manager")
    assert client.get(url(draft)).status_code == 200
    people.individual.manager_links.update(ended_at=timezone.now())
    assert client.get(url(draft)).status_code == 404


def test_it_rejects_put(client_for, draft):
    assert client_for("individual").put(url(draft)).status_code == 405


# =============================================================================
# Any input: a message, never an error page
# =============================================================================

HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "=1+1",
        "\x00",
        "\r\nBcc: x@y",
        "x" * 10_001,
        "31/02/2027",
        "9999-99-99",
        "-1",
        "",
        " ",
    ]
)
FIELDS = [
    "version",
    "current_growth",
    "current_impact",
    "future_growth",
    "future_impact",
    "reflections",
    "objectives-0-description",
    "objectives-0-target_date_day",
    "objectives-0-target_date_month",
    "objectives-0-target_date_year",
    "objectives-0-term",
    "objectives-0-initiatives",
    "reviews-0-due_on_day",
    "reviews-0-due_on_month",
    "reviews-0-due_on_year",
]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=st.dictionaries(st.sampled_from(FIELDS), st.one_of(st.text(max_size=40), HOSTILE)))
def test_the_edit_forms_never_fail_on_any_input(draft, values):
    data = {
        "objectives-TOTAL_FORMS": "1",
        "objectives-INITIAL_FORMS": "0",
        "reviews-TOTAL_FORMS": "1",
        "reviews-INITIAL_FORMS": "0",
        **values,
    }
    form = PlanForm(data, instance=draft)
    objectives = objective_formset(draft, data)
    reviews = review_formset(draft, data)
    valid = form.is_valid() and objectives.is_valid() and reviews.is_valid()
    if valid:
        objectives.inputs()
        reviews.inputs()
    else:
        errors = [form.errors, objectives.errors, reviews.errors, objectives.non_form_errors()]
        assert any(errors)


def test_a_retired_initiative_stays_on_the_objectives_that_use_it(client_for, draft):
    retired = initiative("Coaching")
    retired.is_active = False
    retired.save()
    response = client_for("individual").get(url(draft))
    assert "Coaching" in page_text(response)
    assert client_for("individual").post(url(draft), edit_data(draft)).status_code == 302
    assert list(draft.objectives.get().initiatives.all()) == [retired]
