"""Every grant that lets someone see other people's information goes through here.

The HR role, the admin roles (administration site, superuser), line-manager links and coach
links: each change is refused when it is granted to oneself, recorded in the audit log (who,
for whom, what; never content), and the person affected is told by email: the one given the
role, or the person whose manager or coach it is. The Django admin calls these services, and
so must any import. `notices_batched()` turns many grants into one email per person.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils import timezone

from scopegrowth import access, audit, registry
from scopegrowth.exceptions import RuleError
from scopegrowth.models import AuditEvent, CoachLink, ManagerLink, User

# User field -> the role's name in the audit log and in the email
ROLE_FIELDS = {"is_hr": "hr", "is_staff": "staff", "is_superuser": "superuser"}
ROLE_LABELS = {
    "hr": "HR: you can see and export the agreed development plans of your organisation",
    "staff": "administration: you can sign in to the administration site",
    "superuser": "superuser: you can change every account and setting in the administration site",
}

_batch = threading.local()


def _may_manage_accounts(actor: Any, *, roles: bool) -> bool:
    if actor is access.SYSTEM:
        return True
    if not isinstance(actor, User) or not actor.is_active:
        return False
    return actor.is_superuser or (not roles and actor.is_hr)


def role_set(*, actor: Any, user: User, field: str, value: bool) -> bool:
    """Give or take away one role (`is_hr`, `is_staff`, `is_superuser`). Returns whether it
    changed. Only a superuser (or the system) may, and never for their own account."""
    if field not in ROLE_FIELDS:
        raise ValueError(field)
    if not _may_manage_accounts(actor, roles=True):
        raise RuleError("Only an administrator can change roles.")
    if isinstance(actor, User) and actor.pk == user.pk:
        raise RuleError("You cannot change your own roles: ask another administrator.")
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=user.pk)
        if getattr(current, field) == value:
            return False
        setattr(user, field, value)
        User.objects.filter(pk=user.pk).update(**{field: value})
        event = audit.record(
            actor,
            "role_granted" if value else "role_removed",
            user,
            subject=user,
            detail=ROLE_FIELDS[field],
        )
        _notify(user, event)
    return True


def manager_link_start(*, actor: Any, manager: User, report: User, **fields: Any) -> ManagerLink:
    """`manager` becomes `report`'s line manager (the current link, if any, must have ended)."""
    _check_link(actor, holder=manager, person=report, what="line manager")
    with transaction.atomic():
        previous = (
            ManagerLink.objects.filter(report=report, ended_at__isnull=False)
            .select_related("manager")
            .order_by("-ended_at", "-pk")
            .first()
        )
        link = ManagerLink(manager=manager, report=report, **fields)
        link.full_clean()
        link.save()
        _notify(report, audit.record(actor, "manager_link_started", link, subject=report))
        if link.ended_at is None:
            old = previous.manager if previous and previous.manager_id != manager.pk else None
            registry.relationship_changed(
                registry.RelationshipChange("manager", report, old, manager, actor)
            )
    return link


def coach_link_start(*, actor: Any, coach: User, coachee: User, **fields: Any) -> CoachLink:
    """`coach` becomes one of `coachee`'s assigned coaches."""
    _check_link(actor, holder=coach, person=coachee, what="coach")
    with transaction.atomic():
        link = CoachLink(coach=coach, coachee=coachee, **fields)
        link.full_clean()
        link.save()
        _notify(coachee, audit.record(actor, "coach_link_started", link, subject=coachee))
    return link


def link_changed(*, actor: Any, link: ManagerLink | CoachLink, deleted: bool = False) -> None:
    """An existing link was ended, edited or deleted: recorded (it takes access away or changes
    its dates; the person is not emailed)."""
    person = link.report if isinstance(link, ManagerLink) else link.coachee
    kind = "manager_link" if isinstance(link, ManagerLink) else "coach_link"
    with transaction.atomic():
        audit.record(actor, f"{kind}_{'deleted' if deleted else 'changed'}", link, subject=person)
        if deleted or (link.ended_at is not None and link.ended_at <= timezone.now()):
            holder = link.manager if isinstance(link, ManagerLink) else link.coach
            registry.relationship_changed(
                registry.RelationshipChange(kind.split("_")[0], person, holder, None, actor)
            )


def self_grant_error(actor: Any, holder: User | None, what: str) -> str | None:
    """The message when `actor` would make themselves someone's `what` (for forms)."""
    if isinstance(actor, User) and holder is not None and holder.pk == actor.pk:
        return f"You cannot make yourself someone's {what}: ask another administrator or HR."
    return None


def _check_link(actor: Any, *, holder: User, person: User, what: str) -> None:
    if not _may_manage_accounts(actor, roles=False):
        raise RuleError(f"Only an administrator or HR can assign a {what}.")
    message = self_grant_error(actor, holder, what)
    if message:
        raise RuleError(message)


# =============================================================================
# Telling the person: one outbox email per person per grant (or per batch)
# =============================================================================


@contextmanager
def notices_batched() -> Iterator[None]:
    """Inside, grants collect their notices; on leaving, each person gets one email listing
    all of theirs (for imports that change many links at once)."""
    outer = getattr(_batch, "events", None)
    if outer is not None:
        yield
        return
    _batch.events = defaultdict(list)
    try:
        yield
        pending = _batch.events
    finally:
        _batch.events = None
    for user_id, event_ids in pending.items():
        grant_notice_send(user_id=user_id, event_ids=event_ids)


def _notify(person: User, event: AuditEvent) -> None:
    events = getattr(_batch, "events", None)
    if events is not None:
        events[person.pk].append(event.pk)
    else:
        grant_notice_send(user_id=person.pk, event_ids=[event.pk])


def grant_notice_send(*, user_id: int, event_ids: list[int]) -> int:
    """Write the email telling the person what was granted to the outbox, in the caller's
    transaction. Returns the number written (0 or 1)."""
    from scopegrowth import emails, outbox

    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        return 0
    events = list(
        AuditEvent.objects.filter(pk__in=event_ids, subject=person)
        .select_related("actor")
        .order_by("at", "pk")
    )
    links = {
        "managerlink": dict(
            ManagerLink.objects.filter(
                pk__in=[e.object_id for e in events if e.object_type == "managerlink"]
            ).values_list("pk", "manager__full_name")
        ),
        "coachlink": dict(
            CoachLink.objects.filter(
                pk__in=[e.object_id for e in events if e.object_type == "coachlink"]
            ).values_list("pk", "coach__full_name")
        ),
    }
    lines = []
    for event in events:
        if event.action == "role_granted":
            lines.append(f"You now have the role {ROLE_LABELS[event.detail]}.")
        elif event.action == "role_removed":
            lines.append(f"You no longer have the role {ROLE_LABELS[event.detail].split(':')[0]}.")
        elif event.action == "manager_link_started":
            name = links["managerlink"].get(event.object_id)
            lines.append(f"{name} is now your line manager." if name else "")
        elif event.action == "coach_link_started":
            name = links["coachlink"].get(event.object_id)
            lines.append(f"{name} is now one of your coaches." if name else "")
    lines = [line for line in lines if line]
    if not lines:
        return 0
    actors = sorted({e.actor.full_name for e in events if e.actor is not None})
    written = outbox.email(
        "access_granted",
        to=person,
        context={
            "name": person.get_short_name(),
            "lines": lines,
            "by": ", ".join(actors) or "ScopeGrowth",
            "at": timezone.localtime(events[-1].at),
            "link": emails.absolute("/"),
        },
        update=" ".join(lines),
        link="/",
    )
    return int(written is not None)
