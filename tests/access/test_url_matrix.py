"""Every URL pattern x every persona x method -> expected status (see matrix.py).

A refused POST must change nothing: the database fingerprint is compared before and after.
"""

from __future__ import annotations

import hashlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import matrix, matrix_journals

pytestmark = pytest.mark.django_db

VOLATILE = {"sessions.session", "usersessions.usersession", "scopegrowth.auditevent"}


def _names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def project_url_names() -> set[str]:
    names = set(_names(get_resolver().url_patterns))
    return {
        n
        for n in names
        if not n.startswith(matrix.EXEMPT_PREFIXES) and n not in matrix.EXEMPT_NAMES
    }


def db_fingerprint() -> str:
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.label_lower in VOLATILE:
            continue
        rows = model._default_manager.order_by("pk").values_list()
        digest.update(model._meta.label_lower.encode())
        # A binary field reads as a memoryview on PostgreSQL, whose repr is its address.
        plain = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
        digest.update(repr(plain).encode())
    return digest.hexdigest()


@pytest.fixture
def objects(people):
    """Objects the URLs point at, all concerning `individual`. Apps add theirs here."""
    built = {"people": people}
    for builder in matrix.OBJECT_BUILDERS:
        built.update(builder(people))
    return built


def test_every_url_pattern_has_a_row():
    missing = sorted(project_url_names() - set(matrix.MATRIX))
    assert not missing, f"URL patterns with no row in tests/access/matrix.py: {missing}"


def test_every_row_names_every_persona():
    for name, methods in matrix.MATRIX.items():
        for method, row in methods.items():
            assert set(row) == set(matrix.PERSONAS), f"{name} {method}: personas {set(row)}"


CASES = [
    (name, method, persona)
    for name, methods in sorted(matrix.MATRIX.items())
    for method in methods
    for persona in matrix.PERSONAS
]


@pytest.mark.parametrize(("name", "method", "persona"), CASES)
def test_status(name, method, persona, client_for, objects):
    url = reverse(name, kwargs=matrix.url_kwargs(name, objects))
    expected = matrix.MATRIX[name][method][persona]
    client = client_for(persona)
    refused = expected >= 400 or persona in ("anonymous", "inactive")
    before = db_fingerprint() if method == "POST" and refused else None
    response = client.generic(method, url)
    assert response.status_code == expected, (
        f"{persona} {method} {url} ({name}): expected {expected}, got {response.status_code}"
    )
    if before is not None:
        assert db_fingerprint() == before, f"refused {persona} {method} {url} changed the database"
    if response.status_code == 200 and persona in matrix.SIGNED_IN:
        assert "no-store" in response.get("Cache-Control", ""), f"{name} is cacheable"
    assert "camera=()" in response.get("Permissions-Policy", ""), f"{name}: no Permissions-Policy"
    if expected == matrix.ANON_REDIRECT and persona in ("anonymous", "inactive"):
        assert "/accounts/login/" in response["Location"]


SECTION_CASES = [
    (slug, persona)
    for slug in sorted(matrix_journals.SECTION_READERS)
    for persona in matrix.PERSONAS
]


@pytest.mark.parametrize(("slug", "persona"), SECTION_CASES)
def test_each_section_is_read_only_by_whom_it_is_shared_with(slug, persona, client_for, objects):
    """Sharing is with the person (issue 14): strengths with the manager and the coach, career
    history with the coach only (the manager gets 404), well-being with nobody."""
    expected = matrix.only(matrix_journals.SECTION_READERS[slug])[persona]
    url = reverse("journals:section", kwargs={"pk": objects["journal"].pk, "section": slug})

    assert client_for(persona).get(url).status_code == expected, f"{persona} GET {url}"


@pytest.mark.parametrize("script_name", ["", "/accounts"])
@pytest.mark.parametrize("persona", matrix.MFA_PERSONAS)
def test_without_an_authenticator_privileged_people_reach_only_exempt_pages(
    persona, script_name, client_for, objects, settings
):
    """Every row, as each privileged persona with no authenticator: sent to set one up, also
    when the request claims to live under /accounts/ (SCRIPT_NAME; issue 14, item 2)."""
    settings.MFA_REQUIRED = True
    settings.FORCE_SCRIPT_NAME = None  # let a prefix reach Django: the rule alone must hold
    urls = {name: reverse(name, kwargs=matrix.url_kwargs(name, objects)) for name in matrix.MATRIX}
    client = client_for(persona)
    for name, methods in sorted(matrix.MATRIX.items()):
        for method in methods:
            response = client.generic(method, urls[name], SCRIPT_NAME=script_name)
            to_setup = response.status_code == 302 and response["Location"].endswith(
                "/accounts/2fa/totp/activate/"
            )
            if name in matrix.MFA_EXEMPT:
                assert not to_setup, f"{persona} {method} {name}: sent to set-up"
            else:
                assert to_setup, (
                    f"{persona} {method} {urls[name]} ({name}) SCRIPT_NAME={script_name!r}: "
                    f"{response.status_code} instead of the set-up page"
                )
