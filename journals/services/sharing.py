"""Sharing sections, recording reads, and "ready for the conversation" with its email."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from journals.models import Journal, JournalSection, Section, SectionShare
from journals.policies import journal_facilitators, ready_audience
from journals.services.answers import CLOSED_MESSAGE, JournalClosed
from scopegrowth import access, audit, emails, outbox, registry
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

SHARE_CLOSED_MESSAGE = (
    "This journal is from an earlier conversation cycle, so you cannot share it now. "
    "You can still stop sharing it."
)


class NotASupporter(RuleError):
    """A share named someone who does not support the owner now."""


def journal_section_share(
    *,
    actor: User,
    journal: Journal,
    section: Section,
    shared: bool = True,
    readers: Iterable[User] | None = None,
) -> JournalSection:
    """Choose who may read a section. `readers`: exactly these people, each one who supports
    the owner now (nobody: private again). Without `readers`, `shared=True` shares with every
    person who supports the owner now and `shared=False` with nobody.

    Sharing is with the person: someone who starts supporting the owner later sees nothing
    until the owner shares with them. Every share and unshare is audited, one event per
    person (detail "slug@reader id"). An earlier journal can only be unshared.
    """
    access.require(actor, "share", journal)
    supporters = {user.pk for user, _ in journal_facilitators(journal)}
    if readers is None:
        wanted = set(supporters) if shared else set()
    else:
        wanted = {user.pk for user in readers}
        if wanted - supporters:
            raise NotASupporter("You can share a section only with the people who support you now.")
    with transaction.atomic():
        js, _ = JournalSection.objects.get_or_create(journal=journal, section=section)
        current = set(
            SectionShare.objects.filter(journal_section=js).values_list("reader_id", flat=True)
        )
        added, removed = wanted - current, current - wanted
        if (added or (readers is None and shared)) and not journal.is_open:
            raise RuleError(SHARE_CLOSED_MESSAGE)
        now = timezone.now()
        SectionShare.objects.bulk_create(
            [SectionShare(journal_section=js, reader_id=pk, shared_at=now) for pk in sorted(added)],
            ignore_conflicts=True,
        )
        SectionShare.objects.filter(journal_section=js, reader_id__in=removed).delete()
        for action, ids in (("share", added), ("unshare", removed)):
            for pk in sorted(ids):
                audit.record(
                    actor, action, journal, subject=journal.owner, detail=f"{section.slug}@{pk}"
                )
    return js


def shares_end_for_former_supporter(*, actor: Any, person: User, supporter: User) -> int:
    """`supporter` no longer supports `person` (a link ended): what was shared with them by
    name is no longer shared, so coming back later shows them nothing until `person` shares
    again. Audited per section. Returns how many shares ended."""
    if access.facilitates(supporter, person):  # still the line manager, or still a coach
        return 0
    shares = list(
        SectionShare.objects.filter(
            reader=supporter, journal_section__journal__owner=person
        ).select_related("journal_section__journal", "journal_section__section")
    )
    for share in shares:
        audit.record(
            actor,
            "share_ended",
            share.journal_section.journal,
            subject=person,
            detail=f"{share.journal_section.section.slug}@{supporter.pk}",
        )
    SectionShare.objects.filter(pk__in=[share.pk for share in shares]).delete()
    return len(shares)


def journal_viewed(*, actor: User, journal: Journal, section: Section | None = None) -> None:
    """Record a read by anyone other than the owner (the owner's own reads are not logged)."""
    audit.record_all(journal_view_events(actor=actor, journal=journal, sections=[section]))


def journal_view_events(
    *, actor: User, journal: Journal, sections: Iterable[Section | None]
) -> list[Any]:
    """The audit events (not yet written: `audit.record_all`) of a read of these sections (None:
    the overview) by anyone other than the owner; none for the owner's own reads."""
    access.require(actor, "view", journal)
    if journal.owner_id == actor.pk:
        return []
    return [
        audit.event(
            actor,
            "view",
            journal,
            subject=journal.owner,
            detail=section.slug if section is not None else "overview",
        )
        for section in sections
    ]


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
    """Write the "journal ready" email (who, when and how many sections, never an answer) to the
    outbox, in the caller's transaction, for each person who supports the owner now and has at
    least one section shared with them by name; someone it shares nothing with is not told.
    Returns the number written."""
    path = reverse("journals:overview", kwargs={"pk": journal.pk})
    link = emails.absolute(path)
    coming = registry.provide("next_conversation_for", journal.owner)
    written = 0
    for facilitator, relation, shared_count in ready_audience(journal):
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
