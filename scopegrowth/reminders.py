"""Preparation reminders: the rules, and sending each exactly once.

One module, used by the periodic Celery task and by `manage.py send_reminders`:

1. `scan(today)` turns every rule that applies today into a `Reminder` row, unique per
   (kind, subject, recipient, due date). A second scan, a second beat or a concurrent command
   inserts nothing new (`ignore_conflicts` on the unique constraint).
2. `deliver(reminder_id)` claims one row with a conditional UPDATE (PENDING -> SENDING must touch
   exactly one row), checks that the reminder still applies (the thing is not done, the
   conversation was not cancelled or moved, the person has not left, they want optional
   nudges), sends, and marks it SENT. A failed send goes back to PENDING with back-off, and
   after `REMINDER_MAX_ATTEMPTS` it is FAILED (shown in the admin).
3. `send_due(now)` = scan + deliver every PENDING row whose time has come, plus rows stuck in
   SENDING longer than `REMINDER_STALE_CLAIM` (a worker that died mid-send).

The due date is part of the key, so a moved conversation gets new reminders and the old ones
are skipped at delivery. Dates are Europe/London calendar dates; working days are Monday to
Friday.

Crash window: if a worker dies after the SMTP server accepted a message but before the row is
marked SENT, the stale-claim sweep sends it again (at-least-once for that narrow window; a
reminder sent twice beats one never sent).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from scopegrowth import emails
from scopegrowth.models import Reminder, User

logger = logging.getLogger(__name__)
Kind = Reminder.Kind

OPTIONAL = {
    Kind.JOURNAL_WEEK,
    Kind.JOURNAL_SOON,
    Kind.PREPARATION,
    Kind.PLAN_UNSIGNED,
    Kind.REVIEW_SOON,
    Kind.REVIEW_DUE,
    Kind.OVERDUE,
}


def _setting(name: str, default):
    return getattr(settings, name, default)


def offsets() -> dict[str, int]:
    """Days before (or working days after) the event; settings override the defaults."""
    return {
        "journal_week": _setting("REMINDER_JOURNAL_WEEK_DAYS", 7),
        "journal_soon": _setting("REMINDER_JOURNAL_SOON_DAYS", 2),
        "preparation": _setting("REMINDER_PREPARATION_DAYS", 3),
        "plan_unsigned": _setting("REMINDER_PLAN_UNSIGNED_WORKING_DAYS", 2),
        "review_soon": _setting("REMINDER_REVIEW_SOON_DAYS", 7),
    }


def previous_working_day(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@dataclass(frozen=True)
class Due:
    kind: str
    subject_type: str
    subject_id: int
    recipient_id: int
    due_on: date


# =============================================================================
# The rules
# =============================================================================


def _conversation_rules(today: date) -> list[Due]:
    from conversations.models import Conversation

    off = offsets()
    horizon = max(off["journal_week"], off["preparation"], 4) + 1
    # Open conversations from a week ago (overdue, plan) to the reminder horizon ahead.
    start = timezone.make_aware(datetime.combine(today - timedelta(days=14), datetime.min.time()))
    end = timezone.make_aware(
        datetime.combine(today + timedelta(days=horizon), datetime.min.time())
    )
    found: list[Due] = []
    conversations = Conversation.objects.filter(
        scheduled_at__gte=start,
        scheduled_at__lt=end,
        status__in=[Conversation.Status.SCHEDULED, Conversation.Status.IN_PROGRESS],
    ).values("pk", "individual_id", "facilitator_id", "scheduled_at")
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


def _plan_rules(today: date) -> list[Due]:
    from conversations.models import Conversation
    from devplans.models import Plan, Review

    off = offsets()
    found: list[Due] = []
    # Plan not signed off N working days after a held conversation (completed or its date
    # passed) whose plan is still a draft or was never started.
    midnight = timezone.make_aware(datetime.combine(today, datetime.min.time()))
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
    reviews = Review.objects.filter(
        held_on__isnull=True,
        due_on__gte=today - timedelta(days=7),
        due_on__lte=today + timedelta(days=off["review_soon"]),
        plan__status=Plan.Status.AGREED,
    ).values("pk", "due_on", "plan__individual_id", "plan__facilitator_id")
    for r in reviews:
        both = (r["plan__individual_id"], r["plan__facilitator_id"])
        if r["due_on"] - timedelta(days=off["review_soon"]) <= today < r["due_on"]:
            found += [Due(Kind.REVIEW_SOON, "review", r["pk"], p, r["due_on"]) for p in both]
        if r["due_on"] <= today < r["due_on"] + timedelta(days=7):
            found += [Due(Kind.REVIEW_DUE, "review", r["pk"], p, r["due_on"]) for p in both]
    return found


def due_today(today: date) -> list[Due]:
    return _conversation_rules(today) + _plan_rules(today)


# =============================================================================
# Whether a reminder still applies at the moment of sending
# =============================================================================


def _still_applies(reminder: Reminder) -> tuple[bool, dict]:
    """(applies, email context). Re-reads everything: things change between scan and send."""
    from conversations.models import Conversation
    from devplans.models import Plan, Review

    person: User = reminder.recipient
    if not person.is_active or person.left_on:
        return False, {}
    if reminder.kind in OPTIONAL and not person.optional_reminders:
        return False, {}
    context: dict = {"person": person, "kind": reminder.kind}
    if reminder.subject_type == "conversation":
        c = (
            Conversation.objects.select_related("individual", "facilitator", "journal")
            .filter(pk=reminder.subject_id)
            .first()
        )
        if c is None or c.status == Conversation.Status.CANCELLED:
            return False, {}
        if local_date(c.scheduled_at) != reminder.due_on:
            return False, {}  # moved: the new date has reminders of its own
        context.update(
            conversation=c, other=c.facilitator if person == c.individual else c.individual
        )
        if reminder.kind in (Kind.JOURNAL_WEEK, Kind.JOURNAL_SOON):
            return (c.journal is None or c.journal.ready_at is None) and c.is_open, context
        if reminder.kind == Kind.PREPARATION:
            prep = getattr(c, "preparation", None)
            return c.is_open and (prep is None or prep.prepared_at is None), context
        if reminder.kind == Kind.DAY_BEFORE:
            return c.is_open, context
        if reminder.kind == Kind.OVERDUE:
            return c.is_open, context
        if reminder.kind == Kind.PLAN_UNSIGNED:
            agreed = Plan.objects.filter(conversation=c, status=Plan.Status.AGREED).exists()
            return not agreed, context
        return False, {}
    if reminder.subject_type == "review":
        review = (
            Review.objects.select_related("plan__individual", "plan__facilitator")
            .filter(pk=reminder.subject_id)
            .first()
        )
        if review is None or review.held_on or review.plan.status != Plan.Status.AGREED:
            return False, {}
        if review.due_on != reminder.due_on:
            return False, {}
        other = (
            review.plan.facilitator if person == review.plan.individual else review.plan.individual
        )
        context.update(review=review, plan=review.plan, other=other)
        return True, context
    return False, {}


# =============================================================================
# Scanning and sending
# =============================================================================


def scan(today: date | None = None) -> int:
    """Create the rows for every reminder due today; returns how many new rows."""
    today = today or timezone.localdate()
    rows = [
        Reminder(
            kind=d.kind,
            subject_type=d.subject_type,
            subject_id=d.subject_id,
            recipient_id=d.recipient_id,
            due_on=d.due_on,
        )
        for d in due_today(today)
    ]
    if not rows:
        return 0
    before = Reminder.objects.count()
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return Reminder.objects.count() - before


def claim(reminder_id: int) -> bool:
    """Take the row for this sender: exactly one concurrent caller gets True."""
    now = timezone.now()
    stale = now - timedelta(seconds=_setting("REMINDER_STALE_CLAIM_SECONDS", 15 * 60))
    return bool(
        Reminder.objects.filter(pk=reminder_id)
        .filter(
            Q(status=Reminder.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Reminder.Status.SENDING, claimed_at__lt=stale)
        )
        .update(status=Reminder.Status.SENDING, claimed_at=now)
    )


def _attachments(reminder: Reminder, context: dict) -> list[tuple[str, bytes, str]]:
    """The calendar invite goes with the day-before reminder (best effort: a reminder without
    its attachment beats no reminder)."""
    if reminder.kind != Kind.DAY_BEFORE or "conversation" not in context:
        return []
    try:
        from conversations.calendar import attachment

        return [attachment(context["conversation"])]
    except Exception:  # noqa: BLE001
        logger.exception("reminder: calendar invite not attached", extra={"reminder": reminder.pk})
        return []


def deliver(reminder_id: int) -> str:
    """Send one reminder if this caller claims it; returns the row's final status."""
    if not claim(reminder_id):
        return "not-claimed"
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    applies, context = _still_applies(reminder)
    if not applies:
        Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.SKIPPED)
        return Reminder.Status.SKIPPED
    try:
        emails.send(
            f"reminder_{reminder.kind}",
            to=[reminder.recipient.email],
            context={**context, "site_url": settings.SITE_URL},
            attachments=_attachments(reminder, context),
            optional=reminder.kind in OPTIONAL,
        )
    except Exception as exc:  # noqa: BLE001 - any failure is retried, then reported
        attempts = reminder.attempts + 1
        failed = attempts >= _setting("REMINDER_MAX_ATTEMPTS", 5)
        Reminder.objects.filter(pk=reminder.pk).update(
            status=Reminder.Status.FAILED if failed else Reminder.Status.PENDING,
            attempts=attempts,
            next_attempt_at=timezone.now() + timedelta(minutes=2**attempts),
            last_error=type(exc).__name__[:200],
        )
        logger.warning(
            "reminder send failed",
            extra={"reminder": reminder.pk, "attempts": attempts, "error": type(exc).__name__},
        )
        return Reminder.Status.FAILED if failed else Reminder.Status.PENDING
    Reminder.objects.filter(pk=reminder.pk).update(
        status=Reminder.Status.SENT, sent_at=timezone.now(), attempts=reminder.attempts + 1
    )
    return Reminder.Status.SENT


def ready_ids(now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    stale = now - timedelta(seconds=_setting("REMINDER_STALE_CLAIM_SECONDS", 15 * 60))
    return list(
        Reminder.objects.filter(
            Q(status=Reminder.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Reminder.Status.SENDING, claimed_at__lt=stale)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def send_due(now: datetime | None = None) -> list[Reminder]:
    """Scan, then deliver every reminder whose time has come; returns the ones sent now."""
    now = now or timezone.now()
    with transaction.atomic():
        scan(timezone.localtime(now).date())
    # Rows the scan just made carry their own creation time: look from "now or later".
    sent = [pk for pk in ready_ids(max(now, timezone.now())) if deliver(pk) == Reminder.Status.SENT]
    return list(Reminder.objects.filter(pk__in=sent).select_related("recipient"))
