"""The equality self-declaration: the one model of the HR insight app."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from scopegrowth.models import User


class EqualityDeclaration(models.Model):
    """A person's own, voluntary equality monitoring answers.

    Special category data: only ever counted in HR's aggregate insight (counts of fewer than
    `INSIGHT_SUPPRESSION_THRESHOLD` hidden); never shown on anyone's page, PDF or CSV row, never
    in the admin. Withdrawing deletes the row. A blank field means "not answered".
    Categories: ONS 2021 (England and Wales) high-level ethnic groups; WDES disability; sex;
    age bands.
    """

    class Ethnicity(models.TextChoices):
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Other ethnic group"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class Disability(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class AgeBand(models.TextChoices):
        AGE_16_24 = "16_24", "16 to 24"
        AGE_25_34 = "25_34", "25 to 34"
        AGE_35_44 = "35_44", "35 to 44"
        AGE_45_54 = "45_54", "45 to 54"
        AGE_55_64 = "55_64", "55 to 64"
        AGE_65_PLUS = "65_plus", "65 or over"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    person = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="equality_declaration"
    )
    ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices, blank=True)
    disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(ethnicity="", disability="", sex="", age_band=""),
                name="scopegrowth_equalitydeclaration_not_empty",
            ),
        ]
        # The table kept its name when insight moved out of the core app (issue 13).
        db_table = "scopegrowth_equalitydeclaration"

    def __str__(self) -> str:
        # Never the answers: this text can reach logs and error pages.
        return f"Equality declaration {self.pk}"


class Snapshot(models.Model):
    """One release of HR's insight for an organisation (issue 22): the figures of every view
    (organisation, directorate, team) for every whole period, already protected (suppressed,
    perturbed, rounded). Never a row per person, never an exact count; the page and the CSV
    read only these, so one person's change is never visible until the next snapshot."""

    class Reason(models.TextChoices):
        SCHEDULED = "scheduled", "Monthly"
        ON_DEMAND = "on_demand", "Asked for by HR"
        ROUND_CLOSED = "round_closed", "A round closed"

    class Status(models.TextChoices):
        PENDING = "pending", "Being taken"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(
        "scopegrowth.Organisation", on_delete=models.CASCADE, related_name="insight_snapshots"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    taken_at = models.DateTimeField(null=True, blank=True)
    as_at = models.DateField(null=True, blank=True)  # the day the figures are "as at"
    #: [{"key", "label", "start", "end"}, ...]: the whole periods it covers, default first.
    periods = models.JSONField(default=list, blank=True)
    #: labels of the organisation's impact levels when taken (the impact matrix's headings).
    impact_labels = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "status", "-taken_at"])]

    def __str__(self) -> str:
        return f"Insight snapshot {self.pk} ({self.status})"


class SnapshotFigures(models.Model):
    """The protected figures of one view of one period of a snapshot: the published value of
    every cell the page and the CSV can show (None = hidden), keyed by table."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="figures")
    period = models.CharField(max_length=20)
    #: "org", "d<directorate id>" or "t<team id>" (ids, not foreign keys: a renamed team shows
    #: its new name, and figures never hold a link that a deletion would have to follow).
    view = models.CharField(max_length=30)
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "period", "view"], name="insight_snapshotfigures_one_per_view"
            )
        ]

    def __str__(self) -> str:
        return f"Snapshot {self.snapshot_id} figures {self.period}"
