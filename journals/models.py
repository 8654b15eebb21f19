"""The reflection journal: the question bank (data, edited in the admin) and each person's answers.

- `Section` and `Question` are the bank, seeded from domain.md by a data migration.
- `Journal` is one person's journal for one conversation cycle; `closed_at` set = an earlier,
  read-only cycle. It also holds the structured self-assessment on the Scope for Growth framework.
- `JournalSection` is one section of one journal, with the `version` that makes a save from a
  stale tab fail instead of overwriting newer text.
- `SectionShare` is one section shared with one named person who supports the owner (a line
  manager or a coach): sharing is with the person, not the role. No row = private to them.
- `Answer` keeps the wording of the question it answered (`question_text`, and the facilitator
  wording `question_facilitator_text`), so editing the bank never changes an old journal. A
  row exists only for an answered question.
- `PendingDraft` holds text posted after the session expired, until its owner signs in again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from scopegrowth.models import GrowthCategory, ImpactLevel

ANSWER_MAX_LENGTH = 10_000
SCALE_VALUES = tuple(str(n) for n in range(11))


class Section(models.Model):
    """One page of the journal. The slug is part of the public URL contract."""

    class Stage(models.IntegerChoices):
        PERSONAL_REFLECTION = 1, "Stage 1: personal reflection"
        CAREER = 2, "Stage 2: career history and Scope for Growth"
        PLANNER = 3, "Career planner"

    slug = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    order = models.PositiveSmallIntegerField(default=0)
    intro = models.TextField(blank=True, help_text="Shown above the questions.")
    is_sensitive = models.BooleanField(
        default=False,
        help_text="Health or other special category information: the page says plainly who "
        "will see it.",
    )

    class Meta:
        ordering = ["stage", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "Free text"
        SCALE_0_10 = "scale_0_10", "A number from 0 to 10"
        ADJUSTMENTS = "adjustments", "Reasonable adjustments note (free text)"
        POSITION = "position", "Position on the Scope for Growth framework, now and in two years"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    facilitator_text = models.CharField(
        "facilitator wording",
        max_length=500,
        blank=True,
        help_text="The question as the line manager or coach reads it beside the answer, e.g. "
        "\u201cHow do they look after their well-being?\u201d. Empty: they read the wording above.",
    )
    hint = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TEXT)
    is_active = models.BooleanField(
        default=True,
        help_text="Untick to stop asking this question. Answers already given are kept.",
    )

    class Meta:
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["section", "is_active", "order"])]

    def __str__(self) -> str:
        return self.text

    @property
    def facilitator_wording(self) -> str:
        return self.facilitator_text or self.text


class Journal(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journals"
    )
    cycle = models.PositiveIntegerField(help_text="1 for the first conversation cycle, then 2...")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a new cycle starts: then read-only."
    )
    ready_at = models.DateTimeField(
        null=True, blank=True, help_text="When the owner said it is ready for the conversation."
    )
    # The self-assessment on the Scope for Growth framework (the aspirations section).
    position_now_growth = models.CharField(
        "growth now", max_length=20, choices=GrowthCategory.choices, blank=True
    )
    position_now_impact = models.ForeignKey(
        ImpactLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="impact now",
    )
    position_future_growth = models.CharField(
        "growth in two years", max_length=20, choices=GrowthCategory.choices, blank=True
    )
    position_future_impact = models.ForeignKey(
        ImpactLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="impact in two years",
    )

    class Meta:
        ordering = ["owner", "-cycle"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "cycle"], name="journals_journal_unique_cycle"
            ),
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(closed_at__isnull=True),
                name="journals_journal_one_open_per_owner",
            ),
            models.CheckConstraint(condition=Q(cycle__gte=1), name="journals_journal_cycle_from_1"),
            models.CheckConstraint(
                condition=Q(position_now_growth__in=["", *GrowthCategory.values])
                & Q(position_future_growth__in=["", *GrowthCategory.values]),
                name="journals_journal_growth_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Journal {self.cycle} of {self.owner}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def has_position(self) -> bool:
        return bool(
            self.position_now_growth
            or self.position_now_impact_id
            or self.position_future_growth
            or self.position_future_impact_id
        )

    def position_values(self) -> dict:
        return {
            "now_growth": self.position_now_growth,
            "now_impact": self.position_now_impact_id,
            "future_growth": self.position_future_growth,
            "future_impact": self.position_future_impact_id,
        }

    def set_position(
        self, *, now_growth: str, now_impact, future_growth: str, future_impact
    ) -> None:
        """Set the four parts of the self-assessment together."""
        self.position_now_growth = now_growth or ""
        self.position_now_impact = now_impact
        self.position_future_growth = future_growth or ""
        self.position_future_impact = future_impact


class JournalSection(models.Model):
    journal = models.ForeignKey(Journal, on_delete=models.CASCADE, related_name="journal_sections")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(
        default=0, help_text="Raised by every save; a save based on an older version is refused."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "section"], name="journals_journalsection_unique_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section} ({self.journal})"

    @property
    def is_shared(self) -> bool:
        """Shared with anyone at all (one query)."""
        return self.shares.exists()


class SectionShare(models.Model):
    """`journal_section` is shared with `reader`, a person who supported its owner when it was
    shared. Reading also needs the reader to support the owner *now* (journals.policies); a
    reader whose link ends loses the row (journals.relationships)."""

    journal_section = models.ForeignKey(
        JournalSection, on_delete=models.CASCADE, related_name="shares"
    )
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["journal_section", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["journal_section", "reader"], name="journals_sectionshare_unique_reader"
            )
        ]

    def __str__(self) -> str:
        return f"{self.journal_section} shared with {self.reader_id}"


class Answer(models.Model):
    journal_section = models.ForeignKey(
        JournalSection, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="answers"
    )
    question_text = models.CharField(
        max_length=500, help_text="The question's wording when it was answered."
    )
    question_facilitator_text = models.CharField(
        max_length=500,
        blank=True,
        help_text="The question's facilitator wording when it was answered (empty: none).",
    )
    question_kind = models.CharField(
        max_length=20, choices=Question.Kind.choices, default=Question.Kind.TEXT
    )
    question_order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(blank=True, validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)])
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["journal_section", "question"], name="journals_answer_unique_question"
            ),
        ]

    def __str__(self) -> str:
        return self.question_text

    @property
    def facilitator_wording(self) -> str:
        """The question as a line manager or coach reads it, as it was when answered."""
        return self.question_facilitator_text or self.question_text

    def clean(self) -> None:
        super().clean()
        if self.question_kind == Question.Kind.SCALE_0_10 and self.text not in SCALE_VALUES:
            raise ValidationError({"text": "Choose a number from 0 to 10."})


class PendingDraft(models.Model):
    """Text posted to a section after the session expired, kept for 24 hours at most.

    Only a hash of the token is stored; the token itself lives in a short-lived HttpOnly cookie.
    `journal_id` is a plain number (not a foreign key): the row is made before anyone is known.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    journal_id = models.PositiveBigIntegerField()
    section_slug = models.SlugField(max_length=40)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Draft for journal {self.journal_id} {self.section_slug}"
