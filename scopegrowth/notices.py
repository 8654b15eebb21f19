"""Relationship notices and invitations: one email per person per batch, through the outbox.

`queue(notices)` writes the notices and, in the same transaction, one outbox email per
recipient (`scopegrowth.outbox`) listing every notice of theirs not yet being sent: a newer
email replaces the recipient's waiting one (its `group`), so a file that moves twenty people to
a new manager sends that manager one email. Sending, retries and the broker-down sweep are the
outbox's.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.urls import reverse

from scopegrowth import emails, outbox
from scopegrowth.models import Notice, OutboundEmail, User

SENTENCES = {
    Notice.Kind.MANAGER_NEW: "{about} is now your line manager.",
    Notice.Kind.MANAGER_ENDED: "{about} is no longer your line manager.",
    Notice.Kind.REPORT_NEW: "You are now the line manager of {about}.",
    Notice.Kind.REPORT_ENDED: "You are no longer the line manager of {about}.",
    Notice.Kind.COACH_NEW: "{about} is now your assigned coach.",
    Notice.Kind.COACH_ENDED: "{about} is no longer your assigned coach.",
    Notice.Kind.COACHEE_NEW: "You are now the assigned coach of {about}.",
    Notice.Kind.COACHEE_ENDED: "You are no longer the assigned coach of {about}.",
    Notice.Kind.ROLE_GRANTED: "You have been given the {detail} role.",
    Notice.Kind.ROLE_REVOKED: "You no longer have the {detail} role.",
    Notice.Kind.PASSWORD_RESET: "An administrator sent you a link to set a new password.",
    Notice.Kind.INVITED: "Your organisation has added you to ScopeGrowth.",
}


def queue(rows: list[Notice]) -> None:
    """Write the notices and each recipient's email, in the caller's transaction."""
    if not rows:
        return
    Notice.objects.bulk_create(rows)
    fresh: dict[int, list[Notice]] = defaultdict(list)
    for notice in rows:
        fresh[notice.recipient_id].append(notice)
    people = User.objects.in_bulk(list(fresh))
    for recipient_id, new in fresh.items():
        group = f"notices:{recipient_id}"
        waiting = Notice.objects.filter(
            recipient_id=recipient_id,
            email__group=group,
            email__status=OutboundEmail.Status.PENDING,
        ).select_related("about")
        batch = [*waiting, *new]
        row = outbox.email(
            "support_changes",
            to=people[recipient_id],
            context=_context(people[recipient_id], batch),
            group=group,
            update=" ".join(sentence(n) for n in batch),
            link=reverse("home"),
        )
        Notice.objects.filter(pk__in=[n.pk for n in batch]).update(email=row)


def sentence(notice: Notice) -> str:
    text = SENTENCES[notice.kind].format(about=notice.about, detail=notice.detail)
    if notice.kind in (Notice.Kind.ROLE_GRANTED, Notice.Kind.ROLE_REVOKED) and notice.about_id:
        text = f"{text[:-1]}, by {notice.about}."  # a role's notice names who changed it
    return text


def set_password_link(person: User) -> str:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(person),
            "key": default_token_generator.make_token(person),
        },
    )
    return emails.absolute(path)


def _context(recipient: User, batch: list[Notice]) -> dict:
    kinds = {n.kind for n in batch}
    sso = bool(getattr(settings, "SSO_OIDC_ISSUER", ""))
    link = None
    if kinds & {Notice.Kind.INVITED, Notice.Kind.PASSWORD_RESET}:
        link = emails.absolute(reverse("account_login")) if sso else set_password_link(recipient)
    return {
        "name": recipient.full_name,
        "sentences": [sentence(n) for n in batch],
        "invited": Notice.Kind.INVITED in kinds,
        "reset": Notice.Kind.PASSWORD_RESET in kinds,
        "link": link,
        "sso": sso,
        "sso_name": getattr(settings, "SSO_OIDC_NAME", ""),
        "home": emails.absolute(reverse("home")),
    }
