"""Who supports whom, and who holds HR or admin: the one service every such change goes through.

The Django admin, the people import and any future page call these functions; nothing else
writes a `ManagerLink`, a `CoachLink`, `is_hr`, `is_staff` or `is_superuser` (a code-rule test
checks). Every change:

- is allowed by `access` (`relate` for links, `grant` for roles) and refused with a `RuleError`
  when it would give the actor a role or a relationship (nobody makes themself someone's
  manager or coach, ticks HR on their own account, or picks their own line manager);
- ends the old line-manager link with the time and starts the new one (history is kept);
- writes an audit event per link or role, and a `Notice` for each person affected; the notices
  are sent after the commit, one email per person for the whole batch (`notices.py`);
- calls `registry.relationship_changed(...)` inside the transaction, so an app's hook (open
  conversations passing to the new manager) commits or rolls back with the change.

`managers_set` is the batch form the people import uses (a few queries for the whole file
rather than per row); `manager_set` is one change through it. The Django admin edits links
row by row with their own dates: `manager_link_start`, `coach_link_start` and `link_changed`
(an edited, ended or deleted link) apply the same checks, audit, notices and hook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from scopegrowth import access, audit, notices, registry
from scopegrowth.exceptions import RuleError
from scopegrowth.models import AuditEvent, CoachLink, ManagerLink, Notice, User
from scopegrowth.registry import RelationshipChange

# Role -> its name in the notice. "admin" is both flags (what the people import and pages give);
# the Django admin's checkboxes set "staff" (the administration site) and "superuser" apart.
ROLES = {"hr": "HR", "admin": "admin", "staff": "administration site", "superuser": "superuser"}
ROLE_FIELDS = {"is_hr": "hr", "is_staff": "staff", "is_superuser": "superuser"}


# ---------------------------------------------------------------------------------------------
# Checks shared with forms and the importer
# ---------------------------------------------------------------------------------------------


def self_grant_refusal(actor: Any, person: User, supporter: User | None = None) -> str | None:
    """Why this change would give the actor a role or relationship, or None."""
    actor_pk = getattr(actor, "pk", None)
    if actor_pk is None:
        return None
    if person.pk == actor_pk:
        return "You cannot change your own roles or who supports you; ask another admin or HR."
    if supporter is not None and supporter.pk == actor_pk:
        return f"You cannot make yourself the line manager or coach of {person}."
    return None


def _refuse_self(actor: Any, person: User, supporter: User | None = None) -> None:
    reason = self_grant_refusal(actor, person, supporter)
    if reason:
        raise RuleError(reason)


def _action(actor: Any, action: str) -> str:
    """The system actor (the import command) holds one system-only action for both."""
    return "sync" if isinstance(actor, access.SystemActor) else action


def _require(actor: Any, action: str, person: User) -> None:
    access.require(actor, _action(actor, action), person)


def _require_all(actor: Any, action: str, people: Iterable[User]) -> None:
    pks = {p.pk for p in people}
    allowed = set(
        access.scope(actor, _action(actor, action), User)
        .filter(pk__in=pks)
        .values_list("pk", flat=True)
    )
    if pks - allowed:
        raise RuleError("You may not change who supports some of these people.")


def _manager_loop(links: dict[int, int], start: int) -> bool:
    """Following line managers up from `start` comes back to `start`."""
    seen = set()
    current = links.get(start)
    while current is not None:
        if current == start:
            return True
        if current in seen:
            return False  # a loop above `start`, reported for its own people
        seen.add(current)
        current = links.get(current)
    return False


# ---------------------------------------------------------------------------------------------
# Line managers
# ---------------------------------------------------------------------------------------------


def managers_set(
    *,
    actor: Any,
    changes: list[tuple[User, User | None]],
    at: dt.datetime | None = None,
    untold: frozenset[int] = frozenset(),
) -> int:
    """Give each `person` the line manager `manager` (None: no line manager). Returns how many
    links changed (a person whose manager is already `manager` is skipped). `untold`: people
    who get no notice (new people of an import that sends no invitations)."""
    at = at or timezone.now()
    for person, manager in changes:
        _refuse_self(actor, person, manager)
        if manager is not None and manager.pk == person.pk:
            raise RuleError(f"{person} cannot be their own line manager.")
        if manager is not None and not manager.is_active:
            raise RuleError(f"{manager} has left and cannot be a line manager.")
    with transaction.atomic():
        current = {
            link.report_id: link
            for link in ManagerLink.objects.active()
            .filter(report__in=[p.pk for p, _ in changes])
            .select_related("manager")
        }
        todo = [
            (person, manager)
            for person, manager in changes
            if getattr(current.get(person.pk), "manager_id", None)
            != (manager.pk if manager else None)
        ]
        if not todo:
            return 0
        _require_all(actor, "relate", [person for person, _ in todo])
        graph = dict(ManagerLink.objects.active().values_list("report_id", "manager_id"))
        for person, manager in todo:
            if manager is None:
                graph.pop(person.pk, None)
            else:
                graph[person.pk] = manager.pk
        for person, _ in todo:
            if _manager_loop(graph, person.pk):
                raise RuleError(f"{person} would end up managing themself through others.")
        ended = [current[p.pk] for p, _ in todo if p.pk in current]
        ManagerLink.objects.filter(pk__in=[link.pk for link in ended]).update(ended_at=at)
        new_links = ManagerLink.objects.bulk_create(
            [ManagerLink(manager=m, report=p, started_at=at) for p, m in todo if m is not None]
        )
        events: list[AuditEvent] = []
        told: list[Notice] = []
        for link in ended:
            events.append(_event(actor, "manager_link_end", link, link.report, at))
        for link in new_links:
            events.append(_event(actor, "manager_link_start", link, link.report, at))
        for person, manager in todo:
            old = current[person.pk].manager if person.pk in current else None
            if manager is not None:
                told.append(Notice(recipient=person, kind=Notice.Kind.MANAGER_NEW, about=manager))
                told.append(Notice(recipient=manager, kind=Notice.Kind.REPORT_NEW, about=person))
            elif old is not None:
                told.append(Notice(recipient=person, kind=Notice.Kind.MANAGER_ENDED, about=old))
            if old is not None:
                told.append(Notice(recipient=old, kind=Notice.Kind.REPORT_ENDED, about=person))
            registry.relationship_changed(
                RelationshipChange("manager", person, old, manager, actor)
            )
        AuditEvent.objects.bulk_create(events)
        notices.queue([n for n in told if n.recipient_id not in untold])
    return len(todo)


def manager_set(*, actor: Any, person: User, manager: User | None) -> bool:
    """One person's new line manager (None ends the current link). True when it changed."""
    return managers_set(actor=actor, changes=[(person, manager)]) == 1


