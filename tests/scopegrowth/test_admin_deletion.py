"""Admin deletion confirmations show counts by kind, never content (issue 14, item 5).

The "delete user" page used to list every object that would go, by name: each plan objective's
text and each journal answer as the question it answered (health questions included).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin

from journals.models import Answer, Question
from scopegrowth.admin import CountsOnlyDeletion
from scopegrowth.models import Organisation
from tests.devplans.factories import agreed_plan
from tests.journals import helpers as h

pytestmark = pytest.mark.django_db

COUNT = re.compile(r"^[A-Z][\w ()-]*: \d+$")


class ListItems(HTMLParser):
    """The text of each <li> inside the page's content (deleted, or protected, objects)."""

    def __init__(self, html: str):
        super().__init__()
        self.items: list[str] = []
        self._depth = 0
        self._text: list[str] = []
        self._in_content = False
        self.feed(html.split('id="content"', 1)[1])

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            if self._depth:
                self.items.append(" ".join("".join(self._text).split()))
            self._depth += 1
            self._text = []

    def handle_endtag(self, tag):
        if tag == "li" and self._depth:
            text = " ".join("".join(self._text).split())
            if text:
                self.items.append(text)
            self._depth -= 1
            self._text = []

    def handle_data(self, data):
        if self._depth:
            self._text.append(data)


@pytest.fixture
def content(people):
    """Aisha's journal answers (the health section too) and an agreed plan with objectives."""
    journal = h.start(people.individual)
    words = {}
    for slug in ("wellbeing", "strengths"):
        for q in h.text_questions(slug)[:2]:
            words[q] = f"SECRET-{slug}-{q.pk}"
        h.answer(journal, slug, {q: words[q] for q in h.text_questions(slug)[:2]})
    plan = agreed_plan(people.individual, people.manager, objectives=2)
    objectives = list(plan.objectives.values_list("description", flat=True))
    answered = list(
        Question.objects.filter(answers__isnull=False).values_list("text", flat=True).distinct()
    )
    assert Answer.objects.count() == 4
    return [*words.values(), *objectives, *answered]


def assert_counts_only(response, secrets: list[str]) -> list[str]:
    assert response.status_code == 200
    page = response.content.decode()
    for secret in secrets:
        assert secret not in page, f"the confirmation shows {secret!r}"
    items = ListItems(page).items
    assert items, "no summary at all"
    assert all(COUNT.match(item) for item in items), items
    return items


def test_every_admin_is_counts_only():
    plain = [
        m._meta.label
        for m, ma in admin.site._registry.items()
        if not isinstance(ma, CountsOnlyDeletion)
    ]
    assert not plain


def test_deleting_a_user_shows_counts_not_objectives_or_answered_questions(
    client_for, people, content
):
    response = client_for("admin").get(f"/admin/scopegrowth/user/{people.individual.pk}/delete/")

    items = assert_counts_only(response, content)
    assert "Answers: 4" in items
    assert "Objectives: 2" in items


def test_delete_selected_shows_counts_only(client_for, people, content):
    response = client_for("admin").post(
        "/admin/scopegrowth/user/",
        {
            "action": "delete_selected",
            "_selected_action": [people.individual.pk, people.colleague.pk],
        },
    )

    items = assert_counts_only(response, content)
    assert "Users: 2" in items
    assert "Objectives: 2" in items


def test_what_blocks_a_deletion_is_counted_too(client_for, people, content):
    """The manager facilitated a plan (protected): the page says how many, not which."""
    response = client_for("admin").get(f"/admin/scopegrowth/user/{people.manager.pk}/delete/")

    items = assert_counts_only(response, content)
    assert "Plans: 1" in items, items


@pytest.mark.parametrize("kind", ["team", "directorate", "organisation"])
def test_cascades_from_structure_show_counts_only(client_for, people, content, kind):
    team = people.individual.team
    obj = {
        "team": team,
        "directorate": team.directorate,
        "organisation": Organisation.objects.get(pk=team.directorate.organisation_id),
    }[kind]
    response = client_for("admin").get(f"/admin/scopegrowth/{kind}/{obj.pk}/delete/")

    assert_counts_only(response, content)
    bulk = client_for("admin").post(
        f"/admin/scopegrowth/{kind}/", {"action": "delete_selected", "_selected_action": [obj.pk]}
    )
    assert_counts_only(bulk, content)
