"""Each facilitator's own preparation: private to its author, who may choose to hand it over to
whoever holds the conversation after them."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from conversations.models import Conversation, Preparation
from conversations.services.common import (
    PREPARATION_FIELDS,
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
)
from scopegrowth import access, audit
from scopegrowth.models import User

# =============================================================================
# Preparation (private to the facilitators)
# =============================================================================


def preparation_save(
    *,
    actor: User,
    conversation: Conversation,
    values: dict[str, Any],
    version: int,
    mark_prepared: bool = False,
    hand_over: bool | None = None,
) -> Preparation:
    """Save the actor's own preparation (`values`: any of PREPARATION_FIELDS; the impact is an
    `ImpactLevel` or None). `mark_prepared` records that preparation is done. `hand_over`:
    True lets whoever holds the conversation after the actor read it, False takes that back,
    None leaves it. `version` is the version the form was opened at (0 when the actor had no
    preparation yet). Nobody else's preparation is read or changed."""
    access.require(actor, "prepare", conversation)
    unknown = set(values) - set(PREPARATION_FIELDS)
    if unknown:
        raise ValueError(f"not preparation fields: {sorted(unknown)}")
    cleaned = {
        name: (value if name == "view_now_impact" else clean_text(name, value))
        for name, value in values.items()
    }
    with transaction.atomic():
        fresh = locked(conversation)
        require_changeable(fresh)
        preparation = Preparation.objects.filter(conversation=fresh, author=actor).first()
        saved_version = preparation.version if preparation else 0
        saved = {
            name: (getattr(preparation, name) if preparation else _empty(name))
            for name in PREPARATION_FIELDS
        }
        changed = {name: value for name, value in cleaned.items() if fk(value) != fk(saved[name])}
        marking = mark_prepared and (preparation is None or preparation.prepared_at is None)
        handed = preparation is not None and preparation.handed_over_at is not None
        handing = hand_over is not None and hand_over != handed
        if not changed and not marking and not handing:
            return preparation or Preparation(conversation=fresh, author=actor, version=0)
        if changed and saved_version != version:
            raise StaleVersion(saved=saved, version=saved_version)
        now = timezone.now()
        if preparation is None:
            preparation = Preparation(conversation=fresh, author=actor, version=1)
        else:
            try:
                claim_version(preparation, saved_version)
            except LostRace:
                preparation.refresh_from_db()
                raise StaleVersion(
                    saved={n: getattr(preparation, n) for n in PREPARATION_FIELDS},
                    version=preparation.version,
                ) from None
        for name, value in changed.items():
            setattr(preparation, name, value)
        if marking:
            preparation.prepared_at = now
        if handing:
            preparation.handed_over_at = now if hand_over else None
        preparation.updated_at = now
        preparation.full_clean(exclude=["conversation", "author"])
        save_new_or_changed(preparation)
        if take_over_if_needed(actor, fresh):
            fresh.save(update_fields=["facilitator", "ics_sequence"])
            send_invite_on_commit(fresh)
        audit.record(
            actor,
            "prepare",
            fresh,
            subject=fresh.individual,
            detail=(
                "marked prepared"
                if marking
                else ("handover " + ("chosen" if hand_over else "withdrawn"))
                if handing and not changed
                else "preparation saved"
            ),
        )
    return preparation


def _empty(name: str) -> Any:
    return None if name == "view_now_impact" else ""
