"""Reads for the HR insight page: the people in scope and one grouped query of facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from conversations.models import Conversation
from devplans.content import add_months
from devplans.models import Plan, Review
from devplans.selectors import impact_levels_for
from insight import policies, protection
from insight.report import InsightReport, build_report
from journals.models import Journal
from scopegrowth import access
from scopegrowth.models import Directorate, Team, User


def threshold() -> int:
    """Counts from 1 to threshold - 1 are hidden (setting `INSIGHT_SUPPRESSION_THRESHOLD`)."""
    return int(getattr(settings, "INSIGHT_SUPPRESSION_THRESHOLD", 5))


@dataclass(frozen=True)
class Filters:
    date_from: dt.date
    date_to: dt.date
    directorate: Directorate | None = None
    team: Team | None = None

    def describe(self) -> str:
        """For the audit row (ids only, never names)."""
        d = self.directorate.pk if self.directorate else "-"
        t = self.team.pk if self.team else "-"
        return f"{self.date_from:%Y-%m-%d}..{self.date_to:%Y-%m-%d} directorate={d} team={t}"


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last 12 months, ending today."""
    today = today or timezone.localdate()
    return add_months(today, -12) + dt.timedelta(days=1), today


def people_in_scope(actor: User, filters: Filters, user_roles: frozenset[str]) -> QuerySet:
    """Current staff of the HR user's organisation (no leavers), narrowed by the filters."""
    if not policies.can_view_insight(actor, user_roles):
        return User.objects.none()
    people = User.objects.filter(
        access.same_organisation_q(actor), is_active=True, left_on__isnull=True
    )
    if filters.directorate is not None:
        people = people.filter(team__directorate=filters.directorate)
    if filters.team is not None:
        people = people.filter(team=filters.team)
    return people


FACT_KEYS = (
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


def facts(people: QuerySet, filters: Filters) -> list[dict]:
    """One query: how many people share each combination of equality answers and activity in
    the period, and the sum of their record keys (`ck`, for the cell key perturbation). The
    rows are grouped here; what leaves carries counts, never a person's id."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    today = timezone.localdate()
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
        due_on__gte=filters.date_from,
        due_on__lte=filters.date_to,
    ).filter(~Exists(newer_agreed))
    late = reviews.filter(Q(held_on__isnull=True) | Q(held_on__gt=F("due_on")))

    def answer(name: str):
        return Coalesce(F(f"equality_declaration__{name}"), Value(""))

    rows = (
        people.annotate(
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
        .order_by()
        .values_list("pk", *FACT_KEYS)
    )
    grouped: dict[tuple, dict] = {}
    for pk, *answers in rows:
        fact = grouped.setdefault(
            tuple(answers), {**dict(zip(FACT_KEYS, answers, strict=True)), "n": 0, "ck": 0}
        )
        fact["n"] += 1
        fact["ck"] = (fact["ck"] + protection.record_key(pk)) % 256
    return list(grouped.values())


def insight_report(actor: User, filters: Filters, user_roles: frozenset[str]) -> InsightReport:
    """HR's insight for `filters`, in a fixed number of queries (two)."""
    people = people_in_scope(actor, filters, user_roles)
    levels = list(impact_levels_for(actor))
    publish = protection.publisher(
        rounding_base(), noise=bool(getattr(settings, "INSIGHT_PERTURBATION", True))
    )
    return build_report(facts(people, filters), filters, levels, threshold(), publish)
