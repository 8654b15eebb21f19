"""What every journal view shares: the querysets, and keeping text posted after the session
expired. (Error reports hide what was typed project-wide: `scopegrowth.errorreports`.)"""

from __future__ import annotations

import re
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from journals import services
from journals.forms import SectionForm
from journals.models import Journal, Section

DRAFT_COOKIE = "sg_journal_draft"
DRAFT_COOKIE_SECONDS = 60 * 60
DRAFT_KEY = re.compile(r"^(q_\d+|version|asked|now_growth|now_impact|future_growth|future_impact)$")


def journals_qs():
    return Journal.objects.select_related("owner", "position_now_impact", "position_future_impact")


def section_or_404(slug: str) -> Section:
    return get_object_or_404(Section, slug=slug)


# =============================================================================
# Never lose a word: a post that arrives after the session expired
# =============================================================================


def stash_when_signed_out(view):
    """`login_required`, except that answers posted without a session (it expired while the
    person was typing) are kept server-side first, then restored for the journal's owner after
    they sign in again. Only an HttpOnly cookie holding a random token goes to the browser."""
    protected = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if (
            request.method == "POST"
            and not request.user.is_authenticated
            and SectionForm.has_text(request.POST)
            and Section.objects.filter(slug=kwargs["section"]).exists()
        ):
            data = {k: v for k, v in request.POST.items() if DRAFT_KEY.match(k)}
            token = services.pending_draft_keep(
                journal_id=kwargs["pk"],
                section_slug=kwargs["section"],
                data=data,
                replaces=request.COOKIES.get(DRAFT_COOKIE, ""),
            )
            messages.info(
                request,
                "You were signed out, so your answers have not been saved yet. Sign in again "
                "and we will put back what you typed.",
            )
            response = redirect_to_login(request.get_full_path())
            response.set_cookie(
                DRAFT_COOKIE,
                token,
                max_age=DRAFT_COOKIE_SECONDS,
                path="/journal/",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
        return protected(request, *args, **kwargs)

    return wrapper


def take_draft(request: HttpRequest, pk: int, slug: str):
    token = request.COOKIES.get(DRAFT_COOKIE, "")
    if not token:
        return None
    return services.pending_draft_take(token=token, journal_id=pk, section_slug=slug)
