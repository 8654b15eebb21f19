"""Error pages (403, 404, 429, 500) are plain-English NHS pages, axe-clean and CSP-clean.

404 comes from the live server. 403, 429 and 500 have no URL that reliably produces them, so
each is rendered the way Django (or allauth) renders it and served to the browser at a made-up
URL on the live server's origin, with the CSP header the live server sends: the page then loads
its CSS and scripts exactly as a real error response would.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views import defaults

from tests.browser.harness import check_a11y
from tests.html_check import assert_valid_html

pytestmark = pytest.mark.browser


def serve(page, live_server, response) -> None:
    """Show a Django response in the browser at <live server>/__error__/, under our CSP (and
    put it through the Nu HTML Checker, as the live server's pages are)."""
    assert_valid_html([(f"{response.status_code} page", response.content.decode())])
    csp = page.goto(f"{live_server.url}/accounts/login/").headers["content-security-policy"]
    url = f"{live_server.url}/__error__/"
    page.route(
        url,
        lambda route: route.fulfill(
            status=response.status_code,
            body=response.content,
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": csp},
        ),
    )
    page.goto(url)


def a_request():
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    request.session = {}
    return request


def h1(page) -> str:
    (heading,) = page.locator("h1").all_inner_texts()
    return heading.strip()


def test_django_server_error_renders_with_an_empty_context(page, live_server):
    response = defaults.server_error(a_request())

    assert response.status_code == 500
    serve(page, live_server, response)
    assert h1(page) == "Sorry, there is a problem with the service"
    assert page.title() == "Sorry, there is a problem with the service – ScopeGrowth"
    assert page.get_by_role("navigation", name="Account").count() == 0
    check_a11y(page, "500")


def test_our_server_error_shows_the_request_reference(page, live_server):
    from scopegrowth.views import server_error

    request = a_request()
    request.request_id = "3f2b9c0d4e5f"
    response = server_error(request)

    serve(page, live_server, response)
    assert "3f2b9c0d4e5f" in page.locator("main").inner_text()
    check_a11y(page, "500-reference")


@pytest.mark.parametrize("page", ["desktop", "phone"], indirect=True)
def test_permission_denied_page(page, live_server):
    response = defaults.permission_denied(a_request(), PermissionDenied())

    assert response.status_code == 403
    serve(page, live_server, response)
    assert h1(page) == "You do not have permission to see this page"
    check_a11y(page, "403")


def test_too_many_attempts_page(page, live_server):
    from allauth.core.internal.ratelimit import handler429

    response = handler429(a_request())

    assert response.status_code == 429
    serve(page, live_server, response)
    assert h1(page) == "Too many attempts"
    check_a11y(page, "429")
