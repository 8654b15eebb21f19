"""Writing emails to the outbox, in the caller's transaction."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.db import transaction

from scopegrowth import emails
from scopegrowth.outbox.models import OutboundEmail, Update


def _nudge_on_commit(pk: int) -> None:
    """After the commit, ask a worker to send the rows written: one callback (and one task per
    200 rows) for the whole transaction. Ids of rows a savepoint rolled back may ride along;
    the sender finds nothing to claim for them."""
    connection = transaction.get_connection()
    for _sids, callback, _robust in connection.run_on_commit:
        ids = getattr(callback, "outbox_ids", None)
        if ids is not None and not callback.ran:
            ids.append(pk)
            return
    ids = [pk]

    def nudge() -> None:
        nudge.ran = True  # (a test's captured callbacks stay listed after they ran)
        _nudge(ids)

    nudge.outbox_ids, nudge.ran = ids, False
    transaction.on_commit(nudge, robust=True)


def _nudge(ids: list[int]) -> None:
    from scopegrowth.tasks import send_outbox

    for start in range(0, len(ids), 200):
        send_outbox.delay(ids[start : start + 200])


def _text(content: bytes | str) -> str:
    return content.decode() if isinstance(content, bytes) else content


def email(
    kind: str,
    *,
    to,
    context: dict,
    attachments: list[tuple[str, bytes | str, str]] | None = None,
    group: str = "",
    update: str = "",
    link: str = "",
) -> OutboundEmail | None:
    """Render `kind` (templates/emails/<kind>_*) for `to` (a User, or an address) and write it.

    `group`: a newer email of the same group (e.g. a conversation's invite to one person)
    replaces one not yet being sent. `update`: the same event in the person's Updates list (a
    sentence of names and dates, never what anyone wrote), linking to `link` (a path), recorded
    with the email. Returns None for a person who cannot be emailed (no longer
    active, no address)."""
    address = getattr(to, "email", to)
    if not address or getattr(to, "is_active", True) is False:
        return None
    subject, text, html = emails.render(kind, context)
    row = OutboundEmail(
        kind=kind,
        recipient=to if hasattr(to, "email") else None,
        to=address,
        subject=subject[:300],
        body_text=text,
        body_html=html,
        attachments=[[name, _text(content), mime] for name, content, mime in attachments or []],
        message_id=emails.new_message_id(),
        group=group,
    )
    row = _write(row)
    if update and hasattr(to, "email"):
        Update.objects.create(
            recipient=to, kind=kind, text=update[:300], link=link or "/", email=row
        )
    return row


def message(built: EmailMessage, *, kind: str, recipient=None) -> OutboundEmail:
    """Write an email already built (allauth's, through the account adapter): one row per
    address, each with its own Message-ID."""
    html = next((c for c, mime in getattr(built, "alternatives", []) if mime == "text/html"), "")
    headers = {k: v for k, v in built.extra_headers.items() if k.lower() != "message-id"}
    row = None
    for address in built.to:
        row = _write(
            OutboundEmail(
                kind=kind[:80],
                recipient=recipient,
                to=address,
                subject=str(built.subject)[:300],
                body_text=built.body,
                body_html=html,
                headers=headers,
                message_id=emails.new_message_id(),
            )
        )
    return row


def _write(row: OutboundEmail) -> OutboundEmail:
    with transaction.atomic():
        if row.group:
            replaced = OutboundEmail.objects.filter(
                group=row.group, status=OutboundEmail.Status.PENDING
            )
            Update.objects.filter(email__in=replaced, read_at__isnull=True).delete()
            replaced.update(
                status=OutboundEmail.Status.SKIPPED, body_text="", body_html="", attachments=[]
            )
        row.save()
    _nudge_on_commit(row.pk)
    return row
