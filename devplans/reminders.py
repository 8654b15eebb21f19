"""The plan's reminders (registered into the core's `REMINDER_RULES`; the `reminders` app sends
them): a plan not signed off some working days after the conversation, a review due in a week,
and a review not held: on the day it is due, a week later and a month later, then no more.

Each chase of a missed review is its own reminder row (the step is in `subject_type`:
"review", "review_late_week", "review_late_month"), so each is sent exactly once; the key keeps
the review's due date, so a review moved to a new date starts a new schedule and the old
chases are skipped. A review recorded as held (however late) stops the chase.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from conversations.models import Conversation
from conversations.reminders import conversation_context
from devplans.models import Plan, Review
from reminders.models import Reminder
from scopegrowth import registry
from scopegrowth.dates import add_working_days, local_date, local_midnight
from scopegrowth.registry import Due, ReminderRule

Kind = Reminder.Kind


#: The chase of a review not held: subject type -> days after the due date it starts. Each
#: step applies until the next one starts (the last for a week), so a day the scan missed is
#: caught up and never two steps are sent on one day.
REVIEW_CHASES: dict[str, int] = {"review": 0, "review_late_week": 7, "review_late_month": 30}
LAST_CHASE_DAYS = 7


def chase_windows() -> list[tuple[str, int, int]]:
    """(subject type, first day, day it ends) after the due date, in order."""
    steps = sorted(REVIEW_CHASES.items(), key=lambda item: item[1])
    ends = [start for _name, start in steps[1:]] + [steps[-1][1] + LAST_CHASE_DAYS]
    return [(name, start, end) for (name, start), end in zip(steps, ends, strict=True)]


def offsets() -> dict[str, int]:
    return {
        "plan_unsigned": getattr(settings, "REMINDER_PLAN_UNSIGNED_WORKING_DAYS", 2),
        "review_soon": getattr(settings, "REMINDER_REVIEW_SOON_DAYS", 7),
    }


def scan(today: date) -> list[Due]:
    off = offsets()
    found: list[Due] = []
    # Plan not signed off N working days after a held conversation (completed or its date
    # passed) whose plan is still a draft or was never started.
    midnight = local_midnight(today)
    recent = Conversation.objects.filter(
        scheduled_at__gte=midnight - timedelta(days=30),
        scheduled_at__lt=midnight,
    ).exclude(status=Conversation.Status.CANCELLED)
    for c in recent.values("pk", "individual_id", "facilitator_id", "scheduled_at"):
        day = local_date(c["scheduled_at"])
        due = add_working_days(day, off["plan_unsigned"])
        if due <= today < due + timedelta(days=15):
            for r in (c["individual_id"], c["facilitator_id"]):
                found.append(Due(Kind.PLAN_UNSIGNED, "conversation", c["pk"], r, day))
    windows = chase_windows()
    reviews = Review.objects.filter(
        held_on__isnull=True,
        due_on__gte=today - timedelta(days=windows[-1][2]),
        due_on__lte=today + timedelta(days=off["review_soon"]),
        plan__status=Plan.Status.AGREED,
    ).values("pk", "due_on", "plan__individual_id", "plan__facilitator_id")
    for r in reviews:
        both = (r["plan__individual_id"], r["plan__facilitator_id"])
        if r["due_on"] - timedelta(days=off["review_soon"]) <= today < r["due_on"]:
            found += [Due(Kind.REVIEW_SOON, "review", r["pk"], p, r["due_on"]) for p in both]
        for step, start, end in windows:
            if r["due_on"] + timedelta(days=start) <= today < r["due_on"] + timedelta(days=end):
                found += [Due(Kind.REVIEW_DUE, step, r["pk"], p, r["due_on"]) for p in both]
    return found


def still_applies(reminder, person) -> tuple[bool, dict]:
    if reminder.kind == Kind.PLAN_UNSIGNED:
        c, context = conversation_context(reminder, person)
        if c is None:
            return False, {}
        agreed = Plan.objects.filter(conversation=c, status=Plan.Status.AGREED).exists()
        return not agreed, context
    review = (
        Review.objects.select_related("plan__individual", "plan__facilitator")
        .filter(pk=reminder.subject_id)
        .first()
    )
    if review is None or review.held_on or review.plan.status != Plan.Status.AGREED:
        return False, {}
    if review.due_on != reminder.due_on:
        return False, {}
    plan = review.plan
    other = plan.facilitator if person == plan.individual else plan.individual
    days_late = (
        REVIEW_CHASES.get(reminder.subject_type, 0) if reminder.kind == Kind.REVIEW_DUE else 0
    )
    return True, {"review": review, "plan": plan, "other": other, "days_late": days_late}


registry.REMINDER_RULES.register(
    "devplans",
    ReminderRule(
        kinds=frozenset({Kind.PLAN_UNSIGNED, Kind.REVIEW_SOON, Kind.REVIEW_DUE}),
        scan=scan,
        still_applies=still_applies,
    ),
)
