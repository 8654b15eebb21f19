"""Reads worth recording, and the invitation email (sent once per SEQUENCE)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from conversations import calendar
from conversations.models import Conversation
from conversations.services.common import (
    local,
    when_text,
)
from journals.services import journal_viewed
from scopegrowth import access, audit, emails
from scopegrowth.models import User

# =============================================================================
# Reads worth recording, and the invitation email
# =============================================================================


def conversation_viewed(
    *, actor: User, conversation: Conversation, journal: Any = None, sections: Any = ()
) -> None:
    """Record a facilitator's read of the conversation and of the journal sections it showed
    them (the individual's own reads are not logged)."""
    access.require(actor, "view", conversation)
    if conversation.individual_id == actor.pk:
        return
    audit.record(actor, "view", conversation, subject=conversation.individual)
    if journal is not None and sections:
        for section in sections:
            journal_viewed(actor=actor, journal=journal, section=section)


def _email_kind(conversation: Conversation) -> str:
    if conversation.status == Conversation.Status.CANCELLED:
        return "conversation_cancelled"
    if conversation.ics_sequence == 0:
        return "conversation_invite"
    return "conversation_updated"


def conversation_invite_send(*, actor: Any, conversation_id: int, sequence: int) -> int:
    """Email both people the invite (or update, or cancellation) for `sequence`, once.

    The row is claimed with a conditional UPDATE before sending; a failed send releases the
    claim so the task's retry can send it. A newer sequence makes an older task a no-op (the
    newer task sends the current state). Returns the number of emails sent.
    """
    conversation = (
        access.scope(
            actor, "remind", Conversation.objects.select_related("individual", "facilitator")
        )
        .filter(pk=conversation_id, ics_sequence=sequence)
        .first()
    )
    if conversation is None:
        return 0
    previous = conversation.invite_sent_sequence
    claimed = (
        Conversation.objects.filter(pk=conversation.pk, ics_sequence=sequence)
        .filter(Q(invite_sent_sequence__isnull=True) | Q(invite_sent_sequence__lt=sequence))
        .update(invite_sent_sequence=sequence)
    )
    if not claimed:
        return 0
    try:
        invite = calendar.attachment(conversation)
        kind = _email_kind(conversation)
        link = emails.absolute(reverse("conversations:detail", args=[conversation.pk]))
        sent = 0
        pairs = (
            (conversation.individual, conversation.facilitator, False),
            (conversation.facilitator, conversation.individual, True),
        )
        for person, other, is_facilitator in pairs:
            if not person.is_active:
                continue
            sent += emails.send(
                kind,
                to=[person.email],
                context={
                    "name": person.full_name,
                    "other_name": other.full_name,
                    "individual_name": conversation.individual.full_name,
                    "is_facilitator": is_facilitator,
                    "when": when_text(conversation.scheduled_at),
                    "ends": f"{local(conversation.ends_at):%H:%M}",
                    "duration_minutes": conversation.duration_minutes,
                    "location": conversation.location,
                    "agenda": conversation.agenda,
                    "link": link,
                },
                attachments=[invite],
            )
    except Exception:
        Conversation.objects.filter(pk=conversation.pk, invite_sent_sequence=sequence).update(
            invite_sent_sequence=previous
        )
        raise
    return sent


def conversation_invites_sweep(*, actor: Any) -> int:
    """Beat: send the invites, updates and cancellations whose on-commit nudge never reached the
    broker (it was down when the conversation was saved). Only conversations still to come; the
    claim in `conversation_invite_send` makes a race with the normal path harmless."""
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    if actor is not access.SYSTEM:
        raise PermissionError("the invite sweep runs as the system")
    now = timezone.now()
    pending = Conversation.objects.filter(
        Q(invite_sent_sequence__isnull=True) | Q(invite_sent_sequence__lt=F("ics_sequence")),
        scheduled_at__gt=now,
        updated_at__lt=now - timedelta(minutes=2),
    ).values_list("pk", "ics_sequence")
    return sum(
        conversation_invite_send(actor=actor, conversation_id=pk, sequence=seq)
        for pk, seq in pending
    )
