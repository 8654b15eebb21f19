"""Check-ins on a plan between reviews: what progressed, what is blocked (issue 16, part 3)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from devplans.models import TEXT_MAX_LENGTH, Plan, PlanCheckIn
from scopegrowth import access, audit
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

FUTURE_MESSAGE = (
    "The date of the check-in cannot be in the future: record a check-in once you have held it. "
    "Nothing has been saved."
)
EMPTY_MESSAGE = "Write what progressed, what is blocked, or both. Nothing has been saved."


def plan_check_in_record(
    *, actor: User, plan: Plan, held_on: date, progressed: str = "", blocked: str = ""
) -> PlanCheckIn:
    """The individual or a current facilitator records a check-in on the plan (the agreed
    version, or the draft it was reopened as). The other person is told, with a link only."""
    access.require(actor, "check_in", plan)
    progressed = (progressed or "").replace("\r\n", "\n").strip()
    blocked = (blocked or "").replace("\r\n", "\n").strip()
    if held_on > timezone.localdate():
        raise RuleError(FUTURE_MESSAGE)
    first_agreed = (
        Plan.objects.filter(lineage=plan.lineage, agreed_at__isnull=False)
        .order_by("agreed_at")
        .values_list("agreed_at", flat=True)
        .first()
    )
    if first_agreed and held_on < timezone.localtime(first_agreed).date():
        raise RuleError(
            "The date of the check-in must be on or after the day the plan was agreed "
            f"({timezone.localtime(first_agreed):%-d %B %Y}). Nothing has been saved."
        )
    if not (progressed or blocked):
        raise RuleError(EMPTY_MESSAGE)
    if max(len(progressed), len(blocked)) > TEXT_MAX_LENGTH:
        raise RuleError(f"Each answer can be up to {TEXT_MAX_LENGTH:,} characters: shorten it.")
    with transaction.atomic():
        checkin = PlanCheckIn(
            plan=plan, author=actor, held_on=held_on, progressed=progressed, blocked=blocked
        )
        checkin.full_clean()
        checkin.save()
        audit.record(actor, "plan_checkin", plan, subject=plan.individual)
        from devplans import notifications

        notifications.plan_email_send(plan_id=plan.pk, kind="plan_checkin", actor_id=actor.pk)
    return checkin
