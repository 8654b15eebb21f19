"""What the rounds app holds about a person: who created, opened and closed a round (HR's work),
and, once a round closed, that a person was in it with their team then and whether each step was
done (`Member`: statuses only, never what they wrote). Not in anyone's download; retention
removes the leaver's name from the rounds they ran and keeps the statuses (the round's figures
stay true; the person row itself is anonymised by the core)."""

from rounds.models import Member, Round, Tally
from scopegrowth.registry import PERSONAL_DATA, Holding, PersonalData

ROUND = "the round itself: its organisation, name, audience, deadlines and dates"
FIELDS = (
    "id", "organisation", "name", "whole_organisation", "directorates", "teams",
    "journal_ready_by", "conversation_held_by", "plan_agreed_by", "state", "created_at",
    "opened_at", "closed_at", "announced_at", "announce_batch_at", "created_by", "opened_by",
    "closed_by",
)  # fmt: skip


def _by(field: str) -> Holding:
    return Holding(
        "rounds.round",
        lambda p, field=field: Round.objects.filter(**{field: p}),
        remove=frozenset({field}),
        keep={f: ROUND for f in FIELDS if f != field},
    )


MEMBER = "a closed round's figures: which team counted whom, statuses only"
MEMBER_FIELDS = (
    "id", "round", "person", "directorate", "directorate_name", "team", "team_name",
    "journal_done", "conversation_done", "plan_done", "review_due", "review_on_time",
    "review_overdue",
)  # fmt: skip

PERSONAL_DATA.register(
    "rounds",
    PersonalData(
        exports=(),
        not_exported={
            "rounds.round": "the rounds HR ran: records about HR's work, not about you",
            "rounds.tally": "a round's figures: group counts and team names, nobody by name",
            "rounds.member": "a closed round's counts: whether each step was done, which your "
            "own pages already show",
        },
        holdings=(
            _by("created_by"),
            _by("opened_by"),
            _by("closed_by"),
            Holding(
                "rounds.member",
                lambda p: Member.objects.filter(person=p),
                keep={f: MEMBER for f in MEMBER_FIELDS},
            ),
            # Hangs on a round, not on a person: counts per group, never a named person.
            Holding(
                "rounds.tally",
                lambda p: Tally.objects.none(),
                keep={
                    f: "a round's figures: group counts and team names only"
                    for f in ("round", "key", "counted_at", "html", "csv_text")
                },
            ),
        ),
        order=60,
    ),
)
