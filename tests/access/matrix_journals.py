"""Permission-matrix rows for the journal URLs (merged into matrix.py).

The object is `individual`'s journal with the well-being section private, the strengths
section shared with her line manager and her coach, and her career history shared with her
coach only (sharing is with the person: issue 14). Section URLs use the strengths section;
`SECTION_READERS` gives who reads each of the three (tests/access/test_url_matrix.py).

- the owner: pages 200; a POST with an empty body is refused with a message (200 re-render or
  302 back), never a 500;
- the line manager and the assigned coach: the overview and the shared section 200 (read-only),
  every POST 403 (the journal is visible to them, the action is not theirs), "who has read my
  journal" 403;
- colleague, other manager, unassigned coach, HR (both organisations), admin: 404;
- anonymous and inactive: 302 to sign in (`every()` adds those).
Everyone is an individual with their own journal, so `current`, `new` and `history` answer each
person about their own journals.
"""

from __future__ import annotations

from tests.access.matrix import every, only

FACILITATOR_READ = {"individual": 200, "manager": 200, "coach": 200}
OWNER_POST_FACILITATOR_403 = {"individual": 302, "manager": 403, "coach": 403}

MATRIX: dict = {
    # Nobody in the fixture but `individual` has a journal: they go to `new`, she to hers.
    "journals:current": {"GET": every(302), "POST": every(405)},
    # Empty POST: starts a first journal (302) for people without one; `individual` has an open
    # journal and must confirm that it will close, so she gets the form back with a message.
    "journals:new": {"GET": every(200), "POST": every(302, individual=200)},
    "journals:history": {"GET": every(200), "POST": every(405)},
    "journals:overview": {"GET": only(FACILITATOR_READ), "POST": only({}, others=405)},
    "journals:section": {
        "GET": only(FACILITATOR_READ),
        # owner: an empty POST re-shows the form with "This page was incomplete".
        "POST": only({"individual": 200, "manager": 403, "coach": 403}),
    },
    "journals:share": {"GET": every(405), "POST": only(OWNER_POST_FACILITATOR_403)},
    "journals:autosave": {
        "GET": every(405),
        "POST": only({"individual": 400, "manager": 403, "coach": 403}),
    },
    "journals:ready": {"GET": every(405), "POST": only(OWNER_POST_FACILITATOR_403)},
    "journals:access_log": {
        "GET": only({"individual": 200, "manager": 403, "coach": 403}),
        "POST": every(405),
    },
}


# Who may GET each section of the matrix journal (everyone else 404, signed out 302).
SECTION_READERS: dict = {
    "strengths": FACILITATOR_READ,  # shared with the line manager and the coach
    "career-history": {"individual": 200, "coach": 200},  # with the coach only
    "wellbeing": {"individual": 200},  # private
}


def _journal_kwargs(objects: dict) -> dict:
    return {"pk": objects["journal"].pk}


def _section_kwargs(objects: dict) -> dict:
    return {"pk": objects["journal"].pk, "section": "strengths"}


KWARGS: dict = {
    "journals:overview": _journal_kwargs,
    "journals:ready": _journal_kwargs,
    "journals:access_log": _journal_kwargs,
    "journals:section": _section_kwargs,
    "journals:share": _section_kwargs,
    "journals:autosave": _section_kwargs,
}


def build_journal(people) -> dict:
    """`individual`'s open journal: well-being answered and private, strengths answered and
    shared with everyone supporting her, career history answered and shared with her coach."""
    from journals import services
    from journals.models import Question, Section

    journal = services.journal_start_new(actor=people.individual, copy_previous=False)
    for slug in ("wellbeing", "strengths", "career-history"):
        section = Section.objects.get(slug=slug)
        question = Question.objects.filter(section=section, kind=Question.Kind.TEXT).first()
        services.journal_section_save(
            actor=people.individual,
            journal=journal,
            section=section,
            data=services.SectionAnswers(texts={question.pk: f"CANARY-{slug}-answer"}),
            version=0,
        )
    services.journal_section_share(
        actor=people.individual,
        journal=journal,
        section=Section.objects.get(slug="strengths"),
        shared=True,
    )
    services.journal_section_share(
        actor=people.individual,
        journal=journal,
        section=Section.objects.get(slug="career-history"),
        readers=[people.coach],
    )
    return {"journal": journal}


OBJECT_BUILDERS: list = [build_journal]
