"""Reminders: sending each exactly once. Which reminders exist is not decided here.

The feature apps declare the rules (`<app>/reminders.py` registers a `ReminderRule` into the
core's `registry.REMINDER_RULES`): which reminders apply on a day (`scan`), and whether one still
applies at the moment of sending (`still_applies`). This module, used by the periodic Celery
task and by `manage.py send_reminders`, runs them:

1. `scan(today)` turns every rule that applies today into a `Reminder` row, unique per
   (kind, subject, recipient, due date). A second scan, a second beat or a concurrent command
   inserts nothing new (`ignore_conflicts` on the unique constraint).
2. `deliver(reminder_id)` claims one row with a conditional UPDATE (PENDING -> SENDING must touch
   exactly one row), checks that the reminder still applies (the person has not left, they want
   optional nudges, and the rule's own check: the thing is not done, the conversation was not
   cancelled or moved), sends, and marks it SENT. A failed send goes back to PENDING with
   back-off, and after `REMINDER_MAX_ATTEMPTS` it is FAILED (shown in the admin).
3. `send_due(now)` = scan + deliver every PENDING row whose time has come, plus rows stuck in
   SENDING longer than `REMINDER_STALE_CLAIM` (a worker that died mid-send).

The due date is part of the key, so a moved conversation gets new reminders and the old ones
are skipped at delivery. Dates are Europe/London calendar dates; working days are Monday to
Friday.

Crash window (issue 17, docs/security.md K1): exactly once to an SMTP server is impossible, so
the rule is at-least-once with a stable Message-ID. Before the SMTP call the row is recorded as
UNCERTAIN ("may have been sent") with its Message-ID (given once, kept for ever). If the worker
dies or the database connection drops between the send and the mark, the row stays UNCERTAIN
(the mark is first tried again on a new connection) and the stale-claim sweep sends it again with
the same Message-ID, so a mail system can drop the repeat; nothing is lost.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from reminders.models import Reminder
from scopegrowth import emails, registry
from scopegrowth.dbfaults import write_after_fault
from scopegrowth.models import User
from scopegrowth.registry import Due, ReminderRule

logger = logging.getLogger(__name__)
Kind = Reminder.Kind

#: Preparation nudges a person may turn off (the day-before reminder is always sent).
OPTIONAL = {
    Kind.JOURNAL_WEEK,
    Kind.JOURNAL_SOON,
    Kind.PREPARATION,
    Kind.PLAN_UNSIGNED,
    Kind.REVIEW_SOON,
    Kind.REVIEW_DUE,
    Kind.OVERDUE,
}

__all__ = ["Due", "OPTIONAL", "claim", "deliver", "due_today", "ready_ids", "scan", "send_due"]


def _setting(name: str, default):
    return getattr(settings, name, default)


def _rule_for(kind: str) -> ReminderRule | None:
    for rule in registry.REMINDER_RULES:
        if kind in rule.kinds:
            return rule
    return None


def due_today(today: date) -> list[Due]:
    """Every reminder the registered rules say applies today."""
    found: list[Due] = []
    for rule in registry.REMINDER_RULES:
        found += rule.scan(today)
    return found


def _still_applies(reminder: Reminder) -> tuple[bool, dict]:
    """(applies, email context). Re-reads everything: things change between scan and send."""
    person: User = reminder.recipient
    if not person.is_active or person.left_on:
        return False, {}
    if reminder.kind in OPTIONAL and not person.optional_reminders:
        return False, {}
    rule = _rule_for(reminder.kind)
    if rule is None:
        return False, {}
    applies, context = rule.still_applies(reminder, person)
    if not applies:
        return False, {}
    return True, {"person": person, "kind": reminder.kind, **context}


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


def _ready(now: datetime) -> Q:
    """PENDING rows whose time has come, and claims left (sending, or may have been sent) by a
    worker that died or lost its database connection."""
    stale = now - timedelta(seconds=_setting("REMINDER_STALE_CLAIM_SECONDS", 15 * 60))
    return Q(status=Reminder.Status.PENDING, next_attempt_at__lte=now) | Q(
        status__in=(Reminder.Status.SENDING, Reminder.Status.UNCERTAIN), claimed_at__lt=stale
    )


def _claim(reminder_id: int) -> datetime | None:
    """Take the row for this sender; returns the claim's time (None: someone else has it). An
    UNCERTAIN row stays UNCERTAIN: it may have been sent."""
    now = timezone.now()
    taken = (
        Reminder.objects.filter(pk=reminder_id)
        .filter(_ready(now))
        .update(
            status=Case(
                When(status=Reminder.Status.UNCERTAIN, then=Value(Reminder.Status.UNCERTAIN)),
                default=Value(Reminder.Status.SENDING),
            ),
            claimed_at=now,
        )
    )
    return now if taken else None


def claim(reminder_id: int) -> bool:
    """Take the row for this sender: exactly one concurrent caller gets True."""
    return _claim(reminder_id) is not None


def _may_have_been_sent(reminder: Reminder, claimed_at: datetime) -> str | None:
    """Record, before the SMTP call, that this reminder may be sent from now on, with its
    Message-ID (the first one given is kept). None: the claim was taken over meanwhile."""
    recorded = Reminder.objects.filter(
        pk=reminder.pk,
        claimed_at=claimed_at,
        status__in=(Reminder.Status.SENDING, Reminder.Status.UNCERTAIN),
    ).update(
        status=Reminder.Status.UNCERTAIN,
        message_id=Case(
            When(message_id="", then=Value(emails.new_message_id())), default=F("message_id")
        ),
        send_started_at=Coalesce(F("send_started_at"), Value(timezone.now())),
    )
    if not recorded:
        return None
    return Reminder.objects.values_list("message_id", flat=True).get(pk=reminder.pk)


def _attachments(reminder: Reminder, context: dict) -> list[tuple[str, bytes, str]]:
    """The rule's files (the calendar invite goes with the day-before reminder), best effort:
    a reminder without its attachment beats no reminder."""
    rule = _rule_for(reminder.kind)
    if rule is None or rule.attachments is None:
        return []
    try:
        return rule.attachments(reminder, context)
    except Exception:  # noqa: BLE001
        logger.exception("reminder: attachment not added", extra={"reminder": reminder.pk})
        return []


def deliver(reminder_id: int) -> str:
    """Send one reminder if this caller claims it; returns the row's final status."""
    claimed_at = _claim(reminder_id)
    if claimed_at is None:
        return "not-claimed"
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    if reminder.status == Reminder.Status.UNCERTAIN:
        logger.warning(
            "reminder may have been sent; sending again with the same Message-ID",
            extra={"reminder": reminder.pk},
        )
    applies, context = _still_applies(reminder)
    if not applies:
        Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.SKIPPED)
        return Reminder.Status.SKIPPED
    attachments = _attachments(reminder, context)
    message_id = _may_have_been_sent(reminder, claimed_at)
    if message_id is None:
        return "not-claimed"
    try:
        emails.send(
            f"reminder_{reminder.kind}",
            to=[reminder.recipient.email],
            context={**context, "site_url": settings.SITE_URL},
            attachments=attachments,
            optional=reminder.kind in OPTIONAL,
            message_id=message_id,
        )
    except Exception as exc:  # noqa: BLE001 - any failure is retried, then reported
        attempts, error = reminder.attempts + 1, type(exc).__name__[:200]
        failed = attempts >= _setting("REMINDER_MAX_ATTEMPTS", 5)
        retry = Reminder.objects.filter(pk=reminder.pk)  # the Message-ID is kept for the retry
        write_after_fault(
            lambda: retry.update(
                status=Reminder.Status.FAILED if failed else Reminder.Status.PENDING,
                attempts=attempts,
                next_attempt_at=timezone.now() + timedelta(minutes=2**attempts),
                last_error=error,
            )
        )
        logger.warning(
            "reminder send failed",
            extra={"reminder": reminder.pk, "attempts": attempts, "error": type(exc).__name__},
        )
        return Reminder.Status.FAILED if failed else Reminder.Status.PENDING
    try:
        write_after_fault(
            lambda: Reminder.objects.filter(pk=reminder.pk).update(
                status=Reminder.Status.SENT, sent_at=timezone.now(), attempts=reminder.attempts + 1
            )
        )
    except (DatabaseError, InterfaceError):
        # Still UNCERTAIN: the stale-claim sweep sends it again with the same Message-ID.
        logger.warning("reminder sent but not marked", extra={"reminder": reminder.pk})
        return Reminder.Status.UNCERTAIN
    return Reminder.Status.SENT


def ready_ids(now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(Reminder.objects.filter(_ready(now)).order_by("pk").values_list("pk", flat=True))


def send_due(now: datetime | None = None) -> list[Reminder]:
    """Scan, then deliver every reminder whose time has come; returns the ones sent now."""
    now = now or timezone.now()
    with transaction.atomic():
        scan(timezone.localtime(now).date())
    # Rows the scan just made carry their own creation time: look from "now or later".
    sent = [pk for pk in ready_ids(max(now, timezone.now())) if deliver(pk) == Reminder.Status.SENT]
    return list(Reminder.objects.filter(pk__in=sent).select_related("recipient"))
