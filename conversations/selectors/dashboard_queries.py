"""The dashboard's queries, each built for `precompiled` (it depends on its arguments alone):
the people with their columns, their open journals, the sections shared with the viewer and
their open conversations."""

from __future__ import annotations

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, JSONObject

from conversations.models import Conversation, Preparation
from conversations.selectors.conversation import OPEN_STATUSES
from conversations.selectors.sections import open_journals
from journals.models import Answer, JournalSection, Question
from scopegrowth import registry
from scopegrowth.models import CoachLink, ManagerLink, User


def padded(ids: list[int]) -> list[int]:
    """`ids` repeated at the end up to a power of two: `IN` matches the same rows, and the
    precompiled query has a few shapes (list lengths) rather than one per team size."""
    size = 1
    while size < len(ids):
        size *= 2
    return ids + [ids[-1]] * (size - len(ids))


#: The columns a row reads; anything else read of these rows would be a query per row (the
#: dashboard's query counts at N and 2N people would fail).
PERSON_FIELDS = ("id", "full_name", "job_title", "team_id")
JOURNAL_FIELDS = ("id", "owner_id", "cycle", "ready_at", "closed_at")
SECTION_FIELDS = ("id", "journal_id", "section_id")
CONVERSATION_FIELDS = (
    "id",
    "individual_id",
    "facilitator_id",
    "journal_id",
    "status",
    "scheduled_at",
    "duration_minutes",
    "facilitator__id",
    "facilitator__full_name",
)


def people_query(viewer: User, scope: Q) -> QuerySet:
    """The people of the dashboard (`scope`: the viewer's facilitate scope of people), with
    their columns as expressions: one query. (How many shared questions each has answered is
    counted per shared section, `sections_query`: a count per person here carried the sharing
    rule's list of people into each person's subquery, two thirds of this query's time.)"""
    completed = Conversation.objects.filter(
        individual=OuterRef("pk"), status=Conversation.Status.COMPLETED
    ).order_by("-completed_at")
    # The plan columns (plan_id, plan_status, has_agreed_plan, next_review) come from the plans
    # app, a higher layer, as expressions on the person: still one query for every person.
    plan_columns = registry.provide("dashboard_plan_columns", default={})
    return (
        User.objects.filter(scope)
        .filter(is_active=True)  # a leaver whose link was not ended yet has nothing to do here
        .only(*PERSON_FIELDS)  # what a row shows of the person (fewer columns to convert)
        .annotate(
            team_name=F("team__name"),  # the name alone: no team instance per row
            is_report=Exists(
                ManagerLink.objects.active().filter(manager=viewer, report=OuterRef("pk"))
            ),
            # The latest completed conversation's agreed position, or None when there is none:
            # one subquery (a JSON object) where a subquery per value (and one for "is there
            # any") sorted the person's completed conversations five times.
            latest_completed=Subquery(
                completed.annotate(
                    position=JSONObject(
                        now_growth="agreed_now_growth",
                        now_impact="agreed_now_impact__name",
                        future_growth="agreed_future_growth",
                        future_impact="agreed_future_impact__name",
                    )
                ).values("position")[:1],
                output_field=JSONField(),
            ),
            **plan_columns,
        )
    )


def journals_query(owners: list[int]) -> QuerySet:
    return open_journals().filter(owner__in=owners).only(*JOURNAL_FIELDS)


def sections_query(shared: Q, journals: list[int]) -> QuerySet:
    """The sections of these journals shared with the viewer (`shared`), each with `answered`:
    its answers to questions asked now."""
    answered = (
        Answer.objects.filter(journal_section=OuterRef("pk"), question__is_active=True)
        .order_by()
        .values("journal_section")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        JournalSection.objects.filter(shared)
        .filter(journal__in=journals)
        .only(*SECTION_FIELDS)
        .annotate(section_title=F("section__title"))  # the title alone: no section instance
        .annotate(answered=Coalesce(Subquery(answered, output_field=IntegerField()), Value(0)))
        .order_by("section__order", "section__pk")
    )


def conversations_query(people: list[int]) -> QuerySet:
    return (
        Conversation.objects.filter(status__in=OPEN_STATUSES)
        .filter(individual__in=people)
        .select_related("facilitator")
        .only(*CONVERSATION_FIELDS)
        .annotate(
            holder_prepared=Exists(
                Preparation.objects.filter(
                    conversation=OuterRef("pk"),
                    author=OuterRef("facilitator"),
                    prepared_at__isnull=False,
                )
            ),
            holder_supports=Exists(
                ManagerLink.objects.active().filter(
                    manager=OuterRef("facilitator"), report=OuterRef("individual")
                )
            )
            | Exists(
                CoachLink.objects.active().filter(
                    coach=OuterRef("facilitator"), coachee=OuterRef("individual")
                )
            ),
        )
        .order_by("scheduled_at")
    )


def questions_query() -> QuerySet:
    return (
        Question.objects.filter(is_active=True)
        .values_list("section")
        .annotate(n=Count("pk"))
        .order_by()
    )
