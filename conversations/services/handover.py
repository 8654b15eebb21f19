"""A new line manager: the person's open conversations with the old one pass to the new one.

Called from `conversations/relationships.py` (the core's `RELATIONSHIP_CHANGED`, inside the
transaction that changed the link). The old manager's preparation and stage notes stay theirs
(they are not moved, and the new manager reads only what the old one chose to hand over). The
old manager, the new one and the individual are each emailed once (outbox rows written in the
same transaction, sent after the commit).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation
from conversations.services.common import OPEN_STATUSES, send_invite_on_commit, when_text
from scopegrowth import access, audit, emails, outbox
from scopegrowth.models import User


def conversations_pass_to_new_manager(*, actor: Any, person: User, old: User, new: User) -> int:
    """Move `person`'s open conversations held by `old` (who no longer supports them) to `new`,
    their line manager now. Returns how many moved."""
    if old is None or new is None or old.pk == new.pk:
        return 0
    if access.facilitates(old, person) or not access.manages(new, person):
        return 0  # the old manager still coaches them, or the change did not take
    with transaction.atomic():
        moving = list(
            Conversation.objects.select_for_update()
            .filter(individual=person, facilitator=old, status__in=OPEN_STATUSES)
            .order_by("scheduled_at")
        )
        now = timezone.now()
        for conversation in moving:
            conversation.facilitator = new
            conversation.ics_sequence += 1
            conversation.version += 1
            conversation.updated_at = now
            conversation.save(
                update_fields=["facilitator", "ics_sequence", "version", "updated_at"]
            )
            audit.record(
                actor,
                "conversation_passed",
                conversation,
                subject=person,
                detail=f"from user {old.pk} to user {new.pk}",
            )
            send_invite_on_commit(conversation)
        if moving:
            handover_notice_send(
                conversation_ids=[c.pk for c in moving], old_id=old.pk, new_id=new.pk
            )
    return len(moving)


def handover_notice_send(*, conversation_ids: list[int], old_id: int, new_id: int) -> int:
    """Tell the old manager, the new one and the individual (one email each, to the outbox) which
    conversations passed. No notes or journal text, only names and times. Returns the number
    written."""
    conversations = list(
        Conversation.objects.filter(pk__in=conversation_ids, facilitator_id=new_id)
        .select_related("individual", "facilitator")
        .order_by("scheduled_at")
    )
    old = User.objects.filter(pk=old_id).first()
    if not conversations or old is None:
        return 0
    individual, new = conversations[0].individual, conversations[0].facilitator
    items = [
        {
            "when": when_text(c.scheduled_at),
            "link": emails.absolute(reverse("conversations:detail", args=[c.pk])),
        }
        for c in conversations
    ]
    sent = 0
    items_path = reverse("conversations:detail", args=[conversations[0].pk])
    for person, role in ((old, "old"), (new, "new"), (individual, "individual")):
        sent += (
            outbox.email(
                "conversation_passed",
                to=person,
                context={
                    "name": person.get_short_name(),
                    "role": role,
                    "individual_name": individual.full_name,
                    "old_name": old.full_name,
                    "new_name": new.full_name,
                    "conversations": items,
                },
                update=f"{individual.full_name}'s open conversations passed from {old.full_name} "
                f"to {new.full_name}",
                link="/" if role == "old" else items_path,
            )
            is not None
        )
    return sent
