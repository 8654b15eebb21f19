"""The attacker tests (issue 22): publish every organisation, directorate and team view, then
try to work back small counts with a linear-programming attacker.

The attacker knows the method (noise of at most 2 either way, rounding to 5, zeros exact, a
shown count is at least 1) and, stronger than any real reader, which combinations of answers and
activity exist in each team (its variables). It has every table the engine computed for every
view, which includes everything the page and the CSV show. For each count from 1 to 4 it asks
the linear program for the least and the most the count could be; the count is recovered when
only one whole number fits. "A directorate minus its teams" and the linked now / in-two-years
tables are among the constraints, so those differencing attacks are part of the same program.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict

import pytest
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from insight import engine, protection
from insight.report import build_report
from insight.selectors import Filters, Period

pytestmark = pytest.mark.protected

LIMIT, BASE, NOISE = 5, 5, 2
PERIOD = Filters(Period("12m", "12 months", dt.date(2025, 3, 1), dt.date(2026, 2, 28)))
GROWTH = ("steady", "stretch", "step_up", "")


def organisation(seed: int, skew: dict[str, float], sizes: tuple[int, ...]) -> list[dict]:
    """People with a team, a directorate and a record key; `skew`: the share of each
    ethnicity in the first team of each directorate (the rest are mostly White)."""
    rng = random.Random(seed)
    people = []
    for t, size in enumerate(sizes):
        for _ in range(size):
            if t % 3 == 0:
                eth = rng.choices(list(skew), weights=list(skew.values()))[0]
            else:
                eth = rng.choices(["white", "black", "asian", ""], weights=[85, 5, 5, 5])[0]
            agreed = rng.random() < 0.6
            people.append(
                {
                    "team": t,
                    "directorate": t // 3,
                    "rk": rng.randrange(256),
                    "eth": eth,
                    "dis": rng.choice(["yes", "no", "no", "no", ""]),
                    "sex": rng.choice(["female", "female", "male", ""]),
                    "age": rng.choice(["25_34", "35_44", "45_54", "55_64"]),
                    "held": rng.random() < 0.7,
                    "ready": rng.random() < 0.5,
                    "agreed": agreed,
                    "now_growth": rng.choice(GROWTH[:3]) if agreed else None,
                    "next_growth": rng.choice(GROWTH[:3]) if agreed else None,
                    "now_impact": None,
                    "next_impact": None,
                    "due": agreed and rng.random() < 0.5,
                    "late": False,
                }
            )
    return people


ANSWER_KEYS = tuple(k for k in organisation(0, {"white": 1}, (1,))[0] if k not in ("rk",))


def atoms(people: list[dict]) -> dict[tuple, dict]:
    """What the attacker solves for: how many people share each team and combination."""
    found: dict[tuple, dict] = {}
    for p in people:
        key = tuple(p[k] for k in ANSWER_KEYS)
        atom = found.setdefault(key, {**{k: p[k] for k in ANSWER_KEYS}, "n": 0, "ck": 0})
        atom["n"] += 1
        atom["ck"] = (atom["ck"] + p["rk"]) % 256
    return found


def views(people: list[dict]) -> dict[str, list[dict]]:
    """Every filter the page and CSV offer: the organisation, each directorate, each team."""
    out = {"org": people}
    for key in ("directorate", "team"):
        for value in sorted({p[key] for p in people}):
            out[f"{key[0]}{value}"] = [p for p in people if p[key] == value]
    return out


DIMS = {
    d.key: d
    for d in (
        *engine.FIELDS,
        engine.ETHNIC_GROUP,
        engine.CONVERSATION,
        engine.JOURNAL,
        engine.PLAN,
        engine.REVIEW,
        engine.TIMELY,
        engine.NOW_GROWTH,
        engine.NEXT_GROWTH,
        *engine.impact_dims([]),
    )
}


def _in(dim, atom, index) -> bool:
    return dim is None or (dim.contains(atom) and dim.classify(atom) == index)


def published(
    people: list[dict], publish=None, withheld: frozenset = frozenset()
) -> list[tuple[frozenset, int | None, int]]:
    """(atoms of the cell, published figure or None when hidden, true count) for every cell
    of every table of every view (`withheld`: views published without equality cuts)."""
    publish = publish or protection.publisher(BASE)
    cells = []
    for name, view in views(people).items():
        view_atoms = atoms(view)
        report = engine.Report(list(view_atoms.values()), LIMIT, publish)
        build_report(report, PERIOD, [], LIMIT, equality=name not in withheld)
        for key, table in report._tables.items():
            rows = DIMS.get(key[0]) if key[0] else None
            cols = DIMS.get(key[1]) if key[1] else None
            cross = len(key) == 3
            for i, line in enumerate(table.values):
                for j, true in enumerate(line):
                    members = frozenset(
                        (a["team"], k)
                        for k, a in view_atoms.items()
                        if (
                            rows.contains(a) and rows.classify(a) == i and cols.classify(a) == j
                            if cross
                            else _in(rows, a, i) and _in(cols, a, j)
                        )
                    )
                    cells.append((members, table.get(i, j), true))
    return cells


def attack(people: list[dict], publish=None) -> tuple[list, int]:
    """(counts 1 to 4 the attacker pins to one value, how many it tried)."""
    cells = published(people, publish)
    variables = sorted({m for members, _, _ in cells for m in members}, key=str)
    index = {v: n for n, v in enumerate(variables)}
    shown = {}
    for members, value, _ in cells:
        if value is not None and members:
            shown[members] = value
    a = lil_matrix((2 * len(shown), len(variables)))
    b = []
    for r, (members, value) in enumerate(shown.items()):
        for m in members:
            a[2 * r, index[m]] = 1  # sum <= high
            a[2 * r + 1, index[m]] = -1  # -sum <= -low
        high = 0 if value == 0 else value + NOISE + BASE // 2
        low = 0 if value == 0 else max(1, value - NOISE - BASE // 2)
        b += [high, -low]
    a = a.tocsr()
    targets = {members: true for members, value, true in cells if 1 <= true < LIMIT}
    recovered = []
    for members, true in targets.items():
        c = [0.0] * len(variables)
        for m in members:
            c[index[m]] = 1.0
        lo = linprog(c, A_ub=a, b_ub=b, bounds=(0, None), method="highs")
        hi = linprog([-x for x in c], A_ub=a, b_ub=b, bounds=(0, None), method="highs")
        assert lo.status == 0, "the published figures must be consistent with some table"
        assert hi.status == 0
        least, most = lo.fun, -hi.fun
        if math.floor(most + 1e-6) <= math.ceil(least - 1e-6):  # one whole number fits
            recovered.append((sorted(members, key=str), true, least, most))
    return recovered, len(targets)


SKEWED = {"white": 40, "black": 30, "asian": 20, "mixed": 5, "": 5}
OTHER_SKEW = {"white": 20, "asian": 60, "other": 10, "prefer_not_to_say": 10}


def test_no_published_figure_is_a_count_from_1_to_4():
    people = organisation(22, SKEWED, (30, 14, 22, 26, 12, 18))
    values = [v for _, v, _ in published(people) if v is not None]
    assert values
    assert not [v for v in values if 1 <= v < LIMIT]
    assert all(v % BASE == 0 for v in values)


def test_the_same_cell_asked_from_two_views_gives_the_same_figure():
    """A one-directorate organisation: its page and the directorate's page agree cell by cell,
    so asking again (another filter) cannot average the noise away."""
    people = organisation(5, SKEWED, (30, 14, 22))
    by_members = defaultdict(set)
    for members, value, _ in published(people):
        if value is not None:  # a cell may be hidden in one view's tables and shown in another's
            by_members[members].add(value)
    assert len(by_members) > 100
    assert all(len(values) == 1 for values in by_members.values())


@pytest.mark.parametrize(
    ("seed", "skew", "sizes"),
    [
        (22, SKEWED, (30, 14, 22, 26, 12, 18)),
        (7, OTHER_SKEW, (18, 25, 11, 40, 9, 15)),
    ],
    ids=["skewed", "differently-skewed"],
)
def test_the_lp_attacker_recovers_no_count_from_1_to_4(seed, skew, sizes):
    people = organisation(seed, skew, sizes)
    recovered, tried = attack(people)
    assert tried > 50  # there are small counts to go after
    assert recovered == []

    # One person's declaration changes: the attacker tries again on the new release.
    person = next(p for p in people if p["team"] == 0 and p["eth"] != "black")
    person["eth"] = "black"
    recovered, _ = attack(people)
    assert recovered == []


def test_the_attacker_can_recover_counts_from_exact_figures():
    """The attacker works: without perturbation and rounding it pins small counts (the four
    attacks of the issue)."""
    people = organisation(22, SKEWED, (30, 14, 22, 26, 12, 18))
    global BASE, NOISE
    saved = BASE, NOISE
    BASE, NOISE = 1, 0
    try:
        recovered, _ = attack(people, protection.identity)
    finally:
        BASE, NOISE = saved
    assert len(recovered) >= 10
    assert all(least == pytest.approx(true) for _, true, least, _ in recovered)
