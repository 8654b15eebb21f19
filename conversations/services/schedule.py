"""Scheduling: schedule, reschedule, cancel and take over, each sending both people the invite."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from conversations.models import Conversation
from conversations.services.clashes import check_one_open, check_overlaps, lock_people
from conversations.services.common import (
    MAX_DURATION,
    MIN_DURATION,
    SCHEDULE_FIELDS,
    LostRace,
    ScheduleRefused,
    StaleVersion,
    claim_version,
    locked,
    normalise,
    require_changeable,
    send_invite_on_commit,
    take_over_if_needed,
    when_text,
)
from scopegrowth import access, audit
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

# =============================================================================
# Scheduling
# =============================================================================


def _check_when(scheduled_at: datetime, duration_minutes: int) -> None:
    if timezone.is_naive(scheduled_at):
        raise ValueError("scheduled_at must be timezone-aware")
    if scheduled_at <= timezone.now():
        raise ScheduleRefused(
            f"Choose a date and time in the future: {when_text(scheduled_at)} has already passed.",
            field="date",
        )
    if not MIN_DURATION <= int(duration_minutes) <= MAX_DURATION:
        raise ScheduleRefused(
            "The length must be between 15 minutes and 8 hours (480 minutes).",
            field="duration_minutes",
        )


def conversation_schedule(
    *,
    actor: User,
    individual: User,
    scheduled_at: datetime,
    duration_minutes: int,
    location: str,
    agenda: str = "",
) -> Conversation:
    """Schedule a conversation with someone the actor currently line-manages or coaches, and
    send both of them the calendar invite."""
    access.require(actor, "facilitate", individual)
    if not individual.is_active:
        raise RuleError(
            f"{individual.full_name}'s account is closed, so no conversation can be set."
        )
    location = (location or "").strip()
    if not location:
        raise ScheduleRefused("Enter a place or a video-call link.", field="location")
    _check_when(scheduled_at, duration_minutes)
    with transaction.atomic():
        # One scheduler at a time per person, so two clashing saves cannot both pass.
        lock_people(individual.pk, actor.pk)
        check_one_open(actor, individual)
        check_overlaps(
            actor,
            individual=individual,
            facilitator=actor,
            start=scheduled_at,
            duration_minutes=duration_minutes,
        )
        now = timezone.now()
        # No journal link here: an open conversation reads the individual's open journal,
        # whenever it is started (selectors.journal_of); completion records the one it kept.
        conversation = Conversation(
            individual=individual,
            facilitator=actor,
            scheduled_at=scheduled_at,
            duration_minutes=duration_minutes,
            location=location,
            agenda=normalise(agenda),
            created_at=now,
            updated_at=now,
        )
        conversation.full_clean()
        conversation.save()
        audit.record(actor, "schedule", conversation, subject=individual)
        send_invite_on_commit(conversation)
    return conversation


def conversation_reschedule(
    *,
    actor: User,
    conversation: Conversation,
    scheduled_at: datetime,
    duration_minutes: int,
    location: str,
    agenda: str,
    version: int,
) -> Conversation:
    """Change the time, length, place or agenda; both people get the updated invite (same UID,
    SEQUENCE one higher). Unchanged values: nothing happens, no email."""
    access.require(actor, "facilitate", conversation)
    location = (location or "").strip()
    if not location:
        raise ScheduleRefused("Enter a place or a video-call link.", field="location")
    wanted = {
        "scheduled_at": scheduled_at,
        "duration_minutes": int(duration_minutes),
        "location": location,
        "agenda": normalise(agenda),
    }
    with transaction.atomic():
        fresh = locked(conversation)
        require_changeable(fresh)
        saved = {name: getattr(fresh, name) for name in SCHEDULE_FIELDS}
        if wanted == saved:
            return fresh
        if fresh.version != version:
            raise StaleVersion(saved=saved, version=fresh.version)
        if (scheduled_at, wanted["duration_minutes"]) != (
            fresh.scheduled_at,
            fresh.duration_minutes,
        ):
            _check_when(scheduled_at, wanted["duration_minutes"])
            # The facilitator after this change (a current facilitator acting on a former
            # one's conversation takes it over).
            facilitator = (
                fresh.facilitator
                if fresh.facilitator_id == actor.pk
                or access.facilitates(fresh.facilitator, fresh.individual)
                else actor
            )
            lock_people(fresh.individual_id, facilitator.pk)
            check_overlaps(
                actor,
                individual=fresh.individual,
                facilitator=facilitator,
                start=scheduled_at,
                duration_minutes=wanted["duration_minutes"],
                exclude_pk=fresh.pk,
            )
        try:
            claim_version(fresh, version)
        except LostRace:
            fresh = Conversation.objects.get(pk=fresh.pk)
            raise StaleVersion(
                saved={name: getattr(fresh, name) for name in SCHEDULE_FIELDS},
                version=fresh.version,
            ) from None
        if not take_over_if_needed(actor, fresh):  # a take-over already moved the SEQUENCE on
            fresh.ics_sequence += 1
        for name, value in wanted.items():
            setattr(fresh, name, value)
        fresh.updated_at = timezone.now()
        fresh.full_clean()
        fresh.save()
        audit.record(actor, "reschedule", fresh, subject=fresh.individual)
        send_invite_on_commit(fresh)
    return fresh


def conversation_cancel(*, actor: User, conversation: Conversation, reason: str) -> Conversation:
    """Cancel with a reason (shown to both in the app, never put in the invite); both people
    get a cancellation (METHOD:CANCEL) for their calendars."""
    access.require(actor, "facilitate", conversation)
    reason = " ".join((reason or "").split())
    if not reason:
        raise RuleError("Give a reason for cancelling. Nothing has been cancelled.")
    if len(reason) > 500:
        raise RuleError("The reason can be up to 500 characters. Nothing has been cancelled.")
    with transaction.atomic():
        fresh = locked(conversation)
        require_changeable(fresh)
        claim_version(fresh, fresh.version)
        if not take_over_if_needed(actor, fresh):
            fresh.ics_sequence += 1
        now = timezone.now()
        fresh.status = Conversation.Status.CANCELLED
        fresh.journal = None  # gives the journal back: the next conversation reads it
        fresh.cancel_reason = reason
        fresh.cancelled_at = now
        fresh.updated_at = now
        fresh.full_clean()
        fresh.save()
        audit.record(actor, "cancel", fresh, subject=fresh.individual)
        send_invite_on_commit(fresh)
    return fresh


def conversation_take_over(*, actor: User, conversation: Conversation) -> Conversation:
    """Make the actor (a current facilitator) the conversation's facilitator and organiser,
    unless it clashes with another open conversation of theirs (`Clash`, nothing changes)."""
    access.require(actor, "facilitate", conversation)
    with transaction.atomic():
        fresh = locked(conversation)
        require_changeable(fresh)
        if fresh.facilitator_id == actor.pk:
            return fresh
        # The new facilitator's own calendar, as when rescheduling: no two conversations of
        # theirs at once (the individual's is unchanged).
        lock_people(fresh.individual_id, actor.pk)
        check_overlaps(
            actor,
            individual=fresh.individual,
            facilitator=actor,
            start=fresh.scheduled_at,
            duration_minutes=fresh.duration_minutes,
            exclude_pk=fresh.pk,
        )
        former = fresh.facilitator
        claim_version(fresh, fresh.version)
        fresh.facilitator = actor
        fresh.ics_sequence += 1
        fresh.updated_at = timezone.now()
        fresh.save()
        audit.record(
            actor, "take_over", fresh, subject=fresh.individual, detail=f"from user {former.pk}"
        )
        send_invite_on_commit(fresh)
    return fresh
