"""Plan emails: who is told what when a plan is started, signed, agreed or reopened. Never any
plan text (nor the reason for reopening: the email links to the plan, where it is shown).

`plan_email_send` writes the emails to the outbox (`scopegrowth.outbox`): call it inside the
transaction that changes the plan, so the emails commit (or roll back) with the change. Each
email is also an entry in the recipient's Updates list (`UPDATES`: names and versions only)."""

from __future__ import annotations

from django.urls import reverse

from devplans.models import Plan
from scopegrowth import access, emails, outbox
from scopegrowth.models import User

KINDS = (
    "plan_started",
    "plan_signature_needed",
    "plan_agreed",
    "plan_reopened",
    "plan_checkin",
)

#: kind -> (the sentence for the individual, for the facilitator): names and versions only.
UPDATES = {
    "plan_started": ("{actor} started a draft of your development plan", ""),
    "plan_signature_needed": (
        "{actor} signed your development plan (version {number})",
        "{individual} signed their development plan (version {number})",
    ),
    "plan_agreed": (
        "Your development plan is agreed (version {number})",
        "{individual}'s development plan is agreed (version {number})",
    ),
    "plan_reopened": (
        "{actor} reopened your development plan (version {number})",
        "{individual} reopened their development plan to ask for changes (version {number})",
    ),
    "plan_checkin": (
        "{actor} recorded a check-in on your development plan",
        "{individual} recorded a check-in on their development plan",
    ),
}


def _facilitator_for(plan: Plan) -> User | None:
    signer = plan.facilitator_signed_by
    if signer is not None and access.facilitates(signer, plan.individual):
        return signer
    if access.facilitates(plan.facilitator, plan.individual):
        return plan.facilitator
    return access.current_manager(plan.individual)


def recipients(plan: Plan, kind: str, actor_id: int | None) -> list[User]:
    """The people to tell, each of whom may read the plan now."""
    facilitator = _facilitator_for(plan)
    if kind == "plan_agreed":
        people = [plan.individual, facilitator]
    elif kind == "plan_reopened" and actor_id != plan.individual_id:
        people = [plan.individual]  # a facilitator reopened it: tell the person whose plan it is
    elif actor_id == plan.individual_id:
        people = [facilitator]
    else:
        people = [plan.individual]
    return [
        p
        for p in people
        if p is not None and p.is_active and p.email and access.can(p, "view", plan)
    ]


def plan_email_send(*, plan_id: int, kind: str, actor_id: int | None = None) -> int:
    if kind not in KINDS:
        raise ValueError(f"unknown plan email {kind!r}")
    plan = (
        Plan.objects.select_related("individual", "facilitator", "facilitator_signed_by")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    sent = 0
    path = reverse("devplans:detail", args=[plan.pk])
    for person in recipients(plan, kind, actor_id):
        mine, theirs = UPDATES[kind]
        update = (mine if person.pk == plan.individual_id else theirs).format(
            actor=actor.full_name if actor else "ScopeGrowth",
            individual=plan.individual.full_name,
            number=plan.number,
        )
        sent += (
            outbox.email(
                kind,
                to=person,
                context={
                    "recipient": person,
                    "plan": plan,
                    "individual_name": plan.individual.full_name,
                    "actor_name": actor.full_name if actor else "",
                    "is_individual": person.pk == plan.individual_id,
                    "plan_url": emails.absolute(path),
                },
                update=update,
                link=path,
            )
            is not None
        )
    return sent
