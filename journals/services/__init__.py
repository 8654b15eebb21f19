"""Every change to a journal: actor first, access checked again, one transaction, audited.

Views, tasks and commands call these; none of them writes journal rows itself.

- answers: `journal_section_save` (optimistic version; `StaleVersion`, `JournalClosed`,
  `NothingToSave`), `SectionAnswers`, `normalise`;
- cycles: `journal_start_new`, `journal_current_for`;
- sharing: `journal_section_share` (with named readers; `NotASupporter`),
  `shares_end_for_former_supporter`, `journal_viewed`, `journal_mark_ready`,
  `journal_ready_write` (the readers' emails, to the outbox);
- drafts: `pending_draft_keep`, `pending_draft_take`, `pending_drafts_purge`.
"""

from journals.services.answers import (
    CLOSED_MESSAGE,
    CONFLICT_MESSAGE,
    NOTHING_TO_SAVE_MESSAGE,
    JournalClosed,
    NothingToSave,
    SectionAnswers,
    StaleVersion,
    journal_section_save,
    normalise,
    position_key,
)
from journals.services.cycles import journal_current_for, journal_start_new
from journals.services.drafts import (
    DRAFT_MAX_AGE,
    pending_draft_keep,
    pending_draft_take,
    pending_drafts_purge,
)
from journals.services.sharing import (
    SHARE_CLOSED_MESSAGE,
    NotASupporter,
    journal_mark_ready,
    journal_ready_write,
    journal_section_share,
    journal_viewed,
    shares_end_for_former_supporter,
)

__all__ = [
    "CLOSED_MESSAGE",
    "CONFLICT_MESSAGE",
    "DRAFT_MAX_AGE",
    "NOTHING_TO_SAVE_MESSAGE",
    "SHARE_CLOSED_MESSAGE",
    "JournalClosed",
    "NotASupporter",
    "NothingToSave",
    "SectionAnswers",
    "StaleVersion",
    "journal_current_for",
    "journal_mark_ready",
    "journal_ready_write",
    "journal_section_save",
    "journal_section_share",
    "journal_start_new",
    "journal_viewed",
    "normalise",
    "pending_draft_keep",
    "pending_draft_take",
    "pending_drafts_purge",
    "position_key",
    "shares_end_for_former_supporter",
]
