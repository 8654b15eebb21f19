"""Outgoing email: one function per kind over the three-template convention.

`templates/emails/<kind>_subject.txt`, `<kind>_body.txt` and `<kind>_body.html`. Emails never carry
journal answers or notes; links are absolute (`SITE_URL`). An email is written to the outbox
(`scopegrowth.outbox`) in the change's transaction and sent by a task, never inside a web
request; reminders have their own outbox (`reminders.services`).

`stamp()` adds what a mail system checks to every message, ours and allauth's (the account
adapter calls it): `Auto-Submitted: auto-generated` (RFC 3834, so no out-of-office reply comes
back), a `Message-ID` in the domain of `SITE_URL` rather than the sending machine's host name, and
on optional reminders a `List-Unsubscribe` link to the preferences page (RFC 2369; a page to
sign in to, so no one-click POST endpoint and no `List-Unsubscribe-Post`).
"""

from __future__ import annotations

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def new_message_id() -> str:
    """A Message-ID in the domain of `SITE_URL`, for a caller that stores it."""
    return make_msgid(domain=site_domain())


def stamp(message: EmailMessage, *, optional: bool = False) -> EmailMessage:
    """The headers every email carries; `optional` for the reminders a person can turn off."""
    message.extra_headers.setdefault("Message-ID", make_msgid(domain=site_domain()))
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    if optional:
        message.extra_headers["List-Unsubscribe"] = f"<{absolute(reverse('preferences'))}>"
    return message


def _clean_header(value: str) -> str:
    """No CR/LF can reach a header (a display name cannot add a Bcc)."""
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


def render(kind: str, context: dict) -> tuple[str, str, str]:
    """`kind`'s subject (with the site's prefix), text and HTML bodies for `context`."""
    ctx = {"site_url": settings.SITE_URL, **context}
    subject = _clean_header(render_to_string(f"emails/{kind}_subject.txt", ctx))
    text = render_to_string(f"emails/{kind}_body.txt", ctx)
    html = render_to_string(f"emails/{kind}_body.html", ctx)
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", text, html


def message(
    *,
    subject: str,
    text: str,
    html: str,
    to: list[str],
    attachments: list[tuple[str, bytes | str, str]] | None = None,
    headers: dict | None = None,
) -> EmailMultiAlternatives:
    """An email built from rendered parts (the outbox's sender uses it)."""
    built = EmailMultiAlternatives(subject=_clean_header(subject), body=text, to=to)
    if html:
        built.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        built.attach(filename, content, mimetype)
    built.extra_headers.update(headers or {})
    return built


def send(
    kind: str,
    *,
    to: list[str],
    context: dict,
    attachments: list[tuple[str, bytes, str]] | None = None,
    optional: bool = False,
    message_id: str | None = None,
) -> int:
    """Render `kind`'s three templates with `context` (+ site_url) and send; returns 1 if sent.
    For the reminder engine, which is its own outbox; everything else writes to
    `scopegrowth.outbox`. `optional`: the recipient may turn this kind off (List-Unsubscribe).
    An attachment's MIME type may carry parameters (`text/calendar; method=REQUEST`).
    `message_id`: a stable one (a repeat of an uncertain send carries the first one's, so a mail
    system can drop it)."""
    subject, text, html = render(kind, context)
    built = message(subject=subject, text=text, html=html, to=to, attachments=attachments)
    if message_id:
        built.extra_headers["Message-ID"] = message_id
    return stamp(built, optional=optional).send()
