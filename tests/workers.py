"""A real Celery worker process for end-to-end tests (reminders, exports, the heartbeat)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Worker:
    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process

    def output(self) -> str:
        """What the worker printed (only once it has stopped)."""
        if self.process.poll() is None:
            return "(still running)"
        return self.process.stdout.read().decode(errors="replace")

    def wait_for(self, predicate: Callable[[], bool], seconds: float = 60) -> bool:
        """Poll `predicate` until it holds or `seconds` pass; fail at once if the worker died."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if predicate():
                return True
            assert self.process.poll() is None, f"the worker stopped:\n{self.output()}"
            time.sleep(0.3)
        return predicate()


@contextmanager
def celery_worker(
    env: dict[str, str], args: tuple[str, ...] = ("--pool=solo",), app: str = "scopegrowth"
) -> Iterator[Worker]:
    """`celery -A scopegrowth worker --pool=solo` (or `app`, `args`) with `env`, stopped (then
    killed) afterwards."""
    env = {k: v for k, v in env.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", app, "worker", *args,
         "--loglevel=WARNING", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield Worker(process)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
