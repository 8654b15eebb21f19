"""The HR list's numbered pagination (`_partials/pagination.html`, `page_links`): the first and
last pages and two either side of the current one, an ellipsis just beyond that window, worked
out without looping over every page (at 10,000 plans there are 400)."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.template import RequestContext, Template
from django.test import RequestFactory

from devplans.forms import markup
from scopegrowth.templatetags.pages import page_links


def _every_page_rule(current: int, last: int) -> list[tuple[int, str]]:
    """The rule as the template wrote it before: every page number tested in turn."""
    found = []
    for n in range(1, last + 1):
        if n == 1 or n == last or current - 2 <= n <= current + 2:
            found.append((n, "current" if n == current else "page"))
        elif n in (current - 3, current + 3):
            found.append((n, "gap"))
    return found


def test_the_same_links_as_testing_every_page():
    for last in range(1, 30):
        paginator = Paginator(range(last * 25), 25)
        for current in range(1, last + 1):
            page = paginator.page(current)
            assert page_links(page) == _every_page_rule(current, last), (current, last)


def test_the_middle_of_four_hundred_pages_keeps_the_filters():
    paginator = Paginator(range(400 * 25), 25)
    request = RequestFactory().get("/hr/plans/", {"team": "7", "page": "200"})
    html = Template('{% include "_partials/pagination.html" with page_obj=page_obj %}').render(
        RequestContext(request, {"page_obj": paginator.page(200)})
    )
    labels = [int(part.split('"')[0]) for part in html.split('aria-label="Page ')[1:]]
    assert labels == [1, 198, 199, 200, 201, 202, 400]
    assert html.count("nhsuk-pagination__item--ellipsis") == 2
    assert 'href="?team=7&amp;page=201"' in html
    assert 'aria-current="page">200<' in html


def _normal(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*>\s*", ">", re.sub(r"\s*<\s*", "<", html)).strip()


def test_the_links_written_in_python_are_the_partials():
    """`devplans.forms.markup.pagination_html` (the HR list's) gives the partial's markup."""
    for query in ({}, {"team": "7", "page": "3"}, {"page": "2", "name": "<a&b>"}):
        request = RequestFactory().get("/hr/plans/", query)
        for last in range(1, 12):
            paginator = Paginator(range(last * 25), 25)
            for current in range(1, last + 1):
                page = paginator.page(current)
                partial = Template(
                    '{% include "_partials/pagination.html" with page_obj=page_obj %}'
                ).render(RequestContext(request, {"page_obj": page}))
                written = markup.pagination_html(page, request.GET)
                assert _normal(written) == _normal(partial), (query, current, last)
