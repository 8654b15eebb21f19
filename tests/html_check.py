"""The Nu HTML Checker (vnu.jar from the npm package `vnu-jar`) on every page the browser tests
visit.

`recording()` keeps every HTML document the live server sends to a browser navigation (requests
with `Sec-Fetch-Dest: document`: pages, not fragments, downloads or the test client), as sent,
before any script ran. The `page` fixture and `Browsers` (journeys) record for the whole test and
hand the documents to `assert_valid_html` when it passes, which posts each to one checker process
started on first use and kept for the session (`java -cp vnu.jar nu.validator.servlet.Main`,
loopback only). Any error fails the test; warnings do not. Java 17 or later comes from
`bin/system-deps test`.

(The server side, because Chromium drops a document's body once the page navigates on, so
reading it from Playwright's response events loses pages.)
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[1]
VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LOG = BASE_DIR / "var" / "vnu.log"
START_SECONDS = 90


class Checker:
    """One vnu process for the test session, started on first use."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> None:
        java = shutil.which("java")
        if not java or not VNU_JAR.is_file():
            missing = "Java (17 or later)" if not java else str(VNU_JAR.relative_to(BASE_DIR))
            pytest.exit(
                f"The Nu HTML Checker needs {missing}: `bin/system-deps test` installs Java, "
                "`make install` (npm ci) installs vnu.jar.",
                returncode=pytest.ExitCode.USAGE_ERROR,
            )
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        LOG.parent.mkdir(parents=True, exist_ok=True)
        log = LOG.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                java,
                "-Xss4m",  # the schema's deep patterns overflow a small thread stack
                "-Xmx512m",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{port}/?out=json"
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
                return
            except OSError:
                time.sleep(0.25)
        self.stop()
        pytest.exit(
            f"The Nu HTML Checker did not start within {START_SECONDS} s; see {LOG}",
            returncode=pytest.ExitCode.INTERNAL_ERROR,
        )

    def messages(self, html: str) -> list[dict]:
        if self.process is None or self.process.poll() is not None:
            self.start()
        request = urllib.request.Request(
            self.url,
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["messages"]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


CHECKER = Checker()


def errors(html: str) -> list[dict]:
    """The checker's errors on one document (warnings and info left out)."""
    return [m for m in CHECKER.messages(html) if m.get("type") in ("error", "non-document-error")]


def _format(url: str, found: list[dict]) -> str:
    lines = [f"{url}: {len(found)} HTML error(s)"]
    for m in found[:20]:
        lines.append(f"  line {m.get('lastLine', '?')}: {m.get('message', '')}")
        if m.get("extract"):
            lines.append(f"      {m['extract'].strip()[:160]}")
    return "\n".join(lines)


def assert_valid_html(documents: list[tuple[str, str]]) -> None:
    """Every (url or path, html) pair has no HTML error; one report for all of them."""
    reports = []
    seen: set[str] = set()
    for url, html in documents:
        if html in seen:
            continue
        seen.add(html)
        found = errors(html)
        if found:
            reports.append(_format(url, found))
    assert not reports, "The Nu HTML Checker found errors:\n" + "\n".join(reports)


# -- what the live server sends ------------------------------------------------------------------

_lock = threading.Lock()
_recordings: list[list[tuple[str, str]]] = []
_original_get_response = None


def _is_page(request, response) -> bool:
    return (
        request.headers.get("Sec-Fetch-Dest") == "document"
        and not response.streaming
        and not 300 <= response.status_code < 400
        and response.get("Content-Type", "").startswith("text/html")
    )


def _recording_get_response(self, request):
    response = _original_get_response(self, request)
    if _recordings and _is_page(request, response):
        document = (request.get_full_path(), response.content.decode(response.charset or "utf-8"))
        with _lock:
            for documents in _recordings:
                documents.append(document)
    return response


def start_recording() -> list[tuple[str, str]]:
    """A list that fills with (path, html) for every page sent until `stop_recording`."""
    global _original_get_response
    from django.core.handlers.base import BaseHandler

    documents: list[tuple[str, str]] = []
    with _lock:
        if not _recordings:
            _original_get_response = BaseHandler.get_response
            BaseHandler.get_response = _recording_get_response
        _recordings.append(documents)
    return documents


def stop_recording(documents: list[tuple[str, str]]) -> None:
    from django.core.handlers.base import BaseHandler

    with _lock:
        _recordings.remove(documents)
        if not _recordings:
            BaseHandler.get_response = _original_get_response


@contextmanager
def recording() -> Iterator[list[tuple[str, str]]]:
    documents = start_recording()
    try:
        yield documents
    finally:
        stop_recording(documents)
