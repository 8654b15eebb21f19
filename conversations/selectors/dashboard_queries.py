"""The dashboard's queries, each built for `precompiled` (it depends on its arguments alone):
the people with their columns, their open journals, the sections shared with the viewer and
their open conversations."""

from __future__ import annotations

import json
from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    CharField,
    Count,
    DateField,
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
from django.db.models.base import ModelState
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


def instances(model: type, rows: list[dict], db: str = DEFAULT_DB_ALIAS) -> list:
    """`model` instances holding these columns (a `values()` query's rows: fields by attname,
    annotations by name), as `.only(*columns)` gives them but without `Model.__init__` and the
    per-field conversion of `from_db` (15 µs a row, most of a 50-row dashboard's Python;
    issue 20). A field not among the columns is deferred, as with `only()`: reading it is a
    query (the dashboard's query counts at N and 2N would fail)."""
    made = []
    for row in rows:
        obj = model.__new__(model)
        state = obj._state = ModelState()
        state.adding, state.db = False, db
        obj.__dict__.update(row)
        made.append(obj)
    return made


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
    # Without the plans app, the same columns (`PEOPLE_COLUMNS`), empty.
    plan_columns = {
        "plan_id": Value(None, IntegerField()),
        "plan_status": Value(None, CharField()),
        "has_agreed_plan": Value(None, IntegerField()),
        "next_review": Value(None, DateField()),
        **registry.provide("dashboard_plan_columns", default={}),
    }
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


def people_rows_query(viewer: User, scope: Q) -> QuerySet:
    """`people_query`'s rows as tuples: its columns, then its annotations (`PEOPLE_COLUMNS`)."""
    queryset = people_query(viewer, scope)
    if (*PERSON_FIELDS, *queryset.query.annotations) != PEOPLE_COLUMNS:
        raise ImproperlyConfigured("the dashboard's people columns are not PEOPLE_COLUMNS")
    return queryset.values_list(*PEOPLE_COLUMNS)


#: The columns of `people_rows_query`, in order (the plan columns are the plans app's).
PEOPLE_COLUMNS = (
    *PERSON_FIELDS, "team_name", "is_report", "latest_completed",
    "plan_id", "plan_status", "has_agreed_plan", "next_review",
)  # fmt: skip


def people_from_rows(rows: list[tuple]) -> list[User]:
    """The people of `people_rows_query`'s rows as the driver gives them
    (`precompiled.raw_rows`), each column converted here, and only those that need it: the
    booleans (0 or 1 on SQLite), the position's JSON text (None: nothing completed yet) and the
    next review's date (text on SQLite). Django's per-value converters and the dict per row
    were most of this query's Python at 50 rows (issue 20)."""
    made = []
    for row in rows:
        pk, name, title, team, team_name, report, latest, plan, status, agreed, review = row
        person = User.__new__(User)
        state = person._state = ModelState()
        state.adding, state.db = False, DEFAULT_DB_ALIAS
        person.__dict__.update(
            id=pk, full_name=name, job_title=title, team_id=team, team_name=team_name,
            is_report=bool(report),
            latest_completed=json.loads(latest) if type(latest) is str else latest,
            plan_id=plan, plan_status=status, has_agreed_plan=bool(agreed),
            next_review=date.fromisoformat(review) if type(review) is str else review,
            open_journals=[], open_conversations=[],  # filled by the dashboard's next reads
        )  # fmt: skip
        made.append(person)
    return made


def journals_query(owners: list[int]) -> QuerySet:
    return open_journals().filter(owner__in=owners).only(*JOURNAL_FIELDS)


def journals_rows_query(owners: list[int]) -> QuerySet:
    return journals_query(owners).values(*JOURNAL_FIELDS)


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


def sections_rows_query(shared: Q, journals: list[int]) -> QuerySet:
    return sections_query(shared, journals).values(*SECTION_FIELDS, "section_title", "answered")


#: A conversation's columns by attname, then its facilitator's name (`conversations_rows`).
CONVERSATION_COLUMNS = (
    *(f for f in CONVERSATION_FIELDS if not f.startswith("facilitator__")),
    "holder_prepared",
    "holder_supports",
)


def conversations_rows_query(people: list[int]) -> QuerySet:
    return conversations_query(people).values_list(*CONVERSATION_COLUMNS, "facilitator__full_name")


def conversations_rows(rows: list[tuple]) -> list[Conversation]:
    """`conversations_query`'s conversations from `conversations_rows_query`'s rows, each with
    its facilitator (id and name) loaded, as its `select_related` gave."""
    columns = [dict(zip(CONVERSATION_COLUMNS, row, strict=False)) for row in rows]
    found = instances(Conversation, columns)
    facilitators = instances(
        User,
        [
            {"id": c["facilitator_id"], "full_name": row[-1]}
            for c, row in zip(columns, rows, strict=True)
        ],
    )
    for conversation, facilitator in zip(found, facilitators, strict=True):
        conversation._state.fields_cache["facilitator"] = facilitator
    return found


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
