"""Sharing sections, recording reads, and "ready for the conversation" with its email."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from journals.models import Journal, JournalSection, Section
from journals.policies import journal_facilitators
from journals.services.answers import CLOSED_MESSAGE, JournalClosed
from scopegrowth import access, audit, emails, outbox, registry
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

    Returns False when it was already marked ready. The emails are written to the outbox in the
    same transaction (`scopegrowth.outbox`), so a broker outage never loses one or fails the save.
    """
    access.require(actor, "own", journal)
    if not journal.is_open:
        raise JournalClosed(CLOSED_MESSAGE)
    access.require(actor, "mark_ready", journal)
    with transaction.atomic():
        now = timezone.now()
        marked = Journal.objects.filter(
            pk=journal.pk, ready_at__isnull=True, closed_at__isnull=True
        ).update(ready_at=now)
        if not marked:
            return False
        journal.ready_at = now
        audit.record(actor, "ready", journal, subject=journal.owner)
        journal_ready_write(journal)
    return True


def journal_ready_write(journal: Journal) -> int:
    """Write each facilitator's "journal ready" email (who and when, never an answer) to the
    outbox, in the caller's transaction. Returns the number written."""
    shared_count = JournalSection.objects.filter(journal=journal, shared_at__isnull=False).count()
    path = (
        reverse("journals:overview", kwargs={"pk": journal.pk}) if shared_count else reverse("home")
    )
    link = emails.absolute(path)
    coming = registry.provide("next_conversation_for", journal.owner)
    written = 0
    for facilitator, relation in journal_facilitators(journal):
        row = outbox.email(
            "journal_ready",
            to=facilitator,
            context={
                "facilitator_name": facilitator.full_name,
                "owner_name": journal.owner.full_name,
                "relation": relation,
                "ready_at": journal.ready_at,
                "conversation_at": coming.scheduled_at if coming else None,
                "shared_count": shared_count,
                "link": link,
            },
            update=f"{journal.owner.full_name} marked their journal ready for your conversation",
            link=path,
        )
        written += row is not None
    return written
