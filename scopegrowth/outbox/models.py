"""The outbox's table: every email the app sends is one row, written in the change's transaction.

Imported by `scopegrowth.models` (so the rows belong to the core app and its migrations).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboundEmail(models.Model):
    """One email to one address, rendered when the change was made (names, dates, links; never
    what anyone wrote), with a Message-ID given then and kept for every attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        UNCERTAIN = "uncertain", "May have been sent (sent again with the same Message-ID)"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent: replaced by a newer one, or the person left"
        FAILED = "failed", "Failed after retries"

    kind = models.CharField(max_length=80, help_text="The template (or allauth's prefix)")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound_emails",
        help_text="Empty for an address with no account (allauth's 'unknown account' email)",
    )
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    body_text = models.TextField(blank=True, help_text="Emptied once sent")
    body_html = models.TextField(blank=True, help_text="Emptied once sent")
    attachments = models.JSONField(
        default=list, blank=True, help_text="[filename, text, MIME type]; emptied once sent"
    )
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=200, unique=True)
    group = models.CharField(
        max_length=100,
        blank=True,
        help_text="A newer email of the same group replaces an unsent older one",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    send_started_at = models.DateTimeField(
        null=True, blank=True, help_text="When it first may have been sent (the SMTP call began)"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["group", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.status})"


class Update(models.Model):
    """One thing that changed for a person, recorded with the email that tells them
    (`outbox.email(..., update=...)`): a sentence of names and dates and a link, never what
    anyone wrote. Read state is the recipient's (`read_at`), set only by a POST."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="updates"
    )
    kind = models.CharField(max_length=80)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, help_text="A path in the app")
    email = models.ForeignKey(
        OutboundEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="updates"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