def _event(actor: Any, action: str, obj: Any, subject: User, at: dt.datetime) -> AuditEvent:
    from scopegrowth.logging import request_id_var

    return AuditEvent(
        at=at,
        actor=actor if isinstance(actor, User) else None,
        subject=subject,
        action=action,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        request_id=request_id_var.get(),
    )


# ---------------------------------------------------------------------------------------------
# Coaches
# ---------------------------------------------------------------------------------------------


def coach_add(*, actor: Any, person: User, coach: User) -> CoachLink:
    """Assign `coach` to `person` (an existing open link is returned unchanged)."""
    _refuse_self(actor, person, coach)
    if coach.pk == person.pk:
        raise RuleError(f"{person} cannot be their own coach.")
    if not coach.is_active:
        raise RuleError(f"{coach} has left and cannot be a coach.")
    _require(actor, "relate", person)
    with transaction.atomic():
        existing = CoachLink.objects.active().filter(coach=coach, coachee=person).first()
        if existing is not None:
            return existing
        link = CoachLink.objects.create(coach=coach, coachee=person)
        audit.record(actor, "coach_link_start", link, subject=person)
        notices.queue(_told(person, coach, "coach", opened=True))
        registry.relationship_changed(RelationshipChange("coach", person, None, coach, actor))
    return link


