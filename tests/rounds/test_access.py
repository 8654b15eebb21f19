"""The round policy as a literal table: persona x action -> may they (issue 19)."""

from __future__ import annotations

import pytest

from rounds.models import Round
from scopegrowth import access
from tests.access.matrix_rounds import _round

pytestmark = pytest.mark.django_db

HR_ONLY = {"hr"}
TABLE = {
    "view": HR_ONLY,
    "manage": HR_ONLY,
    "export": HR_ONLY,
    "follow": {
        "individual", "colleague", "manager", "other_manager", "coach", "unassigned_coach", "hr",
        "admin",
    },
    "announce": set(),
    "frobnicate": set(),
}  # fmt: skip
PERSONAS = (
    "individual", "colleague", "manager", "other_manager", "coach", "unassigned_coach", "hr",
    "hr_other_org", "admin", "inactive", "anonymous",
)  # fmt: skip


@pytest.mark.parametrize("action", sorted(TABLE))
def test_who_may_do_what_to_a_round(people, action):
    round_ = _round(people)["round"]
    for persona in PERSONAS:
        user = people.get(persona)
        expected = persona in TABLE[action]
        assert access.can(user, action, round_) is expected, f"{persona} {action}"
        found = access.scope(user, action, Round).filter(pk=round_.pk).exists()
        assert found is expected, f"{persona} {action} scope"


def test_a_closed_round_is_no_longer_followed_but_hr_still_reads_it(people):
    round_ = _round(people)["round"]
    from rounds import services

    services.round_close(actor=people.hr, round_=round_)
    assert not access.can(people.individual, "follow", round_)
    assert access.can(people.hr, "view", round_)
    assert access.can(access.SYSTEM, "announce", round_)
