"""HR's list of agreed plans: filters, the position matrix, pagination, fixed query count."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation, Preparation
from devplans import selectors
from devplans.models import Plan
from scopegrowth.models import AuditEvent
from tests.conversations.helpers import write_stage
from tests.dates import date_fields, typed
from tests.devplans.factories import ObjectiveFactory, PlanFactory, agree, agreed_plan, impact
from tests.devplans.helpers import page_text
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("devplans:hr_list")


def make_agreed(
    team,
    name,
    *,
    facilitator,
    now=("depth", "Established in role"),
    future=("stretch", "Exceeding in role"),
    agreed_days_ago=10,
):
    person = UserFactory(full_name=name, team=team)
    plan = PlanFactory(
        individual=person,
        facilitator=facilitator,
        current_growth=now[0],
        current_impact=impact(now[1]),
        future_growth=future[0],
        future_impact=impact(future[1]),
    )
    ObjectiveFactory(plan=plan)
    return agree(plan, at=timezone.now() - timedelta(days=agreed_days_ago))


@pytest.fixture
def org_plans(people):
    """Plans across two directorates of Trust A, plus one in Trust B and one draft."""
    ward = people.individual.team  # Acute Medical Unit
    finance = people.other_manager.team  # Finance (another directorate)
    plans = {
        "ward_depth": make_agreed(ward, "Anna Ward", facilitator=people.manager),
        "ward_breadth": make_agreed(
            ward,
            "Bilal Ward",
            facilitator=people.manager,
            now=("breadth", "Developing in role"),
            future=("breadth", "Established in role"),
            agreed_days_ago=100,
        ),
        "finance": make_agreed(
            finance,
            "Chloe Finance",
            facilitator=people.other_manager,
            now=("depth", "Established in role"),
            future=("depth", "Exceeding in role"),
            agreed_days_ago=40,
        ),
    }
    other_org = TeamFactory(directorate__organisation__name="Trust B")
    plans["other_org"] = make_agreed(other_org, "Dana Elsewhere", facilitator=people.hr_other_org)
    draft = PlanFactory(
        individual=UserFactory(full_name="Eve Draft", team=ward), facilitator=people.manager
    )
    plans["draft"] = draft
    return plans


def names(response) -> list[str]:
    return [plan.individual.full_name for plan in response.context["page_obj"]]


def test_hr_sees_the_agreed_plans_of_their_organisation_only(client_for, org_plans):
    response = client_for("hr").get(URL)
    assert response.status_code == 200
    assert names(response) == ["Anna Ward", "Bilal Ward", "Chloe Finance"]
    text = page_text(response)
    assert "3 plans" in text
    assert "Dana Elsewhere" not in text
    assert "Eve Draft" not in text
    assert AuditEvent.objects.filter(action="plans_list", detail="3 plans").exists()


def test_hr_of_another_organisation_sees_theirs(client_for, org_plans):
    assert names(client_for("hr_other_org").get(URL)) == ["Dana Elsewhere"]


@pytest.mark.parametrize("persona", ["individual", "manager", "coach", "admin"])
def test_the_list_is_for_hr_only(client_for, org_plans, persona):
    assert client_for(persona).get(URL).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"name": "ward"}, ["Anna Ward", "Bilal Ward"]),
        ({"current_growth": "breadth"}, ["Bilal Ward"]),
        ({"future_growth": "depth"}, ["Chloe Finance"]),
        (
            date_fields(timezone.localdate() - timedelta(days=30), "agreed_to"),
            ["Bilal Ward", "Chloe Finance"],
        ),
        (
            {
                **date_fields(timezone.localdate() - timedelta(days=50), "agreed_from"),
                **date_fields(timezone.localdate() - timedelta(days=20), "agreed_to"),
            },
            ["Chloe Finance"],
        ),
    ],
)
def test_filters(client_for, org_plans, query, expected):
    assert names(client_for("hr").get(URL, query)) == expected


def test_the_agreed_dates_are_typed_as_day_month_and_year(client_for, org_plans):
    """HR types the dates into the NHS.UK date input's boxes; the list filters as it did with
    the one date box, and the boxes show what was typed."""
    start = timezone.localdate() - timedelta(days=50)
    query = {
        **typed(str(start.day), str(start.month), str(start.year), "agreed_from"),
        **date_fields(timezone.localdate() - timedelta(days=20), "agreed_to"),
    }
    response = client_for("hr").get(URL, query)
    assert names(response) == ["Chloe Finance"]
    html = response.content.decode()
    assert 'type="date"' not in html
    assert f'name="agreed_from_day" value="{start.day}"' in html
    assert f'name="agreed_from_year" value="{start.year}"' in html
    assert "For example, 15 3 2027" in page_text(response)


def test_the_csv_and_export_links_carry_the_date_filters(client_for, org_plans):
    """The list's links give each date as one ISO value: the CSV and the export page read it,
    and "Change the filters" leads back to the same list with the dates in their boxes."""
    client = client_for("hr")
    query = {
        **date_fields(timezone.localdate() - timedelta(days=50), "agreed_from"),
        **date_fields(timezone.localdate() - timedelta(days=20), "agreed_to"),
    }
    response = client.get(URL, query)
    csv_link = re.search(r'href="(/hr/plans/export\.csv\?[^"]+)"', response.content.decode())
    export_link = re.search(r'href="(/hr/plans/export/\?[^"]+)"', response.content.decode())
    assert csv_link
    assert export_link
    csv_text = b"".join(client.get(unescape(csv_link[1])).streaming_content).decode()
    assert "Chloe" in csv_text
    assert "Anna" not in csv_text
    assert "Bilal" not in csv_text
    export = client.get(unescape(export_link[1]))
    assert "1 plan matches these filters" in page_text(export)
    back = re.search(r'href="(/hr/plans/\?[^"]+)">Change the filters', export.content.decode())
    again = client.get(unescape(back[1]))
    assert names(again) == ["Chloe Finance"]
    start = timezone.localdate() - timedelta(days=50)
    assert f'name="agreed_from_day" value="{start.day}"' in again.content.decode()


def test_filter_by_directorate_team_and_impact(client_for, people, org_plans):
    client = client_for("hr")
    finance_team = people.other_manager.team
    assert names(client.get(URL, {"directorate": finance_team.directorate_id})) == ["Chloe Finance"]
    assert names(client.get(URL, {"team": people.individual.team_id})) == [
        "Anna Ward",
        "Bilal Ward",
    ]
    assert names(client.get(URL, {"current_impact": impact("Developing in role").pk})) == [
        "Bilal Ward"
    ]
    assert names(client.get(URL, {"future_impact": impact("Exceeding in role").pk})) == [
        "Anna Ward",
        "Chloe Finance",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"team": "not-a-team"}, "Choose a team from the list"),
        ({"current_growth": "sideways"}, "Choose depth, breadth or stretch"),
        (
            typed("31", "2", "2026", "agreed_from"),
            "The 'agreed from' date must be a real date, for example 15 3 2027",
        ),
        (typed("", "2", "2026", "agreed_to"), "The 'agreed to' date must include a day"),
        (
            {**date_fields("2026-06-01", "agreed_from"), **date_fields("2026-01-01", "agreed_to")},
            "The 'agreed to' date must be on or after 'agreed from'",
        ),
    ],
)
def test_an_invalid_filter_says_what_is_wrong(client_for, org_plans, query, message):
    response = client_for("hr").get(URL, query)
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert message in text
    assert response.context["page_obj"] is None
    for key, value in query.items():  # what was typed is still in the boxes
        if value and key.endswith(("_day", "_month", "_year")):
            assert f'name="{key}" value="{value}"' in response.content.decode()


def test_a_team_of_another_organisation_is_not_a_choice(client_for, org_plans):
    other_team = org_plans["other_org"].individual.team
    response = client_for("hr").get(URL, {"team": other_team.pk})
    assert "Choose a team from the list" in page_text(response)


def test_the_matrix_counts_current_against_future_positions(client_for, org_plans):
    response = client_for("hr").get(URL)
    matrix = response.context["matrix"]
    labels = [p[2] for p in matrix.positions]
    assert len(labels) == 9  # three growth categories x three impact levels
    cell = {
        (row["label"], labels[i]): n for row in matrix.rows for i, n in enumerate(row["cells"]) if n
    }
    assert cell == {
        ("Depth, established in role", "Stretch / complexity, exceeding in role"): 1,
        ("Breadth, developing in role", "Breadth, established in role"): 1,
        ("Depth, established in role", "Depth, exceeding in role"): 1,
    }
    assert matrix.total == 3
    filtered = client_for("hr").get(URL, {"name": "Chloe"}).context["matrix"]
    assert filtered.total == 1


def test_pagination_25_a_page(client_for, people):
    for n in range(27):
        make_agreed(people.individual.team, f"Person {n:02d}", facilitator=people.manager)
    client = client_for("hr")
    first = client.get(URL)
    assert len(names(first)) == 25
    assert names(first) == sorted(names(first))  # by name, across and within pages
    assert "Agreed plans, page 1 of 2" in page_text(first)
    second = client.get(URL, {"page": 2, "name": "Person"})
    assert names(second) == ["Person 25", "Person 26"]
    assert names(client.get(URL, {"page": 99, "name": "Person"})) == ["Person 25", "Person 26"]


def test_the_latest_agreed_version_of_a_reopened_plan_is_listed_once(client_for, people):
    from devplans import services

    plan = agreed_plan(people.individual, people.manager)
    new = services.plan_reopen(actor=people.manager, plan=plan, reason="Objectives changed")
    assert [p.pk for p in client_for("hr").get(URL).context["page_obj"]] == [plan.pk]
    services.plan_sign(actor=people.individual, plan=new)
    services.plan_sign(actor=people.manager, plan=new)
    assert [p.pk for p in client_for("hr").get(URL).context["page_obj"]] == [new.pk]


def test_hr_never_sees_journal_preparation_or_facilitator_notes(client_for, people):
    conversation = Conversation.objects.create(
        individual=people.individual,
        facilitator=people.manager,
        scheduled_at=timezone.now() - timedelta(days=3),
        location="Ward office",
        status=Conversation.Status.COMPLETED,
    )
    write_stage(conversation, 1, notes="CANARY-STAGE-NOTE")
    Preparation.objects.create(
        conversation=conversation, author=people.manager, self_check="CANARY-PREPARATION"
    )
    plan = agreed_plan(people.individual, people.manager, conversation=conversation)
    plan.objectives.first().notes.create(text="CANARY-PROGRESS")
    client = client_for("hr")
    for url in (
        URL,
        reverse("devplans:detail", args=[plan.pk]),
        reverse("devplans:hr_csv"),
        reverse("devplans:pdf", args=[plan.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = (
            response.getvalue()
            if hasattr(response, "getvalue")
            else b"".join(response.streaming_content)
        )
        assert b"CANARY" not in body, url


# =============================================================================
# Query count: fixed, whatever the number of plans
# =============================================================================


def add_plans(people, count: int, start: int) -> None:
    teams = [people.individual.team, people.other_manager.team]
    for n in range(start, start + count):
        make_agreed(teams[n % 2], f"Query Person {n:03d}", facilitator=people.manager)


def test_the_list_query_count_does_not_grow_with_plans(
    client_for, people, django_assert_num_queries
):
    from devplans.selectors import forget_hr_figures

    client = client_for("hr")
    add_plans(people, 5, 0)
    client.get(URL)  # warm-up (session, content types); the figures are cached
    with django_assert_num_queries(QUERIES):
        response = client.get(URL)
    assert len(names(response)) == 5
    forget_hr_figures(people.hr.organisation_id)
    with django_assert_num_queries(QUERIES_FRESH):
        response = client.get(URL)
    assert len(names(response)) == 5
    add_plans(people, 5, 5)  # new plans: the figures are read again
    with django_assert_num_queries(QUERIES_FRESH):
        response = client.get(URL)
    assert len(names(response)) == 10
    assert response.context["matrix"].total == 10
    with django_assert_num_queries(QUERIES):
        response = client.get(URL)
    assert len(names(response)) == 10


def test_a_filtered_page_has_the_same_query_count(client_for, people, django_assert_num_queries):
    client = client_for("hr")
    add_plans(people, 6, 0)
    query = {"team": people.individual.team_id, "current_growth": "depth", "name": "Query"}
    client.get(URL, query)
    with django_assert_num_queries(QUERIES + 1):  # + the chosen team, checked by the form
        assert len(names(client.get(URL, query))) == 3
    add_plans(people, 6, 6)
    with django_assert_num_queries(QUERIES_FRESH + 1):
        assert len(names(client.get(URL, query))) == 6
    with django_assert_num_queries(QUERIES + 1):
        assert len(names(client.get(URL, query))) == 6


def test_the_cached_figures_follow_a_plan_agreed_since(client_for, people):
    """The counts and the page are cached for a minute; agreeing a plan shows at once."""
    from devplans import services

    add_plans(people, 2, 0)
    client = client_for("hr")
    assert client.get(URL).context["matrix"].total == 2
    plan = agreed_plan(people.individual, people.manager)
    new = services.plan_reopen(actor=people.manager, plan=plan, reason="Objectives changed")
    assert client.get(URL).context["matrix"].total == 3
    services.plan_sign(actor=people.individual, plan=new)
    services.plan_sign(actor=people.manager, plan=new)
    response = client.get(URL)
    assert response.context["matrix"].total == 3
    assert new.pk in [p.pk for p in response.context["page_obj"]]


# Session and user (2), the reader's roles and links, once per request (1), the newest plan id
# (the figures' cache key), page rows, the matrix's impact levels (3), audit insert (1), the
# filter form's choices: directorates, teams, impact levels (once for both selects) (3). No
# session write on a read (issue 20). The header's unread updates count comes with the roles
# (access_memo).
QUERIES = 10  # the matrix counts and the ordered ids from the cache (`hr_figures`)
QUERIES_FRESH = QUERIES + 2  # ... read again: the matrix aggregate and the ordered ids


def test_selector_matches_the_page(people, org_plans):
    rows = list(selectors.agreed_plans_for_hr(people.hr, {}))
    assert [r.objective_count for r in rows] == [1, 1, 1]
    assert all(r.next_review is not None for r in rows)
    assert {r.pk for r in rows} == {
        org_plans[k].pk for k in ("ward_depth", "ward_breadth", "finance")
    }
    assert not Plan.objects.filter(pk=org_plans["draft"].pk, agreed_at__isnull=False).exists()
