"""The retention rule for people who left: anonymise (or delete) from the holdings alone."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import router, transaction
from django.db.models import Model, ProtectedError, QuerySet, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone

from scopegrowth import access, audit
from scopegrowth.dataprotection.download import parts
from scopegrowth.dataprotection.holdings import ANONYMISE, ANONYMOUS_NAME, DELETE, REMOVED, holdings
from scopegrowth.models import User
from scopegrowth.registry import Holding


def _empty(model: type[Model], name: str) -> Any:
    f = model._meta.get_field(name)
    if f.null:
        return None
    if f.get_internal_type() in {"CharField", "TextField", "SlugField"}:
        return REMOVED if not f.blank else ""
    raise ValueError(f"{model._meta.label_lower}.{name}: say what it becomes (values=...)")


def _apply_holding(holding: Holding, person: User) -> None:
    rows = holding.rows(person)
    model = rows.model
    if holding.delete_rows:
        rows.delete()
        return
    many = [n for n in holding.remove if model._meta.get_field(n).many_to_many]
    changes = {n: _empty(model, n) for n in holding.remove if n not in many}
    for name, value in holding.values.items():
        changes[name] = value(person) if callable(value) else value
    for obj in rows if many else []:
        for name in many:
            getattr(obj, name).clear()
    if changes:
        rows.update(**changes)


def _end_sessions(person: User) -> None:
    from allauth.usersessions.models import UserSession

    for session in UserSession.objects.filter(user=person):
        session.end()  # the Django session row too, so the cookie signs nobody in


@dataclass(frozen=True)
class RetentionEntry:
    """One person the rule applies to, and what happens (`ANONYMISE` or `DELETE`)."""

    pk: int
    name: str
    left_on: dt.date
    action: str

    @property
    def action_text(self) -> str:
        return "Deleted" if self.action == DELETE else "Anonymised: every word removed"


@dataclass
class RetentionResult:
    cutoff: dt.date
    dry_run: bool
    entries: list[RetentionEntry] = field(default_factory=list)

    @property
    def anonymised(self) -> list[int]:
        return [e.pk for e in self.entries if e.action == ANONYMISE]

    @property
    def deleted(self) -> list[int]:
        return [e.pk for e in self.entries if e.action == DELETE]

    @property
    def count(self) -> int:
        return len(self.entries)


def retention_cutoff(years: int, today: dt.date) -> dt.date:
    """The last leaving date that is *more* than `years` years before `today`: someone who left
    exactly `years` years ago today is not included. The anniversary of 29 February falls on
    1 March in a common year (as a UK birthday does)."""
    yesterday = today - dt.timedelta(days=1)
    year = yesterday.year - years
    if (yesterday.month, yesterday.day) == (2, 29) and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return yesterday.replace(year=year)


def leavers(cutoff: dt.date) -> QuerySet:
    """People who left on or before `cutoff` and are not anonymised yet."""
    return User.objects.filter(left_on__isnull=False, left_on__lte=cutoff).exclude(
        full_name=ANONYMOUS_NAME
    )


def can_delete(person: User) -> bool:
    """Would deleting the person leave others' records intact (nothing PROTECTs them)?"""
    collector = Collector(using=router.db_for_write(User))
    try:
        collector.collect([person])
    except (ProtectedError, RestrictedError):
        return False
    return True


def _anonymise(person: User) -> None:
    _end_sessions(person)
    for part in parts():
        if part.anonymise is not None:
            part.anonymise(person)
    for holding in holdings():
        _apply_holding(holding, person)


def apply_retention(
    actor: Any,
    *,
    years: int,
    today: dt.date | None = None,
    delete: bool = False,
    dry_run: bool = True,
) -> RetentionResult:
    """Anonymise (or, with delete=True, delete where nothing depends on them) everyone who left
    more than `years` ago. HR of the organisation, or the system actor from the command.

    The dry run decides each person's action with the same function as the real run
    (`can_delete`), so its list is exactly what the real run does."""
    if years < 1:
        raise ValueError("years must be at least 1")
    today = today or timezone.localdate()
    cutoff = retention_cutoff(years, today)
    people = leavers(cutoff)
    if actor is not access.SYSTEM:
        if access.HR not in access.roles(actor):
            raise PermissionError("Only HR can apply the retention rule")
        people = people.filter(organisation_id=actor.organisation_id)
    result = RetentionResult(cutoff=cutoff, dry_run=dry_run)
    for person in people.order_by("left_on", "pk"):
        with transaction.atomic():
            action = DELETE if delete and can_delete(person) else ANONYMISE
            result.entries.append(
                RetentionEntry(person.pk, person.full_name, person.left_on, action)
            )
            if dry_run:
                continue
            pk = person.pk
            _anonymise(person)  # also before deleting: sessions and the admin log hold words
            if action == DELETE:
                person.delete()
                audit.record(actor, "retention_delete", None, detail=f"user {pk}")
            else:
                audit.record(actor, "retention_anonymise", person, subject=person)
    return result
