"""`make bench` measures growth in pairs (bench/paired.py): the demo database is copied before
the organisation is scaled, and a page's figure is the median of all its requests, taken in
turns on the two databases."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench(name: str):
    """bench/<name>.py as a module (bench/ on the path: run.py imports paired.py, as the bench
    does)."""
    if str(ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _paired():
    return _bench("paired")


def test_a_page_figure_is_the_median_of_all_its_requests_and_bytes_come_from_the_last():
    paired = _paired()
    sent = {"status": 200, "asset_bytes": 5}
    turns = [
        {"wall": [6.0, 6.5], "cpu": [5.0, 5.5], "html_bytes": 10, **sent},
        {"wall": [19.0, 21.0], "cpu": [15.0, 16.0], "html_bytes": 11, **sent},  # a slow moment
        {"wall": [7.0, 6.8], "cpu": [4.0, 6.0], "html_bytes": 12, **sent},
    ]

    home = paired.combine(turns)

    # Over all six requests: the slow turn moves the median by a request, not a turn.
    assert (home["median_ms"], home["cpu_median_ms"], home["cpu_min_ms"]) == (6.9, 5.8, 4.0)
    assert (home["html_bytes"], home["requests"]) == (12, 6)


def test_the_demo_copy_keeps_the_demo_rows_while_the_bench_database_grows(tmp_path):
    paired = _paired()
    database = sqlite3.connect(tmp_path / "db.sqlite3")
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("CREATE TABLE person (name TEXT)")
    database.execute("INSERT INTO person VALUES ('Demo Person')")
    database.commit()  # in the WAL, not yet in the main file: the copy must hold it too
    env = {"SCOPEGROWTH_VAR_DIR": str(tmp_path), "PATH": "/usr/bin"}

    demo_env = paired.keep_demo_copy(env, tmp_path)
    database.executemany("INSERT INTO person VALUES (?)", [("Scaled",)] * 100)
    database.commit()
    database.close()

    assert demo_env["SCOPEGROWTH_VAR_DIR"] == str(tmp_path / "demo")
    assert env["SCOPEGROWTH_VAR_DIR"] == str(tmp_path)  # the bench's own environment unchanged
    copy = sqlite3.connect(Path(demo_env["SCOPEGROWTH_VAR_DIR"]) / "db.sqlite3")
    assert copy.execute("SELECT name FROM person").fetchall() == [("Demo Person",)]
    copy.close()


def test_the_growth_verdict_names_the_page_that_grew_most():
    run = _bench("run")
    page = {"median_ms": 3.0, "html_bytes": 1, "asset_bytes": 1}
    results = {
        "scale": 10_000,
        "database": "sqlite",
        "seed_seconds": 12.0,
        "queries_demo": {},
        "queries_scaled": {},
        "server_demo": {"healthz": page, "home": page, "dashboard": page},
        "server_scaled": {
            "healthz": page,
            "home": {**page, "median_ms": 3.3},
            "dashboard": {**page, "median_ms": 4.8},
        },
    }

    growth = run.verdicts(results)["growth_at_most_1_2x"]

    assert growth == {"ratio": 1.6, "worst": "dashboard", "met": False}
    assert "NOT MET: growth_at_most_1_2x (ratio 1.6, worst dashboard)" in run.table(
        {**results, "verdicts": run.verdicts(results), "latency": {}}
    )
