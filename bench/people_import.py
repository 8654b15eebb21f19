"""The people import at trust size (issue 18): 10,000 rows previewed, applied, re-imported.

Runs against its own SQLite database under var/bench/ (never the development data) through
`manage.py import_people`, timed as an operator would run it. Targets on the 2-core reference
machine: preview < 20 s, apply < 60 s, re-import of the same file < 20 s.

    .venv/bin/python bench/people_import.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"preview": 20.0, "apply": 60.0, "reimport": 20.0}


def write_file(path: Path, rows: int) -> None:
    """A hierarchy like a trust's: a chief executive, directors, managers of about 8 people."""
    from scopegrowth.people_import.reader import COLUMNS

    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for i in range(rows):
            manager = "" if i == 0 else f"E{(i - 1) // 8:06d}"
            out.writerow(
                [
                    f"E{i:06d}",
                    "Person",
                    f"{i:05d}",
                    f"person{i}@trust.example",
                    "Staff Nurse",
                    "Nursing",
                    f"Directorate {i % 12}",
                    f"Team {i % 600}",
                    manager,
                    "2024-04-01",
                    "",
                ]
            )


def run(env: dict, *args: str) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    rows = parser.parse_args().rows
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    db = work / "people_import.sqlite3"
    db.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    people = work / f"people_{rows}.csv"
    write_file(people, rows)
    org = ["--organisation", "Bench Trust"]
    results = {
        "preview": run(env, "import_people", str(people), *org),
        "apply": run(env, "import_people", str(people), "--apply", *org),
        "reimport": run(env, "import_people", str(people), "--apply", *org),
    }
    print(f"{'step':<10} {'seconds':>8} {'target':>7}")
    for step, seconds in results.items():
        print(f"{step:<10} {seconds:8.1f} {TARGETS[step]:7.0f}")
    (ROOT / "bench" / "people_import_results.json").write_text(
        json.dumps({"rows": rows, **results}, indent=2)
    )
    return 0 if all(results[k] < TARGETS[k] for k in TARGETS) else 1


if __name__ == "__main__":
    raise SystemExit(main())
