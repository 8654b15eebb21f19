"""The framework's guidance: the impact levels' definitions (an organisation's own, edited in
the admin), the three growth categories (the framework's own words) and the development
initiatives, on a framework page and beside every position choice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scopegrowth.models import ImpactLevel
from tests.conversations.conftest import (  # noqa: F401  (fixtures)
    clock,
    complete_stages,
    conversation,
    make_conversation,
)
from tests.devplans.conftest import draft  # noqa: F401  (the fixture)
from tests.devplans.helpers import page_text
from tests.journals import helpers as jh

pytestmark = pytest.mark.django_db

FRAMEWORK = reverse("framework")
LEVEL_GUIDANCE = "Consistently delivers what the role asks for"
DEPTH = "Stay in your current role or field and keep growing in it"
STRETCH = "Move into a role of greater complexity and leadership"


def test_the_framework_page_explains_levels_categories_and_initiatives(client_for):
    text = page_text(client_for("individual").get(FRAMEWORK))
    assert "Established in role" in text
    assert LEVEL_GUIDANCE in text
    assert DEPTH in text
    assert "Broaden your knowledge and expertise into other areas" in text
    assert STRETCH in text
    assert "Reverse mentoring" in text
    assert "A more junior colleague mentors a senior one" in text


def test_an_organisation_s_own_levels_replace_the_defaults(client_for, people):
    ImpactLevel.objects.create(
        organisation=people.individual.organisation,
        name="Growing",
        guidance="Our own words <b>for it</b>.",
        order=1,
    )
    response = client_for("individual").get(FRAMEWORK)
    text = page_text(response)
    assert "Growing" in text
    assert LEVEL_GUIDANCE not in text
    assert b"&lt;b&gt;for it&lt;/b&gt;" in response.content
    # Trust B keeps the defaults.
    assert LEVEL_GUIDANCE in page_text(client_for("hr_other_org").get(FRAMEWORK))


def test_the_journal_self_assessment_explains_the_choice_and_points_to_the_framework(
    client_for, people
):
    journal = jh.start(people.individual)
    response = client_for("individual").get(jh.section_url(journal, "aspirations"))
    text = page_text(response)
    assert DEPTH in text
    assert LEVEL_GUIDANCE in text
    assert "what support and development you need" in text
    assert f'href="{FRAMEWORK}"' in response.content.decode()


def test_the_preparation_and_stage_two_explain_the_choice(clock, client_for, conversation):  # noqa: F811
    client = client_for("manager")
    for url in (
        reverse("conversations:prepare", args=[conversation.pk]),
        reverse("conversations:stage", args=[conversation.pk, 2]),
    ):
        if url.endswith("/2/"):
            complete_stages(conversation, 1, position=False)
        response = client.get(url)
        assert response.status_code == 200, url
        text = page_text(response)
        assert DEPTH in text, url
        assert LEVEL_GUIDANCE in text, url
        assert f'href="{FRAMEWORK}"' in response.content.decode(), url


def test_the_plan_form_explains_the_choice(client_for, draft):  # noqa: F811
    response = client_for("manager").get(reverse("devplans:edit", args=[draft.pk]))
    text = page_text(response)
    assert STRETCH in text
    assert LEVEL_GUIDANCE in text
    assert f'href="{FRAMEWORK}"' in response.content.decode()


def test_an_admin_s_guidance_is_escaped_in_the_hint(client_for, draft):  # noqa: F811
    ImpactLevel.objects.filter(name="Established in role").update(
        guidance='<script>alert("x")</script>'
    )
    response = client_for("manager").get(reverse("devplans:edit", args=[draft.pk]))
    assert b'<script>alert("x")</script>' not in response.content
    assert b"&lt;script&gt;" in response.content


def test_it_rejects_post(client_for):
    assert client_for("individual").post(FRAMEWORK).status_code == 405
