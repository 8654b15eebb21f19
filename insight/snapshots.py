"""Taking insight snapshots (issue 22): the only place the figures are computed.

HR's page and CSV read a snapshot (`selectors.snapshot_report`); nothing a GET does computes or
writes one. A snapshot is asked for here (`snapshot_request`: HR on demand; `snapshots_schedule`:
the monthly beat entry in `schedule.py`; `round_closed`: the extension point for the rounds app)
and taken by the Celery task `insight.tasks.take_snapshot`, which calls `snapshot_take`.

A snapshot covers whole periods only (`periods_for`): the 12 whole months before the month it is
taken in, and each of the last four whole calendar quarters. It stores, for every period and
every view HR can choose (the organisation, each directorate, each team), the published figures
of every table the page and the CSV show, already suppressed, perturbed and rounded; never an
exact count, never a row per person.

When a round closes: the rounds app cannot import this app (they share a floor). It fires the
core's `ROUND_CLOSED` event once the close has committed; `insight/events.py` subscribes and
calls `round_closed` here (organisation id in, a snapshot queued with the reason "a round
closed", or the one already waiting).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from devplans.content import add_months
from devplans.selectors import impact_levels_for
from insight import policies, protection
from insight.engine import Report
from insight.models import Snapshot, SnapshotFigures
from insight.report import build_report
from insight.selectors import (
    Filters,
    Period,
    facts,
    organisation_people,
    rounding_base,
    team_minimum,
    threshold,
)
from scopegrowth.exceptions import RuleError
from scopegrowth.models import Directorate, Organisation, Team, User

logger = logging.getLogger(__name__)

EQUALITY = ("eth", "dis", "sex", "age")
ACTIVE = (Snapshot.Status.PENDING,)


def _month_end(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1) - dt.timedelta(days=1)


def periods_for(as_at: dt.date) -> list[Period]:
    """The whole periods of a snapshot taken on `as_at`: the 12 months to the end of the month
    before (the default), then the last four whole calendar quarters, latest first."""
    this_month = as_at.replace(day=1)
    last = this_month - dt.timedelta(days=1)
    first = add_months(this_month, -12)
    found = [
        Period(
            "12m",
            f"12 months, {first:%B %Y} to {last:%B %Y}",
            first,
            last,
        )
    ]
    quarter_end = add_months(this_month, -((this_month.month - 1) % 3)) - dt.timedelta(days=1)
    for _ in range(4):
        quarter_start = add_months(quarter_end.replace(day=1), -2)
        quarter = (quarter_start.month - 1) // 3 + 1
        found.append(
            Period(
                f"{quarter_start.year}-q{quarter}",
                f"{quarter_start:%B} to {quarter_end:%B %Y}",
                quarter_start,
                quarter_end,
            )
        )
        quarter_end = quarter_start - dt.timedelta(days=1)
    return found


def _withhold(counts: dict, minimum: int, always: frozenset = frozenset()) -> set:
    """Parts of a whole whose equality cuts are not shown: those with fewer than `minimum`
    declarations, plus (smallest first) shown parts until the withheld ones hold at least
    `minimum` between them, so the whole minus the parts shown never gives away a small one."""
    withheld = {key for key, n in counts.items() if n < minimum} | set(always)
    shown = sorted((k for k in counts if k not in withheld), key=lambda k: (counts[k], str(k)))
    while 0 < sum(counts.get(k, 0) for k in withheld) < minimum and shown:
        withheld.add(shown.pop(0))
    return withheld


def withheld_views(rows: list[dict], minimum: int) -> set[str]:
    """The views ("org", "d<id>", "t<id>") without equality cuts (setting
    `INSIGHT_TEAM_MIN_DECLARATIONS`), decided across the hierarchy: directorates within the
    organisation (people without a team count as a part that is never shown), teams within
    their directorate; a withheld directorate withholds its teams."""
    org = 0
    by_directorate: dict = {}
    by_team: dict[int, dict] = {}
    for fact in rows:
        declared = fact["n"] if any(fact[k] for k in EQUALITY) else 0
        org += declared
        d = fact["directorate"]
        by_directorate[d] = by_directorate.get(d, 0) + declared
        if fact["team"] is not None:
            teams = by_team.setdefault(d, {})
            teams[fact["team"]] = teams.get(fact["team"], 0) + declared
    out = set()
    if org < minimum:
        out.add("org")
    directorates = _withhold(by_directorate, minimum, frozenset({None}))
    out |= {f"d{d}" for d in directorates if d is not None}
    for d, teams in by_team.items():
        hidden = set(teams) if d in directorates else _withhold(teams, minimum)
        out |= {f"t{t}" for t in hidden}
    if "org" in out:
        out |= {f"d{d}" for d in by_directorate if d is not None}
        out |= {f"t{t}" for teams in by_team.values() for t in teams}
    return out


def _views(rows: list[dict], empty: list[str]) -> dict[str, list[dict]]:
    """Each view's facts; `empty`: views to include even with nobody in them."""
    views: dict[str, list[dict]] = {"org": rows, **{view: [] for view in empty}}
    for fact in rows:
        if fact["team"] is None:
            continue
        views.setdefault(f"d{fact['directorate']}", []).append(fact)
        views.setdefault(f"t{fact['team']}", []).append(fact)
    return views


