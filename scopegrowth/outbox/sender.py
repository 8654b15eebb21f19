"""Sending the outbox: one sender per row, a "may have been sent" state, a stable Message-ID.

The same rules as the reminder engine (`reminders.services`, docs/security.md K1), which the
core cannot import: claim with a conditional UPDATE; record UNCERTAIN before the SMTP call; mark
SENT after it (tried again on a new connection if the database dropped); a failed send waits
2^attempts minutes and is FAILED after `OUTBOX_MAX_ATTEMPTS`; a claim older than
`OUTBOX_STALE_CLAIM_SECONDS` (the worker died, or the mark never reached the database) is taken
again and the repeat carries the first attempt's Message-ID. A sent row keeps who, what kind
and when; its bodies and attachments are emptied.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from scopegrowth import emails
from scopegrowth.dbfaults import write_after_fault
from scopegrowth.outbox.models import OutboundEmail

logger = logging.getLogger(__name__)
Status = OutboundEmail.Status


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


def _ready(now: datetime) -> Q:
    stale = now - timedelta(seconds=_setting("OUTBOX_STALE_CLAIM_SECONDS", 15 * 60))
    waiting = Q(attempts=0) | Q(next_attempt_at__lte=now)  # never tried, or its retry is due
    return Q(waiting, status=Status.PENDING) | Q(
        status__in=(Status.SENDING, Status.UNCERTAIN), claimed_at__lt=stale
    )


def ready_ids(now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        OutboundEmail.objects.filter(_ready(now)).order_by("pk").values_list("pk", flat=True)
    )


def _claim(pk: int) -> datetime | None:
    """Take the row; None when another sender has it (or it is not due). An UNCERTAIN row
    stays UNCERTAIN: it may have been sent."""
    now = timezone.now()
    taken = (
        OutboundEmail.objects.filter(pk=pk)
        .filter(_ready(now))
        .update(
            status=Case(
                When(status=Status.UNCERTAIN, then=Value(Status.UNCERTAIN)),
                default=Value(Status.SENDING),
            ),
            claimed_at=now,
        )
    )
    return now if taken else None


def _may_have_been_sent(pk: int, claimed_at: datetime) -> bool:
    return bool(
        OutboundEmail.objects.filter(
            pk=pk, claimed_at=claimed_at, status__in=(Status.SENDING, Status.UNCERTAIN)
        ).update(
            status=Status.UNCERTAIN,
            send_started_at=Coalesce(F("send_started_at"), Value(timezone.now())),
        )
    )


def _build(row: OutboundEmail):
    built = emails.message(
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        to=[row.to],
        attachments=[(name, content, mime) for name, content, mime in row.attachments],
        headers=row.headers,
    )
    built.extra_headers["Message-ID"] = row.message_id
    return emails.stamp(built)


def deliver(pk: int) -> str:
    """Send one row if this caller claims it; returns its status afterwards."""
    claimed_at = _claim(pk)
    if claimed_at is None:
        return "not-claimed"
    row = OutboundEmail.objects.select_related("recipient").get(pk=pk)
    if row.status == Status.UNCERTAIN:
        logger.warning(
            "outbox email may have been sent; sending again with the same Message-ID",
            extra={"outbound_email": pk},
        )
    if row.recipient is not None and not row.recipient.is_active:
        OutboundEmail.objects.filter(pk=pk).update(status=Status.SKIPPED)
        return Status.SKIPPED
    if not _may_have_been_sent(pk, claimed_at):
        return "not-claimed"
    try:
        _build(row).send()
    except Exception as exc:  # noqa: BLE001 - any failure is retried, then reported
        attempts, error = row.attempts + 1, type(exc).__name__[:200]
        failed = attempts >= _setting("OUTBOX_MAX_ATTEMPTS", 5)
        write_after_fault(
            lambda: OutboundEmail.objects.filter(pk=pk).update(
                status=Status.FAILED if failed else Status.PENDING,
                attempts=attempts,
                next_attempt_at=timezone.now() + timedelta(minutes=2**attempts),
                last_error=error,
            )
        )
        logger.warning(
            "outbox send failed", extra={"outbound_email": pk, "attempts": attempts, "error": error}
        )
        return Status.FAILED if failed else Status.PENDING
    try:
        write_after_fault(
            lambda: OutboundEmail.objects.filter(pk=pk).update(
                status=Status.SENT,
                sent_at=timezone.now(),
                attempts=row.attempts + 1,
                body_text="",
                body_html="",
                attachments=[],
            )
        )
    except (DatabaseError, InterfaceError):
        logger.warning("outbox email sent but not marked", extra={"outbound_email": pk})
        return Status.UNCERTAIN
    return Status.SENT


def send_ready(ids: list[int] | None = None) -> int:
    """Send the given rows, or every row whose time has come; returns how many were sent."""
    if ids is None:
        ids = ready_ids()
    return sum(deliver(pk) == Status.SENT for pk in ids)
