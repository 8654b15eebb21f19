"""The conversation's reminders (registered into the core's `REMINDER_RULES`; the `reminders`
app sends them): the journal a week and two days before, the facilitator's preparation, the
day before (with the calendar invite), and a conversation whose date passed."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from conversations.models import Conversation
from conversations.selectors import journal_of
from reminders.models import Reminder
from scopegrowth import registry
from scopegrowth.dates import local_date, local_midnight, previous_working_day, relative_day
from scopegrowth.registry import Due, ReminderRule

logger = logging.getLogger(__name__)
Kind = Reminder.Kind


def offsets() -> dict[str, int]:
    """Days before the conversation; settings override the defaults."""
    return {
        "journal_week": getattr(settings, "REMINDER_JOURNAL_WEEK_DAYS", 7),
        "journal_soon": getattr(settings, "REMINDER_JOURNAL_SOON_DAYS", 2),
        "preparation": getattr(settings, "REMINDER_PREPARATION_DAYS", 3),
    }


def scan(today: date) -> list[Due]:
    off = offsets()
    horizon = max(off["journal_week"], off["preparation"], 4) + 1
    # Open conversations from two weeks ago (overdue) to the reminder horizon ahead.
    conversations = Conversation.objects.filter(
        scheduled_at__gte=local_midnight(today - timedelta(days=14)),
        scheduled_at__lt=local_midnight(today + timedelta(days=horizon)),
        status__in=[Conversation.Status.SCHEDULED, Conversation.Status.IN_PROGRESS],
    ).values("pk", "individual_id", "facilitator_id", "scheduled_at")
    found: list[Due] = []
    for c in conversations:
        day = local_date(c["scheduled_at"])
        both = (c["individual_id"], c["facilitator_id"])

        def add(kind, recipients, due_from, due_until, c=c, day=day):
            if due_from <= today < due_until:
                for r in recipients:
                    found.append(Due(kind, "conversation", c["pk"], r, day))

        add(
            Kind.JOURNAL_WEEK,
            [c["individual_id"]],
            day - timedelta(days=off["journal_week"]),
            day - timedelta(days=off["journal_soon"]),
        )
        add(Kind.JOURNAL_SOON, [c["individual_id"]], day - timedelta(days=off["journal_soon"]), day)
        add(Kind.PREPARATION, [c["facilitator_id"]], day - timedelta(days=off["preparation"]), day)
        add(Kind.DAY_BEFORE, both, previous_working_day(day), day)
        add(Kind.OVERDUE, [c["facilitator_id"]], day + timedelta(days=1), day + timedelta(days=15))
    return found


def conversation_context(reminder, person) -> tuple[Conversation | None, dict]:
    """The reminder's conversation when it is still on for that date, with the email context
    (the conversation and the other person in it)."""
    c = (
        Conversation.objects.select_related("individual", "facilitator")
        .filter(pk=reminder.subject_id)
        .first()
    )
    if c is None or c.status == Conversation.Status.CANCELLED:
        return None, {}
    if local_date(c.scheduled_at) != reminder.due_on:
        return None, {}  # moved: the new date has reminders of its own
    other = c.facilitator if person == c.individual else c.individual
    # Worded on the day it is sent (a reminder may go out later in its window).
    when = relative_day(reminder.due_on, local_date(timezone.now()))
    return c, {"conversation": c, "other": other, "relative_day": when}


def still_applies(reminder, person) -> tuple[bool, dict]:
    c, context = conversation_context(reminder, person)
    if c is None:
        return False, {}
    if reminder.kind in (Kind.JOURNAL_WEEK, Kind.JOURNAL_SOON):
        # The same journal the conversation's pages show, whenever it was started.
        journal = journal_of(c)
        return (journal is None or journal.ready_at is None) and c.is_open, context
    if reminder.kind == Kind.PREPARATION:
        prepared = c.preparations.filter(
            author=c.facilitator_id, prepared_at__isnull=False
        ).exists()
        return c.is_open and not prepared, context
    if reminder.kind in (Kind.DAY_BEFORE, Kind.OVERDUE):
        return c.is_open, context
    return False, {}


def attachments(reminder, context: dict) -> list[tuple[str, bytes, str]]:
    """The calendar invite goes with the day-before reminder."""
    if reminder.kind != Kind.DAY_BEFORE or "conversation" not in context:
        return []
    from conversations.calendar import attachment

    return [attachment(context["conversation"])]


registry.REMINDER_RULES.register(
    "conversations",
    ReminderRule(
        kinds=frozenset(
            {Kind.JOURNAL_WEEK, Kind.JOURNAL_SOON, Kind.PREPARATION, Kind.DAY_BEFORE, Kind.OVERDUE}
        ),
        scan=scan,
        still_applies=still_applies,
        attachments=attachments,
    ),
)
