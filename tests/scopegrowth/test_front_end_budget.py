"""The front end's weight (issue 20) on any page built on our base.html, uncompressed, counting
what a browser fetches: the stylesheets and
scripts the page links, the modules they import, and the NHS.UK component modules that
static/build/js/app.js loads because the page has that component (`data-module`).

And nothing lost its styling: every NHS.UK class a template uses that the full NHS.UK
stylesheet styles is still styled by ours (the build keeps only what the templates use).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.scopegrowth import demo_pages
from tests.scopegrowth.demo_pages import signed_in

pytestmark = pytest.mark.django_db
demo = demo_pages.demo  # the fixture

KIB = 1024
# The targets are 60 KiB of CSS and 25 KiB of JavaScript. Compiling only the components
# we use, dropping the rules no template can match, and loading a component's script only on a
# page that has it brought the CSS from 285 to 127 KiB and the JavaScript of the heaviest page
# (a form with character counts, radios and checkboxes) from 66 to 27.1 KiB; most pages are
# under 25 KiB. The rest needs per-page stylesheets (README "Speed": left to do). These guard
# what was reached, so the weight can only go down (the journal section's autosave gained the
# lost-reply retry of issue 15: 28.1 KiB on that page).
CSS_BUDGET = 130 * KIB
JS_BUDGET = 28.5 * KIB

LINKED_CSS = re.compile(r'<link rel="stylesheet" href="/static/([^"?]+)"')
LINKED_JS = re.compile(r'<script[^>]* src="/static/([^"?]+)"')
STATIC_IMPORT = re.compile(r'(?:import|from)\s*"(\.{1,2}/[^"]+)"')
DYNAMIC_IMPORT = re.compile(r'import\("(\.{1,2}/[^"]+)"\)')
COMPONENT_CHUNK = re.compile(r"/([a-z-]+)-[A-Z0-9]{8}\.js$")


def _file(path: str) -> Path:
    found = finders.find(path)
    assert found, f"{path} is linked but not built (npm run build)"
    return Path(found)


def _module_bytes(path: str, html: str, seen: set[str]) -> int:
    """The size of a script and of every module it imports (a dynamically imported NHS.UK
    component only when the page has that component)."""
    if path in seen:
        return 0
    seen.add(path)
    body = _file(path).read_text()
    total = len(body.encode())
    base = path.rsplit("/", 1)[0]
    for relative in STATIC_IMPORT.findall(body):
        total += _module_bytes(_join(base, relative), html, seen)
    for relative in DYNAMIC_IMPORT.findall(body):
        name = COMPONENT_CHUNK.search(relative).group(1)
        if f'data-module="nhsuk-{name}"' in html:
            total += _module_bytes(_join(base, relative), html, seen)
    return total


def _join(base: str, relative: str) -> str:
    parts = base.split("/")
    for piece in relative.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def weights(html: str) -> tuple[int, int]:
    css = sum(_file(path).stat().st_size for path in LINKED_CSS.findall(html))
    seen: set[str] = set()
    js = sum(_module_bytes(path, html, seen) for path in LINKED_JS.findall(html))
    return css, js


def test_every_main_page_is_within_the_budget(demo, client):
    pages = [(None, "/accounts/login/"), (None, "/accessibility/")]
    pages += [(key, path) for key, paths in demo.items() for path in paths]
    heaviest = {"css": 0, "js": 0}
    for key, path in pages:
        response = (signed_in(key) if key else client).get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        css, js = weights(html)
        assert css <= CSS_BUDGET, f"{path}: {css} bytes of CSS"
        assert js <= JS_BUDGET, f"{path}: {js} bytes of JavaScript"
        heaviest = {"css": max(heaviest["css"], css), "js": max(heaviest["js"], js)}
    assert heaviest["js"] > 5 * KIB  # the scripts were found and counted
    assert heaviest["css"] > 20 * KIB


def test_a_page_with_a_character_count_loads_that_component_and_one_without_does_not(demo):
    journal_page = next(p for p in demo["individual"] if p.endswith("/strengths/"))
    with_count = signed_in("individual").get(journal_page).content.decode()
    without = signed_in("hr").get("/hr/plans/").content.decode()
    assert 'data-module="nhsuk-character-count"' in with_count
    assert 'data-module="nhsuk-character-count"' not in without
    assert weights(with_count)[1] > weights(without)[1]


def _template_classes() -> set[str]:
    classes = set()
    for template in (settings.BASE_DIR / "templates").rglob("*.html"):
        for attribute in re.findall(r'class="([^"]*)"', template.read_text()):
            plain = re.sub(r"\{[%{].*?[%}]\}", " ", attribute)  # leave out template logic
            classes.update(c for c in plain.split() if c.startswith("nhsuk-"))
    return classes


def _styled(css: str) -> set[str]:
    return set(re.findall(r"\.(nhsuk-[A-Za-z0-9_-]+)", css))


def test_every_nhs_class_a_template_uses_is_still_styled():
    full = (
        settings.BASE_DIR / "node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css"
    ).read_text()
    ours = _file("build/app.css").read_text()
    wanted = _template_classes() & _styled(full)
    assert len(wanted) > 100  # tags, tables, summary lists, details, forms, header, footer...
    missing = sorted(wanted - _styled(ours))
    assert missing == [], f"styled by NHS.UK frontend but not by build/app.css: {missing}"


# Attribute selectors of NHS.UK features no template has: sortable tables, SVG images.
UNUSED_ATTRIBUTES = {"[aria-sort=descending]", "[data-sort]", '[src$=".svg"]'}


def test_the_rules_scripts_switch_on_are_kept():
    """A component's script marks what it started (`data-nhsuk-character-count-init`): the
    rules that then show its parts must survive the build (they once did not, and the
    character count's "You have 9,928 characters remaining" disappeared)."""
    attributes = re.compile(r"\[[a-z-]+[^]]*\]")
    full = (
        settings.BASE_DIR / "node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css"
    ).read_text()
    ours = _file("build/app.css").read_text()
    dropped = set(attributes.findall(full)) - set(attributes.findall(ours))
    assert dropped <= UNUSED_ATTRIBUTES, f"dropped: {sorted(dropped - UNUSED_ATTRIBUTES)}"
    assert "[data-nhsuk-character-count-init]" in ours
