"""Text posted after the session expired, kept server-side until its owner signs in again."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from journals.models import PendingDraft

DRAFT_MAX_AGE = timedelta(hours=24)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pending_draft_keep(
    *, journal_id: int, section_slug: str, data: dict[str, str], replaces: str = ""
) -> str:
    """Keep text that arrived without a session; returns the token for the HttpOnly cookie.

    Nobody is signed in, so nothing is checked here: the draft is shown only to the journal's
    owner after they sign in (`pending_draft_take` + the section view), and purged after 24 h.
    A browser keeps one draft at a time: the one its cookie named before (`replaces`) goes.
    """
    pending_drafts_purge()
    if replaces:
        PendingDraft.objects.filter(token_hash=_hash(replaces)).delete()
    token = secrets.token_urlsafe(32)
    PendingDraft.objects.create(
        token_hash=_hash(token), journal_id=journal_id, section_slug=section_slug, data=data
    )
    return token


def pending_draft_take(*, token: str, journal_id: int, section_slug: str) -> PendingDraft | None:
    """Remove and return the draft kept for this token and this section page (None when
    unknown, for another page, or older than 24 h). The caller shows it only to the owner."""
    if not token:
        return None
    draft = PendingDraft.objects.filter(
        token_hash=_hash(token), journal_id=journal_id, section_slug=section_slug
    ).first()
    if draft is None:
        return None
    draft.delete()
    if draft.created_at < timezone.now() - DRAFT_MAX_AGE:
        return None
    return draft


def pending_drafts_purge() -> int:
    deleted, _ = PendingDraft.objects.filter(created_at__lt=timezone.now() - DRAFT_MAX_AGE).delete()
    return deleted
