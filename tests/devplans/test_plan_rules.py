"""The plan rules of the access module as a table: persona x action x plan state -> allowed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from devplans import services
from devplans.models import ExportJob, Plan
from scopegrowth import access

pytestmark = pytest.mark.django_db

PERSONAS = (
    "individual",
    "colleague",
    "manager",
    "other_manager",
    "coach",
    "unassigned_coach",
    "hr",
    "hr_other_org",
    "admin",
    "inactive",
)
FACILITATORS = {"manager", "coach"}
BOTH = {"individual"} | FACILITATORS

# action -> (personas allowed on the draft, personas allowed on the agreed plan)
RULES = {
    "view": (BOTH, BOTH | {"hr"}),
    "download_pdf": (BOTH, BOTH | {"hr"}),
    "edit": (BOTH, set()),
    "sign": (BOTH, set()),
    "update_progress": (set(), {"individual"}),
    "record_review": (set(), FACILITATORS),
    "check_in": (set(), BOTH),
    "reopen": (set(), BOTH),
    "export": (set(), {"hr"}),
    "remind": (set(), set()),  # the system actor only
    "frobnicate": (set(), set()),  # an unknown action: nobody
}

CASES = [
    (action, state, persona, persona in allowed[0 if state == "draft" else 1])
    for action, allowed in RULES.items()
    for state in ("draft", "agreed")
    for persona in PERSONAS
]


@pytest.mark.parametrize(("action", "state", "persona", "allowed"), CASES)
def test_plan_rule(people, draft, agreed, action, state, persona, allowed):
    plan = draft if state == "draft" else agreed
    result = access.can(people.get(persona), action, plan)
    assert result is allowed, f"{persona} {action} on the {state} plan: expected {allowed}"
    in_scope = access.scope(people.get(persona), action, Plan).filter(pk=plan.pk).exists()
    assert in_scope is allowed, f"{persona} {action} scope on the {state} plan"


def test_a_superseded_version_is_read_only(people, agreed):
    services.plan_reopen(actor=people.manager, plan=agreed, reason="Objectives changed")
    agreed.refresh_from_db()
    for persona in ("individual", "manager", "hr"):
        user = people.get(persona)
        assert access.can(user, "view", agreed), persona
        for action in ("edit", "sign", "update_progress", "record_review", "check_in", "reopen"):
            assert not access.can(user, action, agreed), (persona, action)


def test_the_system_actor_only_reminds(agreed):
    assert access.can(access.SYSTEM, "remind", agreed)
    assert not access.can(access.SYSTEM, "view", agreed)
    assert not access.scope(access.SYSTEM, "export", Plan).exists()


def test_anonymous_reaches_no_plan(agreed):
    assert not access.can(AnonymousUser(), "view", agreed)
    assert not access.scope(AnonymousUser(), "view", Plan).exists()


def test_an_export_job_belongs_to_the_hr_user_who_started_it(people, agreed):
    job = ExportJob.objects.create(requested_by=people.hr, plan_ids=[agreed.pk], total=1)
    assert access.can(people.hr, "download", job)
    for persona in ("hr_other_org", "individual", "manager", "admin"):
        assert not access.can(people.get(persona), "download", job), persona
    people.hr.is_hr = False
    people.hr.save()
    assert not access.can(people.hr, "download", job)


def test_a_manager_change_moves_access_on_the_next_check(people, draft):
    from django.utils import timezone

    from tests.factories import ManagerLinkFactory

    people.individual.manager_links.update(ended_at=timezone.now())
    ManagerLinkFactory(manager=people.other_manager, report=people.individual)
    assert not access.can(people.manager, "edit", draft)
    assert access.can(people.other_manager, "edit", draft)
    assert access.can(people.other_manager, "sign", draft)


@pytest.mark.parametrize("state", ["draft", "agreed"])
@pytest.mark.parametrize("in_request", [False, True])
def test_can_each_answers_every_action_as_the_table_does(people, draft, agreed, state, in_request):
    """The plan page's buttons (`access.can_each`, one query) say what `can` says, per
    persona, for every action, in a request (the facts read once) or outside one."""
    from contextlib import nullcontext

    from scopegrowth import access_memo

    plan = draft if state == "draft" else agreed
    actions = tuple(RULES)
    for persona in PERSONAS:
        with access_memo.per_request() if in_request else nullcontext():
            answers = access.can_each(people.get(persona), actions, plan)
        expected = {a: persona in RULES[a][0 if state == "draft" else 1] for a in actions}
        assert answers == expected, persona
    assert access.can_each(access.SYSTEM, ("remind", "view"), plan) == {
        "remind": True,
        "view": False,
    }
    assert access.can_each(AnonymousUser(), ("view",), plan) == {"view": False}


def test_can_each_is_one_query_and_follows_a_change_of_manager(people, draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from scopegrowth import access_memo
    from tests.factories import ManagerLinkFactory

    actions = ("edit", "sign", "reopen", "update_progress", "record_review")
    with access_memo.per_request(), CaptureQueriesContext(connection) as ctx:
        answers = access.can_each(people.manager, actions, draft)
    assert answers == {**dict.fromkeys(actions, False), "edit": True, "sign": True}
    assert len(ctx.captured_queries) == 2  # the manager's facts, then every action at once
    people.individual.manager_links.update(ended_at=timezone.now())
    ManagerLinkFactory(manager=people.other_manager, report=people.individual)
    assert not any(access.can_each(people.manager, actions, draft).values())
    assert access.can_each(people.other_manager, ("edit",), draft) == {"edit": True}
