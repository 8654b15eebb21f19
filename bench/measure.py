"""In-process measurements for bench/run.py (run as a subprocess with the bench environment).

python bench/measure.py queries      query count of each page (JSON on the last line)
python bench/measure.py pages        the page paths and who requests them
python bench/measure.py server       median in-process server time of each page (wall and CPU),
                                     the bytes it sends (HTML and the CSS/JS it links) and, for
                                     the slowest page, where the time goes (pyinstrument, on stderr)
python bench/measure.py answer       page requests timed as asked on stdin (bench/paired.py)
python bench/measure.py profile      where the slowest page's time goes (pyinstrument, on stderr)
python bench/measure.py pdf-export   PDF view vs bare render; bulk export with 2 workers
python bench/measure.py round        the round completion page and CSV: median server time
python bench/measure.py snapshot     take an insight snapshot of the demo organisation and count its
                                     open rounds now (what the beat and the worker do), so HR
                                     insight and the round pages show stored figures
"""

from __future__ import annotations

import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scopegrowth.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from scopegrowth.models import ManagerLink, User  # noqa: E402


def busiest_manager() -> User:
    """The manager with the most reports (50 in a scaled seed; the demo manager otherwise)."""
    from django.db.models import Count

    row = (
        ManagerLink.objects.active()
        .values("manager")
        .annotate(n=Count("pk"))
        .order_by("-n", "manager")
        .first()
    )
    return User.objects.get(pk=row["manager"])


def demo_round_path(suffix: str = "") -> str:
    """The demo organisation's open round (whole organisation: every scaled person is in it)."""
    from rounds.models import Round

    found = Round.objects.filter(state=Round.State.OPEN).order_by("pk").first()
    return f"/hr/rounds/{found.pk}/{suffix}" if found else "/hr/rounds/"


def page_paths() -> dict[str, tuple[str, str | None]]:
    """Each main page, with the persona who asks for it (the demo's people, so the same rows are
    shown at the demo size and at 10,000 people; the dashboard is the busiest manager's)."""
    from conversations.models import Conversation
    from devplans.models import Plan
    from journals.models import Journal

    individual = User.objects.get(email="individual@example.com")
    individual2 = User.objects.get(email="individual2@example.com")
    journal = Journal.objects.filter(owner=individual, closed_at__isnull=True).first()
    journal_path = f"/journal/{journal.pk}/strengths/" if journal else "/journal/"
    upcoming = Conversation.objects.filter(individual=individual).order_by("-pk").first()
    plan = Plan.objects.filter(individual=individual2).order_by("-pk").first()
    pages = {
        "healthz": ("/healthz/", None),
        "home": ("/", "individual@example.com"),
        "journal_section": (journal_path, "individual@example.com"),
        "dashboard": ("/dashboard/", busiest_manager().email),
        # The demo manager's: the same two rows at both sizes (the busiest manager has 50 at
        # 10,000 people), so its growth is the organisation's size alone.
        "dashboard_demo": ("/dashboard/", "manager@example.com"),
        "hr_plans": ("/hr/plans/?current_growth=depth&page=2", "hr@example.com"),
        "hr_round": (demo_round_path(), "hr@example.com"),
        "hr_round_csv": (demo_round_path("completion.csv"), "hr@example.com"),
        "hr_insight": ("/hr/insight/", "hr@example.com"),
        "person": (f"/people/{individual.pk}/", "manager@example.com"),
    }
    if upcoming:
        pages["conversation"] = (f"/conversations/{upcoming.pk}/", "manager@example.com")
        pages["stage"] = (f"/conversations/{upcoming.pk}/stage/1/", "manager@example.com")
    if plan:
        pages["plan"] = (f"/plans/{plan.pk}/", "individual2@example.com")
    return pages


ASSET = re.compile(rb'<(?:link[^>]+href|script[^>]+src)="(/static/[^"?]+)')


