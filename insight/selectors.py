"""Reads for the HR insight: the grouped facts a snapshot is taken from (`facts`), and what the
page and the CSV read back from a snapshot (`latest_snapshot`, `snapshot_report`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from conversations.models import Conversation
from devplans.models import Plan, Review
from insight import protection
from insight.engine import StoredReport
from insight.models import Snapshot, SnapshotFigures
from insight.report import InsightReport, build_report
from journals.models import Journal
from scopegrowth import access, precompiled
from scopegrowth.models import Directorate, Team, User


def threshold() -> int:
    """Counts from 1 to threshold - 1 are hidden (setting `INSIGHT_SUPPRESSION_THRESHOLD`)."""
    return int(getattr(settings, "INSIGHT_SUPPRESSION_THRESHOLD", 5))


def team_minimum() -> int:
    """Equality cuts of a team or directorate need this many declarations in it (setting
    `INSIGHT_TEAM_MIN_DECLARATIONS`)."""
    return int(getattr(settings, "INSIGHT_TEAM_MIN_DECLARATIONS", 10))


@dataclass(frozen=True)
class Period:
    """A whole period a snapshot covers (whole calendar months, never arbitrary days)."""

    key: str
    label: str
    start: dt.date
    end: dt.date

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "start": str(self.start),
            "end": str(self.end),
        }

    @classmethod
    def from_json(cls, data: dict) -> Period:
        return cls(
            data["key"],
            data["label"],
            dt.date.fromisoformat(data["start"]),
            dt.date.fromisoformat(data["end"]),
        )


@dataclass(frozen=True)
class Filters:
    period: Period
    directorate: Directorate | None = None
    team: Team | None = None

    @property
    def view(self) -> str:
        """The snapshot's key for this view ("org", "d<id>", "t<id>")."""
        if self.team is not None:
            return f"t{self.team.pk}"
        if self.directorate is not None:
            return f"d{self.directorate.pk}"
        return "org"

    def describe(self) -> str:
        """For the audit row (ids only, never names)."""
        d = self.directorate.pk if self.directorate else "-"
        t = self.team.pk if self.team else "-"
        return f"{self.period.key} directorate={d} team={t}"


def organisation_people(organisation_id: int) -> QuerySet:
    """Current staff of an organisation (no leavers, no deactivated accounts)."""
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, left_on__isnull=True
    )


FACT_KEYS = (
    "directorate",
    "team",
    "eth",
    "dis",
    "sex",
    "age",
    "held",
    "ready",
    "agreed",
    "now_growth",
    "next_growth",
    "now_impact",
    "next_impact",
    "due",
    "late",
)


def rounding_base() -> int:
    """Published counts are rounded to a multiple of this (setting `INSIGHT_ROUNDING_BASE`)."""
    return max(1, int(getattr(settings, "INSIGHT_ROUNDING_BASE", 5)))


