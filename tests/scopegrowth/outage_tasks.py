"""A task for the broker-outage test, loaded only by the worker that test starts
(`--include tests.scopegrowth.outage_tasks`): it marks when it starts and when it ends."""

from __future__ import annotations

import time
from pathlib import Path

from celery import shared_task


@shared_task(ignore_result=True)
def nap(seconds: float, folder: str, name: str) -> None:
    Path(folder, f"{name}.started").touch()
    time.sleep(seconds)
    Path(folder, f"{name}.done").touch()
