"""An email backend for the kill-the-worker tests: it says when a send has begun (a marker
file), then waits long enough for the test to kill the worker before anything is written (or,
with `SLOW_EMAIL_AFTER`, after the message was written: the SMTP server accepted it)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        if os.environ.get("SLOW_EMAIL_AFTER"):
            sent = super().send_messages(email_messages)
            Path(os.environ["SLOW_EMAIL_MARKER"]).touch()
            time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "120")))
            return sent
        Path(os.environ["SLOW_EMAIL_MARKER"]).touch()
        time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "120")))
        return super().send_messages(email_messages)
