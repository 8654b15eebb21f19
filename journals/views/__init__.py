"""Journal pages: fetch through `access`, bind a form, call one service, redirect or render.

- journal: `journal_current`, `journal_new`, `journal_overview`, `journal_history`,
  `journal_ready`, `journal_access_log`;
- sections: `section_edit`, `section_autosave`, `section_share`;
- common: the querysets and `stash_when_signed_out`.
"""

from journals.views.journal import (
    journal_access_log,
    journal_current,
    journal_history,
    journal_new,
    journal_overview,
    journal_ready,
)
from journals.views.sections import section_autosave, section_edit, section_share

__all__ = [
    "journal_access_log",
    "journal_current",
    "journal_history",
    "journal_new",
    "journal_overview",
    "journal_ready",
    "section_autosave",
    "section_edit",
    "section_share",
]
