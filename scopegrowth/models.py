"""People: users, organisations, directorates, teams, line-manager and coach links.

Roles are facts in the database, read on every request:
- everyone is an *individual* (owner of their own journal and plan);
- a *line manager* has at least one active `ManagerLink` as manager;
- a *coach* has at least one active `CoachLink` as coach;
- *HR* is `User.is_hr`;
- *admin* is `is_staff` (Django admin: accounts, teams, question bank), never a reader of journals.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from scopegrowth.managers import PersonByIdMixin


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Directorate(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="directorates"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="scopegrowth_directorate_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    directorate = models.ForeignKey(Directorate, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["directorate", "name"], name="scopegrowth_team_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(PersonByIdMixin, BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    employee_number = models.CharField(
        max_length=40,
        blank=True,
        help_text="From the staff record; the people import matches on it.",
    )
    staff_group = models.CharField(max_length=100, blank=True)
    started_on = models.DateField(null=True, blank=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    is_hr = models.BooleanField(
        "HR", default=False, help_text="Finds and exports agreed plans; never reads journals."
    )
    is_staff = models.BooleanField(
        "admin", default=False, help_text="Manages accounts in the admin site; reads no journal."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    left_on = models.DateField(
        null=True, blank=True, help_text="The day this person left the organisation."
    )
    optional_reminders = models.BooleanField(
        default=True,
        help_text="Preparation nudges by email. The day-before reminder is always sent.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        indexes = [models.Index(fields=["organisation", "full_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"],
                condition=~Q(employee_number=""),
                name="scopegrowth_user_unique_employee_number",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class ActiveLinkQuerySet(models.QuerySet):
    def active(self) -> ActiveLinkQuerySet:
        return self.filter(ended_at__isnull=True)


class ManagerLink(models.Model):
    """`manager` line-manages `report` from `started_at` until `ended_at` (open = current).

    A person has at most one current line manager; ending a link takes effect on the next
    request because access rules read the links from the database every time.
    """

    manager = models.ForeignKey(User, on_delete=models.CASCADE, related_name="report_links")
    report = models.ForeignKey(User, on_delete=models.CASCADE, related_name="manager_links")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(ended_at__isnull=True),
                name="scopegrowth_managerlink_one_current_per_report",
            ),
            models.CheckConstraint(
                condition=~Q(manager=F("report")),
                name="scopegrowth_managerlink_not_self",
            ),
        ]
        indexes = [models.Index(fields=["manager", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.manager} manages {self.report}"


class CoachLink(models.Model):
    """An assigned coach may facilitate `coachee`'s conversation instead of the line manager."""

    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coachee_links")
    coachee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coach_links")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "coachee"],
                condition=Q(ended_at__isnull=True),
                name="scopegrowth_coachlink_one_current_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(coach=F("coachee")),
                name="scopegrowth_coachlink_not_self",
            ),
        ]
        indexes = [models.Index(fields=["coach", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.coachee}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("Audit events are append-only")

    def delete(self):
        raise ValueError("Audit events are append-only")


class AuditEvent(models.Model):
    """Append-only record of who viewed, shared, changed, signed or exported what.

    Never holds content: only who, whose, what kind of object, which section, which action.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="audit_actions"
    )
    subject = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="audit_subject_events",
        help_text="The person whose data it was.",
    )
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField(null=True)
    detail = models.CharField(max_length=100, blank=True, help_text="e.g. a section slug")
    request_id = models.CharField(max_length=36, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only")


# =============================================================================
# The Scope for Growth framework (shared by journals, conversations and plans)
# =============================================================================


class GrowthCategory(models.TextChoices):
    """The growth axis: the person's own ambition for growth."""

    DEPTH = "depth", "Depth: keep growing in my current role or field"
    BREADTH = "breadth", "Breadth: broaden into other areas, disciplines or functions"
    STRETCH = "stretch", "Stretch / complexity: a role of greater complexity and leadership"


class ImpactLevel(models.Model):
    """A place on the impact axis. Organisations may name their own levels and add guidance;
    levels with no organisation are the defaults everyone sees."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="impact_levels"
    )
    name = models.CharField(max_length=100)
    guidance = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="scopegrowth_impactlevel_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


# =============================================================================
# Relationship notices and people imports
# =============================================================================


class Notice(models.Model):
    """One thing a person is told about a change in who supports them, or an invitation.

    Written in the change's transaction with the recipient's outbox email (`email`), which lists
    every notice of theirs not yet being sent (`scopegrowth.notices`).
    """

    class Kind(models.TextChoices):
        MANAGER_NEW = "manager_new", "has a new line manager"
        MANAGER_ENDED = "manager_ended", "line management ended"
        REPORT_NEW = "report_new", "a new report"
        REPORT_ENDED = "report_ended", "a report moved on"
        COACH_NEW = "coach_new", "a coach assigned"
        COACH_ENDED = "coach_ended", "a coach link ended"
        COACHEE_NEW = "coachee_new", "a new coachee"
        COACHEE_ENDED = "coachee_ended", "a coachee link ended"
        ROLE_GRANTED = "role_granted", "a role granted"
        ROLE_REVOKED = "role_revoked", "a role removed"
        INVITED = "invited", "an invitation"
        PASSWORD_RESET = "password_reset", "a password reset link sent by an admin"

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    about = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The other person in the change (the new manager, the report...).",
    )
    detail = models.CharField(max_length=40, blank=True, help_text="e.g. the role")
    created_at = models.DateTimeField(default=timezone.now)
    email = models.ForeignKey(
        "scopegrowth.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
        help_text="The outbox email that tells the recipient",
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind}"


class PeopleImport(models.Model):
    """One uploaded people file: its preview, then (once confirmed) its application.

    At most one import per organisation is queued or running (the constraint refuses the
    second). The file itself is kept until it is applied so the worker reads what was previewed.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", "Checked, not applied"
        INVALID = "invalid", "Has errors"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Applying"
        DONE = "done", "Applied"
        FAILED = "failed", "Failed: nothing changed"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="people_imports"
    )
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="people_imports"
    )
    filename = models.CharField(max_length=200)
    content = models.BinaryField(blank=True)
    deactivate_missing = models.BooleanField(default=False)
    invite = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["queued", "running"]),
                name="scopegrowth_peopleimport_one_running_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


# The outbox's table lives in its own module (this one is near its size limit).
from scopegrowth.outbox.models import OutboundEmail, Update  # noqa: E402, F401
