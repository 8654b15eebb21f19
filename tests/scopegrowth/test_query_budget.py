"""Home and a journal section in at most 12 queries (issue 20), for each demo persona who reads
them; the counts do not grow with the organisation (the N and 2N tests of each page)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.scopegrowth import demo_pages
from tests.scopegrowth.demo_pages import signed_in

pytestmark = pytest.mark.django_db
demo = demo_pages.demo  # the fixture

BUDGET = 12


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["individual", "individual2", "manager", "coach", "hr"])
def test_home_in_at_most_twelve_queries(demo, persona):
    assert queries(signed_in(persona), "/") <= BUDGET


def test_a_journal_section_in_at_most_twelve_queries(demo):
    client = signed_in("individual")
    sections = [p for p in demo["individual"] if p.endswith("/strengths/")]
    assert sections
    for path in sections:
        assert queries(client, path) <= BUDGET