def asset_bytes(html: bytes) -> int:
    """The size of the CSS and JavaScript a page links (uncompressed), with the JS modules they
    import, as a browser fetches them."""
    from django.contrib.staticfiles import finders

    total = 0
    seen = set()
    queue = [m.decode() for m in ASSET.findall(html)]
    while queue:
        url = queue.pop()
        if url in seen or not url.endswith((".css", ".js")):
            continue
        seen.add(url)
        found = finders.find(url.removeprefix("/static/"))
        if not found:
            continue
        body = Path(found).read_bytes()
        total += len(body)
        if url.endswith(".js"):
            base = url.rsplit("/", 1)[0]
            for rel in re.findall(rb'(?:import|from)\s*["\'](\.{1,2}/[^"\']+)["\']', body):
                queue.append(os.path.normpath(f"{base}/{rel.decode()}"))
            # A component's module, loaded by app.js only when the page has that component.
            for rel in re.findall(rb'import\("(\.{1,2}/[^"]+/([a-z-]+)-[A-Z0-9]{8}\.js)"\)', body):
                if b'data-module="nhsuk-' + rel[1] + b'"' in html:
                    queue.append(os.path.normpath(f"{base}/{rel[0].decode()}"))
    return total


def server(runs: int = 25) -> dict[str, dict]:
    """Each page's median in-process server time (Django's test client, signed in) and the bytes
    it sends, one page after the other; then where the slowest page's time goes (on stderr)."""
    out = {}
    for name, (path, email) in page_paths().items():
        client = _client(email)
        for _ in range(3):
            client.get(path)  # warm-up (sessions, caches, templates)
        times, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            cpu.append((time.process_time() - started_cpu) * 1000)
            times.append((time.perf_counter() - started) * 1000)
        out[name] = {
            "status": response.status_code, "median_ms": round(statistics.median(times), 1),
            "cpu_median_ms": round(statistics.median(cpu), 1), "cpu_min_ms": round(min(cpu), 1),
            "html_bytes": len(response.content), "asset_bytes": asset_bytes(response.content),
        }  # fmt: skip
    profile_page(max((n for n in out if n != "healthz"), key=lambda n: out[n]["median_ms"]))
    return out


def answer_requests() -> None:
    """For bench/paired.py: read `page count` lines on stdin and answer each on stdout with one
    JSON line, the wall and CPU ms of `count` requests of that page (a page is warmed up by
    three requests the first time it is asked for), its status and the bytes it sends."""
    pages, clients = page_paths(), {}
    print(json.dumps(list(pages)), flush=True)
    for line in sys.stdin:
        name, count = line.split()
        path, email = pages[name]
        client = clients.get(name)
        if client is None:
            client = clients[name] = _client(email)
            for _ in range(3):
                client.get(path)
        wall, cpu = [], []
        for _ in range(int(count)):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        sent = {"html_bytes": len(response.content), "asset_bytes": asset_bytes(response.content)}
        print(json.dumps({"wall": wall, "cpu": cpu, "status": response.status_code, **sent}),
              flush=True)  # fmt: skip


