"""What every conversation service shares: constants, the failures a person reads, locking,
version claims, the take-over rule and the invite nudge."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from conversations.models import NOTE_MAX_LENGTH, Conversation
from scopegrowth import access, audit
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

logger = logging.getLogger(__name__)

OPEN_STATUSES = (Conversation.Status.SCHEDULED, Conversation.Status.IN_PROGRESS)
MIN_DURATION = 15
MAX_DURATION = 480

PREPARATION_FIELDS = (
    "evidence_feedback",
    "evidence_one_to_ones",
    "evidence_performance",
    "strengths",
    "development_areas",
    "national_indicators",
    "adjustments",
    "adjustments_notes",
    "planner_notes",
    "planner_accomplishments",
    "planner_motivation",
    "planner_personal_style",
    "planner_learning_style",
    "planner_skills",
    "self_check",
    "view_now_growth",
    "view_now_impact",
    "view_evidence",
)
POSITION_FIELDS = (
    "agreed_now_growth",
    "agreed_now_impact",
    "agreed_now_evidence",
    "agreed_future_growth",
    "agreed_future_impact",
    "agreed_future_why",
)
SCHEDULE_FIELDS = ("scheduled_at", "duration_minutes", "location", "agenda")

CONFLICT_MESSAGE = (
    "This was changed (in another tab, or by someone else) after you opened it. Nothing has "
    "been saved. Compare your text with the saved version below, then save again to keep yours."
)


# =============================================================================
# Failures a person reads
# =============================================================================


class ScheduleRefused(RuleError):
    """A date, time or length that cannot be used; `field` names the form field to mark."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConversationClosed(RuleError):
    """The conversation is completed or cancelled: it cannot be changed."""


class StaleVersion(RuleError):
    """Saved after the form was opened. `saved` holds the saved values (field -> value) so the
    page can show both versions; `version` is the saved version to post next time."""

    def __init__(self, *, saved: dict[str, Any], version: int, field: str = "version") -> None:
        super().__init__(CONFLICT_MESSAGE)
        self.saved = saved
        self.version = version
        self.field = field


class LostRace(Exception):
    pass


# =============================================================================
# Helpers
# =============================================================================


def local(dt: datetime) -> datetime:
    return timezone.localtime(dt)


def when_text(dt: datetime) -> str:
    """'Tuesday 3 March 2026 at 10:00' in UK time."""
    t = local(dt)
    return f"{t:%A} {t.day} {t:%B %Y} at {t:%H:%M}"


def normalise(text: str | None) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return text if text.strip() else ""


def fk(value: Any) -> Any:
    return getattr(value, "pk", value)


def locked(conversation: Conversation) -> Conversation:
    """The saved row, locked for this transaction where the database can."""
    return (
        Conversation.objects.select_for_update(of=("self",))  # not the joined people
        .select_related("individual", "facilitator")
        .get(pk=conversation.pk)
    )


def require_changeable(conversation: Conversation) -> None:
    if conversation.status == Conversation.Status.COMPLETED:
        done = when_text(conversation.completed_at) if conversation.completed_at else "earlier"
        raise ConversationClosed(
            f"This conversation was completed on {done}, so it can no longer be changed. "
            "Nothing has been saved. What you typed is still on this page: copy anything you "
            "want to keep into the development plan."
        )
    if conversation.status == Conversation.Status.CANCELLED:
        done = when_text(conversation.cancelled_at) if conversation.cancelled_at else "earlier"
        raise ConversationClosed(
            f"This conversation was cancelled on {done}, so it can no longer be changed. "
            "Nothing has been saved. Schedule a new conversation if you still need one."
        )


def claim_version(obj: Model, expected: int) -> None:
    """Move `obj.version` on by one if it is still `expected` (one of two racing saves wins)."""
    won = type(obj).objects.filter(pk=obj.pk, version=expected).update(version=F("version") + 1)
    if won != 1:
        raise LostRace
    obj.version = expected + 1


def take_over_if_needed(actor: User, conversation: Conversation) -> bool:
    """A current facilitator changing a conversation recorded against someone who no longer
    manages or coaches the individual becomes its facilitator (the invite moves with it)."""
    if conversation.facilitator_id == actor.pk:
        return False
    if access.facilitates(conversation.facilitator, conversation.individual):
        return False  # a co-facilitator (e.g. the coach) acting: the organiser stays
    former = conversation.facilitator
    conversation.facilitator = actor
    conversation.ics_sequence += 1
    audit.record(
        actor,
        "take_over",
        conversation,
        subject=conversation.individual,
        detail=f"from user {former.pk}",
    )
    return True


def send_invite_on_commit(conversation: Conversation) -> None:
    """Write the invite emails to the outbox in this transaction (sent after the commit)."""
    from conversations.services.invites import conversation_invite_write

    conversation_invite_write(conversation)


def save_new_or_changed(obj: Model) -> None:
    """Save; a row created at the same moment in another tab is a conflict, not a 500."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise RuleError(
            "This was saved in another tab at the same moment. Nothing has been saved from this "
            "page: your text is still here. Reload the page, then save again."
        ) from None


def clean_text(name: str, value: Any) -> str:
    text = normalise(value) if isinstance(value, str) or value is None else str(value)
    if len(text) > NOTE_MAX_LENGTH:
        raise RuleError(
            f"A note is longer than {NOTE_MAX_LENGTH:,} characters. Shorten it, then save again. "
            "Nothing has been saved."
        )
    return text
