"""Text posted after the session expired, kept server-side until its owner signs in again.

A draft is bound to the person who was signed in: the view only asks to keep one for the
person named by a cookie we signed while they were signed in (`views.common`), only for their
own journal, and the draft can be taken back only by them (the stored hash covers their id
and the random token). A planted token cookie therefore pre-fills nobody's form. Each draft
holds the fields of one section, each no longer than an answer may be, and a person has at
most `DRAFTS_PER_PERSON` (one per section page; the oldest goes first).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from journals.models import ANSWER_MAX_LENGTH, Journal, PendingDraft, Question

DRAFT_MAX_AGE = timedelta(hours=24)
DRAFTS_PER_PERSON = 7  # one per section of the open journal
OTHER_FIELD_MAX_LENGTH = 1_000  # version, the asked question ids, the self-assessment


def _hash(owner_id: int, token: str) -> str:
    return hashlib.sha256(f"{owner_id}:{token}".encode()).hexdigest()


def _fits(section_slug: str, data: dict[str, str]) -> bool:
    """Only this section's question fields, each no longer than an answer may be."""
    questions = set(
        Question.objects.filter(section__slug=section_slug).values_list("pk", flat=True)
    )
    for key, value in data.items():
        if key.startswith("q_"):
            if not key[2:].isdigit() or int(key[2:]) not in questions:
                return False
            if len(value.replace("\r\n", "\n")) > ANSWER_MAX_LENGTH:
                return False
        elif len(value) > OTHER_FIELD_MAX_LENGTH:
            return False
    return True


def pending_draft_keep(
    *,
    owner_id: int,
    journal_id: int,
    section_slug: str,
    data: dict[str, str],
    replaces: str = "",
) -> str | None:
    """Keep text that arrived without a session for `owner_id`, the person whose session on
    this browser ended (the caller proved it with a cookie we signed). Returns the token for
    the HttpOnly cookie, or None when nothing is kept: the journal is not theirs, or the data
    is not one section's answers within the length limits.

    One draft per section page (a new one replaces it); the one this browser's cookie named
    before (`replaces`) goes; at most DRAFTS_PER_PERSON per person, the oldest dropped first.
    """
    pending_drafts_purge()
    journal = Journal.objects.filter(pk=journal_id, owner_id=owner_id, owner__is_active=True)
    if not journal.exists() or not _fits(section_slug, data):
        return None
    theirs = PendingDraft.objects.filter(
        journal_id__in=Journal.objects.filter(owner_id=owner_id).values("pk")
    )
    if replaces:
        theirs.filter(token_hash=_hash(owner_id, replaces)).delete()
    theirs.filter(journal_id=journal_id, section_slug=section_slug).delete()
    older = theirs.order_by("-created_at", "-pk").values_list("pk", flat=True)
    PendingDraft.objects.filter(pk__in=list(older[DRAFTS_PER_PERSON - 1 :])).delete()
    token = secrets.token_urlsafe(32)
    PendingDraft.objects.create(
        token_hash=_hash(owner_id, token),
        journal_id=journal_id,
        section_slug=section_slug,
        data=data,
    )
    return token


def pending_draft_take(
    *, token: str, owner_id: int, journal_id: int, section_slug: str
) -> PendingDraft | None:
    """Remove and return the draft kept for this token, this person and this section page
    (None when unknown, someone else's, for another page, or older than 24 h)."""
    if not token or owner_id is None:
        return None
    draft = PendingDraft.objects.filter(
        token_hash=_hash(owner_id, token),
        journal_id=journal_id,
        journal_id__in=Journal.objects.filter(owner_id=owner_id).values("pk"),
        section_slug=section_slug,
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
