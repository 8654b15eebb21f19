"""What retention does to every field the core holds about a person (the apps declare theirs
in `<app>/personal_data.py`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from scopegrowth.dataprotection.download import parts
from scopegrowth.models import (
    AuditEvent,
    CoachLink,
    ManagerLink,
    Notice,
    OutboundEmail,
    PeopleImport,
    Update,
    User,
)
from scopegrowth.registry import Holding

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
    from allauth.socialaccount.models import SocialAccount, SocialToken
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
            remove=frozenset(
                {
                    "job_title",
                    "team",
                    "last_login",
                    "groups",
                    "user_permissions",
                    "employee_number",
                    "staff_group",
                    "started_on",
                }
            ),
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
        # The organisation's sign-in: its subject and the claims it sent go with the person.
        Holding(
            "socialaccount.socialtoken",
            lambda p: SocialToken.objects.filter(account__user=p),
            delete_rows=True,
        ),
        Holding(
            "socialaccount.socialaccount", lambda p: SocialAccount.objects.filter(user=p), True
        ),
        # Notices of a change in who supports whom: sent or not, they go with the person.
        Holding(
            "scopegrowth.notice",
            lambda p: Notice.objects.filter(Q(recipient=p) | Q(about=p)),
            delete_rows=True,
        ),
        # The outbox's emails to the person: sent or not, they go with the person.
        Holding(
            "scopegrowth.outboundemail",
            lambda p: OutboundEmail.objects.filter(Q(recipient=p) | Q(to__iexact=p.email)),
            delete_rows=True,
        ),
        # Updates to the person (names, dates, links): they go with the person.
        Holding("scopegrowth.update", lambda p: Update.objects.filter(recipient=p), True),
        # A people import HR ran: the record stays (HR's work), who ran it goes.
        Holding(
            "scopegrowth.peopleimport",
            lambda p: PeopleImport.objects.filter(uploaded_by=p),
            remove=frozenset({"uploaded_by"}),
            keep={
                f: "the import's own record, not about the person who ran it"
                for f in (
                    "id",
                    "organisation",
                    "filename",
                    "content",
                    "deactivate_missing",
                    "invite",
                    "status",
                    "summary",
                    "created_at",
                    "finished_at",
                )
            },
        ),
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
    return [h for part in parts() for h in part.holdings] + _core_holdings()
