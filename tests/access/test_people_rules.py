"""The access module as a table: persona x action -> expected, for people (User objects)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from scopegrowth import access
from scopegrowth.models import CoachLink, ManagerLink, User

pytestmark = pytest.mark.django_db

# (actor, action, target) -> allowed
TABLE = [
    ("individual", "view", "individual", True),
    ("individual", "view", "colleague", False),
    ("individual", "view", "manager", False),
    ("individual", "facilitate", "individual", False),
    ("colleague", "view", "individual", False),
    ("manager", "view", "individual", True),
    ("manager", "view", "colleague", True),
    ("manager", "view", "other_report", False),
    ("manager", "facilitate", "individual", True),
    ("manager", "facilitate", "other_report", False),
    ("other_manager", "view", "individual", False),
    ("other_manager", "facilitate", "other_report", True),
    ("coach", "view", "individual", True),
    ("coach", "facilitate", "individual", True),
    ("coach", "facilitate", "colleague", False),
    ("unassigned_coach", "view", "individual", False),
    ("unassigned_coach", "facilitate", "individual", False),
    ("hr", "view", "individual", True),
    ("hr", "facilitate", "individual", False),
    ("hr_other_org", "view", "individual", False),
    ("admin", "view", "individual", False),
    ("admin", "facilitate", "individual", False),
    ("inactive", "view", "inactive", False),
]


@pytest.mark.parametrize(("actor", "action", "target", "allowed"), TABLE)
def test_people_rule(people, actor, action, target, allowed):
    result = access.can(people.get(actor), action, people.get(target))
    assert result is allowed, f"{actor} {action} {target}: expected {allowed}"


@pytest.mark.parametrize("persona", [p for p in ("individual", "manager", "coach", "hr", "admin")])
def test_an_unknown_action_is_refused_for_everyone(people, persona):
    user = people.get(persona)
    assert access.can(user, "frobnicate", people.individual) is False
    assert not access.scope(user, "frobnicate", User).exists()


def test_anonymous_and_system_actor_reach_no_person(people):
    from django.contrib.auth.models import AnonymousUser

    assert access.can(AnonymousUser(), "view", people.individual) is False
    assert access.can(access.SYSTEM, "view", people.individual) is False
    assert not access.scope(AnonymousUser(), "view", User).exists()


def test_scopes_are_exactly_the_expected_people(people):
    assert set(access.scope(people.manager, "facilitate", User)) == {
        people.individual,
        people.colleague,
    }
    assert set(access.scope(people.coach, "facilitate", User)) == {people.individual}
    assert set(access.scope(people.individual, "view", User)) == {people.individual}
    hr_sees = set(access.scope(people.hr, "view", User))
    assert people.individual in hr_sees
    assert people.hr_other_org not in hr_sees


def test_roles_follow_the_links(people):
    assert access.roles(people.individual) == {access.INDIVIDUAL}
    assert access.roles(people.manager) == {access.INDIVIDUAL, access.MANAGER}
    assert access.roles(people.coach) == {access.INDIVIDUAL, access.COACH}
    assert access.roles(people.hr) == {access.INDIVIDUAL, access.HR}
    assert access.ADMIN in access.roles(people.admin)
    assert access.roles(people.inactive) == frozenset()


def test_ending_a_manager_link_ends_access_at_once(people):
    assert access.can(people.manager, "view", people.individual)
    ManagerLink.objects.filter(manager=people.manager, report=people.individual).update(
        ended_at=timezone.now()
    )
    assert not access.can(people.manager, "view", people.individual)
    assert not access.can(people.manager, "facilitate", people.individual)


def test_ending_a_coach_link_ends_access_at_once(people):
    CoachLink.objects.filter(coach=people.coach).update(ended_at=timezone.now())
    assert not access.can(people.coach, "facilitate", people.individual)
    assert access.COACH not in access.roles(people.coach)


def test_a_superuser_gets_no_shortcut(people):
    assert people.admin.is_superuser
    assert not access.scope(people.admin, "facilitate", User).exists()


def test_a_rule_that_raises_denies(people, monkeypatch, caplog):
    policy = access.POLICIES["scopegrowth.user"]

    def broken(user, action):
        raise RuntimeError("bug in a rule")

    monkeypatch.setattr(policy, "q", broken)
    assert access.can(people.manager, "facilitate", people.individual) is False
    assert not access.scope(people.manager, "facilitate", User).exists()
    assert "access rule failed" in caplog.text


def test_get_or_404_hides_existence_and_refuses_actions(people):
    assert access.get_or_404(people.manager, "facilitate", User, pk=people.individual.pk)
    with pytest.raises(Http404):
        access.get_or_404(people.other_manager, "view", User, pk=people.individual.pk)
    with pytest.raises(PermissionDenied):
        access.get_or_404(people.hr, "facilitate", User, pk=people.individual.pk)
