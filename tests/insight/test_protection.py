"""The page and the CSV publish perturbed, rounded counts by default (issue 22)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from insight import protection
from tests.insight.test_csv import read

pytestmark = [pytest.mark.django_db, pytest.mark.protected]


def test_every_count_in_the_csv_is_hidden_zero_or_a_multiple_of_five(trust):
    rows = read(trust.client().get(reverse("insight:hr_insight_csv")))
    counts = [r[3] for r in rows[1:] if r[0] != "About"]
    assert counts
    assert all(c == "[c]" or int(c) % 5 == 0 for c in counts), counts
    assert not [c for c in counts if c.isdigit() and 1 <= int(c) <= 4]


def test_the_page_says_figures_are_adjusted_and_rounded(trust):
    text = trust.client().get(reverse("insight:hr_insight")).content.decode()
    assert "rounded to the nearest 5" in text


@pytest.mark.parametrize("n", range(1, 60))
def test_a_published_count_is_within_four_of_the_truth_and_never_1_to_4(n):
    publish = protection.publisher(5)
    for key in range(256):
        value = publish(n, key)
        assert value % 5 == 0
        assert value >= 5
        assert abs(value - n) <= 4 or n < 5


def test_the_same_people_always_get_the_same_record_key(settings):
    assert protection.record_key(42) == protection.record_key(42)
    keys = {protection.record_key(pk) for pk in range(2000)}
    assert len(keys) > 200  # spread over 0-255
    before = [protection.record_key(pk) for pk in range(20)]
    settings.SECRET_KEY = "another-secret-key-entirely-for-this-test-only-0123456789"
    assert [protection.record_key(pk) for pk in range(20)] != before
