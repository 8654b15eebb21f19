"""What every journal view shares: the querysets, and keeping text posted after the session
expired. (Error reports hide what was typed project-wide: `scopegrowth.errorreports`.)"""

from __future__ import annotations

import re
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from journals import services
from journals.forms import SectionForm
from journals.models import Journal, Section
from scopegrowth import access, precompiled

DRAFT_COOKIE = "sg_journal_draft"
DRAFT_COOKIE_SECONDS = 60 * 60
# Who was writing on this browser: signed by us (SECRET_KEY), set on the owner's section pages
# and autosaves, deleted when anyone signs in or out here. Text posted after that person's
# session ran out is kept only for them (never for whoever the URL names).
AUTHOR_COOKIE = "sg_journal_author"
AUTHOR_SALT = "journals.draft-author"
DRAFT_SALT = "journals.draft"
DRAFT_KEY = re.compile(r"^(q_\d+|version|asked|now_growth|now_impact|future_growth|future_impact)$")


def journals_qs():
    return Journal.objects.select_related("owner", "position_now_impact", "position_future_impact")


def journal_to_view_or_404(user: Any, pk: int) -> Journal:
    """`access.get_or_404(user, "view", journals_qs(), pk=pk)`, faster for the owner.

    The "view" scope holds a subquery (sections shared with a supporter), so its SQL is built
    for every request. Someone who supports nobody can only view their own journals: for them
    the journal is read through the "own" scope, whose SQL is built once per process
    (`precompiled`), and `access.can(user, "view", ...)` confirms it. Anything else (a line
    manager or coach, or no journal of theirs with that id) takes `get_or_404` itself."""
    if not access.roles(user) & {access.MANAGER, access.COACH}:
        own = access.scope_q(user, "own", Journal) & Q(pk=pk)
        journal = precompiled.first(("journal_to_view", "own"), _journal_query, own)
        if journal is not None and access.can(user, "view", journal):
            return journal
    return access.get_or_404(user, "view", journals_qs(), pk=pk)


def _journal_query(q: Q) -> QuerySet:
    return journals_qs().filter(q)[:1]


def section_or_404(slug: str) -> Section:
    return get_object_or_404(Section, slug=slug)


# =============================================================================
# Never lose a word: a post that arrives after the session expired
# =============================================================================


def stash_when_signed_out(view):
    """`login_required`, except that answers posted without a session (it expired while the
    person was typing) are kept server-side first, then restored to the same person after they
    sign in again. Kept only for the person our signed author cookie names, in their own
    journal; only an HttpOnly cookie holding a random token goes to the browser."""
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
            author = signed_out_author(request)
            token = None
            if author is not None:
                token = services.pending_draft_keep(
                    owner_id=author,
                    journal_id=kwargs["pk"],
                    section_slug=kwargs["section"],
                    data=data,
                    replaces=_draft_token(request, author),
                )
            if token is None:
                messages.warning(
                    request,
                    "You were signed out, so your answers have not been saved. Sign in again "
                    "and type them again: your browser's Back button may still show them.",
                )
                return redirect_to_login(request.get_full_path())
            messages.info(
                request,
                "You were signed out, so your answers have not been saved yet. Sign in again "
                "and we will put back what you typed.",
            )
            response = redirect_to_login(request.get_full_path())
            response.set_cookie(
                DRAFT_COOKIE,
                signing.dumps({"u": author, "t": token}, salt=DRAFT_SALT),
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
    """The draft kept on this browser for the signed-in person and this page, if any."""
    token = _draft_token(request, request.user.pk)
    if not token:
        return None
    return services.pending_draft_take(
        token=token, owner_id=request.user.pk, journal_id=pk, section_slug=slug
    )


def remember_author(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Sign who is writing on this browser (for `stash_when_signed_out`)."""
    response.set_cookie(
        AUTHOR_COOKIE,
        signing.dumps({"u": request.user.pk}, salt=AUTHOR_SALT),
        max_age=settings.SESSION_ABSOLUTE_SECONDS,
        path="/journal/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def forget_author(response: HttpResponse) -> HttpResponse:
    """Someone signed in or out on this browser: text posted here later is nobody's to keep."""
    response.delete_cookie(AUTHOR_COOKIE, path="/journal/", samesite="Lax")
    return response


def signed_out_author(request: HttpRequest) -> int | None:
    """The id of the person who was writing on this browser when their session ended, or None.
    The author cookie must carry our signature and be younger than the longest session; it is
    deleted whenever anyone signs in or out here (`journals.middleware`), so it names the last
    person whose session simply ran out."""
    try:
        author = signing.loads(
            request.COOKIES.get(AUTHOR_COOKIE, ""),
            salt=AUTHOR_SALT,
            max_age=settings.SESSION_ABSOLUTE_SECONDS,
        )
        return int(author["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _draft_token(request: HttpRequest, user_id: int | None) -> str:
    """The draft token this browser holds for `user_id` ("" when none, or someone else's)."""
    try:
        draft = signing.loads(
            request.COOKIES.get(DRAFT_COOKIE, ""), salt=DRAFT_SALT, max_age=DRAFT_COOKIE_SECONDS
        )
        if user_id is not None and int(draft["u"]) == user_id:
            return str(draft["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        pass
    return ""
