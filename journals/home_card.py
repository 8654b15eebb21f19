"""The "My journal" card on the home page (`journals.home`), in one query whose SQL is built
once per process (`scopegrowth.precompiled`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery

from journals.models import Answer, Journal, JournalSection, Question, SectionShare
from scopegrowth import access, precompiled
from scopegrowth.models import User


@dataclass
class HomeCard:
    journal: Journal | None
    answered: int = 0
    total: int = 0
    shared: int = 0


def home_journal_card(user: User) -> HomeCard:
    """The "My journal" card on the home page: one query (the open journal, with its counts:
    the questions asked now, its answers to them, and its sections shared)."""
    journal = precompiled.first(
        ("home_journal_card",), _home_journal_card_query, access.scope_q(user, "own", Journal)
    )
    if journal is None:
        return HomeCard(journal=None)
    answered, total, shared = journal.card_answered, journal.card_total, journal.card_shared
    for name in ("card_answered", "card_total", "card_shared"):
        del journal.__dict__[name]
    return HomeCard(journal=journal, answered=answered, total=total, shared=shared)


def _count(queryset: QuerySet) -> Subquery:
    """A queryset's row count as a scalar subquery (0 when it has none)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def _home_journal_card_query(scope: Q) -> QuerySet:
    journal = OuterRef("pk")
    shared = JournalSection.objects.filter(journal=journal).filter(
        Exists(SectionShare.objects.filter(journal_section=OuterRef("pk")))
    )
    return (
        Journal.objects.filter(scope)
        .filter(closed_at__isnull=True)
        .annotate(
            card_total=_count(Question.objects.filter(is_active=True)),
            card_answered=_count(
                Answer.objects.filter(journal_section__journal=journal, question__is_active=True)
            ),
            card_shared=_count(shared),
        )[:1]
    )
