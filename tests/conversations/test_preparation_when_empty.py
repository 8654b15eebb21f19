"""Marking an empty preparation "prepared" asks once (issue 15, item 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conversations.models import Preparation
from tests.conversations.test_preparation import _prep_post

pytestmark = pytest.mark.django_db


def _url(conversation) -> str:
    return reverse("conversations:prepare", args=[conversation.pk])


def test_an_empty_preparation_asks_before_it_is_marked_prepared(clock, client_for, conversation):
    client = client_for("manager")

    asked = client.post(_url(conversation), {"version": "0", "prepared": "1"})

    page = asked.content.decode()
    assert asked.status_code == 200
    assert "You have answered 0 of 18 questions: mark it prepared anyway?" in page
    assert not Preparation.objects.filter(prepared_at__isnull=False).exists()

    confirmed = client.post(_url(conversation), {"version": "0", "prepared": "anyway"})

    assert confirmed.status_code == 302
    assert Preparation.objects.get(conversation=conversation).prepared_at is not None


def test_a_written_preparation_is_marked_prepared_at_once(clock, client_for, conversation):
    response = client_for("manager").post(_url(conversation), _prep_post(prepared="1"))

    assert response.status_code == 302
    assert Preparation.objects.get(conversation=conversation).prepared_at is not None


def test_saving_an_empty_preparation_for_later_does_not_ask(clock, client_for, conversation):
    response = client_for("manager").post(_url(conversation), {"version": "0", "save": "1"})

    assert "mark it prepared anyway" not in response.content.decode()