def coach_end(*, actor: Any, link: CoachLink) -> bool:
    """End an assigned coach's link now. False when it had ended already."""
    person, coach = link.coachee, link.coach
    _refuse_self(actor, person, coach)
    _require(actor, "relate", person)
    with transaction.atomic():
        if not CoachLink.objects.filter(pk=link.pk, ended_at__isnull=True).update(
            ended_at=timezone.now()
        ):
            return False
        link.refresh_from_db()
        audit.record(actor, "coach_link_end", link, subject=person)
        notices.queue(_told(person, coach, "coach", opened=False))
        registry.relationship_changed(RelationshipChange("coach", person, coach, None, actor))
    return True


# ---------------------------------------------------------------------------------------------
# Roles, password reset links and invitations
# ---------------------------------------------------------------------------------------------


def _role_fields(role: str, value: bool) -> dict[str, bool]:
    if role == "admin":
        # The admin site needs the superuser flag to manage accounts; it reads no journal
        # (access.py has no superuser shortcut).
        return {"is_staff": value, "is_superuser": value}
    fields = {v: k for k, v in ROLE_FIELDS.items()}
    if role not in fields:
        raise ValueError(f"unknown role {role!r}")
    return {fields[role]: value}


def role_set(*, actor: Any, person: User, role: str, value: bool) -> bool:
    """Give (`value=True`) or remove HR or admin. True when it changed."""
    fields = _role_fields(role, value)
    _refuse_self(actor, person)
    _require(actor, "grant", person)
    with transaction.atomic():
        changed = User.objects.filter(pk=person.pk).exclude(**fields).update(**fields)
        if not changed:
            return False
        for name, v in fields.items():
            setattr(person, name, v)
        audit.record(
            actor, "role_grant" if value else "role_revoke", person, subject=person, detail=role
        )
        kind = Notice.Kind.ROLE_GRANTED if value else Notice.Kind.ROLE_REVOKED
        by = actor if isinstance(actor, User) else None  # the email names who gave it
        notices.queue([Notice(recipient=person, kind=kind, detail=ROLES[role], about=by)])
    return True


def password_reset_send(*, actor: Any, person: User) -> None:
    """An admin cannot set a password: they send the person a link to set one themself."""
    _refuse_self(actor, person)
    _require(actor, "grant", person)
    with transaction.atomic():
        audit.record(actor, "password_reset_sent", person, subject=person)
        notices.queue([Notice(recipient=person, kind=Notice.Kind.PASSWORD_RESET)])


def people_invite(*, actor: Any, people: list[User]) -> int:
    """Invite new people: one email each with a link to set a password (or to sign in with
    the organisation's account when SSO is on)."""
    if not people:
        return 0
    _require_all(actor, "relate", people)
    with transaction.atomic():
        AuditEvent.objects.bulk_create(
            [_event(actor, "invited", p, p, timezone.now()) for p in people]
        )
        notices.queue([Notice(recipient=p, kind=Notice.Kind.INVITED) for p in people])
    return len(people)


# ---------------------------------------------------------------------------------------------
# The Django admin's links: one row at a time, with the dates typed in the form
# ---------------------------------------------------------------------------------------------


# (kind, opened) -> what the person is told, what the manager or coach is told
_TOLD = {
    ("manager", True): (Notice.Kind.MANAGER_NEW, Notice.Kind.REPORT_NEW),
    ("manager", False): (Notice.Kind.MANAGER_ENDED, Notice.Kind.REPORT_ENDED),
    ("coach", True): (Notice.Kind.COACH_NEW, Notice.Kind.COACHEE_NEW),
    ("coach", False): (Notice.Kind.COACH_ENDED, Notice.Kind.COACHEE_ENDED),
}


