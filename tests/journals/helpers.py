"""Builders for journal tests: real services, so tests start from states users can reach."""

from __future__ import annotations

from django.urls import reverse

from journals import services
from journals.models import Journal, JournalSection, Question, Section
from scopegrowth.models import User


def section(slug: str) -> Section:
    return Section.objects.get(slug=slug)


def questions(slug: str) -> list[Question]:
    return list(Question.objects.filter(section__slug=slug, is_active=True).order_by("order", "pk"))


def text_questions(slug: str) -> list[Question]:
    return [q for q in questions(slug) if q.kind == Question.Kind.TEXT]


def start(owner: User, *, copy_previous: bool = False) -> Journal:
    return services.journal_start_new(actor=owner, copy_previous=copy_previous)


def version(journal: Journal, slug: str) -> int:
    return JournalSection.objects.get(journal=journal, section__slug=slug).version


def answer(journal: Journal, slug: str, texts: dict[Question, str]) -> int:
    """Save answers through the service (as the owner), from the section's current version."""
    return services.journal_section_save(
        actor=journal.owner,
        journal=journal,
        section=section(slug),
        data=services.SectionAnswers(texts={q.pk: t for q, t in texts.items()}),
        version=version(journal, slug),
    )


def share(journal: Journal, slug: str, shared: bool = True) -> None:
    services.journal_section_share(
        actor=journal.owner, journal=journal, section=section(slug), shared=shared
    )


def section_url(journal: Journal, slug: str, name: str = "section") -> str:
    return reverse(f"journals:{name}", kwargs={"pk": journal.pk, "section": slug})


def overview_url(journal: Journal) -> str:
    return reverse("journals:overview", kwargs={"pk": journal.pk})


def form_data(journal: Journal, slug: str, texts: dict[Question, str], **extra) -> dict:
    """What the section form posts: every question asked now (empty unless given)."""
    asked = questions(slug)
    data = {
        "version": str(version(journal, slug)),
        "asked": ",".join(str(q.pk) for q in asked),
    }
    for q in asked:
        data[f"q_{q.pk}"] = texts.get(q, "")
    data.update(extra)
    return data
