"""Structured logs: one JSON object a line, with the request id; never request bodies."""

from __future__ import annotations

import contextvars
import json
import logging
import re
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


# Paths that carry a secret (a password-reset or email-confirmation key): whoever reads a log
# line with one could set the person's password. Everything after the prefix is hidden.
SECRET_PATH = re.compile(r"(/accounts/(?:password/reset/key|confirm-email)/)[^\s\"'?]+")


def hide_secrets(text: str) -> str:
    return SECRET_PATH.sub(r"\1[hidden]/", text)


class HideSecretLinksFilter(logging.Filter):
    """For the development server's access log: `"GET /accounts/password/reset/key/..."` is
    written with the key hidden (the JSON lines hide it in `JsonFormatter`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide_secrets(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """JSON lines: a value with a newline in it cannot forge a second record."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            data["exc_info"] = self.formatException(record.exc_info)
        return hide_secrets(json.dumps(data, ensure_ascii=False))
