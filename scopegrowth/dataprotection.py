"""Data protection: "download my data" and the retention rule for people who left.

`my_data(user)` gathers every record held about a person that they can see in the service, as
JSON-ready rows, plus who viewed or exported their information. The core holds the profile,
accounts and links; each feature app adds its part in `<app>/personal_data.py` (the core's
`registry.PERSONAL_DATA`). `exports()` and `not_exported()` together must cover every model that
points at a person (a test walks the models), so a new model cannot be forgotten.

`apply_retention(actor, years=..., today=..., delete=..., dry_run=...)` finds people who left
more than `years` ago and anonymises them (or deletes them where nothing depends on them).
Running it twice changes nothing the second time; audit rows are kept as tombstones.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import router, transaction
from django.db.models import Model, ProtectedError, Q, QuerySet, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone

from scopegrowth import access, audit, registry
from scopegrowth.models import AuditEvent, CoachLink, ManagerLink, User
from scopegrowth.registry import Export, Holding, PersonalData

# ---------------------------------------------------------------------------------------------
# Download my data
# ---------------------------------------------------------------------------------------------


def _core_exports() -> list[Export]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession

    return [
        Export(
            "profile",
            "scopegrowth.user",
            lambda u: User.objects.filter(pk=u.pk),
            frozenset({"password"}),
        ),
        Export(
            "email_addresses", "account.emailaddress", lambda u: EmailAddress.objects.filter(user=u)
        ),
        Export(
            "authenticators",
            "mfa.authenticator",
            lambda u: Authenticator.objects.filter(user=u),
            frozenset({"data"}),
        ),
        Export(
            "sessions",
            "usersessions.usersession",
            lambda u: UserSession.objects.filter(user=u),
            frozenset({"session_key"}),
        ),
        Export(
            "line_manager_links",
            "scopegrowth.managerlink",
            lambda u: ManagerLink.objects.filter(Q(report=u) | Q(manager=u)),
        ),
        Export(
            "coach_links",
            "scopegrowth.coachlink",
            lambda u: CoachLink.objects.filter(Q(coachee=u) | Q(coach=u)),
        ),
        Export(
            "who_viewed_or_exported_your_information",
            "scopegrowth.auditevent",
            lambda u: AuditEvent.objects.filter(subject=u).exclude(actor=u),
        ),
        Export(
            "your_activity", "scopegrowth.auditevent", lambda u: AuditEvent.objects.filter(actor=u)
        ),
    ]


def _parts() -> list[PersonalData]:
    return sorted(registry.PERSONAL_DATA, key=lambda part: part.order)


def exports() -> list[Export]:
    """Every part of the download: the core's (profile, accounts, links) and each app's, then
    the audit trail."""
    core = _core_exports()
    apps_parts = [e for part in _parts() for e in part.exports]
    return core[:-2] + apps_parts + core[-2:]


def not_exported() -> dict[str, str]:
    """Models that point at a person but are not in the download, and why."""
    found = dict(NOT_EXPORTED)
    for part in _parts():
        found.update(part.not_exported)
    return found


# The core's models that point at a person but are not in the download, and why (each app
# adds its own in `<app>/personal_data.py`).
NOT_EXPORTED = {
    "account.emailconfirmation": "one-time verification keys (secrets), kept for days only",
}


def _row(obj: Model, hidden: frozenset[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in hidden:
            continue
        value = getattr(obj, f.attname)
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        elif not isinstance(value, str | int | float | bool | type(None) | dict | list):
            value = str(value)
        data[f.attname] = value
    return data


def my_data(user: User) -> dict[str, Any]:
    """Everything about `user` that the download includes, as JSON-ready data."""
    access.require(user, "view", user)
    result: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(),
        "about": "All the information ScopeGrowth holds about you that you can see in the "
        "service. Not included: " + "; ".join(f"{k}: {v}" for k, v in not_exported().items()),
    }
    for export in exports():
        result[export.name] = [_row(o, export.hidden) for o in export.rows(user).order_by("pk")]
    audit.record(user, "export_own_data", user, subject=user)
    return result


# ---------------------------------------------------------------------------------------------
# Retention
# ---------------------------------------------------------------------------------------------


ANONYMOUS_NAME = "Former member of staff"
REMOVED = "(removed)"
ANONYMISE, DELETE = "anonymise", "delete"


def _core_holdings() -> list[Holding]:
    """The core's models about a person, every field classified (apps add theirs)."""
    from allauth.account.models import EmailAddress, EmailConfirmation
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType

    def open_links(model, *sides: str):
        return lambda p: model.objects.filter(
            Q(**{sides[0]: p}) | Q(**{sides[1]: p}), ended_at__isnull=True
        )

    tombstone = "the tombstone that retention keeps: ids, dates and kinds, never words"
    return [
        Holding(
            "scopegrowth.user",
            lambda p: User.objects.filter(pk=p.pk),
            remove=frozenset({"job_title", "team", "last_login", "groups", "user_permissions"}),
            values={
                "full_name": ANONYMOUS_NAME,
                "email": lambda p: f"removed-{p.pk}@invalid.example",
                "password": lambda p: make_password(None),
                # The join date goes: the kept leaving date stands in (not null).
                "date_joined": lambda p: dt.datetime.combine(p.left_on, dt.time.min, tzinfo=dt.UTC),
                "is_active": False,
                "is_hr": False,
                "is_staff": False,
                "is_superuser": False,
                "optional_reminders": False,
            },
            keep={
                "id": "the tombstone's key",
                "organisation": "which organisation's anonymous figures the record counts in",
                "left_on": "the retention rule's own date (a second run must skip them)",
            },
        ),
        Holding(
            "account.emailconfirmation",
            lambda p: EmailConfirmation.objects.filter(email_address__user=p),
            delete_rows=True,
        ),
        Holding(
            "account.emailaddress",
            lambda p: EmailAddress.objects.filter(user=p),
            delete_rows=True,
        ),
        Holding("mfa.authenticator", lambda p: Authenticator.objects.filter(user=p), True),
        # Ended with their Django session first (`_end_sessions`): IP address and browser go.
        Holding("usersessions.usersession", lambda p: UserSession.objects.filter(user=p), True),
        Holding(
            "scopegrowth.managerlink",
            open_links(ManagerLink, "manager", "report"),
            values={"ended_at": lambda p: timezone.now()},
            keep={k: "who supported whom, and since when" for k in ("id", "manager", "report")}
            | {"started_at": "who supported whom, and since when"},
        ),
        Holding(
            "scopegrowth.coachlink",
            open_links(CoachLink, "coach", "coachee"),
            values={"ended_at": lambda p: timezone.now()},
            keep={k: "who supported whom, and since when" for k in ("id", "coach", "coachee")}
            | {"started_at": "who supported whom, and since when"},
        ),
        Holding(
            "scopegrowth.auditevent",
            lambda p: AuditEvent.objects.filter(Q(actor=p) | Q(subject=p)),
            keep={
                f: tombstone
                for f in (
                    "id",
                    "at",
                    "actor",
                    "subject",
                    "action",
                    "object_type",
                    "object_id",
                    "detail",
                    "request_id",
                )
            },
        ),
        # The admin's history of changes to the account names them in `object_repr`.
        Holding(
            "admin.logentry",
            lambda p: LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(User), object_id=str(p.pk)
            ),
            remove=frozenset({"change_message"}),
            values={"object_repr": ANONYMOUS_NAME},
            keep={
                f: "which admin changed the account, and when"
                for f in ("id", "action_time", "user", "content_type", "object_id", "action_flag")
            },
        ),
    ]


def holdings() -> list[Holding]:
    """Every model about a person, every field classified: each app's, then the core's (the
    account itself last, so its name goes only once everything hanging on it is done)."""
    return [h for part in _parts() for h in part.holdings] + _core_holdings()


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
    for part in _parts():
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
