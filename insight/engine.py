"""The report engine: suppressed counts of people for any two dimensions (no database access).

A `Dim` is a partition of people (ethnicity: White / BME / prefer not to say / not declared; a
conversation: held / not held) and may split one category of a parent `Dim` (BME into the ONS
groups; "plan agreed" into growth categories). `Report.table(rows, cols)` counts the people in
both populations. Its row totals are a column of `table(rows, cols.parent)` and its column totals
a row of `table(rows.parent, cols)`: every total is a cell of a parent table, suppressed there.

- A cell is hidden when 0 < n < limit, or when the table's population is hidden or under the
  limit (everything hidden).
- A table is protected as if its reader knew all its totals (`suppress_table`).
- A hidden total hides its whole row or column in every child table, so nothing there gives it
  away, and the people it stands for can move between hidden cells in every table at once.
- Zeros are shown (a zero is not a person) and never hidden to cover another cell; a table whose
  population is published as 0 shows its zeros.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from insight.models import EqualityDeclaration
from insight.suppression import suppress_parts, suppress_table
from scopegrowth.models import GrowthCategory, ImpactLevel


@dataclass(frozen=True, eq=False)
class Dim:
    """A partition of people. `parent`/`parent_index`: this splits that category of `parent`
    (None: everyone). `classify(fact)` gives the category of a fact inside the population."""

    key: str
    title: str
    labels: tuple[str, ...]
    classify: Callable[[dict], int]
    parent: Dim | None = None
    parent_index: int = 0

    def contains(self, fact: dict) -> bool:
        """Is the fact in this dimension's population?"""
        p = self.parent
        return p is None or (p.contains(fact) and p.classify(fact) == self.parent_index)


@dataclass
class Table:
    values: list[list[int]]
    hidden: list[list[bool]]
    published: list[list[int]] | None = None  # after perturbation and rounding

    def get(self, i: int, j: int) -> int | None:
        if self.hidden[i][j]:
            return None
        return (self.published or self.values)[i][j]


