"""The literal permission table: `docs/permissions.md` is written from the policies' `who`
tables, is current, and no "no" in it is contradicted by the rules."""

from __future__ import annotations

import pytest

from scopegrowth import access
from scopegrowth.permissions_doc import PATH, render
from tests.access.test_url_matrix import objects  # noqa: F401  (the fixture)

#: The persona whose one role (beside being an individual) the column is about. None of them
#: owns the matrix objects, which all concern `individual`.
ROLE_PERSONAS = {access.MANAGER: "manager", access.COACH: "coach", access.HR: "hr"}


def test_the_document_is_current():
    assert PATH.read_text() == render(), "run: manage.py permissions_doc"


@pytest.mark.parametrize("label", sorted(access.POLICIES))
def test_every_action_has_a_row_with_known_roles(label):
    policy = access.POLICIES[label]
    assert set(policy.who) == set(policy.actions), f"{label}: rows and actions differ"
    for action, (roles, rule) in policy.who.items():
        assert set(roles) <= set(access.ALL_ROLES), f"{label}.{action}: unknown role"
        assert rule.strip(), f"{label}.{action}: say the rule in words"
        if action in policy.system_actions:
            assert not roles, f"{label}.{action} is for the system only"


@pytest.mark.django_db
def test_no_role_marked_no_reaches_the_action(objects, people):  # noqa: F811
    """For each model with an object in the matrix world, a persona whose role is marked "no"
    for an action is refused it on that object (someone else's). The journal has a shared
    section, so a facilitator's "yes" is real and a wrong "no" would show."""
    from journals import services as journal_services
    from journals.models import Section

    journal_services.journal_section_share(
        actor=people.individual,
        journal=objects["journal"],
        section=Section.objects.get(slug="strengths"),
        shared=True,
    )
    by_label = {
        obj._meta.label_lower: obj
        for obj in objects.values()
        if hasattr(obj, "_meta") and obj._meta.label_lower in access.POLICIES
    }
    assert {"journals.journal", "conversations.conversation", "devplans.plan"} <= set(by_label)
    contradictions = []
    for label, obj in sorted(by_label.items()):
        policy = access.POLICIES[label]
        for action, (roles, _) in policy.who.items():
            for role, persona in ROLE_PERSONAS.items():
                if role not in roles and access.can(getattr(people, persona), action, obj):
                    contradictions.append(f"{label}.{action}: {persona} is allowed")
    assert not contradictions, contradictions
