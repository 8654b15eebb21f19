"""A closed round keeps its audience: the people in it when it closed, with their directorate
and team then and whether each step was done (`rounds.models.Member`).

`snapshot(round_)` runs once, inside `round_close`'s transaction, over the same live rule every
open round uses (`rounds.audience`). After that a closed round is read from these rows only:
its figures by directorate and team (`grouped_rows`), a team's statuses (`team_people`), the CSV,
and the comparison the next round makes with it. People who move team or leave later do not
change a closed round.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from rounds.audience import Window, audience_q, flags
from rounds.models import Member, Round
from scopegrowth.models import User

FLAGS = ("journal_done", "conversation_done", "plan_done", "review_due", "review_on_time",
         "review_overdue")  # fmt: skip


def snapshot(round_: Round, win: Window) -> int:
    """Write the round's members as they are now (its closing moment); returns how many."""
    rows = (
        User.objects.filter(audience_q(round_))
        .annotate(**flags(win))
        .values(
            "pk",
            "team_id",
            "team__name",
            "team__directorate_id",
            "team__directorate__name",
            *FLAGS,
        )  # fmt: skip
    )
    members = [
        Member(
            round_id=round_.pk,
            person_id=row["pk"],
            team_id=row["team_id"],
            team_name=row["team__name"] or "",
            directorate_id=row["team__directorate_id"],
            directorate_name=row["team__directorate__name"] or "",
            **{name: bool(row[name]) for name in FLAGS},
        )
        for row in rows.iterator(chunk_size=2000)
    ]
    Member.objects.bulk_create(members, batch_size=500)
    return len(members)


def grouped_rows(round_: Round) -> list[dict[str, Any]]:
    """Counts per team at the close, in the live query's shape (`selectors._grouped`)."""
    counts = {f"n_{name}": Count("pk", filter=Q(**{name: True})) for name in FLAGS}
    rows = (
        Member.objects.filter(round_id=round_.pk)
        .values("team_id", "team_name", "directorate_id", "directorate_name")
        .annotate(total=Count("pk"), **counts)
        .order_by("directorate_name", "team_name", "team_id")
    )
    return [
        {
            "team_id": row["team_id"],
            "team__name": row["team_name"],
            "team__directorate_id": row["directorate_id"],
            "team__directorate__name": row["directorate_name"],
            "total": row["total"],
            **{name: row[f"n_{name}"] for name in FLAGS},
        }
        for row in rows
    ]


def team_people(round_: Round, team_id: int | None) -> list[User]:
    """The people of one team at the close (by the team they were in then), each carrying
    their statuses then (`journal_done`, ...) and `team_at_close` (the team's name then)."""
    members = Member.objects.filter(round_id=round_.pk)
    members = members.filter(team_id=team_id) if team_id else members.filter(team__isnull=True)
    members = members.select_related("person").order_by("person__full_name", "person_id")
    found = []
    for member in members:
        person = member.person
        for name in FLAGS:
            setattr(person, name, getattr(member, name))
        person.team_at_close = member.team_name
        found.append(person)
    return found


__all__ = ["grouped_rows", "snapshot", "team_people"]
