"""Download my data: every part the core and the apps declare, as JSON-ready rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model, Q
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
    from allauth.socialaccount.models import SocialAccount
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
            "organisation_sign_in",
            "socialaccount.socialaccount",
            lambda u: SocialAccount.objects.filter(user=u),
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


def parts() -> list[PersonalData]:
    """Every app's registered part, in order."""
    return sorted(registry.PERSONAL_DATA, key=lambda part: part.order)


def exports() -> list[Export]:
    """Every part of the download: the core's (profile, accounts, links) and each app's, then
    the audit trail."""
    core = _core_exports()
    apps_parts = [e for part in parts() for e in part.exports]
    return core[:-2] + apps_parts + core[-2:]


def not_exported() -> dict[str, str]:
    """Models that point at a person but are not in the download, and why."""
    found = dict(NOT_EXPORTED)
    for part in parts():
        found.update(part.not_exported)
    return found


# The core's models that point at a person but are not in the download, and why (each app
# adds its own in `<app>/personal_data.py`).
NOT_EXPORTED = {
    "account.emailconfirmation": "one-time verification keys (secrets), kept for days only",
    "socialaccount.socialtoken": "never stored (SOCIALACCOUNT_STORE_TOKENS is off)",
    "scopegrowth.notice": "the emails about changes in who supports you, sent to you already",
    "scopegrowth.outboundemail": "emails to you, sent to you already (text emptied once sent)",
    "scopegrowth.update": "your updates list: who did what and when, shown on the Updates page",
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
