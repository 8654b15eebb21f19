"""The home page shows each person what their roles let them do."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_individual_sees_their_line_manager_and_no_admin_or_hr(client_for):
    response = client_for("individual").get("/")
    assert response.status_code == 200
    assert "Helen Carter" in response.text  # line manager
    assert "Grace Adeyemi" in response.text  # assigned coach
    assert "People you support" not in response.text
    assert "admin site" not in response.text


def test_manager_sees_the_people_they_support(client_for):
    response = client_for("manager").get("/")
    assert "People you support" in response.text
    assert "Aisha Rahman" in response.text
    assert "Tom Hughes" in response.text
    assert "Megan Lloyd" not in response.text  # another manager's report


def test_coach_sees_only_their_coachee(client_for):
    response = client_for("coach").get("/")
    assert "Aisha Rahman" in response.text
    assert "Tom Hughes" not in response.text


def test_hr_sees_the_hr_section(client_for):
    response = client_for("hr").get("/")
    assert "HR never sees reflection journals" in response.text


def test_admin_sees_the_admin_link(client_for):
    response = client_for("admin").get("/")
    assert "admin site" in response.text


def test_a_manager_link_ended_mid_session_is_gone_on_the_next_request(client_for, people):
    from django.utils import timezone

    from scopegrowth.models import ManagerLink

    client = client_for("manager")
    assert "Aisha Rahman" in client.get("/").text
    ManagerLink.objects.filter(report=people.individual).update(ended_at=timezone.now())
    assert "Aisha Rahman" not in client.get("/").text


def test_a_deactivated_user_is_signed_out_on_the_next_request(client_for, people):
    client = client_for("individual")
    assert client.get("/").status_code == 200
    people.individual.is_active = False
    people.individual.save()
    assert client.get("/").status_code == 302


def test_signed_in_pages_are_not_cached(client_for):
    response = client_for("individual").get("/")
    assert "no-store" in response["Cache-Control"]


def test_home_query_count_does_not_grow_with_reports(client_for, people, django_assert_num_queries):
    from tests.factories import ManagerLinkFactory

    client = client_for("manager")
    client.get("/")
    # no session writes (issue 20); the rounds card (issue 19); the unread updates count comes
    # with the roles, and the line manager, coaches and team in one query (issue 20).
    with django_assert_num_queries(9) as first:
        client.get("/")
    for _ in range(10):
        ManagerLinkFactory(manager=people.manager)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get("/")
    assert response.text.count("nhsuk-table__row") >= 12
