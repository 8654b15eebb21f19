"""Helpers for the end-to-end journeys in tests/browser/test_journeys.py.

- `Browsers`: one browser context per person (and per viewport), each set up like the harness's
  `page` fixture (CSP violations, console errors and uncaught exceptions recorded), remembering
  every page each person checked so the same pages can be revisited at the phone viewport, and
  recording every request so a test can prove nothing left our origin (security.md G7), and
  every page the live server sent, which `close()` puts through the Nu HTML Checker.
- `choose`: tick a radio or checkbox inside the fieldset with a given legend.
- `tab_to`, `focus_problem`: keyboard-only navigation with a visible-focus check at every stop.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.browser.fixtures import RECORD_CSP_VIOLATIONS, VIEWPORTS, PageProblems
from tests.browser.harness import PASSWORD, assert_no_page_problems, check_a11y
from tests.html_check import assert_valid_html, start_recording, stop_recording

BASE_DIR = Path(__file__).resolve().parents[2]
DOCS_SCREENSHOTS = BASE_DIR / "docs" / "screenshots"
README_DRAFTS = BASE_DIR / "var" / "screenshots" / "readme"


@dataclass
class Browsers:
    """Browser contexts for the people of one journey; closed (and checked) by `close()`."""

    browser: object
    live_server: object
    contexts: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    visited: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    foreign_requests: list[str] = field(default_factory=list)
    emails: dict[str, tuple[str, str]] = field(default_factory=dict)
    phones: dict[str, object] = field(default_factory=dict)
    too_wide: list[str] = field(default_factory=list)
    documents: list[tuple[str, str]] = field(default_factory=start_recording)

    @property
    def url(self) -> str:
        return self.live_server.url

    def open(self, viewport: str = "desktop", *, js: bool = True):
        context = self.browser.new_context(
            viewport=VIEWPORTS[viewport],
            locale="en-GB",
            java_script_enabled=js,
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        context.on("request", self._record_request)
        self.contexts.append(context)
        return self.tab(context, viewport)

    def tab(self, context, viewport: str = "desktop"):
        """Another tab in the same context (same cookies: the same person)."""
        page = context.new_page()
        page.viewport_name = viewport
        page.problems = PageProblems()
        page.problems.attach(page)
        self.pages.append(page)
        return page

    def sign_in(self, page, email: str, password: str = PASSWORD, *, role: str = "") -> None:
        """Through the allauth form, typing and pressing the button like a person. `role`
        names the person for `check`'s phone pass."""
        if role:
            self.emails[role] = (email, password)
        page.goto(f"{self.url}/accounts/login/")
        page.fill("#id_login", email)
        page.fill("#id_password", password)
        page.locator("main form").get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def check(self, page, role: str, name: str, *, phone: bool = True) -> Path:
        """axe + CSP + console check of the page as it is now (its desktop screenshot is
        returned); then, unless `phone=False`, the same URL opened by the same person in a
        390x844 context and checked there too (the state is the same at that moment)."""
        shot = check_a11y(page, name)
        assert not structure_problems(page), f"{page.url}: {structure_problems(page)}"
        path = page.url.removeprefix(self.url)
        self.visited.setdefault(role, []).append((name, path))
        if phone:
            small = self.phone(role)
            response = small.goto(f"{self.url}{path}")
            assert response.status == 200, f"{path} at the phone viewport: {response.status}"
            check_a11y(small, name)
            assert not structure_problems(small), f"{path}: {structure_problems(small)}"
            wide = small.evaluate("document.documentElement.scrollWidth")
            if wide > VIEWPORTS["phone"]["width"]:
                self.too_wide.append(f"{name} ({path}): {wide}px wide")
        return shot

    def phone(self, role: str):
        """The person's phone-sized browser, signed in on first use."""
        if role not in self.phones:
            page = self.open("phone")
            self.sign_in(page, *self.emails[role])
            self.phones[role] = page
        return self.phones[role]

    def _record_request(self, request) -> None:
        url = request.url
        if url.startswith(self.url) or url.startswith(("data:", "blob:", "about:")):
            return
        self.foreign_requests.append(url)

    def close(self, *, check: bool = True) -> None:
        try:
            if check:
                assert self.foreign_requests == [], "requests left our origin (security.md G7)"
                for page in self.pages:
                    if not page.is_closed():
                        assert_no_page_problems(page)
                assert_valid_html(self.documents)
        finally:
            for context in self.contexts:
                context.close()
            stop_recording(self.documents)


