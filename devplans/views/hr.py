"""HR's list of the organisation's agreed plans, and what HR's pages share (the HR check and
the filter form)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from conversations.selectors.links import RowLinks
from devplans import selectors, services
from devplans.forms import PlanFilterForm, markup
from scopegrowth import access

HR_PAGE_SIZE = 25


def require_hr(request: HttpRequest) -> None:
    if access.HR not in access.request_roles(request):
        raise PermissionDenied("HR only")


def filter_form(request: HttpRequest, data=None) -> tuple[PlanFilterForm, dict | None]:
    """The filter form and its filters (None when a filter is invalid)."""
    source = data if data is not None else request.GET
    bound = data is not None or PlanFilterForm.given_in(source)
    form = PlanFilterForm(source if bound else None, user=request.user)
    if not bound:
        return form, {}
    return form, (form.filters() if form.is_valid() else None)


@login_required
@require_http_methods(["GET"])
def hr_plan_list(request: HttpRequest) -> HttpResponse:
    require_hr(request)
    form, filters = filter_form(request)
    page_obj, matrix = None, None
    rows_html = pages_html = matrix_html = ""
    if filters is not None:
        figures = selectors.hr_figures(request.user, filters)
        matrix = selectors.position_matrix(request.user, filters, counts=figures.counts)
        page_obj = selectors.hr_page(
            request.user,
            filters,
            request.GET.get("page"),
            HR_PAGE_SIZE,
            ordered_ids=figures.ordered_ids,
        )
        services.plan_list_viewed(actor=request.user, count=page_obj.paginator.count)
        # Rows, matrix and page links written in Python: a string per row (issue 20).
        rows_html = markup.hr_rows_html(page_obj, RowLinks())
        pages_html = markup.pagination_html(page_obj, request.GET)
        matrix_html = markup.matrix_html(matrix) if matrix.total else ""
    return render(
        request,
        "devplans/hr_list.html",
        {
            "form": form,
            "filters": filters or {},
            "page_obj": page_obj,
            "matrix": matrix,
            "rows_html": rows_html,
            "pages_html": pages_html,
            "matrix_html": matrix_html,
            "query": filter_query(filters),
        },
    )


def filter_query(filters: dict | None) -> str:
    from urllib.parse import urlencode

    return urlencode(filters or {})
