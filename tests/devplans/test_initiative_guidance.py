"""The development initiatives' descriptions (an organisation's data, edited in the admin) are
shown where initiatives are chosen, as each choice's hint, and on the plan page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.devplans.factories import initiative
from tests.devplans.helpers import page_text

pytestmark = pytest.mark.django_db

COACHING = "Regular sessions with a trained coach to work on a goal you choose."


@pytest.fixture
def described():
    coaching = initiative("Coaching")
    coaching.description = COACHING
    coaching.save()
    return coaching


def test_each_initiative_choice_has_its_description_as_a_hint(client_for, draft, described):
    response = client_for("individual").get(reverse("devplans:edit", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    box = f'name="objectives-0-initiatives" value="{described.pk}"'
    assert box in html
    tag = html[html.rindex("<input", 0, html.index(box)) :]
    tag = tag[: tag.index(">")]
    hint_id = tag.split('aria-describedby="')[1].split('"')[0]
    assert f'id="{hint_id}">{COACHING}</div>' in html
    assert COACHING in page_text(response)


def test_the_plan_page_shows_each_chosen_initiatives_description(client_for, draft, described):
    response = client_for("manager").get(reverse("devplans:detail", args=[draft.pk]))
    assert response.status_code == 200
    assert f"Coaching: {COACHING}" in page_text(response)


def test_a_description_written_as_html_is_printed_not_parsed(client_for, draft, described):
    described.description = "<b>bold</b>"
    described.save()
    html = client_for("individual").get(reverse("devplans:edit", args=[draft.pk])).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold</b>" not in html
