"""The people import (issue 18): a staff file in, a preview out, then all of it applied or none.

- `reader.read(content)`: the file's rows (CSV with or without BOM, or the first XLSX sheet),
  or a `FileError` for a file that cannot be a people file at all.
- `plan.build(rows, ...)`: every row error with its line number, and every change the file
  would make (created, changed, moved to a new line manager, leaving, unchanged).
- `apply.apply_file(...)`: builds the plan again inside one transaction and applies it through
  `scopegrowth.relationships` (so links are audited, hooks run and people are told, batched).
"""
