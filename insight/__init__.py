"""HR insight (issue 10): coverage and the talent pipeline by equality group, never by person.

The app (issue 13 moved it out of the core): `models` (the equality declaration and the
snapshots of the figures), `services` (saving and withdrawing a declaration), `policies` (who
may), `forms`, `views`, `urls`, and the modules for the figures, each usable on its own:

1. `suppression`: pure functions, property-tested. `suppress_parts` for the parts of a known
   total, `suppress_table` for a two-way table whose row and column totals are known.
2. `engine`: counts of people by *dimensions* and the suppression of every table the page shows.
   No database access: it works on *facts*, rows of `{attribute: value, ..., "n": count}` that
   never name a person.
3. `selectors`: one grouped query for the facts of a period, and reading a snapshot back
   (`latest_snapshot`, `snapshot_report`: what the page and the CSV show).
4. `report`: what the page shows (tables, charts as data for SVG); `export`: the CSV rows.
5. `protection`: cell key perturbation and rounding (docs/insight-protection.md).
6. `snapshots`: the only place figures are computed (whole periods, every view, the per-team
   declaration threshold), run by `tasks.take_snapshot`: monthly (`schedule`), on demand by HR,
   and when a round closes (an extension point).

How suppression stays consistent across tables
----------------------------------------------
Every figure on the page is a cell of exactly one table. A dimension is a partition of people
(ethnicity: White / Black and minority ethnic / prefer not to say / not declared; a conversation:
held / not held) and may split one of its categories further (BME into the ONS groups; "plan
agreed" into growth categories). The table for a row dimension R and a column dimension C counts
the people in both populations; its row totals are a column of the table (R, parent of C) and its
column totals a row of the table (parent of R, C), so every total is a cell of a parent table.

- A cell is hidden when 0 < n < threshold (primary), or when its table's population is under
  the threshold (everything hidden).
- A table is protected as if its reader knew all of its totals: every hidden cell must lie on a
  cycle of hidden cells along which counts can move by one without going negative, so other
  tables agree with the published ones (the independent check in tests uses max-flow).
  Secondary cells are added (the smallest in the offending row or column first) until that holds.
- A hidden total hides its whole row or column in every child table, so nothing there can give
  it away, and the people it stands for can be moved between hidden cells in every table at once.
- Rates are computed only from published counts.

Zeros are published (a zero is not a person). Known limitation, as in ONS practice: a published
full row (everyone in a team in one group) is not suppressed.
"""
