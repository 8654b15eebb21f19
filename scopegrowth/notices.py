"""The outbox of relationship notices and invitations: one email per person per batch.

`queue(notices)` writes the rows in the caller's transaction and, after the commit, asks a
worker to send (robust: with the broker down the rows wait for the beat sweep). `send_pending()`
claims each recipient's unsent notices with a conditional UPDATE and sends them as one email, so
a file that moves twenty people to a new manager sends that manager one email, and two workers
never send the same notice.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from scopegrowth import emails
from scopegrowth.models import Notice, User

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

#: Claims older than this belong to a worker that died: the sweep releases them.
STALE_CLAIM = timedelta(minutes=30)


def queue(rows: list[Notice]) -> None:
    """Write the notices now; send them after the commit."""
    if not rows:
        return
    Notice.objects.bulk_create(rows)
    transaction.on_commit(_enqueue, robust=True)


def _enqueue() -> None:
    from scopegrowth.tasks import send_notices

    send_notices.delay()


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


def _send_one(recipient: User, batch: list[Notice]) -> int:
    kinds = {n.kind for n in batch}
    sso = bool(getattr(settings, "SSO_OIDC_ISSUER", ""))
    link = None
    if kinds & {Notice.Kind.INVITED, Notice.Kind.PASSWORD_RESET}:
        link = emails.absolute(reverse("account_login")) if sso else set_password_link(recipient)
    return emails.send(
        "support_changes",
        to=[recipient.email],
        context={
            "name": recipient.full_name,
            "sentences": [sentence(n) for n in batch],
            "invited": Notice.Kind.INVITED in kinds,
            "reset": Notice.Kind.PASSWORD_RESET in kinds,
            "link": link,
            "sso": sso,
            "sso_name": getattr(settings, "SSO_OIDC_NAME", ""),
            "home": emails.absolute(reverse("home")),
        },
    )


def send_pending() -> int:
    """Send every recipient's unsent notices, one email each; returns the emails sent."""
    stale = timezone.now() - STALE_CLAIM
    Notice.objects.filter(sent_at__isnull=True, claim__isnull=False, created_at__lt=stale).update(
        claim=None
    )
    recipients = (
        Notice.objects.filter(sent_at__isnull=True, claim__isnull=True, recipient__is_active=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in list(recipients):
        token = uuid.uuid4()
        if not Notice.objects.filter(
            recipient_id=recipient_id, sent_at__isnull=True, claim__isnull=True
        ).update(claim=token):
            continue  # another worker has them
        batch = list(Notice.objects.filter(claim=token).select_related("recipient", "about"))
        try:
            sent += _send_one(batch[0].recipient, batch)
        except Exception:
            Notice.objects.filter(claim=token).update(claim=None)
            raise
        Notice.objects.filter(claim=token).update(sent_at=timezone.now())
    return sent
