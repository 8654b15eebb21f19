"""Running a round: create, open (everyone is told, by a task), extend a deadline, close."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from rounds import figures, members
from rounds.audience import window
from rounds.models import Round
from rounds.policies import can_run_rounds
from scopegrowth import access, audit, registry
from scopegrowth.exceptions import RuleError


def round_create(
    *,
    actor: Any,
    name: str,
    journal_ready_by: date,
    conversation_held_by: date,
    plan_agreed_by: date,
    whole_organisation: bool = True,
    directorates=(),
    teams=(),
) -> Round:
    if not can_run_rounds(actor):
        raise PermissionDenied("not allowed: create a round")
    org = actor.organisation_id
    if any(d.organisation_id != org for d in directorates) or any(
        t.directorate.organisation_id != org for t in teams
    ):
        raise RuleError("Choose directorates and teams of your own organisation.")
    if not whole_organisation and not directorates and not teams:
        raise RuleError("Choose at least one directorate or team, or the whole organisation.")
    if not journal_ready_by <= conversation_held_by <= plan_agreed_by:
        raise RuleError(
            "The dates must be in order: journal ready, then conversation held, then plan agreed."
        )
    with transaction.atomic():
        round_ = Round(
            organisation_id=org,
            name=name,
            whole_organisation=whole_organisation,
            journal_ready_by=journal_ready_by,
            conversation_held_by=conversation_held_by,
            plan_agreed_by=plan_agreed_by,
            created_by=actor,
        )
        round_.full_clean()
        round_.save()
        if not whole_organisation:
            round_.directorates.set(directorates)
            round_.teams.set(teams)
        audit.record(actor, "round_create", round_)
    return round_


def round_open(*, actor: Any, round_: Round) -> Round:
    """Open a draft: from now on its window runs and its audience is told (by a task, after the
    commit: the request writes one row, whatever the audience's size)."""
    access.require(actor, "manage", round_)
    with transaction.atomic():
        now = timezone.now()
        if not Round.objects.filter(pk=round_.pk, state=Round.State.DRAFT).update(
            state=Round.State.OPEN, opened_at=now, opened_by=actor
        ):
            raise RuleError("This round is not a draft any more: it was opened already.")
        round_.state, round_.opened_at, round_.opened_by = Round.State.OPEN, now, actor
        audit.record(actor, "round_open", round_)
        transaction.on_commit(lambda: _announce(round_.pk), robust=True)
        transaction.on_commit(lambda: _count(round_.pk), robust=True)
    return round_


def _announce(round_id: int) -> None:
    from rounds.tasks import announce_round

    announce_round.delay(round_id)


def _count(round_id: int) -> None:
    from rounds.tasks import count_round

    count_round.delay(round_id)


def round_extend(*, actor: Any, round_: Round, step: str, new_date: date) -> Round:
    """Move one deadline of an open round later (never earlier)."""
    access.require(actor, "manage", round_)
    fields = {key: name for key, name, _ in Round.STEPS}
    if step not in fields:
        raise RuleError("Choose which deadline to move.")
    if round_.state != Round.State.OPEN:
        raise RuleError("Only an open round's deadlines can be moved.")
    current = getattr(round_, fields[step])
    if new_date <= current:
        raise RuleError(f"Deadlines only move later: choose a date after {current:%-d %B %Y}.")
    order = [key for key, _, _ in Round.STEPS]
    later = order[order.index(step) + 1 :]
    for other in later:
        if new_date > getattr(round_, fields[other]):
            label = dict((k, lbl) for k, _, lbl in Round.STEPS)[other].lower()
            raise RuleError(f"This date is after the {label} deadline: move that one first.")
    with transaction.atomic():
        setattr(round_, fields[step], new_date)
        round_.full_clean()
        round_.save(update_fields=[fields[step]])
        audit.record(actor, "round_extend", round_, detail=f"{step} {new_date.isoformat()}")
        transaction.on_commit(lambda: _count(round_.pk), robust=True)
    return round_


def round_close(*, actor: Any, round_: Round) -> Round:
    """Close an open round for good (it cannot be reopened or extended): its window ends now
    and its audience is kept as it is now (`rounds.members`)."""
    access.require(actor, "manage", round_)
    with transaction.atomic():
        now = timezone.now()
        if not Round.objects.filter(pk=round_.pk, state=Round.State.OPEN).update(
            state=Round.State.CLOSED, closed_at=now, closed_by=actor
        ):
            raise RuleError("Only an open round can be closed.")
        round_.refresh_from_db()  # its window as stored (the caller's copy may be old)
        # The audience as it is at the close, kept: later moves and leavers change nothing.
        members.snapshot(round_, window(round_))
        figures.count(round_)  # its figures for good, from the kept audience
        audit.record(actor, "round_close", round_)
        event = registry.RoundClosed(round_.organisation_id, round_.pk, now)
        # After the commit (robust: a broker outage must not undo a close): insight takes its
        # snapshot, through the core's event (this app does not import insight).
        transaction.on_commit(lambda: registry.round_closed(event), robust=True)
    return round_
