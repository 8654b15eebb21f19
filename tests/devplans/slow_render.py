"""A Celery app for the kill-the-worker export test: the same app as `scopegrowth`, but each PDF
render first says it has begun (a marker file), then waits long enough to be killed."""

from __future__ import annotations

import os
import time
from pathlib import Path

from celery.signals import task_prerun

from scopegrowth.celery import app

__all__ = ["app"]


@task_prerun.connect
def _slow_renders(**_kwargs) -> None:
    from devplans import pdf

    if getattr(pdf.render_plan_pdf, "slow", False):
        return
    render = pdf.render_plan_pdf

    def slow(plan):
        Path(os.environ["SLOW_RENDER_MARKER"]).touch()
        time.sleep(float(os.environ.get("SLOW_RENDER_SECONDS", "120")))
        return render(plan)

    slow.slow = True
    pdf.render_plan_pdf = slow
