"""Within a request `facilitate` on a person is answered from the links already read once
(`access_memo.facts`): the answer must be the one the database gives for the policy's `q`."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scopegrowth import access, access_memo
from scopegrowth.models import CoachLink, ManagerLink, User
from tests.conftest import PERSONAS
from tests.factories import CoachLinkFactory, ManagerLinkFactory, UserFactory

pytestmark = pytest.mark.django_db


def _from_the_database(user, person) -> bool:
    return access.scope(user, "facilitate", User).filter(pk=person.pk).exists()


def test_every_persona_and_person_gets_the_databases_answer(people):
    former_report = UserFactory(team=people.individual.team)
    ended = timezone.now()
    ManagerLinkFactory(manager=people.manager, report=former_report, ended_at=ended)
    CoachLinkFactory(coach=people.unassigned_coach, coachee=people.colleague, ended_at=ended)
    actors = [people.get(p) for p in PERSONAS if p != "anonymous"]
    persons = [*actors, people.other_report, former_report]
    assert ManagerLink.objects.filter(ended_at__isnull=False).exists()
    assert CoachLink.objects.filter(ended_at__isnull=False).exists()
    compared = 0
    for actor in actors:
        for person in persons:
            expected = _from_the_database(actor, person)
            with access_memo.per_request():
                access.roles(actor)  # the links read once
                with CaptureQueriesContext(connection) as ctx:
                    answer = access.can(actor, "facilitate", person)
            assert answer == expected, (actor.email, person.email)
            if actor.is_active:
                assert not ctx.captured_queries, (actor.email, person.email)
            compared += 1
    assert compared == len(actors) * len(persons)
    assert access.can(people.manager, "facilitate", people.individual)
    assert not access.can(people.manager, "facilitate", former_report)