class Report:
    """Suppressed counts for any pair of dimensions (None = everyone), computed on demand."""

    def __init__(
        self, facts: Iterable[dict], limit: int, publish: Callable[[int, int], int] | None = None
    ) -> None:
        """`publish(n, cell_key)`: the figure shown for a count (`protection.publisher`);
        None: the exact count. A fact's `ck` is the sum of its people's record keys."""
        self.facts = [f for f in facts if f["n"]]
        self.limit = limit
        self.publish = publish
        self.people = sum(f["n"] for f in self.facts)
        self._tables: dict[tuple, Table] = {}

    @property
    def too_few(self) -> bool:
        return 0 < self.people < self.limit

    @property
    def no_activity(self) -> bool:
        """No conversation, journal, agreed plan or review due for anyone in the period."""
        return not any(f["held"] or f["ready"] or f["agreed"] or f["due"] for f in self.facts)

    def frozen(self) -> dict[str, list[list[int | None]]]:
        """Every table computed so far as published figures (None = hidden): what a snapshot
        stores. Keys: "rows|cols" ("" for everyone), "|cross" added for `cross` tables."""
        return {
            "|".join(key): [[t.get(i, j) for j in range(len(r))] for i, r in enumerate(t.values)]
            for key, t in self._tables.items()
        }

    def _count(self, rows: Dim | None, cols: Dim | None, keys: list | None = None):
        values = [[0] * (len(cols.labels) if cols else 1) for _ in (rows.labels if rows else [0])]
        for fact in self.facts:
            if (rows and not rows.contains(fact)) or (cols and not cols.contains(fact)):
                continue
            i = rows.classify(fact) if rows else 0
            j = cols.classify(fact) if cols else 0
            values[i][j] += fact["n"]
            if keys is not None:
                keys[i][j] += fact.get("ck", 0)
        return values

    def _published(self, rows: Dim | None, cols: Dim | None, table: Table, cross=False) -> Table:
        if self.publish is None:
            return table
        keys = [[0] * len(r) for r in table.values]
        if cross:
            for fact in self.facts:
                if rows.contains(fact):
                    keys[rows.classify(fact)][cols.classify(fact)] += fact.get("ck", 0)
        else:
            self._count(rows, cols, keys)
        table.published = [
            [self.publish(n, k) for n, k in zip(vr, kr, strict=True)]
            for vr, kr in zip(table.values, keys, strict=True)
        ]
        return table

    def table(self, rows: Dim | None, cols: Dim | None) -> Table:
        key = (rows.key if rows else "", cols.key if cols else "")
        if key not in self._tables:
            self._tables[key] = self._published(rows, cols, self._suppressed(rows, cols))
        return self._tables[key]

    def population_hidden(self, rows: Dim | None, cols: Dim | None) -> bool:
        """Is the number of people in both populations hidden?"""
        parent_rows = rows.parent if rows else None
        parent_cols = cols.parent if cols else None
        i = rows.parent_index if rows and rows.parent else 0
        j = cols.parent_index if cols and cols.parent else 0
        return self.table(parent_rows, parent_cols).hidden[i][j]

    def _suppressed(self, rows: Dim | None, cols: Dim | None) -> Table:
        values = self._count(rows, cols)
        shape = (len(values), len(values[0]))
        if rows is None and cols is None:
            return Table(values, [[self.too_few]])
        if self.population_hidden(rows, cols):
            return Table(values, [[True] * shape[1] for _ in range(shape[0])])
        if cols is None:
            mask = suppress_parts([r[0] for r in values], self.limit)
            return Table(values, [[h] for h in mask])
        if rows is None:
            return Table(values, [suppress_parts(values[0], self.limit)])
        row_totals = self.table(rows, cols.parent)
        col_totals = self.table(rows.parent, cols)
        ci = cols.parent_index if cols.parent else 0
        ri = rows.parent_index if rows.parent else 0
        mask = suppress_table(
            values,
            self.limit,
            hidden_rows=[i for i in range(shape[0]) if row_totals.hidden[i][ci]],
            hidden_cols=[j for j in range(shape[1]) if col_totals.hidden[ri][j]],
        )
        return Table(values, mask)

    def cross(self, rows: Dim, cols: Dim) -> Table:
        """Two splits of the same category against each other (positions now x in two years):
        totals are the two splits' own parts."""
        if rows.parent is not cols.parent or rows.parent_index != cols.parent_index:
            raise ValueError("cross() needs two splits of the same category")
        key = (rows.key, cols.key, "cross")
        if key not in self._tables:
            values = [[0] * len(cols.labels) for _ in rows.labels]
            for fact in self.facts:
                if rows.contains(fact):
                    values[rows.classify(fact)][cols.classify(fact)] += fact["n"]
            if self.population_hidden(None, rows):
                mask = [[True] * len(cols.labels) for _ in rows.labels]
            else:
                row_parts, col_parts = self.table(None, rows), self.table(None, cols)
                mask = suppress_table(
                    values,
                    self.limit,
                    hidden_rows=[i for i, h in enumerate(row_parts.hidden[0]) if h],
                    hidden_cols=[j for j, h in enumerate(col_parts.hidden[0]) if h],
                )
            self._tables[key] = self._published(rows, cols, Table(values, mask), cross=True)
        return self._tables[key]


class StoredTable:
    """A published table read back from a snapshot: `get` as `Table.get`."""

    def __init__(self, cells: list[list[int | None]]) -> None:
        self.cells = cells

    def get(self, i: int, j: int) -> int | None:
        return self.cells[i][j]


class StoredReport:
    """The published figures of one view, from a snapshot (`Report.frozen` and its flags):
    the same `table`/`cross` answers as the `Report` they were taken from, nothing more."""

    def __init__(self, data: dict) -> None:
        self.tables = data["tables"]
        self.too_few = bool(data["too_few"])
        self.no_activity = bool(data["no_activity"])

    def table(self, rows: Dim | None, cols: Dim | None) -> StoredTable:
        return StoredTable(self.tables[f"{rows.key if rows else ''}|{cols.key if cols else ''}"])

    def cross(self, rows: Dim, cols: Dim) -> StoredTable:
        return StoredTable(self.tables[f"{rows.key}|{cols.key}|cross"])


