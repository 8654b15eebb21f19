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