def _client(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def profile_page(name: str | None = None) -> dict:
    """Where the time goes for a page (the slowest by a quick median when none is named): 10
    requests under pyinstrument, printed on stderr."""
    pages = page_paths()
    if name is None:
        timed = {}
        for page, (path, email) in pages.items():
            if page == "healthz":
                continue
            client = _client(email)
            for _ in range(3):
                client.get(path)
            timed[page] = _median_ms(lambda client=client, path=path: client.get(path), 9)
        name = max(timed, key=timed.get)
    path, email = pages[name]
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("(pyinstrument is not installed: no profile)", file=sys.stderr)
        return {"profiled": name}
    client = _client(email)
    client.get(path)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(10):
        client.get(path)
    profiler.stop()
    print(f"where the time goes: {name} ({path}), 10 requests", file=sys.stderr)
    print(profiler.output_text(unicode=False, color=False, short_mode=True), file=sys.stderr)
    return {"profiled": name}


def queries() -> dict[str, int]:
    counts = {}
    for name, (path, email) in page_paths().items():
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        client.get(path)  # warm-up (sessions, caches)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        counts[name] = len(ctx.captured_queries) if response.status_code == 200 else -1
    return counts


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def round_server_time(runs: int = 30) -> dict:
    """Median time of the round page and its CSV in-process (the view, its queries and the
    template; no network, no gunicorn), after a warm-up."""
    client = Client()
    client.force_login(User.objects.get(email="hr@example.com"))
    result: dict = {"people_in_round": User.objects.filter(is_active=True).count()}
    for name, path in (("hr_round", demo_round_path()), ("hr_round_csv", demo_round_path(
            "completion.csv"))):  # fmt: skip
        client.get(path)
        result[f"{name}_median_ms"] = _median_ms(lambda path=path: client.get(path), runs)
    return result


def take_snapshot() -> dict:
    """An insight snapshot of the demo organisation, taken here (the Celery task's work)."""
    from insight.models import Snapshot
    from insight.snapshots import snapshot_take

    hr = User.objects.get(email="hr@example.com")
    snapshot = Snapshot.objects.create(
        organisation_id=hr.organisation_id, reason=Snapshot.Reason.SCHEDULED
    )
    started = time.perf_counter()
    taken = snapshot_take(snapshot.pk)
    seconds = round(time.perf_counter() - started, 1)
    from rounds.figures import count_open_rounds  # the worker counts each open round too

    started = time.perf_counter()
    counted = count_open_rounds()
    return {"snapshot_taken": taken, "snapshot_seconds": seconds, "rounds_counted": counted,
            "rounds_count_seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


def pdf_and_export() -> dict:
    """Our PDF view against a bare render of the same HTML, then a 1,000-plan bulk export."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from devplans import pdf
    from devplans.models import ExportJob, Plan

    result: dict = {}
    plan = Plan.objects.filter(status=Plan.Status.AGREED).order_by("pk").first()
    hr = User.objects.get(email="hr@example.com")
    client = Client()
    client.force_login(hr)
    client.get(f"/plans/{plan.pk}/pdf/")
    result["pdf_view_ms"] = _median_ms(lambda: client.get(f"/plans/{plan.pk}/pdf/"), 10)
    from django.template.loader import render_to_string

    html = render_to_string("pdf/plan.html", pdf.pdf_context(pdf.plan_for_pdf(plan.pk)))

    fonts, cache = FontConfiguration(), {}

    def bare():  # the same HTML, fonts and cache, without our view around it
        weasyprint.HTML(
            string=html, base_url=pdf.PDF_BASE_URL, url_fetcher=pdf.StaticOnlyFetcher()
        ).write_pdf(pdf_variant=pdf.PDF_VARIANT, font_config=fonts, cache=cache)

    result["pdf_bare_ms"] = _median_ms(bare, 10)

    from devplans.tasks import build_plan_export

    ids = list(
        Plan.objects.filter(status=Plan.Status.AGREED, individual__organisation=hr.organisation)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "scopegrowth",
            "worker",
            "--concurrency=2",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        time.sleep(3)
        started = time.monotonic()
        job = ExportJob.objects.create(requested_by=hr, plan_ids=ids, total=len(ids))
        build_plan_export.delay(job.pk)
        peak = 0
        deadline = started + 900
        while time.monotonic() < deadline:
            job.refresh_from_db()
            peak = max(peak, _tree_rss_kb(worker.pid))
            if job.status in (ExportJob.Status.READY, ExportJob.Status.FAILED):
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
    result.update(
        export_plans=job.total,
        export_status=job.status,
        export_seconds=round(elapsed, 1),
        export_plans_per_second=round(job.done / elapsed, 1) if elapsed else 0,
        export_seconds_per_1000=round(elapsed * 1000 / max(job.done, 1), 1),
        export_peak_rss_mb=round(peak / 1024, 1),
    )
    return result


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (Linux /proc)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "queries":
        print(json.dumps(queries()))
    elif what == "pages":
        print(json.dumps(page_paths()))
    elif what == "round":
        print(json.dumps(round_server_time()))
    elif what == "server":
        print(json.dumps(server()))
    elif what == "answer":  # bench/paired.py's two sizes, request by request
        answer_requests()
    elif what == "profile":
        print(json.dumps(profile_page()))
    elif what == "snapshot":
        print(json.dumps(take_snapshot()))
    elif what == "pdf-export":
        print(json.dumps(pdf_and_export()))
    else:
        raise SystemExit(f"unknown measurement {what!r}")