# --- the dimensions of the HR insight page ---

E = EqualityDeclaration
NOT_DECLARED = "Not declared"
BME_GROUPS = (E.Ethnicity.ASIAN, E.Ethnicity.BLACK, E.Ethnicity.MIXED, E.Ethnicity.OTHER)


def _choice_dim(key: str, title: str, attribute: str, choices: Sequence) -> Dim:
    """Declared answers in their order, then "Not declared" (no answer or no declaration)."""
    index = {c.value: n for n, c in enumerate(choices)}
    return Dim(
        key,
        title,
        (*(c.label for c in choices), NOT_DECLARED),
        lambda f: index.get(f[attribute], len(choices)),
    )


ETHNICITY = Dim(
    "ethnicity",
    "Ethnicity",
    ("White", "Black and minority ethnic (BME)", "Prefer not to say", NOT_DECLARED),
    lambda f: {"white": 0, "prefer_not_to_say": 2, "": 3}.get(f["eth"], 1),
)
ETHNIC_GROUP = Dim(
    "ethnic_group",
    "Ethnic group (ONS 2021)",
    tuple(g.label for g in BME_GROUPS),
    lambda f: BME_GROUPS.index(f["eth"]),
    parent=ETHNICITY,
    parent_index=1,
)
_DISABILITY = [E.Disability.YES, E.Disability.NO, E.Disability.PREFER_NOT_TO_SAY]
DISABILITY = _choice_dim("disability", "Disability", "dis", _DISABILITY)
SEX = _choice_dim("sex", "Sex", "sex", list(E.Sex))
AGE = _choice_dim("age", "Age band", "age", list(E.AgeBand))
FIELDS = (ETHNICITY, DISABILITY, SEX, AGE)

CONVERSATION = Dim(
    "conversation", "Conversation", ("Held", "Not held"), lambda f: 0 if f["held"] else 1
)
JOURNAL = Dim("journal", "Journal", ("Ready", "Not ready"), lambda f: 0 if f["ready"] else 1)
PLAN = Dim("plan", "Plan", ("Agreed", "Not agreed"), lambda f: 0 if f["agreed"] else 1)
REVIEW = Dim("review", "Reviews", ("Due", "None due"), lambda f: 0 if f["due"] else 1)
TIMELY = Dim(
    "timely",
    "Reviews on time",
    ("All on time", "One or more late"),
    lambda f: 1 if f["late"] else 0,
    parent=REVIEW,
)
GROWTH_LABELS = (*(g.label.split(":")[0] for g in GrowthCategory), "Not recorded")
_GROWTH_INDEX = {g.value: n for n, g in enumerate(GrowthCategory)}


def _growth(attribute: str) -> Callable[[dict], int]:
    return lambda f: _GROWTH_INDEX.get(f[attribute] or "", len(GrowthCategory))


NOW_GROWTH = Dim("now_growth", "Growth now", GROWTH_LABELS, _growth("now_growth"), PLAN)
NEXT_GROWTH = Dim("next_growth", "Growth in two years", GROWTH_LABELS, _growth("next_growth"), PLAN)


def impact_dims(levels: Sequence[ImpactLevel]) -> tuple[Dim, Dim]:
    index = {level.pk: n for n, level in enumerate(levels)}
    labels = (*(level.name for level in levels), "Not recorded")

    def classify(attribute: str) -> Callable[[dict], int]:
        return lambda f: index.get(f[attribute], len(levels))

    return (
        Dim("now_impact", "Impact now", labels, classify("now_impact"), PLAN),
        Dim("next_impact", "Impact in two years", labels, classify("next_impact"), PLAN),
    )
