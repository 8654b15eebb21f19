"""Permission-matrix rows for the rounds URLs (merged into matrix.py).

The round is an OPEN round of Trust A for the whole organisation, run by `hr`. HR of Trust A
runs it and reads its completion (the team page is individual's team); HR of Trust B sees the
round list and the new-round form of their own organisation, and 404 for this round; everyone
else, admins included, gets 404 (the pages do not exist for them). Opening an open round and
closing it redirect back with a message (302); an empty POST of a form re-renders it (200).

Rows are literal dicts (this module is imported by matrix.py, so it must not import it).
"""

from __future__ import annotations

from datetime import timedelta

SIGNED_IN = (
    "individual", "colleague", "manager", "other_manager", "coach", "unassigned_coach", "hr",
    "hr_other_org", "admin",
)  # fmt: skip


def _row(default: int, **overrides: int) -> dict[str, int]:
    row = {p: default for p in SIGNED_IN}
    row["anonymous"] = 302
    row["inactive"] = 302
    row.update(overrides)
    return row


BOTH_HR = {"hr": 200, "hr_other_org": 200}

MATRIX: dict[str, dict[str, dict[str, int]]] = {
    "rounds:list": {"GET": _row(404, **BOTH_HR), "POST": _row(405)},
    "rounds:create": {"GET": _row(404, **BOTH_HR), "POST": _row(404, **BOTH_HR)},
    "rounds:detail": {"GET": _row(404, hr=200), "POST": _row(405)},
    "rounds:open": {"GET": _row(405), "POST": _row(404, hr=302)},
    "rounds:extend": {"GET": _row(404, hr=200), "POST": _row(404, hr=200)},
    "rounds:close": {"GET": _row(405), "POST": _row(404, hr=302)},
    "rounds:recount": {"GET": _row(405), "POST": _row(404, hr=302)},
    "rounds:team": {"GET": _row(404, hr=200), "POST": _row(405)},
    "rounds:csv": {"GET": _row(404, hr=200), "POST": _row(405)},
}

KWARGS = {
    "rounds:detail": lambda o: {"pk": o["round"].pk},
    "rounds:open": lambda o: {"pk": o["round"].pk},
    "rounds:extend": lambda o: {"pk": o["round"].pk},
    "rounds:close": lambda o: {"pk": o["round"].pk},
    "rounds:recount": lambda o: {"pk": o["round"].pk},
    "rounds:team": lambda o: {"pk": o["round"].pk, "team": o["people"].individual.team_id},
    "rounds:csv": lambda o: {"pk": o["round"].pk},
}


def _round(people) -> dict:
    from django.utils import timezone

    from rounds.models import Round

    today = timezone.localdate()
    round_ = Round.objects.create(
        organisation=people.hr.organisation,
        name="Career conversations 2026/27",
        journal_ready_by=today + timedelta(days=14),
        conversation_held_by=today + timedelta(days=40),
        plan_agreed_by=today + timedelta(days=70),
        state=Round.State.OPEN,
        opened_at=timezone.now() - timedelta(days=30),
        opened_by=people.hr,
        created_by=people.hr,
    )
    return {"round": round_}


OBJECT_BUILDERS: list = [_round]
