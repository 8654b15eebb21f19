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

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model, ProtectedError, Q, QuerySet
from django.utils import timezone

from scopegrowth import access, audit, registry
from scopegrowth.models import AuditEvent, CoachLink, ManagerLink, User
from scopegrowth.registry import Export, PersonalData

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
    "scopegrowth.notice": "the emails about changes in who supports you, sent to you already",
    "scopegrowth.peopleimport": "staff files HR uploaded: the organisation's record, not yours",
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


@dataclass
class RetentionResult:
    cutoff: dt.date
    dry_run: bool
    anonymised: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.anonymised) + len(self.deleted)


ANONYMOUS_NAME = "Former member of staff"


def retention_cutoff(years: int, today: dt.date) -> dt.date:
    """The last leaving date that is more than `years` years before `today`."""
    day = 28 if (today.month, today.day) == (2, 29) else today.day
    return today.replace(year=today.year - years, day=day)


def leavers(cutoff: dt.date) -> QuerySet:
    """People who left on or before `cutoff` and are not anonymised yet."""
    return User.objects.filter(left_on__isnull=False, left_on__lte=cutoff).exclude(
        full_name=ANONYMOUS_NAME
    )


def _anonymise(person: User) -> None:
    for part in _parts():
        if part.anonymise is not None:
            part.anonymise(person)
    person.emailaddress_set.all().delete()
    person.full_name = ANONYMOUS_NAME
    person.job_title = ""
    person.employee_number = ""
    person.staff_group = ""
    person.email = f"removed-{person.pk}@invalid.example"
    person.is_active = False
    person.is_hr = False
    person.is_staff = False
    person.is_superuser = False
    person.set_unusable_password()
    person.save()


def apply_retention(
    actor: Any,
    *,
    years: int,
    today: dt.date | None = None,
    delete: bool = False,
    dry_run: bool = True,
) -> RetentionResult:
    """Anonymise (or, with delete=True, delete where nothing depends on them) everyone who left
    more than `years` ago. HR of the organisation, or the system actor from the command."""
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
    for person in people.order_by("pk"):
        if dry_run:
            result.anonymised.append(person.pk)
            continue
        with transaction.atomic():
            pk = person.pk
            if delete:
                try:
                    with transaction.atomic():
                        person.delete()
                    result.deleted.append(pk)
                    audit.record(actor, "retention_delete", None, detail=f"user {pk}")
                    continue
                except ProtectedError:
                    pass  # they facilitated others' conversations or plans: anonymise instead
            _anonymise(person)
            result.anonymised.append(pk)
            audit.record(actor, "retention_anonymise", person, subject=person)
    return result
