"""`make bench`: ScopeGrowth's benchmark suite. Prints a table and writes bench/results.json.

Runs against its own database (SQLite under var/bench/, or the PostgreSQL named by
DATABASE_URL) so it never touches the development data:

1. migrate, seed the demo organisation, count each page's queries, keep a copy of it;
2. `seed_demo --scale N` (timed), the query counts again, then each page's median in-process
   server time (Django's test client, signed in as the right persona) on the demo copy and at
   N people in turns (bench/paired.py), with the bytes each page sends (HTML, and the CSS/JS
   it links), and where the time goes for the slowest page (pyinstrument);
3. gunicorn on 127.0.0.1 (a free port), and latency (p50/p95) and throughput of the main pages
   under 1, 10 and 50 concurrent users, each signed in as the right persona;
4. the plan PDF against a bare WeasyPrint render; 5. the bulk export with two Celery workers
   (plans per second, peak memory). Every loop is bounded and talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import paired  # bench/paired.py (this folder is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PASSWORD = "ScopeGrowth-demo-1"  # noqa: S105 - the documented demo password
TARGETS = {
    "server_median_ms": 12.0,
    "growth_ratio": 1.2,
    "p95_vs_healthz": 6.0,
    "pdf_vs_bare": 1.2,
    "export_1000_seconds": 120.0,
    "seed_10000_seconds": 60.0,
    "round_median_ms": 12.0,
}


def bench_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        SCOPEGROWTH_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="scopegrowth.settings",
        DEBUG="false",
        MFA_REQUIRED="false",
        LOG_LEVEL="WARNING",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return env


def fresh_postgres(url: str) -> str:
    """A new, empty `<name>_bench` database beside the one DATABASE_URL names."""
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    name = (parts.path.lstrip("/") or "scopegrowth") + "_bench"
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def manage(env: dict, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# HTTP clients (one signed-in session per simulated user)
# ---------------------------------------------------------------------------------------------


class Session:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def login(self, email: str) -> None:
        _, body = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        data = urllib.parse.urlencode(
            {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            self.base + "/accounts/login/", data=data, headers={"Referer": self.base + "/"}
        )
        with self.opener.open(request, timeout=60) as response:
            response.read()
            if "/accounts/login" in response.url:
                raise RuntimeError(f"could not sign in as {email}")


def load(base: str, path: str, email: str | None, users: int, seconds: float, cap: int) -> dict:
    """`users` threads, each signed in, requesting `path` until `seconds` or `cap` requests."""
    sessions = []
    for _ in range(users):
        s = Session(base)
        if email:
            s.login(email)
        for _ in range(3):  # warm-up: first requests of a worker/session are not measured
            s.get(path)
        sessions.append(s)
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(session: Session) -> None:
        nonlocal errors
        while time.monotonic() < stop_at:
            with lock:
                if len(latencies) + errors >= cap:
                    return
            started = time.perf_counter()
            status, _ = session.get(path)
            took = time.perf_counter() - started
            with lock:
                if status == 200:
                    latencies.append(took)
                else:
                    errors += 1

    began = time.monotonic()
    threads = [threading.Thread(target=worker, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    elapsed = time.monotonic() - began
    latencies.sort()

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0
        )

    return {
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(pct(0.50), 1),
        "p95_ms": round(pct(0.95), 1),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0,
    }


# ---------------------------------------------------------------------------------------------
# The steps
# ---------------------------------------------------------------------------------------------


def measure(env: dict, what: str, timeout: int = 600) -> dict:
    """Run `bench/measure.py what` in the bench environment; its last line is JSON (what it
    prints on stderr, such as a profile, is shown)."""
    out = subprocess.run(
        [PY, str(ROOT / "bench" / "measure.py"), what], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, text=True, timeout=timeout, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "scopegrowth.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "4", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env={**env, "ALLOWED_HOSTS": "127.0.0.1"},
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=5):
                return server
        except OSError:  # not listening yet, refused, or too busy to answer within 5 s
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=8.0, help="per page and level")
    parser.add_argument("--users", default="1,10,50")
    parser.add_argument(
        "--no-export", action="store_true", help="skip the PDF and bulk-export step"
    )
    args = parser.parse_args()

    var_dir = ROOT / "var" / "bench"
    if not os.environ.get("DATABASE_URL"):
        shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(var_dir)
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if postgres:  # its own empty database, never the one DATABASE_URL names
        env["DATABASE_URL"] = fresh_postgres(os.environ["DATABASE_URL"])
    results: dict = {"scale": args.scale, "database": "postgresql" if postgres else "sqlite"}

    print("migrating and seeding the demo organisation...", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    measure(env, "snapshot")  # HR insight reads the latest snapshot: take one of this size
    results["queries_demo"] = measure(env, "queries")
    demo_env = paired.keep_demo_copy(env, var_dir)  # measured in turns with the scaled one

    print(f"seeding {args.scale} more people...", flush=True)
    started = time.monotonic()
    manage(env, "seed_demo", "--scale", str(args.scale), timeout=1800)
    results["seed_seconds"] = round(time.monotonic() - started, 1)
    paired.settle(env)
    results["snapshot_scaled"] = measure(env, "snapshot")
    results["queries_scaled"] = measure(env, "queries")
    print("server times, demo and scaled in turns...", flush=True)
    results["server_demo"], results["server_scaled"] = paired.in_turns(demo_env, env)
    paired.drop_demo_copy(demo_env, env)
    measure(env, "profile")  # where the slowest page's time goes, printed

    port = free_port()
    server = serve(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        targets = measure(env, "pages")
        results["latency"] = {}
        for name, (path, email) in targets.items():
            for users in [int(u) for u in args.users.split(",")]:
                print(f"load: {name} x {users} users", flush=True)
                results["latency"][f"{name}@{users}"] = load(
                    base, path, email, users, args.seconds, cap=2000
                )
        results.update(measure(env, "round"))
        if not args.no_export:
            results.update(measure(env, "pdf-export", timeout=1800))
    finally:
        stop(server)

    results["verdicts"] = verdicts(results)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    return 0


def verdicts(r: dict) -> dict:
    out = {}
    floor = {
        k.split("@")[1]: v["p95_ms"] for k, v in r.get("latency", {}).items() if "healthz@" in k
    }
    ratios = {  # each page's p95 over the health check's at the same number of users
        key: value["p95_ms"] / floor[key.split("@")[1]]
        for key, value in r.get("latency", {}).items()
        if floor.get(key.split("@")[1])
    }
    # The target is under 10 and 50 concurrent users; one user's ratio is shown beside.
    judged = {k: v for k, v in ratios.items() if k.split("@")[1] in ("10", "50")} or ratios
    if judged:
        worst = max(judged, key=judged.get)
        alone = [v for k, v in ratios.items() if k.endswith("@1")]
        out["p95_within_6x_healthz"] = {
            "ratio": round(judged[worst], 1),
            "worst": worst,
            "one_user_ratio": round(max(alone), 1) if alone else "-",
            "met": judged[worst] <= TARGETS["p95_vs_healthz"],
        }
    demo, scaled = r.get("server_demo", {}), r.get("server_scaled", {})
    pages = [n for n in demo if n != "healthz"]
    if pages:
        slowest = max(max(demo[n]["median_ms"], scaled.get(n, demo[n])["median_ms"]) for n in pages)
        out["server_median_at_most_12_ms"] = {
            "slowest_ms": slowest,
            "met": slowest <= TARGETS["server_median_ms"],
        }
        grown = {n: scaled[n]["median_ms"] / demo[n]["median_ms"] for n in pages if n in scaled}
        worst = max(grown, key=grown.get)
        out["growth_at_most_1_2x"] = {
            "ratio": round(grown[worst], 2),
            "worst": worst,  # named, as the p95's is: which page to look at
            "met": grown[worst] <= TARGETS["growth_ratio"],
        }
    equal = r.get("queries_demo") == r.get("queries_scaled")
    out["query_counts_equal"] = {"met": equal}
    if "pdf_view_ms" in r:
        ratio = r["pdf_view_ms"] / r["pdf_bare_ms"]
        out["pdf_within_1_2x_bare"] = {
            "ratio": round(ratio, 2),
            "met": ratio <= TARGETS["pdf_vs_bare"],
        }
    if "export_seconds_per_1000" in r:
        out["export_1000_under_2_min"] = {
            "seconds": r["export_seconds_per_1000"],
            "met": r["export_seconds_per_1000"] <= TARGETS["export_1000_seconds"],
        }
    if "hr_round_median_ms" in r:
        out["round_page_median_under_12_ms"] = {
            "ms": r["hr_round_median_ms"],
            "met": r["hr_round_median_ms"] <= TARGETS["round_median_ms"],
        }
    if r["scale"] >= 10_000:  # judged only at full scale (fixed start-up costs dominate below)
        out["seed_10000_under_1_min"] = {
            "seconds": r["seed_seconds"],
            "met": r["seed_seconds"] <= TARGETS["seed_10000_seconds"],
        }
    return out


def table(r: dict) -> str:
    lines = [f"ScopeGrowth benchmark: {r['scale']} people on {r['database']}", ""]
    demo, scaled = r.get("server_demo", {}), r.get("server_scaled", {})
    if demo:
        head = "server ms (demo) | server ms (scaled) | growth | CPU ms (demo / scaled)"
        lines.append(f"| page | {head} | HTML bytes | CSS+JS bytes |")
        lines.append("|---|---|---|---|---|---|---|")
        for name, v in demo.items():
            s = scaled.get(name, {})
            growth = f"x{s['median_ms'] / v['median_ms']:.2f}" if s and v["median_ms"] else "-"
            cpu = f"{v.get('cpu_median_ms', '-')} / {s.get('cpu_median_ms', '-')}"
            lines.append(
                f"| {name} | {v['median_ms']} | {s.get('median_ms', '-')} | {growth} | {cpu} | "
                f"{s.get('html_bytes', v['html_bytes'])} | {v['asset_bytes']} |"
            )
        lines.append("")
    lines.append("| page | users | p50 ms | p95 ms | p95 / healthz | req/s | errors | queries |")
    lines.append("|---|---|---|---|---|---|---|---|")
    latency = r.get("latency", {})
    for key, v in latency.items():
        name, users = key.split("@")
        q = f"{r['queries_demo'].get(name, '-')} / {r['queries_scaled'].get(name, '-')}"
        floor = latency.get(f"healthz@{users}", {}).get("p95_ms")
        times = f"x{v['p95_ms'] / floor:.1f}" if floor else "-"
        lines.append(
            f"| {name} | {users} | {v['p50_ms']} | {v['p95_ms']} | {times} | {v['rps']} | "
            f"{v['errors']} | {q} |"
        )
    lines.append("")
    keys = "seed_seconds hr_round_median_ms hr_round_csv_median_ms pdf_view_ms pdf_bare_ms"
    keys += " export_plans export_seconds export_plans_per_second export_seconds_per_1000"
    for key in (keys + " export_peak_rss_mb").split():
        if key in r:
            lines.append(f"- {key.replace('_', ' ')}: {r[key]}")
    lines.append("")
    for name, v in r.get("verdicts", {}).items():
        detail = ", ".join(f"{k} {val}" for k, val in v.items() if k != "met")
        lines.append(
            f"- {'MET' if v['met'] else 'NOT MET'}: {name}" + (f" ({detail})" if detail else "")
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
