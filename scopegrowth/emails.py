"""Outgoing email: one function per kind over the three-template convention.

`templates/emails/<kind>_subject.txt`, `<kind>_body.txt` and `<kind>_body.html`. Emails never carry
journal answers or notes; links are absolute (`SITE_URL`). Sending happens in a Celery task
enqueued on commit (see each app's tasks.py), never inside a web request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _clean_header(value: str) -> str:
    """No CR/LF can reach a header (a display name cannot add a Bcc)."""
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


def send(
    kind: str,
    *,
    to: list[str],
    context: dict,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> int:
    """Render `kind`'s three templates with `context` (+ site_url) and send; returns 1 if sent."""
    ctx = {"site_url": settings.SITE_URL, **context}
    subject = _clean_header(render_to_string(f"emails/{kind}_subject.txt", ctx))
    text = render_to_string(f"emails/{kind}_body.txt", ctx)
    html = render_to_string(f"emails/{kind}_body.html", ctx)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=text,
        to=to,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()