# The NHS.UK page pattern: "<page> – ScopeGrowth" titles ("Error: " first when the page shows an
# error summary), one h1, the skip link as the first focusable element pointing at the one <main>,
# and the header and footer landmarks.
STRUCTURE_PROBLEMS = """() => {
  const problems = [];
  const h1s = document.querySelectorAll("h1").length;
  if (h1s !== 1) problems.push(`${h1s} h1 elements`);
  if (!/^.+ – ScopeGrowth$/.test(document.title)) problems.push(`title "${document.title}"`);
  const summary = document.querySelector(".nhsuk-error-summary");
  if (summary && !document.title.startsWith("Error: "))
    problems.push("an error summary but no 'Error: ' in the title");
  if (document.querySelectorAll("main#maincontent").length !== 1
      || document.querySelectorAll("main").length !== 1) problems.push("not exactly one <main>");
  if (!document.querySelector("header.nhsuk-header")) problems.push("no NHS.UK header");
  if (!document.querySelector("footer.nhsuk-footer")) problems.push("no NHS.UK footer");
  const first = document.querySelector(
    "a[href], button, input:not([type=hidden]), select, textarea");
  if (!first || !first.matches("a.nhsuk-skip-link[href='#maincontent']"))
    problems.push("the skip link is not the first focusable element");
  return problems;
}"""


def structure_problems(page) -> list[str]:
    return page.evaluate(STRUCTURE_PROBLEMS)


def publish_screenshot(page, name: str) -> Path:
    """The top of the page as a person first sees it (1280x900), written to
    var/screenshots/readme/<name>.png on every run, and to docs/screenshots/<name>.png (the
    README's pictures) when UPDATE_SCREENSHOTS=1 (`make screenshots`), so an ordinary test run
    leaves the committed pictures alone. Full-page screenshots of every check are in
    var/screenshots/."""
    folder = DOCS_SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else README_DRAFTS
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(target), full_page=False, animations="disabled", caret="hide")
    return target


def fieldset(scope, legend: str):
    """The innermost fieldset whose own legend contains `legend`."""
    return scope.locator(
        f"xpath=.//fieldset[legend[contains(normalize-space(.), {xpath_string(legend)})]]"
    ).last


def choose(scope, legend: str, option: str) -> None:
    """Tick the radio (or checkbox) labelled `option...` in the fieldset with that legend."""
    fieldset(scope, legend).get_by_label(re.compile("^" + re.escape(option))).check()


def fill_date(scope, legend: str, day) -> None:
    """Type `day` into the NHS.UK date input (the Day, Month and Year boxes) whose fieldset's
    legend is `legend`, as a person does: "15", "3", "2027"."""
    group = scope.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def xpath_string(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    parts = text.split("'")
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in parts) + ")"


# -- keyboard ---------------------------------------------------------------------------------

# Whether the focused element shows a focus indicator: an outline that is not transparent, a
# box-shadow, or (for NHS radios and checkboxes, whose input is visually hidden) the ring drawn
# on the label's ::before. Returns a description of the problem, or "" when focus is visible.
FOCUS_PROBLEM = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "nothing focused";
  const visibleColour = (c) => c && c !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(c);
  const rings = (style) =>
    (style.boxShadow && style.boxShadow !== "none")
    || (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
        && visibleColour(style.outlineColor));
  let target = el;
  if (el.matches(".nhsuk-radios__input, .nhsuk-checkboxes__input")) {
    target = document.querySelector(`label[for="${el.id}"]`);
    if (!target) return `no label for ${el.id}`;
    if (rings(getComputedStyle(target, "::before")) || rings(getComputedStyle(target, "::after")))
      return "";
  }
  const box = target.getBoundingClientRect();
  if (box.width < 1 || box.height < 1)
    return `focused element is not visible: ${el.outerHTML.slice(0, 120)}`;
  if (rings(getComputedStyle(el))) return "";
  return `no visible focus indicator on ${el.outerHTML.slice(0, 160)}`;
}"""

DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el) return "";
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const text = (el.innerText || label || el.value || "").trim().slice(0, 60);
  return `${el.tagName.toLowerCase()}#${el.id || ""} ${text}`;
}"""


# Whether focus moved the right way through the document since the last stop this helper saw.
ORDER_PROBLEM = """(forward) => {
  const el = document.activeElement;
  const prev = window.__sgPreviousFocus;
  window.__sgPreviousFocus = el;
  if (!prev || !prev.isConnected || prev === el) return "";
  const after = Boolean(prev.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  if (after === forward) return "";
  const name = (e) =>
    `${e.tagName.toLowerCase()}#${e.id} ${(e.innerText || "").trim().slice(0, 40)}`;
  return `focus went ${forward ? "back" : "forward"} from ${name(prev)} to ${name(el)}`;
}"""


def focus_problem(page) -> str:
    return page.evaluate(FOCUS_PROBLEM)


def focused(page, js_predicate: str) -> bool:
    return page.evaluate(
        f"(() => {{ const el = document.activeElement; return !!(el && ({js_predicate})); }})()"
    )


def tab_to(
    page, js_predicate: str, *, limit: int = 80, key: str = "Tab", stops: list | None = None
):
    """Press Tab (or Shift+Tab) until the focused element matches the JavaScript expression
    `js_predicate` (about `el`), checking at every stop that focus is visible. Returns the
    number of key presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        problem = focus_problem(page) or page.evaluate(ORDER_PROBLEM, key == "Tab")
        where = page.evaluate(DESCRIBE_FOCUS)
        if stops is not None:
            stops.append(where)
        assert not problem, f"after {presses} x {key} on {page.url}: {problem}"
        if focused(page, js_predicate):
            return presses
    raise AssertionError(f"{js_predicate} not reached with {limit} x {key} on {page.url}")
