"""Sharing sections, recording reads, and "ready for the conversation" with its email."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from journals.models import Journal, JournalSection, Section
from journals.policies import journal_facilitators
from journals.services.answers import CLOSED_MESSAGE, JournalClosed
from scopegrowth import access, audit, emails, registry
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

SHARE_CLOSED_MESSAGE = (
    "This journal is from an earlier conversation cycle, so you cannot share it now. "
    "You can still stop sharing it."
)


def journal_section_share(
    *, actor: User, journal: Journal, section: Section, shared: bool
) -> JournalSection:
    """Share a section with the facilitators, or stop sharing it. Audited when it changes."""
    access.require(actor, "share", journal)
    if shared and not journal.is_open:
        raise RuleError(SHARE_CLOSED_MESSAGE)
    with transaction.atomic():
        js, _ = JournalSection.objects.get_or_create(journal=journal, section=section)
        if shared:
            changed = JournalSection.objects.filter(pk=js.pk, shared_at__isnull=True).update(
                shared_at=timezone.now()
            )
        else:
            changed = JournalSection.objects.filter(pk=js.pk, shared_at__isnull=False).update(
                shared_at=None
            )
        if changed:
            audit.record(
                actor,
                "share" if shared else "unshare",
                journal,
                subject=journal.owner,
                detail=section.slug,
            )
        js.refresh_from_db()
    return js


def journal_viewed(*, actor: User, journal: Journal, section: Section | None = None) -> None:
    """Record a read by anyone other than the owner (the owner's own reads are not logged)."""
    access.require(actor, "view", journal)
    if journal.owner_id == actor.pk:
        return
    audit.record(
        actor,
        "view",
        journal,
        subject=journal.owner,
        detail=section.slug if section is not None else "overview",
    )


def journal_mark_ready(*, actor: User, journal: Journal) -> bool:
    """Mark the journal ready for the conversation and tell the facilitators (once).

    Returns False when it was already marked ready. The email goes through Celery after the
    commit; a broker outage is logged and never fails the save (`robust=True`).
    """
    access.require(actor, "own", journal)
    if not journal.is_open:
        raise JournalClosed(CLOSED_MESSAGE)
    access.require(actor, "mark_ready", journal)
    from journals.tasks import send_journal_ready

    with transaction.atomic():
        now = timezone.now()
        marked = Journal.objects.filter(
            pk=journal.pk, ready_at__isnull=True, closed_at__isnull=True
        ).update(ready_at=now)
        if not marked:
            return False
        journal.ready_at = now
        audit.record(actor, "ready", journal, subject=journal.owner)
        journal_id = journal.pk
        transaction.on_commit(lambda: send_journal_ready.delay(journal_id), robust=True)
    return True


def journal_ready_notify(*, actor: Any, journal_id: int) -> int:
    """Email each facilitator that the journal is ready: who and when, never an answer.

    Sent once: the journal row is claimed with a conditional UPDATE; a failed send releases the
    claim so the task's retry can send it. Returns the number of emails sent.
    """
    journal = (
        access.scope(actor, "notify", Journal.objects.select_related("owner"))
        .filter(pk=journal_id, ready_at__isnull=False)
        .first()
    )
    if journal is None:
        return 0
    claimed = Journal.objects.filter(pk=journal.pk, ready_notified_at__isnull=True).update(
        ready_notified_at=timezone.now()
    )
    if not claimed:
        return 0
    try:
        shared_count = JournalSection.objects.filter(
            journal=journal, shared_at__isnull=False
        ).count()
        link = emails.absolute(
            reverse("journals:overview", kwargs={"pk": journal.pk})
            if shared_count
            else reverse("home")
        )
        coming = registry.provide("next_conversation_for", journal.owner)
        sent = 0
        for facilitator, relation in journal_facilitators(journal):
            sent += emails.send(
                "journal_ready",
                to=[facilitator.email],
                context={
                    "facilitator_name": facilitator.full_name,
                    "owner_name": journal.owner.full_name,
                    "relation": relation,
                    "ready_at": journal.ready_at,
                    "conversation_at": coming.scheduled_at if coming else None,
                    "shared_count": shared_count,
                    "link": link,
                },
            )
    except Exception:
        Journal.objects.filter(pk=journal.pk).update(ready_notified_at=None)
        raise
    return sent


def journal_ready_sweep(*, actor: Any, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Send the ready emails whose task never ran (the broker was down when the journal was
    marked ready: the on-commit enqueue is robust, so it only logged). For the beat schedule."""
    stale = timezone.now() - older_than
    ids = list(
        access.scope(actor, "notify", Journal)
        .filter(ready_at__lt=stale, ready_notified_at__isnull=True, closed_at__isnull=True)
        .values_list("pk", flat=True)
    )
    return sum(journal_ready_notify(actor=actor, journal_id=pk) for pk in ids)
