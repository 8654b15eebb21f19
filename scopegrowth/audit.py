"""Append-only audit trail: who viewed, shared, changed, signed or exported what (never content)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from scopegrowth.logging import request_id_var
from scopegrowth.models import AuditEvent, User


def record(
    actor: Any,
    action: str,
    obj: Model | None = None,
    *,
    subject: User | None = None,
    detail: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if isinstance(actor, User) else None,
        subject=subject,
        action=action,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        detail=detail[:100],
        request_id=request_id_var.get(),
    )
