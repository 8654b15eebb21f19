"""The aspirational development plan: positions, objectives, sign-off, versions, reviews, exports.

Who may see or change what is decided in `devplans/policies.py` (PlanPolicy), never here.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from scopegrowth.models import GrowthCategory, ImpactLevel

TEXT_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 2_000


class Initiative(models.Model):
    """The catalogue of development initiatives (HR edits it in the admin)."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """One version of a person's plan. Reopening an agreed plan makes a new draft version in the
    same `lineage`; earlier versions stay readable."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"
        SUPERSEDED = "superseded", "Replaced by a newer version"

    individual = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facilitated_plans"
    )
    conversation = models.ForeignKey(
        "conversations.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
    )
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    number = models.PositiveSmallIntegerField(default=1, help_text="Version number")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    current_growth = models.CharField(max_length=20, choices=GrowthCategory.choices, blank=True)
    current_impact = models.ForeignKey(
        ImpactLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    current_evidence = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    future_growth = models.CharField(max_length=20, choices=GrowthCategory.choices, blank=True)
    future_impact = models.ForeignKey(
        ImpactLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    future_why = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    reflections = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    aspirations = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    horizon_end = models.DateField(help_text="End of the two-year horizon.")

    individual_signed_at = models.DateTimeField(null=True, blank=True)
    individual_signed_hash = models.CharField(max_length=64, blank=True)
    facilitator_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    facilitator_signed_at = models.DateTimeField(null=True, blank=True)
    facilitator_signed_hash = models.CharField(max_length=64, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set on a version made by reopening an agreed one: who reopened it, when and why (shown on
    # the plan to both people; never in an email).
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)

    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock for edits")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "agreed_at"]),
            models.Index(fields=["individual", "status"]),
            models.Index(fields=["current_growth", "current_impact"]),
            models.Index(fields=["future_growth", "future_impact"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["lineage", "number"], name="devplans_plan_unique_version"
            ),
            models.UniqueConstraint(
                fields=["lineage"],
                condition=Q(status="draft"),
                name="devplans_plan_one_draft_per_lineage",
            ),
            models.CheckConstraint(
                condition=~Q(status="agreed") | Q(agreed_at__isnull=False),
                name="devplans_plan_agreed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan v{self.number} for {self.individual}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def clear_signatures(self) -> None:
        """Any edit to a draft voids both signatures (they signed other content)."""
        self.individual_signed_at = None
        self.individual_signed_hash = ""
        self.facilitator_signed_by = None
        self.facilitator_signed_at = None
        self.facilitator_signed_hash = ""


class Objective(models.Model):
    class Term(models.TextChoices):
        SHORT = "short", "Short term (within a year)"
        LONG = "long", "Long term (within two years)"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved"
        CHANGED = "changed", "Changed or no longer relevant"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField("What", max_length=2000)
    aspiration = models.TextField("Why: the aspiration it serves", blank=True, max_length=2000)
    term = models.CharField(max_length=10, choices=Term.choices, default=Term.SHORT)
    success_measure = models.TextField("How success will be seen", blank=True, max_length=2000)
    target_date = models.DateField(null=True, blank=True)
    support_needed = models.TextField(blank=True, max_length=2000)
    initiatives = models.ManyToManyField(Initiative, blank=True, related_name="objectives")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The objective of the previous version this one was copied from (for the diff).",
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class ProgressNote(models.Model):
    """Dated progress on an objective, added after the plan is agreed."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=TEXT_MAX_LENGTH)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note on {self.objective_id} at {self.created_at:%Y-%m-%d}"


class Review(models.Model):
    """A review date of the plan (six-monthly by default) and, once held, what was agreed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on"]
        indexes = [models.Index(fields=["due_on", "held_on"])]

    def __str__(self) -> str:
        return f"Review of plan {self.plan_id} due {self.due_on}"


class PlanCheckIn(models.Model):
    """A light check-in on the plan between reviews (a regular one-to-one): what progressed and
    what is blocked. Either the individual or a current facilitator records it; it belongs to
    the version it was recorded on and is shown with every version of the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField("Date of the check-in")
    progressed = models.TextField("What progressed", blank=True, max_length=TEXT_MAX_LENGTH)
    blocked = models.TextField("What is blocked", blank=True, max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(progressed="") | ~Q(blocked=""),
                name="devplans_plancheckin_says_something",
            )
        ]

    def __str__(self) -> str:
        return f"Check-in on plan {self.plan_id} on {self.held_on}"


class ExportJob(models.Model):
    """A bulk export (ZIP of PDFs) built by a Celery task; private to the HR user who asked."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Building"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    created_at = models.DateTimeField(default=timezone.now)
    filters = models.JSONField(default=dict, help_text="The HR list filters it was made from")
    plan_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    file_name = models.CharField(max_length=100, blank=True, help_text="Random, private")
    error = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker claimed the job."
    )
    parts = models.PositiveIntegerField(
        default=0, help_text="How many part tasks render the PDFs (0: rendered in one task)."
    )
    assembly_started_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last part's worker began joining the parts."
    )
    progressed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The last sign of life: created, claimed, a PDF written, a part sent again.",
    )
    retries = models.PositiveSmallIntegerField(
        default=0,
        help_text="How often the sweep (or a failed part) sent the unfinished work again.",
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            # One export at a time per person: asking twice gives the same job, never two.
            models.UniqueConstraint(
                fields=["requested_by"],
                condition=Q(status__in=["pending", "running"]),
                name="devplans_exportjob_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.status})"
