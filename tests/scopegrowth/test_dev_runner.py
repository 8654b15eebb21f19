"""`make run`'s process runner (bin/dev) starts the worker again when it dies: bin/keep-running,
run here as a real process around a command that keeps exiting."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_command_that_dies_is_started_again_and_sigterm_stops_both(tmp_path):
    runs, pid_file = tmp_path / "runs", tmp_path / "pid"
    # Exits with an error twice, then stays up (like a worker after the broker came back).
    script = (
        f'echo run >> {runs}; if [ "$(wc -l < {runs})" -ge 3 ]; then '
        f"echo $$ > {pid_file}; exec sleep 60; fi; exit 3"
    )
    runner = subprocess.Popen(
        [str(ROOT / "bin" / "keep-running"), "worker", "sh", "-c", script],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15  # pauses of 1 s and 2 s between the three runs
        while time.monotonic() < deadline and not pid_file.exists():
            time.sleep(0.1)
        assert pid_file.exists(), "the command was not started a third time"
        assert runs.read_text().count("run") == 3
        assert runner.poll() is None
        time.sleep(0.2)
        child = int(pid_file.read_text())
        runner.send_signal(signal.SIGTERM)
        assert runner.wait(timeout=10) == 0
        try:
            os.kill(child, 0)
            alive = True
        except ProcessLookupError:
            alive = False
        assert not alive, "stopping the runner left the command running"
        assert b"worker exited with status 3" in runner.stderr.read()
    finally:
        if runner.poll() is None:
            runner.kill()


def test_make_run_keeps_the_worker_running():
    dev = (ROOT / "bin" / "dev").read_text()
    worker_line = next(line for line in dev.splitlines() if "celery -A scopegrowth" in line)
    assert worker_line.startswith("bin/keep-running worker ")
