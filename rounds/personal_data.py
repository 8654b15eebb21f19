"""What the rounds app holds about a person: only who created, opened and closed a round (HR's
work, not about the people in it; a round stores no list of people, its audience is computed).
Not in anyone's download; retention removes the leaver's name from the rounds they ran."""

from rounds.models import Round
from scopegrowth.registry import PERSONAL_DATA, Holding, PersonalData

ROUND = "the round itself: its organisation, name, audience, deadlines and dates"
FIELDS = (
    "id", "organisation", "name", "whole_organisation", "directorates", "teams",
    "journal_ready_by", "conversation_held_by", "plan_agreed_by", "state", "created_at",
    "opened_at", "closed_at", "announced_at", "created_by", "opened_by", "closed_by",
)  # fmt: skip


def _by(field: str) -> Holding:
    return Holding(
        "rounds.round",
        lambda p, field=field: Round.objects.filter(**{field: p}),
        remove=frozenset({field}),
        keep={f: ROUND for f in FIELDS if f != field},
    )


PERSONAL_DATA.register(
    "rounds",
    PersonalData(
        exports=(),
        not_exported={"rounds.round": "the rounds HR ran: records about HR's work, not about you"},
        holdings=(_by("created_by"), _by("opened_by"), _by("closed_by")),
        order=60,
    ),
)
