"""The facilitator's dashboard: one row per report or coachee, what needs doing, filters,
sorting, the team's positions, and a fixed number of queries whatever the team size."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from conversations.models import Conversation
from devplans.models import Plan, Review
from journals.models import Question, SectionShare
from tests import factories
from tests.conversations.conftest import complete_stages, make_journal, mark_prepared

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
# Three for every signed-in page (session and user; the reader's roles and links with the
# header's unread updates count, once per request: issue 20 took out the session and
# user-session writes), then the dashboard's five: the number of questions, the people with
# every annotation, their open journals, the shared sections, their open conversations with the
# preparation state; one for the panels of a higher floor (issue 19: the organisation's open
# rounds).
DASHBOARD_QUERIES = 8 + 1


class Rows(HTMLParser):
    """The people table's rows (the first table body) as lists of cell texts, in page order,
    without the small-screen headings."""

    def __init__(self, html: str):
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_body = False
        self._bodies = 0
        self._cell: list[str] | None = None
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._bodies += 1
            self._in_body = self._bodies == 1
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self._cell = []
        elif tag == "span" and self._cell is not None:
            if "nhsuk-table-responsive__heading" in (dict(attrs).get("class") or ""):
                self._skip += 1
            elif self._skip:
                self._skip += 1

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "span" and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def _agreed_plan(person, facilitator, *, review_on: date | None = None) -> Plan:
    now = timezone.now()
    plan = Plan.objects.create(
        individual=person,
        facilitator=facilitator,
        status=Plan.Status.AGREED,
        agreed_at=now,
        horizon_end=timezone.localdate() + timedelta(days=700),
    )
    if review_on:
        Review.objects.create(plan=plan, due_on=review_on)
    return plan


def test_a_row_for_each_report_and_coachee_only(clock, client_for, people):
    response = client_for("manager").get(DASHBOARD)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Aisha Rahman" in page
    assert "Tom Hughes" in page
    assert "Megan Lloyd" not in page  # other_manager's report
    assert page.count("<h1") == 1


def test_the_row_shows_journal_conversation_plan_and_action(
    clock, client_for, people, conversation
):
    make_journal(
        people.individual,
        answers={"strengths": "A", "behaviours": "B"},
        shared=("strengths", "behaviours"),
    )
    _agreed_plan(people.individual, people.manager, review_on=date(2026, 9, 1))

    page = client_for("manager").get(DASHBOARD + "?sort=name").content.decode()
    aisha = next(r for r in Rows(page).rows if r and "Aisha Rahman" in r[0])

    assert "Staff Nurse, Acute Medical Unit" in aisha[0]
    assert "line manager" in aisha[0]
    shared_questions = Question.objects.filter(
        is_active=True, section__slug__in=("strengths", "behaviours")
    ).count()
    assert f"In progress: 2 of {shared_questions} shared questions answered" in aisha[1]
    assert (
        "Shared: Personal strengths and development challenges, Behaviours and performance"
        in (aisha[1])
    )
    assert "5 Mar 2026, 09:00" in aisha[2]
    assert "Scheduled" in aisha[2]
    assert "Waiting for you to prepare" in aisha[2]
    assert "Agreed" in aisha[3]
    assert "Next review 1 Sep 2026" in aisha[3]
    assert "Prepare for the conversation" in aisha[4]


def _journal_cell(client, name: str) -> str:
    page = client.get(DASHBOARD).content.decode()
    return next(r for r in Rows(page).rows if r and name in r[0])[1]


def test_the_answered_count_counts_only_what_is_shared(clock, client_for, people):
    """Issue 14, item 7: answers in private sections once raised the count (a side channel on
    private activity). Only shared sections count, and their questions make the total."""
    manager = client_for("manager")
    nothing = _journal_cell(manager, "Aisha Rahman")
    journal = make_journal(
        people.individual,
        answers={"wellbeing": "private", "aspirations": "private", "strengths": "shared"},
        shared=("strengths",),
    )
    strengths = Question.objects.filter(is_active=True, section__slug="strengths").count()
    counted = _journal_cell(manager, "Aisha Rahman")
    assert f"In progress: 1 of {strengths} shared questions answered" in counted

    SectionShare.objects.filter(journal_section__journal=journal).delete()
    private_only = _journal_cell(manager, "Aisha Rahman")
    assert private_only == nothing == "Nothing shared yet Nothing shared"


def test_the_coach_sees_their_coachee_as_coach(clock, client_for, people):
    page = client_for("coach").get(DASHBOARD).content.decode()

    assert "Aisha Rahman" in page
    assert "You are their coach" in page
    assert "Tom Hughes" not in page


@pytest.mark.parametrize("persona", ["individual", "hr", "admin", "colleague"])
def test_people_who_manage_nobody_get_404(clock, client_for, persona):
    assert client_for(persona).get(DASHBOARD).status_code == 404


def _actions_team(people, make_conversation):
    """individual: prepare; colleague: overdue; three more: schedule, agree plan, review due."""
    make_conversation(individual=people.individual)
    make_conversation(individual=people.colleague, scheduled_at=timezone.now() - timedelta(days=2))
    team = people.individual.team
    extra = {}
    for name in ("Zara Scott", "Yusuf Ali", "Xena Brown"):
        person = factories.UserFactory(full_name=name, team=team)
        factories.ManagerLinkFactory(manager=people.manager, report=person)
        extra[name] = person
    done = make_conversation(
        individual=extra["Yusuf Ali"],
        scheduled_at=timezone.now() - timedelta(days=20),
        status=Conversation.Status.COMPLETED,
    )
    complete_stages(done, 1, 2, 3)
    Plan.objects.create(
        individual=extra["Yusuf Ali"],
        facilitator=people.manager,
        conversation=done,
        horizon_end=date(2028, 2, 1),
    )
    _agreed_plan(extra["Xena Brown"], people.manager, review_on=date(2026, 2, 20))
    return extra


def test_what_needs_action_now(clock, client_for, people, make_conversation):
    _actions_team(people, make_conversation)

    rows = {
        r[0].split(" ")[0] + " " + r[0].split(" ")[1]: r[4]
        for r in Rows(client_for("manager").get(DASHBOARD).content.decode()).rows
        if r
    }

    assert "Prepare for the conversation" in rows["Aisha Rahman"]
    assert "Overdue: complete or reschedule" in rows["Tom Hughes"]
    assert "Schedule a conversation" in rows["Zara Scott"]
    assert "Agree the plan" in rows["Yusuf Ali"]
    assert "Review the plan" in rows["Xena Brown"]


def test_filter_by_action_and_by_team(clock, client_for, people, make_conversation):
    _actions_team(people, make_conversation)
    other_team = factories.TeamFactory(
        name="Day Surgery", directorate=people.individual.team.directorate
    )
    moved = factories.UserFactory(full_name="Will Moved", team=other_team)
    factories.ManagerLinkFactory(manager=people.manager, report=moved)
    client = client_for("manager")

    overdue = client.get(DASHBOARD + "?action=overdue").content.decode()
    by_team = client.get(DASHBOARD + f"?team={other_team.pk}").content.decode()

    assert "Tom Hughes" in overdue
    assert "Aisha Rahman" not in overdue.split("<tbody")[1]
    assert "filtered: 1 of 6" in overdue
    assert "Will Moved" in by_team
    assert "Tom Hughes" not in by_team.split("<tbody")[1]
    assert '<option value="overdue" selected>' in overdue


def test_sort_by_name_date_and_action(clock, client_for, people, make_conversation):
    _actions_team(people, make_conversation)
    client = client_for("manager")

    def first_names(query):
        page = client.get(DASHBOARD + query).content.decode()
        return [r[0].split(" ")[0] for r in Rows(page).rows if r]

    assert first_names("?sort=name") == ["Aisha", "Tom", "Xena", "Yusuf", "Zara"]
    assert first_names("?sort=date")[:2] == ["Tom", "Aisha"]  # overdue (earlier) first
    # Xena's review was due on 20 February: overdue, so it ranks just after the overdue
    # conversation (issue 15, item 5)
    assert first_names("?sort=action") == ["Tom", "Xena", "Aisha", "Yusuf", "Zara"]


def test_unknown_sort_or_filter_values_are_ignored(clock, client_for, people):
    response = client_for("manager").get(DASHBOARD + "?sort=evil&action=nope&team=x")

    assert response.status_code == 200
    assert "Aisha Rahman" in response.content.decode()


def test_the_team_summary_counts_agreed_positions(clock, client_for, people, make_conversation):
    done = make_conversation(
        individual=people.individual,
        status=Conversation.Status.COMPLETED,
        scheduled_at=timezone.now() - timedelta(days=30),
    )
    complete_stages(done, 1, 2, 3)

    page = client_for("manager").get(DASHBOARD).content.decode()
    summary = page.split("Your team on the Scope for Growth framework")[1]

    assert "Depth, Established in role" in summary
    assert "Stretch / complexity, Exceeding in role" in summary
    assert "1 person has no agreed position yet" in summary


def _build_reports(manager, team, count: int, start: int) -> None:
    now = timezone.now()
    for i in range(start, start + count):
        person = factories.UserFactory(full_name=f"Person {i:03d}", team=team)
        factories.ManagerLinkFactory(manager=manager, report=person)
        make_journal(
            person,
            answers={"strengths": "x", "career-history": "y"},
            shared=("strengths", "career-history"),
            ready=bool(i % 2),
        )
        upcoming = Conversation.objects.create(
            individual=person,
            facilitator=manager,
            scheduled_at=now + timedelta(days=i + 1),
            location="Room",
            created_at=now,
            updated_at=now,
        )
        mark_prepared(upcoming, strengths="private")
        done = Conversation.objects.create(
            individual=person,
            facilitator=manager,
            scheduled_at=now - timedelta(days=90 + i),
            location="Room",
            status=Conversation.Status.COMPLETED,
            completed_at=now,
            created_at=now,
            updated_at=now,
        )
        complete_stages(done, 1, 2, 3)
        _agreed_plan(person, manager, review_on=date(2026, 9, 1))


def test_the_query_count_does_not_grow_with_the_team(
    clock, client_for, people, django_assert_num_queries
):
    client = client_for("manager")
    team = people.individual.team
    _build_reports(people.manager, team, 5, 0)
    client.get(DASHBOARD)  # warm-up

    with django_assert_num_queries(DASHBOARD_QUERIES):
        first = client.get(DASHBOARD)
    _build_reports(people.manager, team, 5, 5)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        second = client.get(DASHBOARD)

    def generated(response):
        return [r for r in Rows(response.content.decode()).rows if r[0].startswith("Person")]

    assert len(generated(first)) == 5
    assert len(generated(second)) == 10


def test_a_leaver_is_not_listed(clock, client_for, people):
    people.colleague.is_active = False
    people.colleague.save()

    page = client_for("manager").get(DASHBOARD).content.decode()

    assert "Tom Hughes" not in page
    assert "Aisha Rahman" in page


def test_the_row_links_to_the_shared_journal_which_the_manager_can_read(clock, client_for, people):
    journal = make_journal(people.individual, answers={"strengths": "Calm"}, shared=("strengths",))
    manager = client_for("manager")
    page = manager.get(DASHBOARD).content.decode()
    link = f'href="/journal/{journal.pk}/"'
    assert link in page
    assert "Calm" in manager.get(f"/journal/{journal.pk}/strengths/").content.decode()


# The journal a row shows is the next conversation's (`conversations.selectors.journal_of`): a
# journal that a completed conversation kept belongs to that one, not to the next cycle.


def _kept_by_a_completed_conversation(people, make_conversation, clock):
    journal = make_journal(people.individual, answers={"strengths": "Kept"}, shared=("strengths",))
    make_conversation(
        scheduled_at=timezone.now() - timedelta(days=2),
        status=Conversation.Status.COMPLETED,
        completed_at=timezone.now() - timedelta(days=2),
        journal=journal,
    )
    return journal


def test_a_journal_kept_by_a_completed_conversation_is_not_the_next_ones(
    clock, client_for, people, make_conversation
):
    journal = _kept_by_a_completed_conversation(people, make_conversation, clock)
    make_conversation()  # the next one, three days from now
    manager = client_for("manager")
    assert _journal_cell(manager, "Aisha Rahman") == "Nothing shared yet Nothing shared"
    assert f'href="/journal/{journal.pk}/"' not in manager.get(DASHBOARD).content.decode()


def test_the_next_conversation_scheduled_first_reads_the_open_journal_until_one_kept_it(
    clock, client_for, people, make_conversation
):
    """The awkward order: the next conversation is booked, the journal is shared, and only a
    week later does the earlier conversation's completion keep that journal."""
    make_conversation(scheduled_at=timezone.now() + timedelta(days=10))
    journal = make_journal(people.individual, answers={"strengths": "Mine"}, shared=("strengths",))
    manager = client_for("manager")
    assert "1 of" in _journal_cell(manager, "Aisha Rahman")
    clock.shift(timedelta(days=7))
    make_conversation(
        scheduled_at=timezone.now() - timedelta(days=1),
        status=Conversation.Status.COMPLETED,
        completed_at=timezone.now(),
        journal=journal,
    )
    manager = client_for("manager")  # a week on: signed in again
    assert _journal_cell(manager, "Aisha Rahman") == "Nothing shared yet Nothing shared"
