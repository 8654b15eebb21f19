"""Suppression of small counts: pure functions over lists of counts (no Django).

`suppress_parts(values, limit)`: the parts of a total the reader knows.
`suppress_table(cells, limit, hidden_rows=..., hidden_cols=...)`: a two-way table whose row and
column totals the reader knows. A hidden cell is safe when it lies on a cycle of hidden cells
along which one person can be moved without any count going below 0 (`cell_protected`): then
another table gives the same published figures, so the cell cannot be worked out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence


def suppress_parts(values: Sequence[int], limit: int) -> list[bool]:
    """Which parts of a known total to hide: small ones, then enough others that no hidden part
    can be worked out by subtraction (each can trade a person with another hidden part)."""
    n = len(values)
    if 0 < sum(values) < limit:
        return [True] * n
    hidden = [0 < v < limit for v in values]

    def protected(i: int) -> bool:
        others = [j for j in range(n) if hidden[j] and j != i]
        return any(values[j] >= 1 for j in others) or (values[i] >= 1 and bool(others))

    while any(hidden[i] and not protected(i) for i in range(n)):
        candidates = [i for i in range(n) if not hidden[i]]
        if not candidates:
            break
        hidden[min(candidates, key=lambda i: (values[i] == 0, values[i], i))] = True
    return hidden


def suppress_table(
    cells: Sequence[Sequence[int]],
    limit: int,
    *,
    hidden_rows: Iterable[int] = (),
    hidden_cols: Iterable[int] = (),
) -> list[list[bool]]:
    """Which cells of a two-way table to hide, assuming its reader knows every row and column
    total. `hidden_rows`/`hidden_cols`: lines whose total is hidden elsewhere (hidden whole).

    Small cells first; then, for each hidden cell that could still be worked out, the cheapest
    rectangle of hidden cells through it (fewest new cells, then the smallest counts); failing
    that, the smallest cell in its row or column. Only counts are added, never a 0: a hidden 0
    can only go up, so it protects little, and a table below could give it away. Cells whose
    row or column total is published as 0 are known to be 0 and stay shown.
    """
    rows, cols = len(cells), len(cells[0]) if cells else 0
    total = sum(map(sum, cells))
    if 0 < total < limit:
        return [[True] * cols for _ in range(rows)]
    if total == 0:  # the reader knows the total: every cell is 0
        return [[False] * cols for _ in range(rows)]
    row_sum = [sum(r) for r in cells]
    col_sum = [sum(cells[i][j] for i in range(rows)) for j in range(cols)]
    locked_rows, locked_cols = set(hidden_rows), set(hidden_cols)
    locked = [[i in locked_rows or j in locked_cols for j in range(cols)] for i in range(rows)]
    hidden = [[locked[i][j] or 0 < cells[i][j] < limit for j in range(cols)] for i in range(rows)]

    def known_zero(i: int, j: int) -> bool:  # its row or column total is published as 0
        return (row_sum[i] == 0 and i not in locked_rows) or (
            col_sum[j] == 0 and j not in locked_cols
        )

    def candidate(i: int, j: int) -> bool:
        return not hidden[i][j] and not locked[i][j] and cells[i][j] > 0

    while True:
        bad = next(
            (
                (i, j)
                for i in range(rows)
                for j in range(cols)
                if hidden[i][j] and not known_zero(i, j) and not cell_protected(cells, hidden, i, j)
            ),
            None,
        )
        if bad is None:
            return hidden
        extra = _cheapest_rectangle(cells, hidden, candidate, *bad) or _line_step(
            cells, hidden, candidate, *bad
        )
        if not extra:  # nothing left to hide: hide the lot, but show what the totals give away
            hidden = [[True] * cols for _ in range(rows)]
            _show_forced(cells, hidden, locked, known_zero, limit)
            return hidden
        for a, b in extra:
            hidden[a][b] = True


def _show_forced(cells, hidden, locked, known_zero, limit: int) -> None:
    """Show hidden cells (not hidden by a parent table, not small) that are the only unknown in
    a row or column whose total is known: hiding them hides nothing."""
    rows, cols = len(cells), len(cells[0])
    changed = True
    while changed:
        changed = False
        for i in range(rows):
            for j in range(cols):
                if not hidden[i][j] or locked[i][j] or 0 < cells[i][j] < limit:
                    continue
                alone_in_row = all(
                    not hidden[i][b] or known_zero(i, b) for b in range(cols) if b != j
                )
                alone_in_col = all(
                    not hidden[a][j] or known_zero(a, j) for a in range(rows) if a != i
                )
                if alone_in_row or alone_in_col:
                    hidden[i][j] = False
                    changed = True


def _cheapest_rectangle(cells, hidden, candidate, i: int, j: int) -> list[tuple[int, int]]:
    """Cells to hide so that (i, j), (i, b), (a, j), (a, b) are all hidden and one person can
    move round them without a count going below 0; [] when no rectangle can."""
    best: tuple | None = None
    for a in range(len(cells)):
        for b in range(len(cells[0])):
            if a == i or b == j:
                continue
            corners = [(i, b), (a, j), (a, b)]
            if any(not hidden[x][y] and not candidate(x, y) for x, y in corners):
                continue
            # +1 at (i, j) takes one from (i, b) and (a, j); -1 gives one to them.
            if not (
                (cells[i][b] >= 1 and cells[a][j] >= 1) or (cells[i][j] >= 1 and cells[a][b] >= 1)
            ):
                continue
            new = [(x, y) for x, y in corners if not hidden[x][y]]
            cost = (len(new), sum(cells[x][y] for x, y in new), a, b)
            if best is None or cost < best[0]:
                best = (cost, new)
    return best[1] if best else []


def _line_step(cells, hidden, candidate, i: int, j: int) -> list[tuple[int, int]]:
    """The smallest hideable cell in (i, j)'s row or column (a column or row with a single
    hidden cell first), else anywhere; [] when there is none."""
    rows, cols = len(cells), len(cells[0])
    in_row = [(i, b) for b in range(cols) if candidate(i, b)]
    in_col = [(a, j) for a in range(rows) if candidate(a, j)]
    if sum(hidden[a][j] for a in range(rows)) == 1 and in_col:
        options = in_col
    elif sum(hidden[i]) == 1 and in_row:
        options = in_row
    else:
        options = in_row + in_col or [
            (a, b) for a in range(rows) for b in range(cols) if candidate(a, b)
        ]
    if not options:
        return []
    return [min(options, key=lambda c: (cells[c[0]][c[1]], c))]


def cell_protected(
    cells: Sequence[Sequence[int]], hidden: Sequence[Sequence[bool]], i: int, j: int
) -> bool:
    """Could hidden cell (i, j) hold another value with every total unchanged? True when a cycle
    of hidden cells runs through it along which +1/-1 keeps every count at 0 or more."""
    rows, cols = len(cells), len(cells[0])

    def reachable(start: tuple[str, int], goal: tuple[str, int]) -> bool:
        seen, queue = {start}, deque([start])
        while queue:
            kind, k = queue.popleft()
            if (kind, k) == goal:
                return True
            if kind == "r":  # add one to a hidden cell of row k
                steps = [("c", b) for b in range(cols) if hidden[k][b] and (k, b) != (i, j)]
            else:  # take one from a hidden cell of column k
                steps = [
                    ("r", a)
                    for a in range(rows)
                    if hidden[a][k] and cells[a][k] >= 1 and (a, k) != (i, j)
                ]
            for step in steps:
                if step not in seen:
                    seen.add(step)
                    queue.append(step)
        return False

    return reachable(("c", j), ("r", i)) or (cells[i][j] >= 1 and reachable(("r", i), ("c", j)))
