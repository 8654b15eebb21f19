"""bin/system-deps: `make test` and `make run` install the Debian packages they need (as root) or
stop at once with the one command to run (as anyone else).

The script runs for real; `id` and `apt-get` are stand-ins on PATH, and CHROMIUM_PATH points at
nothing so that Chromium counts as missing whatever this machine has.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bin" / "system-deps"


@pytest.fixture
def fake_bin(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "apt-get.log"

    def make(uid: int) -> tuple[dict[str, str], Path]:
        (folder / "id").write_text(f"#!/bin/sh\necho {uid}\n")
        (folder / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
        for tool in ("id", "apt-get"):
            (folder / tool).chmod(0o755)
        env = {
            **os.environ,
            "PATH": f"{folder}:{os.environ['PATH']}",
            "CHROMIUM_PATH": str(tmp_path / "no-chromium"),
        }
        return env, log

    return make


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *args],
        env=env or dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_is_silent_when_nothing_is_missing():
    # This machine has been through `make test`, which ran the script first.
    result = run("test")

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_as_another_user_it_stops_with_the_one_command_to_run(fake_bin):
    env, log = fake_bin(uid=1000)

    result = run("test", env=env)

    assert result.returncode == 1
    assert "chromium" in result.stderr
    assert "the browser tests" in result.stderr
    assert (
        "  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium\n"
        in result.stderr
    )
    assert not log.exists(), "apt-get ran without root"


def test_as_root_it_says_what_it_installs_and_installs_it(fake_bin):
    env, log = fake_bin(uid=0)

    result = run("test", env=env)

    assert "Installing Debian packages for `make test`" in result.stdout
    assert "chromium" in result.stdout
    assert log.read_text().splitlines() == [
        "update -qq",
        "install -y -qq --no-install-recommends chromium",
    ]
    # The stand-in apt-get installed nothing, and the script notices instead of going on.
    assert result.returncode == 1
    assert "Still missing after apt-get install" in result.stderr


def test_check_only_reports(fake_bin):
    env, log = fake_bin(uid=0)

    result = run("test", "--check", env=env)

    assert result.returncode == 1
    assert "chromium" in result.stdout
    assert not log.exists()


def test_make_run_does_not_need_the_test_tools(fake_bin):
    env, log = fake_bin(uid=1000)

    result = run("run", env=env)

    assert (result.returncode, result.stderr) == (0, "")


def test_make_test_checks_the_system_before_any_test():
    outer_make = ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")  # when this suite runs under `make test`
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "--no-print-directory", "test"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in outer_make},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    commands = result.stdout.splitlines()

    assert commands[0] == "bin/system-deps test"
    assert commands[-1] == ".venv/bin/pytest"
