"""An attacker, written independently of the suppressor: can a hidden cell be worked out?

A reader of a table knows the published cells, the row and column totals that are published
(those not hidden by a parent table) and the grand total. A hidden cell holding v cannot be worked
out when another table of whole numbers >= 0 publishes exactly the same figures with v + 1 or
v - 1 there (the values it can take form an unbroken range, so checking both neighbours is
enough). Whether such a table exists is a transportation problem, answered here by max-flow
(Edmonds-Karp); the suppressor reasons with cycles instead.
"""

from __future__ import annotations

from collections import deque


def _max_flow(size: int, edges: list[tuple[int, int, int]], source: int, sink: int) -> int:
    capacity: dict[tuple[int, int], int] = {}
    neighbours: list[set[int]] = [set() for _ in range(size)]
    for u, v, c in edges:
        capacity[(u, v)] = capacity.get((u, v), 0) + c
        capacity.setdefault((v, u), 0)
        neighbours[u].add(v)
        neighbours[v].add(u)
    flow = 0
    while True:
        came_from: dict[int, int | None] = {source: None}
        queue = deque([source])
        while queue and sink not in came_from:
            u = queue.popleft()
            for v in neighbours[u]:
                if v not in came_from and capacity[(u, v)] > 0:
                    came_from[v] = u
                    queue.append(v)
        if sink not in came_from:
            return flow
        path, v = [], sink
        while came_from[v] is not None:
            path.append((came_from[v], v))
            v = came_from[v]
        push = min(capacity[e] for e in path)
        for u, v in path:
            capacity[(u, v)] -= push
            capacity[(v, u)] += push
        flow += push


def another_table(cells, hidden, hidden_rows, hidden_cols, i, j, value) -> bool:
    """Is there a table publishing the same figures with `value` at (i, j)?"""
    if value < 0:
        return False
    rows, cols = len(cells), len(cells[0])
    grand = sum(map(sum, cells))
    supply = [sum(cells[a]) for a in range(rows)]
    demand = [sum(cells[a][b] for a in range(rows)) for b in range(cols)]
    locked_supply = grand - sum(supply[a] for a in range(rows) if a not in hidden_rows)
    locked_demand = grand - sum(demand[b] for b in range(cols) if b not in hidden_cols)
    for a in range(rows):
        for b in range(cols):
            if hidden[a][b] and (a, b) != (i, j):
                continue
            v = value if (a, b) == (i, j) else cells[a][b]
            if a in hidden_rows:
                locked_supply -= v
            else:
                supply[a] -= v
            if b in hidden_cols:
                locked_demand -= v
            else:
                demand[b] -= v
    sources = [supply[a] for a in range(rows) if a not in hidden_rows] + [locked_supply]
    sinks = [demand[b] for b in range(cols) if b not in hidden_cols] + [locked_demand]
    if min(sources + sinks) < 0 or sum(sources) != sum(sinks):
        return False
    # nodes: rows, columns, a pool for rows with hidden totals, one for such columns, s, t
    pool_rows, pool_cols, s, t = rows + cols, rows + cols + 1, rows + cols + 2, rows + cols + 3
    big = grand + 1
    edges = [(s, pool_rows, locked_supply), (pool_cols, t, locked_demand)]
    for a in range(rows):
        edges.append((pool_rows, a, big) if a in hidden_rows else (s, a, supply[a]))
    for b in range(cols):
        edges.append((rows + b, pool_cols, big) if b in hidden_cols else (rows + b, t, demand[b]))
    for a in range(rows):
        for b in range(cols):
            if hidden[a][b] and (a, b) != (i, j):
                edges.append((a, rows + b, big))
    return _max_flow(rows + cols + 4, edges, s, t) == sum(sources)


def recoverable_cells(cells, hidden, hidden_rows=(), hidden_cols=()) -> list[tuple[int, int]]:
    """Hidden cells a reader can work out (cells in a row or column whose total is published
    as 0 aside: they are known to be 0 whatever is hidden)."""
    rows, cols = len(cells), len(cells[0])
    hidden_rows, hidden_cols = set(hidden_rows), set(hidden_cols)
    row_sum = [sum(r) for r in cells]
    col_sum = [sum(cells[a][b] for a in range(rows)) for b in range(cols)]
    found = []
    if sum(row_sum) == 0:  # the grand total is known: nothing to work out
        return found
    for i in range(rows):
        for j in range(cols):
            known_zero = (row_sum[i] == 0 and i not in hidden_rows) or (
                col_sum[j] == 0 and j not in hidden_cols
            )
            if not hidden[i][j] or known_zero:
                continue
            v = cells[i][j]
            if not any(
                another_table(cells, hidden, hidden_rows, hidden_cols, i, j, v + d) for d in (1, -1)
            ):
                found.append((i, j))
    return found


def lines_with_one_hidden_cell(cells, hidden, hidden_rows=(), hidden_cols=()) -> list[str]:
    """The simple check: a row or column whose total is published, with exactly one hidden
    cell that is not known to be 0, gives that cell away by subtraction."""
    rows, cols = len(cells), len(cells[0])
    row_sum = [sum(r) for r in cells]
    col_sum = [sum(cells[a][b] for a in range(rows)) for b in range(cols)]
    found = []
    for i in range(rows):
        if i in hidden_rows:
            continue
        unknown = [j for j in range(cols) if hidden[i][j] and col_sum[j] != 0]
        if len(unknown) == 1 and row_sum[i] != 0:
            found.append(f"row {i}")
    for j in range(cols):
        if j in hidden_cols:
            continue
        unknown = [i for i in range(rows) if hidden[i][j] and row_sum[i] != 0]
        if len(unknown) == 1 and col_sum[j] != 0:
            found.append(f"column {j}")
    return found