def facts(people: QuerySet, period: Period, today: dt.date, digest=None) -> list[dict]:
    """One query: how many people of each team share each combination of equality answers and
    activity in the period (reviews decided by `today`), and the sum of their record keys
    (`ck`, for the cell key perturbation). The rows are grouped here; what leaves carries
    counts, never a person's id. `digest` (a hashlib object), when given, is fed every row, so
    a snapshot can tell whether anything it counts changed (`protection.release_salt`)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    person = OuterRef("pk")
    agreed = Plan.objects.filter(individual=person, agreed_at__gte=start, agreed_at__lt=end)
    latest = agreed.order_by("-agreed_at", "-pk")
    newer_agreed = Plan.objects.filter(
        lineage=OuterRef("plan__lineage"),
        agreed_at__isnull=False,
        number__gt=OuterRef("plan__number"),
    )
    # Reviews due in the period on the latest agreed version of a plan, decided by now (held,
    # or the due date has passed). On time: held on or before the due date.
    reviews = Review.objects.filter(
        Q(due_on__lt=today) | Q(held_on__isnull=False),
        plan__individual=person,
        plan__agreed_at__isnull=False,
        due_on__gte=period.start,
        due_on__lte=period.end,
    ).filter(~Exists(newer_agreed))
    late = reviews.filter(Q(held_on__isnull=True) | Q(held_on__gt=F("due_on")))

    def answer(name: str):
        return Coalesce(F(f"equality_declaration__{name}"), Value(""))

    rows = (
        people.annotate(
            directorate=F("team__directorate_id"),
            eth=answer("ethnicity"),
            dis=answer("disability"),
            sex=answer("sex"),
            age=answer("age_band"),
            held=Exists(
                Conversation.objects.filter(
                    individual=person,
                    status=Conversation.Status.COMPLETED,
                    completed_at__gte=start,
                    completed_at__lt=end,
                )
            ),
            ready=Exists(
                Journal.objects.filter(owner=person, ready_at__gte=start, ready_at__lt=end)
            ),
            agreed=Exists(agreed),
            now_growth=Subquery(latest.values("current_growth")[:1]),
            next_growth=Subquery(latest.values("future_growth")[:1]),
            now_impact=Subquery(latest.values("current_impact")[:1]),
            next_impact=Subquery(latest.values("future_impact")[:1]),
            due=Exists(reviews),
            late=Exists(late),
        )
        .order_by("pk")
        .values_list("pk", *FACT_KEYS)
    )
    grouped: dict[tuple, dict] = {}
    for pk, *answers in rows:
        if digest is not None:
            digest.update(repr((pk, *answers)).encode())
        fact = grouped.setdefault(
            tuple(answers), {**dict(zip(FACT_KEYS, answers, strict=True)), "n": 0, "ck": 0}
        )
        fact["n"] += 1
        fact["ck"] = (fact["ck"] + protection.record_key(pk)) % 256
    return list(grouped.values())


# --- reading a snapshot (what the page and the CSV show) -------------------------------------


def _latest(q: Q, status: str) -> QuerySet:
    return Snapshot.objects.filter(q, status=status).order_by("-taken_at", "-pk")[:1]


def _newest(q: Q, status: str) -> QuerySet:
    return Snapshot.objects.filter(q, status=status).order_by("-pk")[:1]


def latest_snapshot(actor: User) -> Snapshot | None:
    """The newest ready snapshot of the HR user's organisation (None: none yet)."""
    q = access.scope_q(actor, "view", Snapshot)
    if q is access.NOTHING:
        return None
    return precompiled.first(("insight_latest",), _latest, q, Snapshot.Status.READY.value)


def pending_snapshot(actor: User) -> Snapshot | None:
    """A snapshot of the HR user's organisation being taken now, if any."""
    q = access.scope_q(actor, "view", Snapshot)
    if q is access.NOTHING:
        return None
    return precompiled.first(("insight_pending",), _newest, q, Snapshot.Status.PENDING.value)


def snapshot_periods(snapshot: Snapshot | None) -> list[Period]:
    return [Period.from_json(p) for p in snapshot.periods] if snapshot else []


@dataclass(frozen=True)
class _Level:
    """An impact level as the snapshot recorded it (the matrix needs only the name)."""

    pk: int
    name: str


def _figures(snapshot_id: int, period: str, view: str) -> QuerySet:
    found = SnapshotFigures.objects.filter(snapshot=snapshot_id, period=period, view=view)
    return found.values_list("data", flat=True).order_by("pk")[:1]


def snapshot_report(snapshot: Snapshot, filters: Filters) -> InsightReport | None:
    """The snapshot's figures for the filters, in one query (None: the view is not in it, for
    example a team created since)."""
    row = precompiled.first(
        ("insight_figures",), _figures, snapshot.pk, filters.period.key, filters.view
    )
    if row is None:
        return None
    levels = [_Level(-n, name) for n, name in enumerate(snapshot.impact_labels)]
    result = build_report(StoredReport(row), filters, levels, threshold(), equality=row["equality"])
    result.as_at = snapshot.as_at
    result.limit_teams = team_minimum()
    return result
