"""What earlier facilitators chose to hand over, for the one who holds the conversation now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from conversations import policies as conversation_policies
from conversations.models import Conversation
from conversations.selectors.sections import PrepItem, prep_items
from scopegrowth.models import User


@dataclass
class HandedOver:
    author: User
    handed_over_at: datetime
    items: list[PrepItem]


def handed_over(conversation: Conversation, viewer: User) -> list[HandedOver]:
    """What earlier facilitators chose to hand over to the viewer, readable (empty items
    left out)."""
    from conversations.services import PREPARATION_FIELDS

    return [
        HandedOver(
            author=p.author,
            handed_over_at=p.handed_over_at,
            items=[i for i in prep_items(p, PREPARATION_FIELDS) if i.value],
        )
        for p in conversation_policies.handed_over_preparations(viewer, conversation)
    ]
