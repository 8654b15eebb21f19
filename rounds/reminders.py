"""The round's reminders through the reminders engine (registered into `REMINDER_RULES`): a
reminder a week before each deadline to the people in the audience who have not done that step
yet (rules read at scanning and again at sending, exactly once per deadline). Moving a deadline
gives new reminders for the new date; the old ones are skipped at sending. The opening email is
not a reminder: `rounds.announce` writes it to the core's outbox."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from rounds.audience import audience_q, flags, window
from rounds.models import Round
from scopegrowth import registry
from scopegrowth.models import User
from scopegrowth.registry import Due, ReminderRule

#: kind -> the step it is about.
DEADLINE_KINDS = {"round_journal": "journal", "round_conversation": "conversation",
                  "round_plan": "plan"}  # fmt: skip


def days_before() -> int:
    return getattr(settings, "ROUND_REMINDER_DAYS", 7)


def scan(today: date) -> list[Due]:
    found: list[Due] = []
    ahead = days_before()
    for round_ in Round.objects.filter(state=Round.State.OPEN):
        win = window(round_)
        for kind, step in DEADLINE_KINDS.items():
            deadline = round_.deadline(step)
            if not deadline - timedelta(days=ahead) <= today < deadline:
                continue
            waiting = (
                User.objects.filter(audience_q(round_))
                .annotate(done=flags(win)[f"{step}_done"])
                .filter(done=False)
                .values_list("pk", flat=True)
            )
            found += [Due(kind, "round", round_.pk, pk, deadline) for pk in waiting]
    return found


def still_applies(reminder, person) -> tuple[bool, dict]:
    round_ = Round.objects.filter(pk=reminder.subject_id, state=Round.State.OPEN).first()
    if round_ is None:
        return False, {}
    context = {"round": round_, "steps": [(lbl, round_.deadline(k)) for k, _, lbl in Round.STEPS]}
    step = DEADLINE_KINDS[reminder.kind]
    if round_.deadline(step) != reminder.due_on or not person.optional_reminders:
        return False, {}
    done = (
        User.objects.filter(audience_q(round_), pk=person.pk)
        .annotate(done=flags(window(round_))[f"{step}_done"])
        .values_list("done", flat=True)
        .first()
    )
    if done is None or done:
        return False, {}
    return True, {**context, "step": dict((k, lbl) for k, _, lbl in Round.STEPS)[step]}


registry.REMINDER_RULES.register(
    "rounds",
    ReminderRule(
        kinds=frozenset(DEADLINE_KINDS),
        scan=scan,
        still_applies=still_applies,
    ),
)
