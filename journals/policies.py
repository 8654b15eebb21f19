"""Who may do what to a journal (registered with `scopegrowth.access` at start-up).

Reflection journals (issue 3). Private by default: the owner sees and does everything allowed
on their own journal. Sharing is with the person, not the role (issue 14): the owner chooses,
per section, which of the people who support them now (line manager, coach) may read it
(`SectionShare`). A supporter may *view* a journal only while they support the owner and
once at least one section is shared with them by name, and then only those sections
(`shared_sections`). A new line manager sees nothing until the owner shares with them; a
former one sees nothing. HR, admins, other managers, colleagues and unassigned coaches reach
nothing (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet

from journals.models import Journal, Section, SectionShare
from scopegrowth import access, precompiled
from scopegrowth.access import COACH, INDIVIDUAL, MANAGER, NOTHING, Policy
from scopegrowth.access_memo import once
from scopegrowth.models import User
from scopegrowth.selectors import supporters_of


class JournalPolicy(Policy):
    """Actions on a `journals.Journal`: private; each section is shared with named people.

    A current supporter reads only what is shared with them by name (`shared_sections`)."""

    actions = frozenset({"view", "own", "edit", "share", "mark_ready", "view_access_log", "notify"})
    system_actions = frozenset({"notify"})

    who = {
        "view": (
            {INDIVIDUAL, MANAGER, COACH},
            "the owner; a current facilitator once a section is shared with them by name",
        ),
        "own": ({INDIVIDUAL}, "the owner, any cycle (a post to a closed one is told it is closed)"),
        "edit": ({INDIVIDUAL}, "the owner, while the cycle is open"),
        "mark_ready": ({INDIVIDUAL}, "the owner, while the cycle is open"),
        "share": ({INDIVIDUAL}, "the owner, any cycle (unsharing is always possible)"),
        "view_access_log": ({INDIVIDUAL}, 'the owner ("who has read my journal")'),
        "notify": (frozenset(), "system only: the ready-for-conversation email"),
    }

    def q(self, user: Any, action: str) -> Q:
        own = Q(owner_id=user.pk)
        if action == "view":
            # A section shared with them by name (its SQL kept by `precompiled` reads).
            shared = precompiled.subquery(("journals.shared_with",), _shared_with_them, user.pk)
            return own | (access.facilitated_people_q(user, prefix="owner__") & Q(shared))
        if action in ("own", "share", "view_access_log"):
            return own
        if action in ("edit", "mark_ready"):
            return own & Q(closed_at__isnull=True)
        return NOTHING

    def check(self, user: Any, action: str, obj: Model) -> bool | None:
        if obj.owner_id == user.pk:
            if action in ("view", "own", "share", "view_access_log"):
                return True
            if action in ("edit", "mark_ready"):
                return obj.closed_at is None
            return False
        if action != "view":
            return False
        # `q`'s rule in memory: a current facilitator of the owner with a section shared with
        # them by name (the shares read once per request with `shared_sections`).
        if not access.facilitates(user, User(pk=obj.owner_id)):
            return False
        return bool(shared_with_reader(user, obj.pk))


def _shared_with_them(reader_pk: int) -> Exists:
    """For a journal (the outer query's row): a section of it is shared with `reader_pk`."""
    return Exists(
        SectionShare.objects.filter(journal_section__journal=OuterRef("pk"), reader_id=reader_pk)
    )


def shared_sections(user: Any, journal: Journal) -> set[str]:
    """Slugs of the journal's sections `user` may read: the owner all of them, a current
    facilitator the ones shared with them by name, anyone else none (fail closed)."""
    try:
        if not access.is_person(user) or journal is None or journal.pk is None:
            return set()
        if journal.owner_id == user.pk:
            return set(Section.objects.values_list("slug", flat=True))
        if not access.facilitates(user, journal.owner):
            return set()
        return set(shared_with_reader(user, journal.pk))
    except Exception as exc:  # noqa: BLE001 - fail closed
        access.fail_closed("journals.shared_sections", exc)
        return set()


def shared_with_reader(user: Any, journal_pk: int) -> frozenset[str]:
    """Slugs of the journal's sections shared with `user` by name, whether or not they support
    the owner now (callers check that). Read once per request (`access_memo`, forgotten on any
    write) with its SQL built once per process: `shared_sections` and the "view" check share it.
    """
    return once(
        ("journals.shared_with_reader", journal_pk, user.pk),
        lambda: frozenset(
            precompiled.fetch(
                ("journals.shared_with_reader",), _shared_with_query, journal_pk, user.pk
            )
        ),
    )


def _shared_with_query(journal_pk: int, reader_pk: int) -> QuerySet:
    return SectionShare.objects.filter(
        journal_section__journal=journal_pk, reader_id=reader_pk
    ).values_list("journal_section__section__slug", flat=True)


def shared_with_anyone(journal: Journal) -> set[str]:
    """Slugs of the journal's sections shared with at least one person (for its owner)."""
    return set(
        SectionShare.objects.filter(journal_section__journal=journal).values_list(
            "journal_section__section__slug", flat=True
        )
    )


def shared_with_q(user: Any, prefix: str = "") -> Q:
    """Q for journal sections (at `prefix`, e.g. "journal_section__" from an answer) shared
    with `user` by name while `user` supports the owner now. For every read of "shared
    sections" from another app (dashboard counts, the side-by-side view, the person page)."""
    if not access.is_person(user):
        return access.NOTHING
    return Q(**{f"{prefix}shares__reader_id": user.pk}) & access.facilitated_people_q(
        user, prefix=f"{prefix}journal__owner__"
    )


def section_readers(
    journal: Journal, supporters: list[tuple[User, str]] | None = None
) -> dict[int, list[tuple[User, str, Any]]]:
    """Section id -> the people it is shared with, as [(user, relation, shared_at)], for the
    owner's pages ("Shared since ... with ..."). `relation` is how they support the owner
    now, or "no longer supports you" (they cannot read it). One query when `supporters`
    (journal_facilitators) is given, three otherwise."""
    if supporters is None:
        supporters = journal_facilitators(journal)
    relations = {user.pk: relation for user, relation in supporters}
    found: dict[int, list[tuple[User, str, Any]]] = {}
    for share in precompiled.fetch(("section_readers",), _shares_query, journal.pk):
        relation = relations.get(share.reader_id, "no longer supports you")
        found.setdefault(share.journal_section.section_id, []).append(
            (share.reader, relation, share.shared_at)
        )
    return found


def _shares_query(journal_pk: int) -> QuerySet:
    """The journal's shares, for `section_readers` (its SQL built once per process)."""
    return (
        SectionShare.objects.filter(journal_section__journal=journal_pk)
        .select_related("reader", "journal_section")
        .order_by("reader__full_name", "pk")
    )


def ready_audience(journal: Journal) -> list[tuple[User, str, int]]:
    """Who is told the journal is ready: each person who supports the owner now and has at
    least one section shared with them, with how many. [(user, relation, count)]"""
    counts = dict(
        SectionShare.objects.filter(journal_section__journal=journal)
        .values_list("reader_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        (user, relation, counts[user.pk])
        for user, relation in journal_facilitators(journal)
        if counts.get(user.pk)
    ]


def journal_facilitators(journal: Journal) -> list[tuple[User, str]]:
    """The people who support the owner now, with how they relate to the owner:
    [(user, "line manager"), (user, "coach"), ...] (one entry per person). Whom the owner may
    share a section with, and the "who will see what" text."""
    owner_id = journal.owner_id
    around = supporters_of(owner_id)  # one query
    found: list[tuple[User, str]] = []
    manager = around.line_manager
    if manager is not None and manager.is_active:
        found.append((manager, "line manager"))
    for coach in sorted(
        (c for c in around.coaches if c.is_active), key=lambda c: (c.full_name, c._coach_link)
    ):
        if found and found[0][0].pk == coach.pk:  # one person in both roles
            found[0] = (found[0][0], "line manager and coach")
        elif coach.pk != owner_id:
            found.append((coach, "coach"))
    return found


access.register("journals.journal", JournalPolicy())
