"""Each feature app registers its models' policies with the core at start-up; the core holds
only its own. A model without a registered policy is refused everything, for everyone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from journals.models import Journal, Section
from scopegrowth import access
from scopegrowth.models import Team

pytestmark = pytest.mark.django_db

PERSONAS = ("individual", "manager", "coach", "hr", "admin")


@pytest.mark.parametrize(
    ("label", "module"),
    [
        ("scopegrowth.user", "scopegrowth.access"),
        ("journals.journal", "journals.policies"),
        ("conversations.conversation", "conversations.policies"),
        ("devplans.plan", "devplans.policies"),
        ("devplans.exportjob", "devplans.policies"),
    ],
)
def test_each_app_registers_its_own_policies(label, module):
    assert type(access.POLICIES[label]).__module__ == module


def test_a_second_policy_for_one_model_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        access.register("journals.journal", access.Policy())
    assert type(access.POLICIES["journals.journal"]).__module__ == "journals.policies"


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_model_without_a_policy_is_refused(people, persona):
    user = people.get(persona)
    team = people.individual.team
    section = Section.objects.first()
    for obj in (team, section):
        model = type(obj)
        assert model._meta.label_lower not in access.POLICIES
        assert access.can(user, "view", obj) is False, f"{persona} view {model.__name__}"
        assert not access.scope(user, "view", model).exists(), f"{persona} {model.__name__}"
        with pytest.raises(Http404):
            access.get_or_404(user, "view", model, pk=obj.pk)


def test_a_model_without_a_policy_is_refused_to_anonymous_and_the_system(people):
    team = people.individual.team
    for user in (AnonymousUser(), access.SYSTEM):
        assert access.can(user, "view", team) is False
        assert not access.scope(user, "view", Team).exists()


def test_a_model_whose_policy_is_not_registered_is_refused_even_to_its_owner(people, monkeypatch):
    journal = Journal.objects.create(owner=people.individual, cycle=1)
    assert access.can(people.individual, "view", journal)

    monkeypatch.delitem(access.POLICIES, "journals.journal")

    assert access.can(people.individual, "view", journal) is False
    assert access.can(access.SYSTEM, "notify", journal) is False
    assert not access.scope(people.individual, "view", Journal).exists()
    with pytest.raises(Http404):
        access.get_or_404(people.individual, "view", Journal, pk=journal.pk)
