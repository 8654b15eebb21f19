"""Data protection: "download my data" and the retention rule for people who left.

`my_data(user)` gathers every record held about a person that they can see in the service, as
JSON-ready rows, plus who viewed or exported their information. The core holds the profile,
accounts and links; each feature app adds its part in `<app>/personal_data.py` (the core's
`registry.PERSONAL_DATA`). `exports()` and `not_exported()` together must cover every model that
points at a person (a test walks the models), so a new model cannot be forgotten.

`apply_retention(actor, years=..., today=..., delete=..., dry_run=...)` finds people who left
more than `years` ago and anonymises them (or deletes them where nothing depends on them).
Running it twice changes nothing the second time; audit rows are kept as tombstones.
"""

from scopegrowth.dataprotection.download import NOT_EXPORTED, exports, my_data, not_exported
from scopegrowth.dataprotection.holdings import ANONYMOUS_NAME, REMOVED, holdings
from scopegrowth.dataprotection.retention import (
    RetentionEntry,
    RetentionResult,
    apply_retention,
    can_delete,
    leavers,
    retention_cutoff,
)

__all__ = [
    "ANONYMOUS_NAME",
    "NOT_EXPORTED",
    "REMOVED",
    "RetentionEntry",
    "RetentionResult",
    "apply_retention",
    "can_delete",
    "exports",
    "holdings",
    "leavers",
    "my_data",
    "not_exported",
    "retention_cutoff",
]
