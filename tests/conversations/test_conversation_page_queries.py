"""The conversation and stage pages answer in a fixed number of queries however much is shared,
prepared and written (build, warm up, measure; add more, measure again), and their precompiled
reads (issue 20: the viewer's own preparation and stage notes, the shares a reader may read)
give what the queries built as usual give."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conversations import policies
from conversations.models import Preparation, StageNote
from journals import policies as journal_policies
from journals.models import SectionShare
from scopegrowth import access, access_memo
from tests.conversations.conftest import make_journal, mark_prepared
from tests.conversations.helpers import write_stage

pytestmark = pytest.mark.django_db

# Framework per request (3): session, user, the viewer's roles and links. The page (12): the
# conversation; the open journal; the viewer's preparation (which also says whether the
# facilitator, the viewer, prepared); the shares the viewer may read (which also answer the
# journal "view" check); the shared sections and their answers (2); the stage records; the
# sections kept private; the plan; the read's audit events in one INSERT (the conversation,
# and one per section shown: 2 here).
DETAIL_QUERIES = 13
# The stage page (11): as the overview, with the viewer's stage notes and the stage's sections
# and questions, no plan on stage 1; the sections kept private are picked from the stage's
# sections (no query of their own).
STAGE_QUERIES = 14


@pytest.mark.parametrize(("name", "count"), [("detail", DETAIL_QUERIES), ("stage", STAGE_QUERIES)])
def test_the_page_query_count_does_not_grow(
    name, count, people, conversation, client_for, django_assert_num_queries
):
    make_journal(
        people.individual,
        answers={"wellbeing": "fine", "strengths": "listening"},
        shared=("wellbeing", "strengths"),
    )
    mark_prepared(conversation, strengths="Calm under pressure")
    write_stage(conversation, 1, notes="first notes", agreed_summary="agreed")
    url = (
        reverse("conversations:detail", args=[conversation.pk])
        if name == "detail"
        else reverse("conversations:stage", args=[conversation.pk, 1])
    )
    client = client_for("manager")
    assert client.get(url).status_code == 200
    with django_assert_num_queries(count):
        assert client.get(url).status_code == 200
    # More written on every side: stage notes and records, another conversation's rows.
    write_stage(conversation, 2, notes="second notes", agreed_summary="agreed two")
    write_stage(conversation, 3, notes="third notes")
    StageNote.objects.create(conversation=conversation, stage=1, author=people.coach, text="x")
    with django_assert_num_queries(count):
        assert client.get(url).status_code == 200


def test_the_precompiled_reads_match_the_orm(people, conversation, make_conversation):
    other = make_conversation(individual=people.other_report, facilitator=people.other_manager)
    journal = make_journal(
        people.individual, answers={"strengths": "listening"}, shared=("strengths",)
    )
    mark_prepared(conversation, strengths="Calm")
    write_stage(conversation, 1, notes="mine")
    write_stage(conversation, 2, notes="the coach's", author=people.coach)
    for viewer, conv in [
        (people.manager, conversation),
        (people.coach, conversation),
        (people.other_manager, other),
        (people.manager, conversation),
    ]:
        with access_memo.per_request():
            prep = policies.own_preparation(viewer, conv)
            notes = policies.own_stage_notes(viewer, conv)
        expected = Preparation.objects.filter(conversation=conv, author=viewer).first()
        assert prep == expected
        assert notes == dict(
            StageNote.objects.filter(conversation=conv, author=viewer).values_list("stage", "text")
        )
    for reader in (people.manager, people.coach, people.other_manager):
        with access_memo.per_request():
            shared = journal_policies.shared_with_reader(reader, journal.pk)
            allowed = access.can(reader, "view", journal)
        assert shared == set(
            SectionShare.objects.filter(
                journal_section__journal=journal, reader=reader
            ).values_list("journal_section__section__slug", flat=True)
        )
        # The in-memory check agrees with the policy's filter (the scope).
        assert allowed == access.scope(reader, "view", type(journal)).filter(pk=journal.pk).exists()
    assert access.can(people.manager, "view", journal) is True
    assert access.can(people.other_manager, "view", journal) is False
