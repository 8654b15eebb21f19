"""Reminder rows: one per (kind, subject, recipient, due date) is the "exactly once" and the
outbox. Which reminders exist is up to the feature apps' rules (`<app>/reminders.py`)."""

from django.db import models
from django.utils import timezone

from scopegrowth.models import User


class Reminder(models.Model):
    class Kind(models.TextChoices):
        JOURNAL_WEEK = "journal_week", "Journal not ready, a week before the conversation"
        JOURNAL_SOON = "journal_soon", "Journal not ready, two days before the conversation"
        PREPARATION = "preparation", "Preparation not done, three days before"
        DAY_BEFORE = "day_before", "The conversation is on the next working day"
        PLAN_UNSIGNED = "plan_unsigned", "Plan not signed off two working days after"
        REVIEW_SOON = "review_soon", "A plan review is due in a week"
        REVIEW_DUE = "review_due", "A plan review is due today"
        OVERDUE = "overdue", "The conversation date passed without completion"
        # HR's conversation rounds (the rounds app, issue 19).
        ROUND_OPENED = "round_opened", "A conversation round opened"
        ROUND_JOURNAL = "round_journal", "A round's journal deadline is a week away"
        ROUND_CONVERSATION = "round_conversation", "A round's conversation deadline is a week away"
        ROUND_PLAN = "round_plan", "A round's plan deadline is a week away"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        UNCERTAIN = "uncertain", "May have been sent (sent again with the same Message-ID)"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "No longer needed"
        FAILED = "failed", "Failed after retries"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_type = models.CharField(max_length=20, help_text="conversation or review")
    subject_id = models.PositiveBigIntegerField()
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField(help_text="The date of the thing reminded about")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message_id = models.CharField(
        max_length=200,
        blank=True,
        help_text="Given before the first send and kept: every repeat of this reminder carries it.",
    )
    send_started_at = models.DateTimeField(
        null=True, blank=True, help_text="When it first may have been sent (the SMTP call began)."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "recipient", "due_on"],
                name="scopegrowth_reminder_once",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        # The table kept its name when reminders moved out of the core app (issue 13).
        db_table = "scopegrowth_reminder"

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} for {self.subject_type} {self.subject_id}"
