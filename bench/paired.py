"""Growth measured in pairs, for bench/run.py: the demo database is kept as a copy before the
organisation is scaled, and the in-process server times of the two sizes are then taken in
turns, a few requests of a page on one, then on the other, and so on, by one process per
database; each page's figure is the median of all its requests.

This machine's speed drifts by a third or more over minutes (a shared host): measured one size
after the other, minutes apart, the demo manager's dashboard, which shows the same two rows at
both sizes, grew x0.89 in one run and x2.19 in another. Taken in turns, both sizes share each
stretch of the machine's speed, a second or so at a time.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


def combine(replies: list[dict]) -> dict:
    """A page's figures from its turns' replies (`measure.py answer`): the median and the CPU
    median of every request, the fastest CPU time; status and bytes from the last turn."""
    wall = [ms for reply in replies for ms in reply["wall"]]
    cpu = [ms for reply in replies for ms in reply["cpu"]]
    last = replies[-1]
    return {
        "status": last["status"],
        "median_ms": round(statistics.median(wall), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "cpu_min_ms": round(min(cpu), 1),
        "html_bytes": last["html_bytes"],
        "asset_bytes": last["asset_bytes"],
        "requests": len(wall),
    }


def _answerer(env: dict) -> subprocess.Popen:
    """A `measure.py answer` process on the first core this one may use: both answerers on one
    core, as the two cores of this machine run at different speeds (two processes of the same
    code on the same database differed by up to x1.44 on a page, each on its own core, and
    by 13 % at most on one, 6 % in a second try)."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "measure.py"), "answer"], cwd=ROOT, env=env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    if hasattr(os, "sched_setaffinity"):  # Linux
        os.sched_setaffinity(process.pid, {min(os.sched_getaffinity(0))})
    return process


def _ask(process: subprocess.Popen, line: str) -> dict | list:
    process.stdin.write(line + "\n")
    process.stdin.flush()
    answer = process.stdout.readline()
    if not answer:
        raise RuntimeError(f"bench/measure.py answer stopped (exit {process.wait()})")
    return json.loads(answer)


def in_turns(demo_env: dict, env: dict, turns: int = 6, per_turn: int = 5) -> tuple[dict, dict]:
    """Each page's in-process server time on the demo copy and on the scaled database, taken
    in turns a few requests at a time (`turns` x `per_turn` requests each, after a warm-up),
    by one process per database that stays up: both sizes share each moment of the machine."""
    demo, scaled = _answerer(demo_env), _answerer(env)
    try:
        names = json.loads(demo.stdout.readline())
        if json.loads(scaled.stdout.readline()) != names:
            raise RuntimeError("the demo copy and the scaled database have different pages")
        out: tuple[dict, dict] = ({}, {})
        for name in names:
            replies: tuple[list, list] = ([], [])
            for _ in range(turns):
                for process, kept in zip((demo, scaled), replies, strict=True):
                    kept.append(_ask(process, f"{name} {per_turn}"))
            for figures, kept in zip(out, replies, strict=True):
                figures[name] = combine(kept)
        return out
    finally:
        for process in (demo, scaled):
            process.stdin.close()
            process.wait(timeout=60)


def drop_demo_copy(demo_env: dict, env: dict) -> None:
    """Remove the demo copy (the PostgreSQL database; the SQLite file goes with var/bench)."""
    url = demo_env.get("DATABASE_URL", "")
    if url.startswith("postgres") and url != env.get("DATABASE_URL"):
        connection, parts = _admin(url)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')
        connection.close()
