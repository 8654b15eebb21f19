"""The person page: a supporter's view of one person's history (conversations, plans, journal
cycles), through `access`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from devplans import selectors
from scopegrowth import access
from scopegrowth.models import User


def _people() -> QuerySet:
    return User.objects.select_related("team")


@login_required
@require_http_methods(["GET"])
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Only a current line manager or assigned coach (`facilitate`): a former one, an ended
    coach and a stranger get 404; the person themself and HR, who may see the person's name,
    get 403."""
    person = access.get_or_404(request.user, "facilitate", _people, pk=pk)
    return render(
        request,
        "devplans/person_detail.html",
        {"page": selectors.person_page(request.user, person)},
    )
