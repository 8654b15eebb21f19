"""The journals part of the demo organisation (contract: `seed_demo`). Idempotent.

- individual@: a journal partly filled: well-being answered and private; strengths and career
  history answered and shared with her line manager; current role half done.
- colleague@: no journal (not started).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from journals import services
from journals.models import Answer, Journal, JournalSection, Question, Section, SectionShare
from scopegrowth import registry
from scopegrowth.models import CoachLink, ManagerLink, User

if TYPE_CHECKING:
    from scopegrowth.demo import DemoOrganisation

ANSWERS: dict[str, list[str]] = {
    "wellbeing": [
        "Walking the dog before a late shift and swimming on my days off. When I skip them I "
        "sleep badly and get short with people at handover.",
        "Seeing a patient go home better than they arrived, and teaching students on the ward.",
        "At work when the team is settled and we have time to talk to patients; at home with my "
        "family on a Sunday.",
        "My family, fairness, and being trusted to use my judgement.",
        "Rotas that change at short notice, and paperwork that keeps me away from patients.",
        "",
        "A fixed late-shift pattern on Thursdays would let me take the evening course I want.",
    ],
    "strengths": [
        "Calm in a crisis, organised, the person students come to with questions.",
        "Strengths: clinical assessment, teaching, staying calm. Development: delegating, and "
        "speaking up in bigger meetings.",
        "Leading the ward's falls-prevention project last winter: falls went down by a third.",
        "I am the organiser: I make sure handovers happen and nothing is missed.",
        "Covering as nurse in charge for six weeks when our sister was off.",
    ],
    "career-history": [
        "Most motivated when I led the falls project; least when I was on nights for a year "
        "without any training.",
        "The high points all involved teaching or leading something; the low points were when "
        "I had no say.",
        "I learn fastest when I am stretched a little beyond my role, with support.",
        "I should look for roles with teaching or leadership in them, not only clinical work.",
    ],
    "current-role": [
        "Motivated by patients and students; demotivated by short staffing.",
        "",
        "6",
        "Protected time for teaching, a mentor, and a say in the rota.",
    ],
}
SHARED = ("strengths", "career-history")


@transaction.atomic
def seed(org: DemoOrganisation) -> None:
    """Create the demo journals once; a second run leaves them as they are."""
    individual = org.people["individual"]
    if Journal.objects.filter(owner=individual).exists():
        return
    journal = services.journal_start_new(actor=individual, copy_previous=False)
    sections = {s.slug: s for s in Section.objects.all()}
    for slug, texts in ANSWERS.items():
        section = sections[slug]
        asked = list(
            Question.objects.filter(section=section, is_active=True).order_by("order", "pk")
        )
        answers = {q.pk: text for q, text in zip(asked, texts, strict=False) if text}
        version = JournalSection.objects.get(journal=journal, section=section).version
        services.journal_section_save(
            actor=individual,
            journal=journal,
            section=section,
            data=services.SectionAnswers(texts=answers),
            version=version,
        )
    for slug in SHARED:
        services.journal_section_share(
            actor=individual, journal=journal, section=sections[slug], shared=True
        )


@transaction.atomic
def seed_scale(people: Iterable[User]) -> int:
    """`seed_demo --scale N`: a journal for each person who has none, in bulk (the strengths
    section answered and shared, so dashboards and benchmarks have something to read).
    Returns how many journals were added."""
    people = list(people)
    have = set(
        Journal.objects.filter(owner__in=people).values_list("owner_id", flat=True).distinct()
    )
    new = Journal.objects.bulk_create(
        [Journal(owner=p, cycle=1) for p in people if p.pk not in have], batch_size=1000
    )
    if not new:
        return 0
    new = list(Journal.objects.filter(owner__in=[j.owner_id for j in new], cycle=1))
    sections = list(Section.objects.all())
    strengths = next(s for s in sections if s.slug == "strengths")
    now = timezone.now()
    JournalSection.objects.bulk_create(
        [
            JournalSection(journal=j, section=s, version=1 if s.pk == strengths.pk else 0)
            for j in new
            for s in sections
        ],
        batch_size=2000,
    )
    questions = list(Question.objects.filter(section=strengths, is_active=True)[:2])
    answered = list(
        JournalSection.objects.filter(journal__in=new, section=strengths).select_related("journal")
    )
    # Shared by name with each person's supporters at seeding time (sharing is with the person).
    supporters: dict[int, set[int]] = {}
    for report, manager in ManagerLink.objects.active().values_list("report_id", "manager_id"):
        supporters.setdefault(report, set()).add(manager)
    for coachee, coach in CoachLink.objects.active().values_list("coachee_id", "coach_id"):
        supporters.setdefault(coachee, set()).add(coach)
    SectionShare.objects.bulk_create(
        [
            SectionShare(journal_section=js, reader_id=reader, shared_at=now)
            for js in answered
            for reader in sorted(supporters.get(js.journal.owner_id, ()))
        ],
        batch_size=2000,
    )
    Answer.objects.bulk_create(
        [
            Answer(
                journal_section=js,
                question=q,
                question_text=q.text,
                question_facilitator_text=q.facilitator_text,
                question_kind=q.kind,
                question_order=q.order,
                text=ANSWERS["strengths"][n],
            )
            for js in answered
            for n, q in enumerate(questions)
        ],
        batch_size=2000,
    )
    return len(new)


def scale(person_ids: list[int], offset: int) -> int:
    """`seed_demo --scale`: a journal for each generated person who has none."""
    return seed_scale(User.objects.filter(pk__in=person_ids).only("pk"))


registry.DEMO_SEEDERS.register("journals", registry.DemoSeeder(seed=seed, order=10, scale=scale))
