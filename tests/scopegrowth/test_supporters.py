"""Who supports a person, read once (`scopegrowth.selectors.supporters_of`): the home page's
line manager, coaches and team, and whom a journal's owner may share with, in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from journals.policies import journal_facilitators
from scopegrowth.models import CoachLink, ManagerLink
from scopegrowth.selectors import supporters_of
from tests import factories
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db


def test_the_person_their_manager_and_coaches_in_one_query(people):
    second = factories.UserFactory(full_name="Anna Bell")
    factories.CoachLinkFactory(coach=second, coachee=people.individual)

    with CaptureQueriesContext(connection) as ctx:
        around = supporters_of(people.individual.pk)
        names = [c.full_name for c in around.coaches]
        team = around.person.team.name

    assert len(ctx.captured_queries) == 1
    assert around.line_manager == people.manager
    assert names == ["Grace Adeyemi", "Anna Bell"]  # in the order they were assigned
    assert team == "Acute Medical Unit"


def test_home_shows_who_supports_you_now_after_links_change_hands(people, client_for):
    ManagerLink.objects.filter(report=people.individual).update(ended_at=timezone.now())
    factories.ManagerLinkFactory(manager=people.other_manager, report=people.individual)
    CoachLink.objects.filter(coachee=people.individual).update(ended_at=timezone.now())

    page = client_for("individual").get("/").content.decode()

    assert "David Mensah" in page
    assert "Helen Carter" not in page  # the former line manager
    assert "Grace Adeyemi" not in page  # the former coach
    assert "Acute Medical Unit" in page


def test_a_manager_who_also_coaches_is_one_supporter_and_a_deactivated_coach_none(people):
    factories.CoachLinkFactory(coach=people.manager, coachee=people.individual)
    people.coach.is_active = False
    people.coach.save()
    journal = h.start(people.individual)

    assert journal_facilitators(journal) == [(people.manager, "line manager and coach")]
    # The home page still names the deactivated coach's account as it did (not a reader).
    assert people.coach in supporters_of(people.individual.pk).coaches


def test_each_person_gets_their_own_supporters_from_the_once_built_query(people):
    """`supporters_of` runs SQL built once per process (`scopegrowth.precompiled`) with each
    person's id: the same people, teams and flags as the ORM's own query, person by person."""
    from scopegrowth import precompiled
    from scopegrowth.selectors import _supporters_query

    precompiled._compiled.clear()
    for person in (people.individual, people.other_report, people.manager, people.coach):
        around = supporters_of(person.pk)
        fresh = list(_supporters_query(person.pk))  # built and compiled as any query
        assert around.person == person
        assert around.person.team == person.team
        assert around.line_manager == next((u for u in fresh if u._manages), None)
        assert list(around.coaches) == [u for u in fresh if u._coach_link is not None]
    assert len(precompiled._compiled) == 1
    assert supporters_of(people.other_report.pk).line_manager == people.other_manager
    assert supporters_of(people.other_report.pk).coaches == (people.unassigned_coach,)
    assert supporters_of(-1).person is None
