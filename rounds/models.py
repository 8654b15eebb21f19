"""A conversation round: a named audience, three deadlines and a state (issue 19)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from scopegrowth.models import Directorate, Organisation, Team


class Round(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    #: The three steps, in the order people take them: (key, deadline field, label).
    STEPS = (
        ("journal", "journal_ready_by", "Journal ready"),
        ("conversation", "conversation_held_by", "Conversation held"),
        ("plan", "plan_agreed_by", "Plan agreed"),
    )

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(max_length=200, help_text='For example "Career conversations 2026/27"')
    whole_organisation = models.BooleanField(
        default=True, help_text="Everyone in the organisation, or only the chosen parts."
    )
    directorates = models.ManyToManyField(Directorate, blank=True, related_name="+")
    teams = models.ManyToManyField(Team, blank=True, related_name="+")
    journal_ready_by = models.DateField()
    conversation_held_by = models.DateField()
    plan_agreed_by = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    announced_at = models.DateTimeField(
        null=True, blank=True, help_text="When the opening emails were written to the outbox."
    )
    announce_batch_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the last batch of opening emails was written (batches are a minute apart).",
    )

    class Meta:
        ordering = ["-opened_at", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(journal_ready_by__lte=F("conversation_held_by"))
                & Q(conversation_held_by__lte=F("plan_agreed_by")),
                name="rounds_round_deadlines_in_order",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(opened_at__isnull=False),
                name="rounds_round_open_has_opened_at",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_at__isnull=False),
                name="rounds_round_closed_has_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def deadline(self, step: str):
        return getattr(self, dict((k, f) for k, f, _ in self.STEPS)[step])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Member(models.Model):
    """One person in a closed round, as they were when it closed (issue 19): their directorate
    and team then, and whether each step was done. Written once, by `round_close`; a closed
    round's page, team list, CSV and the next round's comparison read these rows, so people
    who move or leave later do not change its figures. Statuses only, never what anyone wrote."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    directorate = models.ForeignKey(
        Directorate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    directorate_name = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team_name = models.CharField(max_length=200, blank=True)
    journal_done = models.BooleanField(default=False)
    conversation_done = models.BooleanField(default=False)
    plan_done = models.BooleanField(default=False)
    review_due = models.BooleanField(default=False)
    review_on_time = models.BooleanField(default=False)
    review_overdue = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="rounds_member_once")
        ]
        indexes = [models.Index(fields=["round", "team"])]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.round_id}"


class Tally(models.Model):
    """A round's completion figures as last counted (issue 19, speed): the page's figures section
    already rendered and the CSV file's text (issue 20: what the download sends, BOM, header and
    formula-neutralised cells included). Counted by a task (`rounds.figures`) and at the close,
    so a GET reads one row instead of counting 10,000 people. Group counts and team names only,
    never anything a person wrote, nothing about a named person."""

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    #: The round's own fields and the day it was counted for (`figures.key`): a changed round or
    #: a new day is counted again.
    key = models.CharField(max_length=64)
    counted_at = models.DateTimeField()
    html = models.TextField()
    #: The CSV download as sent (`rounds.report.csv_text`), decoded: the view encodes it to UTF-8.
    csv_text = models.TextField(default="")

    def __str__(self) -> str:
        return f"Figures of round {self.round_id}"
