"""Scheduling: schedule, reschedule, cancel and take over, each sending both people the invite."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from conversations.models import Conversation
from conversations.services.common import (
    MAX_DURATION,
    MIN_DURATION,
    OPEN_STATUSES,
    SCHEDULE_FIELDS,
    LostRace,
    ScheduleRefused,
    StaleVersion,
    claim_version,
    local,
    locked,
    normalise,
    require_changeable,
    send_invite_on_commit,
    take_over_if_needed,
    when_text,
)
from journals.models import Journal
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


def _check_overlap(
    individual: User, start: datetime, duration_minutes: int, exclude_pk: int | None = None
) -> None:
    end = start + timedelta(minutes=duration_minutes)
    candidates = Conversation.objects.filter(
        individual=individual,
        status__in=OPEN_STATUSES,
        scheduled_at__lt=end,
        scheduled_at__gt=start - timedelta(minutes=MAX_DURATION),
    ).order_by("scheduled_at")
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    for other in candidates:
        if other.ends_at > start:
            raise ScheduleRefused(
                f"{individual.full_name} already has a conversation on "
                f"{when_text(other.scheduled_at)} (until {local(other.ends_at):%H:%M}). "
                "Choose a time that does not overlap with it.",
                field="time",
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
        # One scheduler at a time per person, so two overlapping saves cannot both pass.
        User.objects.select_for_update().filter(pk=individual.pk).first()
        _check_overlap(individual, scheduled_at, duration_minutes)
        now = timezone.now()
        conversation = Conversation(
            individual=individual,
            facilitator=actor,
            journal=Journal.objects.filter(owner=individual, closed_at__isnull=True).first(),
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
            User.objects.select_for_update().filter(pk=fresh.individual_id).first()
            _check_overlap(fresh.individual, scheduled_at, wanted["duration_minutes"], fresh.pk)
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
        fresh.cancel_reason = reason
        fresh.cancelled_at = now
        fresh.updated_at = now
        fresh.full_clean()
        fresh.save()
        audit.record(actor, "cancel", fresh, subject=fresh.individual)
        send_invite_on_commit(fresh)
    return fresh


def conversation_take_over(*, actor: User, conversation: Conversation) -> Conversation:
    """Make the actor (a current facilitator) the conversation's facilitator and organiser."""
    access.require(actor, "facilitate", conversation)
    with transaction.atomic():
        fresh = locked(conversation)
        require_changeable(fresh)
        if fresh.facilitator_id == actor.pk:
            return fresh
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
