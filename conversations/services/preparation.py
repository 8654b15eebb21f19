"""The facilitator's preparation (private to the facilitators)."""

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
) -> Preparation:
    """Save the facilitator's preparation (`values`: any of PREPARATION_FIELDS; the impact is an
    `ImpactLevel` or None). `mark_prepared` records that preparation is done. `version` is the
    version the form was opened at (0 when there was no preparation yet)."""
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
        preparation = Preparation.objects.filter(conversation=fresh).first()
        saved_version = preparation.version if preparation else 0
        saved = {
            name: (getattr(preparation, name) if preparation else _empty(name))
            for name in PREPARATION_FIELDS
        }
        changed = {name: value for name, value in cleaned.items() if fk(value) != fk(saved[name])}
        marking = mark_prepared and (preparation is None or preparation.prepared_at is None)
        if not changed and not marking:
            return preparation or Preparation(conversation=fresh, version=0)
        if changed and saved_version != version:
            raise StaleVersion(saved=saved, version=saved_version)
        now = timezone.now()
        if preparation is None:
            preparation = Preparation(conversation=fresh, version=1)
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
        preparation.updated_at = now
        preparation.full_clean(exclude=["conversation"])
        save_new_or_changed(preparation)
        if take_over_if_needed(actor, fresh):
            fresh.save(update_fields=["facilitator", "ics_sequence"])
            send_invite_on_commit(fresh)
        audit.record(
            actor,
            "prepare",
            fresh,
            subject=fresh.individual,
            detail="marked prepared" if marking else "preparation saved",
        )
    return preparation


def _empty(name: str) -> Any:
    return None if name == "view_now_impact" else ""
