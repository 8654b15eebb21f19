"""After a completed conversation: its facilitator's private "stop / start / continue"
reflection on how they ran it (the MaST forum's exercise; issue 16, part 3)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from conversations.models import NOTE_MAX_LENGTH, Conversation, Reflection
from scopegrowth import access, audit
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

NOT_COMPLETED_MESSAGE = (
    "You can reflect on the conversation once it is marked complete. Nothing has been saved."
)
EMPTY_MESSAGE = "Write what you will stop, start or continue doing. Nothing has been saved."


def conversation_reflection_save(
    *, actor: User, conversation: Conversation, stop: str, start: str, carry_on: str
) -> Reflection:
    """Save the actor's own reflection (one per facilitator and conversation; saving again
    replaces it). Only the facilitator of a completed conversation, while they facilitate."""
    if conversation.status != Conversation.Status.COMPLETED and access.can(
        actor, "prepare", conversation
    ):
        raise RuleError(NOT_COMPLETED_MESSAGE)
    access.require(actor, "reflect", conversation)
    texts = {
        name: (value or "").replace("\r\n", "\n").strip()
        for name, value in (
            ("stop_doing", stop),
            ("start_doing", start),
            ("continue_doing", carry_on),
        )
    }
    if not any(texts.values()):
        raise RuleError(EMPTY_MESSAGE)
    if any(len(text) > NOTE_MAX_LENGTH for text in texts.values()):
        raise RuleError(f"Each answer can be up to {NOTE_MAX_LENGTH:,} characters: shorten it.")
    with transaction.atomic():
        reflection, _ = Reflection.objects.select_for_update().get_or_create(
            conversation=conversation, author=actor
        )
        for name, text in texts.items():
            setattr(reflection, name, text)
        reflection.updated_at = timezone.now()
        reflection.full_clean()
        reflection.save()
        audit.record(actor, "conversation_reflect", conversation, subject=conversation.individual)
    return reflection