def compute(organisation_id: int, as_at: dt.date) -> tuple[list[Period], list[str], dict]:
    """The protected figures of every view of every period: (periods, impact level labels,
    {(period key, view): data}). One query of facts per period, then no database access."""
    people = organisation_people(organisation_id)
    levels = list(impact_levels_for(SimpleNamespace(organisation_id=organisation_id)))
    periods = periods_for(as_at)
    teams = Team.objects.filter(directorate__organisation_id=organisation_id)
    every_view = [
        f"d{d}"
        for d in Directorate.objects.filter(organisation_id=organisation_id).values_list(
            "pk", flat=True
        )
    ]
    every_view += [f"t{t}" for t in teams.values_list("pk", flat=True)]
    # Only what is counted goes into the digest (not the date): a snapshot taken again with
    # nothing changed has the same salt, so the same figures.
    digest = hashlib.sha256(str(organisation_id).encode())
    by_period = [(period, facts(people, period, as_at, digest)) for period in periods]
    # The same counted state gives the same salt, so taking the snapshot again without a change
    # gives the same figures (nothing to average); one person's change re-draws every cell.
    publish = protection.publisher(
        rounding_base(),
        noise=protection.perturbation_on(),
        salt=protection.release_salt(digest.digest()),
    )
    limit = threshold()
    withheld = withheld_views(by_period[0][1], team_minimum())
    figures = {}
    for period, rows in by_period:
        for view, view_rows in _views(rows, every_view).items():
            report = Report(view_rows, limit, publish)
            filters = Filters(period)
            build_report(report, filters, levels, limit, equality=view not in withheld)
            figures[(period.key, view)] = {
                "tables": report.frozen(),
                "too_few": report.too_few,
                "no_activity": report.no_activity,
                "equality": view not in withheld,
            }
    return periods, [level.name for level in levels], figures


def snapshot_take(snapshot_id: int) -> bool:
    """Take a pending snapshot (the task's work). False when it is not pending (a second
    delivery of the task does nothing)."""
    with transaction.atomic():
        snapshot = (
            Snapshot.objects.select_for_update()
            .filter(pk=snapshot_id, status=Snapshot.Status.PENDING)
            .first()
        )
        if snapshot is None:
            return False
        as_at = timezone.localdate()
        try:
            periods, labels, figures = compute(snapshot.organisation_id, as_at)
        except Exception:
            logger.exception("insight snapshot failed", extra={"snapshot": snapshot_id})
            Snapshot.objects.filter(pk=snapshot_id).update(status=Snapshot.Status.FAILED)
            return False
        SnapshotFigures.objects.bulk_create(
            SnapshotFigures(snapshot=snapshot, period=period, view=view, data=data)
            for (period, view), data in figures.items()
        )
        snapshot.periods = [p.as_json() for p in periods]
        snapshot.impact_labels = labels
        snapshot.as_at = as_at
        snapshot.taken_at = timezone.now()
        snapshot.status = Snapshot.Status.READY
        snapshot.save()
    return True


def _queue(organisation_id: int, reason: str) -> Snapshot:
    """A pending snapshot for the organisation (the one already waiting, if any), taken by the
    task once this transaction commits."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        snapshot = Snapshot.objects.filter(
            organisation_id=organisation_id, status__in=ACTIVE
        ).first()
        if snapshot is None:
            snapshot = Snapshot.objects.create(organisation_id=organisation_id, reason=reason)
        # Sent again when one was already waiting (its task may have been lost): a second
        # delivery does nothing.
        _enqueue(snapshot.pk)
    return snapshot


def _enqueue(snapshot_id: int) -> None:
    from insight.tasks import take_snapshot

    # robust: a broker outage must not make the request fail; the next beat run sends it again.
    transaction.on_commit(lambda: take_snapshot.delay(snapshot_id), robust=True)


def min_days() -> int:
    """Days between on-demand snapshots (setting `INSIGHT_SNAPSHOT_MIN_DAYS`)."""
    return int(getattr(settings, "INSIGHT_SNAPSHOT_MIN_DAYS", 7))


def next_on_demand(organisation_id: int) -> dt.date | None:
    """The first day HR may ask for another snapshot (None: now). Each snapshot taken after a
    change re-draws the noise, so they are not handed out on every click."""
    last = (
        Snapshot.objects.filter(organisation_id=organisation_id, status=Snapshot.Status.READY)
        .order_by("-taken_at")
        .values_list("taken_at", flat=True)
        .first()
    )
    if last is None:
        return None
    allowed = timezone.localdate(last) + dt.timedelta(days=min_days())
    return allowed if allowed > timezone.localdate() else None


def snapshot_request(*, actor: User) -> Snapshot:
    """HR asks for a snapshot of their organisation now (one at a time, and not within
    `INSIGHT_SNAPSHOT_MIN_DAYS` of the last one)."""
    if not policies.can_view_insight(actor):
        raise RuleError("Only HR of an organisation can ask for a snapshot.")
    allowed = next_on_demand(actor.organisation_id)
    if allowed is not None:
        raise RuleError(
            f"A snapshot was taken less than {min_days()} days ago. You can ask for another "
            f"from {allowed.day} {allowed:%B %Y}; the next monthly one is taken on the 1st."
        )
    return _queue(actor.organisation_id, Snapshot.Reason.ON_DEMAND)


def round_closed(organisation_id: int) -> Snapshot:
    """A round of the organisation closed (the core's `ROUND_CLOSED`, `insight/events.py`)."""
    return _queue(organisation_id, Snapshot.Reason.ROUND_CLOSED)


def snapshots_schedule() -> int:
    """The monthly run: a snapshot for every organisation with staff, and any pending ones
    sent again (a lost task). Returns how many were queued."""
    queued = 0
    for organisation_id in Organisation.objects.values_list("pk", flat=True):
        if organisation_people(organisation_id).exists():
            _queue(organisation_id, Snapshot.Reason.SCHEDULED)
            queued += 1
    return queued