def _told(person: User, holder: User, kind: str, *, opened: bool) -> list[Notice]:
    to_person, to_holder = _TOLD[(kind, opened)]
    return [
        Notice(recipient=person, kind=to_person, about=holder),
        Notice(recipient=holder, kind=to_holder, about=person),
    ]


def _link_start(actor: Any, link: ManagerLink | CoachLink, kind: str) -> None:
    person, holder = _sides(link)
    _refuse_self(actor, person, holder)
    if holder.pk == person.pk:
        raise RuleError(
            f"{person} cannot be their own {'line manager' if kind == 'manager' else 'coach'}."
        )
    _require(actor, "relate", person)
    with transaction.atomic():
        link.full_clean()
        link.save()
        audit.record(actor, f"{kind}_link_start", link, subject=person)
        if link.ended_at is None:  # a link typed in as history gives no access and tells nobody
            notices.queue(_told(person, holder, kind, opened=True))
            old = None
            if kind == "manager":
                previous = (
                    ManagerLink.objects.filter(report=person, ended_at__isnull=False)
                    .select_related("manager")
                    .order_by("-ended_at", "-pk")
                    .first()
                )
                old = previous.manager if previous and previous.manager_id != holder.pk else None
            registry.relationship_changed(RelationshipChange(kind, person, old, holder, actor))


def manager_link_start(*, actor: Any, manager: User, report: User, **fields: Any) -> ManagerLink:
    """`manager` becomes `report`'s line manager from `started_at` (the admin ends the current
    link first; `ended_at` set: a past link, kept as history)."""
    link = ManagerLink(manager=manager, report=report, **fields)
    _link_start(actor, link, "manager")
    return link


def coach_link_start(*, actor: Any, coach: User, coachee: User, **fields: Any) -> CoachLink:
    """`coach` becomes one of `coachee`'s assigned coaches (as `manager_link_start`)."""
    link = CoachLink(coach=coach, coachee=coachee, **fields)
    _link_start(actor, link, "coach")
    return link


def _gives_access(ended_at: dt.datetime | None) -> bool:
    return ended_at is None or ended_at > timezone.now()


def link_save(*, actor: Any, link: ManagerLink | CoachLink) -> None:
    """Save an edit of an existing link (its dates): audited; when the edit ends it, the two
    people are told and the hook runs, as for any ended link."""
    person, holder = _sides(link)
    kind = "manager" if isinstance(link, ManagerLink) else "coach"
    if _gives_access(link.ended_at):  # ending one's own link gives nothing: allowed
        _refuse_self(actor, person, holder)
    _require(actor, "relate", person)
    with transaction.atomic():
        stored = type(link).objects.select_for_update().get(pk=link.pk)
        link.full_clean()
        link.save()
        audit.record(actor, f"{kind}_link_change", link, subject=person)
        if _gives_access(stored.ended_at) and not _gives_access(link.ended_at):
            notices.queue(_told(person, holder, kind, opened=False))
            registry.relationship_changed(RelationshipChange(kind, person, holder, None, actor))


def link_delete(*, actor: Any, link: ManagerLink | CoachLink) -> None:
    """Delete a link (a mistake typed in the admin): audited; if it still gave access, the two
    people are told and the hook runs."""
    person, holder = _sides(link)
    kind = "manager" if isinstance(link, ManagerLink) else "coach"
    _require(actor, "relate", person)
    with transaction.atomic():
        stored = type(link).objects.select_for_update().get(pk=link.pk)
        audit.record(actor, f"{kind}_link_delete", link, subject=person)
        if _gives_access(stored.ended_at):
            notices.queue(_told(person, holder, kind, opened=False))
            registry.relationship_changed(RelationshipChange(kind, person, holder, None, actor))
        stored.delete()


def _sides(link: ManagerLink | CoachLink) -> tuple[User, User]:
    if isinstance(link, ManagerLink):
        return link.report, link.manager
    return link.coachee, link.coach
