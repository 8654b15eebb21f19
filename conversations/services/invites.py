"""Reads worth recording, and the invitation email (written to the outbox per SEQUENCE)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from conversations import calendar
from conversations.models import Conversation
from conversations.services.common import (
    local,
    when_text,
)
from journals.services.sharing import journal_view_events
from scopegrowth import access, audit, emails, outbox
from scopegrowth.models import User

# =============================================================================
# Reads worth recording, and the invitation email
# =============================================================================


def conversation_viewed(
    *, actor: User, conversation: Conversation, journal: Any = None, sections: Any = ()
) -> None:
    """Record a facilitator's read of the conversation and of the journal sections it showed
    them, in that order and in one INSERT (the individual's own reads are not logged)."""
    access.require(actor, "view", conversation)
    if conversation.individual_id == actor.pk:
        return
    events = [audit.event(actor, "view", conversation, subject=conversation.individual)]
    if journal is not None and sections:
        events += journal_view_events(actor=actor, journal=journal, sections=sections)
    audit.record_all(events)  # in one INSERT, before the page is drawn


def _email_kind(conversation: Conversation) -> str:
    if conversation.status == Conversation.Status.CANCELLED:
        return "conversation_cancelled"
    if conversation.ics_sequence == 0:
        return "conversation_invite"
    return "conversation_updated"


def conversation_invite_write(conversation: Conversation) -> int:
    """Write both people's invite (or update, or cancellation) for the conversation's current
    SEQUENCE to the outbox, in the caller's transaction (call it after saving). A newer one
    replaces an older one not yet being sent (the outbox's `group`). Returns the emails written.
    """
    invite = calendar.attachment(conversation)
    kind = _email_kind(conversation)
    link = emails.absolute(reverse("conversations:detail", args=[conversation.pk]))
    written = 0
    pairs = (
        (conversation.individual, conversation.facilitator, False),
        (conversation.facilitator, conversation.individual, True),
    )
    path = reverse("conversations:detail", args=[conversation.pk])
    when = when_text(conversation.scheduled_at)
    for person, other, is_facilitator in pairs:
        name = other.full_name
        invited = f"You invited {name}" if is_facilitator else f"{name} invited you"
        update = {
            "conversation_invite": f"{invited} to a career conversation on {when}",
            "conversation_updated": f"Your career conversation with {name} changed: now {when}",
            "conversation_cancelled": f"Your conversation with {name} on {when} is cancelled",
        }[kind]
        row = outbox.email(
            kind,
            to=person,
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
            group=f"conversation-invite:{conversation.pk}:{person.pk}",
            update=update,
            link=path,
        )
        written += row is not None
    return written
