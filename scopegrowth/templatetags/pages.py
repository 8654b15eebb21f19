"""`page_obj|page_links`: the numbered links of NHS.UK pagination (`_partials/pagination.html`),
worked out from the current and last page alone (issue 20: the template looped over every page
number, 400 of them at 10,000 plans, to show seven)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def page_links(page_obj) -> list[tuple[int, str]]:
    """(page number, "current" | "page" | "gap") in order: the first and last pages and two
    either side of the current one are links; the page just beyond that window on either side
    is an ellipsis unless it is itself a link."""
    current, last = page_obj.number, page_obj.paginator.num_pages
    lo, hi = current - 2, current + 2
    found = []
    for n in sorted({1, last, lo - 1, hi + 1, *range(lo, hi + 1)}):
        if not 1 <= n <= last:
            continue
        if n == 1 or n == last or lo <= n <= hi:
            found.append((n, "current" if n == current else "page"))
        else:
            found.append((n, "gap"))
    return found
