"""The development server's access log never shows a password-reset key (issue 14, item 9).

`make run` serves with `manage.py runserver`, whose access log printed every request line:
`"GET /accounts/password/reset/key/3-<key>/ HTTP/1.1" 302`. Anyone reading the terminal (or a
log file it was piped to) could set that person's password.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.db import connection

from scopegrowth.logging import JsonFormatter
from tests.scopegrowth.test_gunicorn_script_name import free_port

ROOT = Path(__file__).resolve().parents[2]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="runserver opens the SQLite test file")
@pytest.mark.django_db(transaction=True)
def test_runserver_does_not_print_a_password_reset_key(people, tmp_path):
    user = people.individual
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    secret = key.split("-", 1)[1]
    port = free_port()
    log = tmp_path / "runserver.log"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
            "SCOPEGROWTH_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_ENV": "development",
        }
    )
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload",
             "--skip-checks"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            opener = urllib.request.build_opener(NoRedirect)
            deadline = time.monotonic() + 60
            while True:
                try:
                    opener.open(f"http://127.0.0.1:{port}/healthz/", timeout=10)
                    break
                except urllib.error.HTTPError:
                    break  # it answered
                except OSError:
                    assert server.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, "runserver did not start"
                    time.sleep(0.3)
            with pytest.raises(urllib.error.HTTPError) as redirect:
                opener.open(f"http://127.0.0.1:{port}/accounts/password/reset/key/{key}/")
            assert redirect.value.code == 302  # to the set-password form: the key was good
            deadline = time.monotonic() + 10  # the line is written after the response
            while "/accounts/password/reset/key/" not in log.read_text():
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
    printed = log.read_text()
    assert "/accounts/password/reset/key/[hidden]/" in printed, printed
    assert secret not in printed


def test_json_log_lines_hide_the_key_too():
    record = logging.makeLogRecord(
        {
            "name": "django.request",
            "msg": "Not Found: %s",
            "args": ("/accounts/password/reset/key/3-abc-0123456789abcdef/",),
            "request": "<WSGIRequest: GET '/accounts/confirm-email/MQ:1u2v3w:xyz/'>",
        }
    )
    line = JsonFormatter().format(record)
    assert "0123456789abcdef" not in line
    assert "MQ:1u2v3w:xyz" not in line
    assert line.count("[hidden]") == 2
