"""Every page built on templates/base.html, as every persona who may open it gets it: one
`<meta name="description">` with text, and no error from the Nu HTML Checker
(tests/html_check.py). The Django admin is left out (its own templates).

The pages are the GET rows of the URL matrix (tests/access/matrix.py) that answer 200 with HTML,
the allauth pages we show, and the error pages; the browser tests check the pages of their
journeys the same way, in the states those journeys reach.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.access import matrix
from tests.access.test_url_matrix import objects  # noqa: F401 - the matrix's objects fixture
from tests.html_check import assert_valid_html

pytestmark = pytest.mark.django_db

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')

HTML_PAGES = sorted(
    name
    for name, methods in matrix.MATRIX.items()
    if any(status == 200 for status in methods.get("GET", {}).values())
)

ACCOUNT_PAGES_SIGNED_OUT = [
    "account_login",
    "account_reset_password",
    "account_reset_password_done",
    "account_signup",
    "account_email_verification_sent",
    "account_inactive",
]
ACCOUNT_PAGES_SIGNED_IN = [
    "account_logout",
    "account_change_password",
    "account_email",
    "account_reauthenticate",
    "mfa_index",
    "usersessions_list",
]


def check_page(label: str, response) -> str | None:
    """The problem with one response's description, or None; non-HTML answers are skipped."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    html = response.content.decode()
    found = DESCRIPTION.findall(html)
    if len(found) != 1 or not found[0].strip():
        return f"{label}: meta descriptions {found}"
    return None


def check_all(pages: list[tuple[str, object]]) -> None:
    problems = [p for label, response in pages if (p := check_page(label, response))]
    assert not problems, "\n".join(problems)
    assert_valid_html(
        [
            (label, response.content.decode())
            for label, response in pages
            if response.get("Content-Type", "").startswith("text/html")
        ]
    )


@pytest.mark.parametrize("name", HTML_PAGES)
def test_every_page_has_a_description_and_valid_html(name, client_for, objects):  # noqa: F811
    url = reverse(name, kwargs=matrix.url_kwargs(name, objects))
    pages = []
    for persona, status in matrix.MATRIX[name]["GET"].items():
        if status != 200:
            continue
        response = client_for(persona).get(url)
        assert response.status_code == 200, f"{persona} GET {url}: {response.status_code}"
        pages.append((f"{url} as {persona}", response))

    check_all(pages)


def test_account_pages_have_a_description_and_valid_html(client_for):
    anonymous, signed_in = client_for("anonymous"), client_for("individual")
    pages = [(n, anonymous.get(reverse(n))) for n in ACCOUNT_PAGES_SIGNED_OUT]
    pages += [(n, signed_in.get(reverse(n))) for n in ACCOUNT_PAGES_SIGNED_IN]
    assert [label for label, r in pages if r.status_code != 200] == []

    check_all(pages)


def test_error_pages_have_a_description_and_valid_html(client_for):
    from allauth.core.internal.ratelimit import handler429

    from scopegrowth.views import server_error

    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    request.session = {}
    pages = [
        ("404", client_for("individual").get("/no-such-page/")),
        ("403", defaults.permission_denied(request, PermissionDenied())),
        ("429", handler429(request)),
        ("500 (Django's)", defaults.server_error(request)),
        ("500 (ours)", server_error(request)),
    ]

    check_all(pages)


def test_a_page_without_a_description_is_caught(client_for):
    response = client_for("individual").get(reverse("home"))
    response.content = DESCRIPTION.sub("", response.content.decode()).encode()

    assert check_page("home", response) == "home: meta descriptions []"
