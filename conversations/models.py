"""The facilitated Scope for Growth conversation: schedule, preparation, three stages.

Who may see or change what is decided in `conversations/policies.py` (ConversationPolicy), never
here.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from scopegrowth.models import GrowthCategory, ImpactLevel

NOTE_MAX_LENGTH = 10_000


class Conversation(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    class Stage(models.IntegerChoices):
        PERSONAL_REFLECTION = 1, "Personal reflection"
        CAREER_AND_POSITION = 2, "Career history and Scope for Growth position"
        DEVELOPMENT_PLAN = 3, "Aspirational development plan"

    individual = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facilitated_conversations",
        help_text="The line manager or assigned coach who runs the conversation.",
    )
    journal = models.ForeignKey(
        "journals.Journal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        help_text="The individual's journal this conversation kept: set when it is completed "
        "(an open conversation reads the individual's open journal; a cancelled one holds none). "
        "Read it through conversations.selectors.journal_of.",
    )
    scheduled_at = models.DateTimeField(help_text="Stored in UTC; shown in Europe/London.")
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    location = models.CharField(max_length=300, help_text="A room, or a video-call link.")
    agenda = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(max_length=500, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    shared_at_completion = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Which journal sections were shared with the facilitator when the conversation "
        'was completed, and since when: [{"slug", "title", "shared_at"}]. Titles and times '
        "only: the answers are read live, under today's sharing.",
    )

    # Calendar invite: a stable UID; SEQUENCE goes up on every reschedule or cancellation.
    ics_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ics_sequence = models.PositiveIntegerField(default=0)

    # Stage 2: the position agreed in the conversation (the self-assessment is on the journal,
    # the facilitator's view on the preparation).
    agreed_now_growth = models.CharField(max_length=20, choices=GrowthCategory.choices, blank=True)
    agreed_now_impact = models.ForeignKey(
        ImpactLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_now_evidence = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    agreed_future_growth = models.CharField(
        max_length=20, choices=GrowthCategory.choices, blank=True
    )
    agreed_future_impact = models.ForeignKey(
        ImpactLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_future_why = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-scheduled_at"]
        indexes = [
            models.Index(fields=["individual", "status", "scheduled_at"]),
            models.Index(fields=["facilitator", "status", "scheduled_at"]),
            models.Index(fields=["status", "scheduled_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(individual=models.F("facilitator")),
                name="conversations_conversation_not_self",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15) & Q(duration_minutes__lte=480),
                name="conversations_conversation_duration_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="conversations_conversation_cancel_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.individual} with {self.facilitator}, {self.scheduled_at:%d %b %Y}"

    @property
    def ends_at(self):
        return self.scheduled_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SCHEDULED, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.ends_at < timezone.now()

    @property
    def has_agreed_position(self) -> bool:
        return bool(
            self.agreed_now_growth
            and self.agreed_now_impact_id
            and self.agreed_future_growth
            and self.agreed_future_impact_id
        )


class Preparation(models.Model):
    """One facilitator's preparation for one conversation: private to its `author`, never shown
    to the individual, HR, a co-facilitator or a later facilitator, unless the author chose to
    hand it over (`handed_over_at`): then whoever holds the conversation after them reads it."""

    class Adjustments(models.TextChoices):
        NOT_KNOWN = "", "Not considered yet"
        NONE = "none", "No adjustments needed"
        REVIEW = "review", "Adjustments may be needed: discuss them"
        IN_PLACE = "in_place", "Adjustments are in place and should continue"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="preparations"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preparations",
        help_text="The facilitator whose preparation this is.",
    )
    evidence_feedback = models.TextField("360° feedback", blank=True, max_length=NOTE_MAX_LENGTH)
    evidence_one_to_ones = models.TextField(
        "Earlier one-to-ones", blank=True, max_length=NOTE_MAX_LENGTH
    )
    evidence_performance = models.TextField(
        "Performance and work outputs against expected behaviours and competence",
        blank=True,
        max_length=NOTE_MAX_LENGTH,
    )
    strengths = models.TextField("Strengths as I see them", blank=True, max_length=NOTE_MAX_LENGTH)
    development_areas = models.TextField(
        "Development areas as I see them", blank=True, max_length=NOTE_MAX_LENGTH
    )
    national_indicators = models.TextField(
        "Context from national indicators (NHS Staff Survey, WRES, MWRES, WDES)",
        blank=True,
        max_length=NOTE_MAX_LENGTH,
    )
    adjustments = models.CharField(
        "Reasonable adjustments",
        max_length=20,
        choices=Adjustments.choices,
        blank=True,
    )
    adjustments_notes = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    planner_notes = models.TextField(
        "My own planner questions", blank=True, max_length=NOTE_MAX_LENGTH
    )
    # The MaST planner's themes, as the facilitator sees them (issue 16, part 3).
    planner_accomplishments = models.TextField(
        "Their accomplishments, as I see them", blank=True, max_length=NOTE_MAX_LENGTH
    )
    planner_motivation = models.TextField(
        "What motivates them, as I see it", blank=True, max_length=NOTE_MAX_LENGTH
    )
    planner_personal_style = models.TextField(
        "Their personal style, as I see it", blank=True, max_length=NOTE_MAX_LENGTH
    )
    planner_learning_style = models.TextField(
        "Their learning style, as I see it", blank=True, max_length=NOTE_MAX_LENGTH
    )
    planner_skills = models.TextField(
        "Their skills and behaviours, as I see them", blank=True, max_length=NOTE_MAX_LENGTH
    )
    self_check = models.TextField(
        "Self-check: blind spots, biases, identity and privilege, belonging, microaggressions",
        blank=True,
        max_length=NOTE_MAX_LENGTH,
    )
    # The facilitator's own view of the individual's position now.
    view_now_growth = models.CharField(max_length=20, choices=GrowthCategory.choices, blank=True)
    view_now_impact = models.ForeignKey(
        ImpactLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    view_evidence = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    prepared_at = models.DateTimeField(
        null=True, blank=True, help_text="When the facilitator marked preparation done."
    )
    handed_over_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the author chose to let whoever facilitates the conversation after "
        "them read it (empty: private to the author).",
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "author"], name="conversations_preparation_one_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"Preparation by {self.author} for {self.conversation}"


class StageRecord(models.Model):
    """One stage of one conversation: an agreed summary both see, and when it was completed.
    Each facilitator's private notes on it are their own `StageNote`."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="stage_records"
    )
    stage = models.PositiveSmallIntegerField(choices=Conversation.Stage.choices)
    agreed_summary = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "stage"], name="conversations_stagerecord_unique_stage"
            )
        ]

    def __str__(self) -> str:
        return f"Stage {self.stage} of {self.conversation}"


class StageNote(models.Model):
    """One facilitator's private notes on one stage of one conversation: read and changed by
    their author only."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="stage_notes"
    )
    stage = models.PositiveSmallIntegerField(choices=Conversation.Stage.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stage_notes"
    )
    text = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "stage", "author"],
                name="conversations_stagenote_one_per_author",
            )
        ]

    def __str__(self) -> str:
        return f"Notes by {self.author} on stage {self.stage} of {self.conversation}"


class Reflection(models.Model):
    """After a completed conversation, its facilitator's short "stop / start / continue"
    reflection on how they ran it (the MaST forum's exercise). Private to its author: never the
    individual, HR, a co-facilitator or a later facilitator; never in a PDF or an export except
    the author's own "download my data"."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="reflections"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_reflections"
    )
    stop_doing = models.TextField("Stop", blank=True, max_length=NOTE_MAX_LENGTH)
    start_doing = models.TextField("Start", blank=True, max_length=NOTE_MAX_LENGTH)
    continue_doing = models.TextField("Continue", blank=True, max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "author"], name="conversations_reflection_one_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"Reflection by {self.author} on {self.conversation}"
