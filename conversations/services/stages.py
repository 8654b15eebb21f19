"""The three stages, the plan hand-over and completing the conversation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from conversations import guide, selectors
from conversations.models import Conversation, StageNote, StageRecord
from conversations.services.common import (
    POSITION_FIELDS,
    LostRace,
    StaleVersion,
    claim_version,
    clean_text,
    fk,
    locked,
    require_changeable,
    save_new_or_changed,
    send_invite_on_commit,
    take_over_if_needed,
    when_text,
)
from scopegrowth import access, audit, emails, outbox, registry
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

# =============================================================================
# The three stages
# =============================================================================


@dataclass(frozen=True)
class StageInput:
    """What the stage form submitted.

    `facilitator_notes`: the acting facilitator's own private notes on the stage (each
    facilitator has their own); None: the notes were not on the form (the presentation view),
    so they are left as they are. `position`: stage 2's agreed position (POSITION_FIELDS;
    impacts are `ImpactLevel` or None) with the conversation `conversation_version` it was
    opened at.
    """

    agreed_summary: str
    version: int
    facilitator_notes: str | None = None
    position: dict[str, Any] | None = None
    conversation_version: int | None = None


def _stage_title(number: int) -> str:
    return f"stage {number} ({guide.STAGES[number].title.lower()})"


def _stages_done(conversation: Conversation) -> set[int]:
    return set(
        StageRecord.objects.filter(
            conversation=conversation, completed_at__isnull=False
        ).values_list("stage", flat=True)
    )


def _position_complete(values: dict[str, Any]) -> bool:
    return bool(
        values["agreed_now_growth"]
        and values["agreed_now_impact"]
        and values["agreed_future_growth"]
        and values["agreed_future_impact"]
    )


def _missing_position_message() -> str:
    return (
        "Record the agreed position first: growth and impact now, and growth and impact in "
        "two years."
    )


def conversation_stage_save(
    *,
    actor: User,
    conversation: Conversation,
    stage: int,
    data: StageInput,
    complete: bool = False,
) -> StageRecord:
    """Save one stage's notes and agreed summary (and, for stage 2, the agreed position);
    with `complete`, also mark the stage complete. Stages complete in order; stage 2 needs the
    agreed position and stage 3 a started development plan. A refusal saves nothing."""
    access.require(actor, "facilitate", conversation)
    if stage not in guide.STAGES:
        raise RuleError("There is no such stage.")
    summary = clean_text("agreed_summary", data.agreed_summary)
    notes = None if data.facilitator_notes is None else clean_text("notes", data.facilitator_notes)
    position = None
    if stage == 2 and data.position is not None:
        position = {
            name: (
                data.position.get(name)
                if name.endswith("_impact")
                else clean_text(name, data.position.get(name))
            )
            for name in POSITION_FIELDS
        }
    with transaction.atomic():
        fresh = locked(conversation)
        require_changeable(fresh)
        record = StageRecord.objects.filter(conversation=fresh, stage=stage).first()
        record_version = record.version if record else 0
        own_note = StageNote.objects.filter(conversation=fresh, stage=stage, author=actor).first()
        saved_text = {
            "facilitator_notes": own_note.text if own_note else "",
            "agreed_summary": record.agreed_summary if record else "",
        }
        text_changes = (
            {"agreed_summary": summary} if summary != saved_text["agreed_summary"] else {}
        )
        if notes is not None and notes != saved_text["facilitator_notes"]:
            text_changes["facilitator_notes"] = notes
        saved_position = {name: getattr(fresh, name) for name in POSITION_FIELDS}
        position_changes = {
            name: value
            for name, value in (position or {}).items()
            if fk(value) != fk(saved_position[name])
        }
        completing = complete and (record is None or record.completed_at is None)

        if text_changes and record_version != data.version:
            raise StaleVersion(saved=saved_text, version=record_version)
        if position_changes and fresh.version != data.conversation_version:
            raise StaleVersion(
                saved=saved_position, version=fresh.version, field="conversation_version"
            )
        if stage == 2 and position_changes and record and record.completed_at:
            after = {**saved_position, **position_changes}
            if not _position_complete(after):
                raise RuleError(
                    f"Stage 2 is complete, so the agreed position cannot be left incomplete. "
                    f"{_missing_position_message()} Nothing has been saved yet: your text is "
                    "still on this page."
                )
        if completing:
            done = _stages_done(fresh)
            missing = [n for n in guide.STAGE_NUMBERS if n < stage and n not in done]
            if missing:
                raise RuleError(
                    f"Complete {_stage_title(missing[0])} first: stages are completed in order. "
                    "Nothing has been saved yet: your text is still on this page."
                )
            if stage == 2:
                if not _position_complete({**saved_position, **position_changes}):
                    raise RuleError(
                        f"{_missing_position_message()} Then complete stage 2. Nothing has been "
                        "saved yet: your text is still on this page."
                    )
            if stage == 3 and not _has_plan(fresh):
                raise RuleError(
                    "Start the development plan before completing stage 3. Nothing has been "
                    "saved yet: your text is still on this page."
                )
        if not text_changes and not position_changes and not completing:
            return record or StageRecord(conversation=fresh, stage=stage, version=0)

        now = timezone.now()
        if record is None:
            record = StageRecord(conversation=fresh, stage=stage, version=1)
        elif text_changes or completing:
            try:
                claim_version(record, record_version)
            except LostRace:
                record.refresh_from_db()
                own_note = StageNote.objects.filter(
                    conversation=fresh, stage=stage, author=actor
                ).first()
                raise StaleVersion(
                    saved={
                        "facilitator_notes": own_note.text if own_note else "",
                        "agreed_summary": record.agreed_summary,
                    },
                    version=record.version,
                ) from None
        new_notes = text_changes.pop("facilitator_notes", None)
        for name, value in text_changes.items():
            setattr(record, name, value)
        if completing:
            record.completed_at = now
        record.updated_at = now
        record.full_clean(exclude=["conversation", "stage"])
        save_new_or_changed(record)
        if new_notes is not None:
            StageNote.objects.update_or_create(
                conversation=fresh,
                stage=stage,
                author=actor,
                defaults={"text": new_notes, "updated_at": now},
            )
        own_text = saved_text["facilitator_notes"]
        record.facilitator_notes = own_text if new_notes is None else new_notes

        conversation_fields = []
        if position_changes:
            try:
                claim_version(fresh, fresh.version)
            except LostRace:
                raise StaleVersion(
                    saved=saved_position, version=fresh.version + 1, field="conversation_version"
                ) from None
            for name, value in position_changes.items():
                setattr(fresh, name, value)
            conversation_fields += list(position_changes)
        if fresh.status == Conversation.Status.SCHEDULED:
            fresh.status = Conversation.Status.IN_PROGRESS
            conversation_fields.append("status")
        taken = take_over_if_needed(actor, fresh)
        if taken:
            conversation_fields += ["facilitator", "ics_sequence"]
        if conversation_fields:
            fresh.updated_at = now
            fresh.full_clean()
            fresh.save(update_fields=[*conversation_fields, "updated_at"])
        if taken:
            send_invite_on_commit(fresh)
        audit.record(
            actor,
            "stage_complete" if completing else "stage_save",
            fresh,
            subject=fresh.individual,
            detail=f"stage {stage}",
        )
    return record


def conversation_ready_for_plan(conversation: Conversation) -> Conversation:
    """`conversation`, read again, when a development plan may be started from it: still open
    to changes, with stages 1 and 2 complete (the plan is pre-filled from them). Otherwise a
    `RuleError` and nothing is started. The plans app asks this before it starts the plan."""
    fresh = Conversation.objects.select_related("individual", "facilitator").get(pk=conversation.pk)
    require_changeable(fresh)
    done = _stages_done(fresh)
    missing = [n for n in (1, 2) if n not in done]
    if missing:
        names = " and ".join(_stage_title(n) for n in missing)
        raise RuleError(
            f"Complete {names} first: the plan is pre-filled from them. No plan has been started."
        )
    return fresh


def conversation_plan_start(*, actor: User, conversation: Conversation) -> Any:
    """Stage 3: start the aspirational development plan from the conversation (pre-filled from
    the agreed position and the stage 1 and 2 summaries) and return it. Needs stages 1 and 2
    complete; once started, the same plan is returned every time.

    The plans app (a higher layer) does it: `devplans.services.plan_start_from_stage_three`,
    provided as "plan_start_from_stage_three" (devplans/providers.py)."""
    start = registry.PROVIDERS["plan_start_from_stage_three"]
    return start(actor=actor, conversation=conversation)


def _has_plan(conversation: Conversation) -> bool:
    """Has a development plan been started from the conversation? (asked of the plans app)"""
    return bool(registry.provide("conversation_has_plan", conversation, default=False))


def conversation_complete(*, actor: User, conversation: Conversation) -> Conversation:
    """Mark the conversation completed: all three stages complete and a position agreed."""
    access.require(actor, "facilitate", conversation)
    with transaction.atomic():
        fresh = locked(conversation)
        require_changeable(fresh)
        done = _stages_done(fresh)
        missing = [n for n in guide.STAGE_NUMBERS if n not in done]
        if missing:
            names = " and ".join(_stage_title(n) for n in missing)
            raise RuleError(
                f"Complete {names} first. The conversation has not been marked complete."
            )
        if not fresh.has_agreed_position:
            raise RuleError(
                f"{_missing_position_message()} The conversation has not been marked complete."
            )
        if timezone.now() < fresh.scheduled_at:
            raise RuleError(
                f"The conversation is booked for {when_text(fresh.scheduled_at)}, so it cannot "
                "be marked complete before then. If it happened earlier, change its date first. "
                "The conversation has not been marked complete."
            )
        claim_version(fresh, fresh.version)
        take_over_if_needed(actor, fresh)
        now = timezone.now()
        # The record keeps the journal and which sections were shared now (titles and times;
        # the answers stay live, under today's sharing).
        journal = selectors.open_journal_for(fresh.individual_id)
        fresh.journal = journal
        fresh.shared_at_completion = [
            {
                "slug": view.section.slug,
                "title": view.section.title,
                "shared_at": view.shared_at.isoformat() if view.shared_at else None,
            }
            for view in selectors.shared_sections(actor, journal)
        ]
        fresh.status = Conversation.Status.COMPLETED
        fresh.completed_at = now
        fresh.updated_at = now
        fresh.save()
        audit.record(actor, "complete", fresh, subject=fresh.individual)
        _tell_completed(actor, fresh)
    return fresh


def _tell_completed(actor: User, conversation: Conversation) -> None:
    """Email the individual (and add to their Updates) that the conversation is complete."""
    from django.urls import reverse

    from conversations.services.common import local

    path = reverse("conversations:detail", args=[conversation.pk])
    held_on = f"{local(conversation.scheduled_at):%-d %B %Y}"
    outbox.email(
        "conversation_completed",
        to=conversation.individual,
        context={
            "recipient": conversation.individual,
            "actor_name": actor.full_name,
            "held_on": held_on,
            "link": emails.absolute(path),
        },
        update=f"{actor.full_name} marked your career conversation of {held_on} complete",
        link=path,
    )
