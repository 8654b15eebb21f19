"""Growth measured in pairs, for bench/run.py: the demo database is kept as a copy before the
organisation is scaled, and the in-process server times of the two sizes are then taken in
turns (demo, scaled, demo, scaled, ...), each page's figure the median of its rounds' medians.

This machine's speed drifts by a third or more over minutes (a shared host): measured one size
after the other, minutes apart, the demo manager's dashboard, which shows the same two rows at
both sizes, grew x0.89 in one run and x2.19 in another. Taken in turns, both sizes share each
stretch of the machine's speed.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import urllib.parse
from collections.abc import Callable
from pathlib import Path

#: The per-page figures combined over the rounds (the others are taken from the last round).
TIMES = ("median_ms", "cpu_median_ms", "cpu_min_ms")


def _admin(url: str):
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    connection = psycopg2.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    return connection, parts


def keep_demo_copy(env: dict, var_dir: Path) -> dict:
    """A copy of the bench database as it is now (the demo size), and the environment that
    reads it: a SQLite file under `var_dir/demo/` or a `<name>_demo` PostgreSQL database made
    from it as a template (no other session may be connected to it: the manage commands that
    wrote it have exited)."""
    copy_env = dict(env)
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        connection, parts = _admin(url)
        name = parts.path.lstrip("/")
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}_demo"')
            cursor.execute(f'CREATE DATABASE "{name}_demo" TEMPLATE "{name}"')
        connection.close()
        copy_env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path=f"/{name}_demo"))
        return copy_env
    demo_dir = var_dir / "demo"
    shutil.rmtree(demo_dir, ignore_errors=True)
    demo_dir.mkdir(parents=True)
    source = sqlite3.connect(var_dir / "db.sqlite3")
    target = sqlite3.connect(demo_dir / "db.sqlite3")
    with target:
        source.backup(target)  # what the WAL holds too, unlike copying the file
    source.close()
    target.close()
    copy_env["SCOPEGROWTH_VAR_DIR"] = str(demo_dir)
    return copy_env


def settle(env: dict) -> None:
    """After a bulk load on PostgreSQL, `VACUUM (ANALYZE)` the bench database, as one would
    after loading a trust's staff record: otherwise autovacuum starts on the new rows while the
    pages are measured and takes a core of the two. Nothing to do on SQLite."""
    url = env.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    connection.close()


def combine(runs: list[dict[str, dict]]) -> dict[str, dict]:
    """Each page's figures over several `measure.py server` runs: the median of their medians
    (and of their CPU figures); status and bytes from the last run."""
    out = {}
    for name, last in runs[-1].items():
        page = dict(last)
        for key in TIMES:
            values = [run[name][key] for run in runs if key in run.get(name, {})]
            if values:
                page[key] = round(statistics.median(values), 1)
        page["rounds"] = len(runs)
        out[name] = page
    return out


def in_turns(
    measure: Callable[[dict, str], dict], demo_env: dict, env: dict, rounds: int = 3
) -> tuple[dict, dict]:
    """The demo copy's and the scaled database's server times, taken in turns (`rounds` each),
    without a profile; then one more scaled run that prints where the slowest page's time goes
    (not counted)."""
    demo_runs, scaled_runs = [], []
    for _ in range(rounds):
        demo_runs.append(measure(demo_env, "server-quiet"))
        scaled_runs.append(measure(env, "server-quiet"))
    measure(env, "profile")
    return combine(demo_runs), combine(scaled_runs)


def drop_demo_copy(demo_env: dict, env: dict) -> None:
    """Remove the demo copy (the PostgreSQL database; the SQLite file goes with var/bench)."""
    url = demo_env.get("DATABASE_URL", "")
    if url.startswith("postgres") and url != env.get("DATABASE_URL"):
        connection, parts = _admin(url)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')
        connection.close()
