"""A client cannot choose the URL prefix: the authenticator rule holds behind a real gunicorn.

The attack (issue 14, item 2): `GET /accounts/dashboard/` with a `SCRIPT_NAME: /accounts`
request header. gunicorn trusted that header from loopback, so Django saw the path
`/accounts/dashboard/` (exempt from the rule: sign-in pages) while it routed `/dashboard/`. A
manager, HR or admin without an authenticator read the dashboard, the CSV or the admin.

gunicorn is started exactly as docker-compose.yml's `web` service starts it (only the address
and the number of workers differ), from the project root, so it reads `gunicorn.conf.py`.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
SETUP = "/accounts/2fa/totp/activate/"

# persona -> a page only that role reads, and a word on it
PAGES = {
    "manager": ("/dashboard/", "Aisha Rahman"),
    "hr": ("/hr/plans/export.csv", "Job title"),
    "admin": ("/admin/", "Site administration"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def web_command(port: int, *extra: str) -> list[str]:
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]
    args = list(command["command"])
    assert args[0] == "gunicorn"
    args[args.index("--bind") + 1] = f"127.0.0.1:{port}"
    args[args.index("--workers") + 1] = "1"
    return [sys.executable, "-m", "gunicorn", *args[1:], "--log-level", "warning", *extra]


def request(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode(errors="ignore")
    finally:
        conn.close()


def serve(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
            "SCOPEGROWTH_VAR_DIR": str(tmp_path / "var"),
            "STATIC_ROOT": str(settings.STATIC_ROOT),
            "ALLOWED_HOSTS": "127.0.0.1",
            "MFA_REQUIRED": "true",
            "DJANGO_ENV": "development",
        }
    )
    env.pop("FORCE_SCRIPT_NAME", None)
    process = subprocess.Popen(
        web_command(port, *extra), cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode(errors="replace")
        try:
            request(port, "/healthz/", {})
            return process, port
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise AssertionError("gunicorn did not answer within 60 s")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def session_cookies(people) -> dict[str, str]:
    """A signed-in session per persona, in the database gunicorn reads (this test commits)."""
    cookies = {}
    for persona in PAGES:
        client = Client()
        client.force_login(people.get(persona), backend="django.contrib.auth.backends.ModelBackend")
        cookies[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


@pytest.mark.skipif(connection.vendor != "sqlite", reason="gunicorn opens the SQLite test file")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "extra",
    [
        pytest.param((), id="as-deployed"),
        # A proxy that does pass SCRIPT_NAME on (or gunicorn run without our config): Django
        # still ignores the prefix (FORCE_SCRIPT_NAME) and the rule checks the resolved route.
        pytest.param(("--forwarder-headers", "SCRIPT_NAME,PATH_INFO"), id="header-let-through"),
    ],
)
def test_a_script_name_header_does_not_skip_the_authenticator_rule(people, tmp_path, extra):
    cookies = session_cookies(people)
    process, port = serve(tmp_path, *extra)
    try:
        for persona, (page, word) in PAGES.items():
            cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookies[persona]}"}
            status, headers, _ = request(port, page, cookie)
            assert (status, headers.get("Location")) == (302, SETUP), (persona, page)
            for prefix in ("/accounts", "/healthz", "/privacy", "/accessibility", "/static"):
                spoofed = {**cookie, "SCRIPT_NAME": prefix}
                status, headers, body = request(port, prefix + page, spoofed)
                assert status != 200, f"{persona} read {page} with SCRIPT_NAME {prefix}"
                assert word not in body, (persona, page, prefix)
                assert status in (302, 404), (persona, page, prefix, status)
                if status == 302:
                    assert headers["Location"] == SETUP, (persona, page, prefix)
    finally:
        stop(process)
