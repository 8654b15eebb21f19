"""What `access` writes to the logs when it refuses: a rule that raised (`fail_closed`, which
apps' rules call too) and a refused authorisation (the security log)."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Model, QuerySet

logger = logging.getLogger("scopegrowth.access")


def fail_closed(what: str, exc: BaseException) -> None:
    """Log a rule that raised; the caller then refuses (apps' rules use this too)."""
    logger.exception(
        "access rule failed; denying", extra={"rule": what, "error": type(exc).__name__}
    )


def log_refusal(user: Any, action: str, model_or_queryset: Any, status: int) -> None:
    """Refused authorisations go to the security log (who, what kind, which action; no ids
    that would confirm an object exists to a reader of the log who should not know)."""
    model = getattr(model_or_queryset, "model", model_or_queryset)
    logging.getLogger("scopegrowth.security").warning(
        "access refused",
        extra={
            "event": "access_refused",
            "user": getattr(user, "pk", None),
            "object_type": model._meta.label_lower,
            "action": action,
            "status": status,
        },
    )


def model_of(model_or_queryset: Any) -> type[Model]:
    """The model of a model, a queryset or a function returning a queryset."""
    if isinstance(model_or_queryset, type) and issubclass(model_or_queryset, Model):
        return model_or_queryset
    if isinstance(model_or_queryset, QuerySet):
        return model_or_queryset.model
    return model_or_queryset().model  # a builder: its queryset's model
