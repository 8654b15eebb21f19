"""What every journal view shares: the querysets, and keeping text posted after the session
expired. (Error reports hide what was typed project-wide: `scopegrowth.errorreports`.)"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from journals import services
from journals.forms import SectionForm
from journals.models import Journal, Section

DRAFT_COOKIE = "sg_journal_draft"
DRAFT_COOKIE_SECONDS = 60 * 60
# Who was signed in on this browser, and in which session: signed by us (SECRET_KEY), set on
# the owner's section pages and autosaves. Text posted after that session ended is kept only for
# that person (never for whoever the URL names), and only while the browser still carries that
# session's cookie or the draft cookie we gave it for them.
AUTHOR_COOKIE = "sg_journal_author"
AUTHOR_SALT = "journals.draft-author"
DRAFT_SALT = "journals.draft"
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
            author, session = signed_out_author(request)
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
                signing.dumps({"u": author, "t": token, "s": session}, salt=DRAFT_SALT),
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
    """Sign who is writing here and in which session (for `stash_when_signed_out`)."""
    value = signing.dumps(
        {"u": request.user.pk, "s": _session_digest(request.session.session_key or "")},
        salt=AUTHOR_SALT,
    )
    response.set_cookie(
        AUTHOR_COOKIE,
        value,
        max_age=settings.SESSION_ABSOLUTE_SECONDS,
        path="/journal/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def signed_out_author(request: HttpRequest) -> tuple[int | None, str]:
    """Whose session on this browser ended, and which session (a digest): (None, "") unless the
    author cookie carries our signature and names the session this browser still presents (an
    expired one: signing out starts a new session), or this browser already holds the draft
    cookie we gave it for that person and that same session (a second try before signing in)."""
    try:
        author = signing.loads(
            request.COOKIES.get(AUTHOR_COOKIE, ""),
            salt=AUTHOR_SALT,
            max_age=settings.SESSION_ABSOLUTE_SECONDS,
        )
        user_id, digest = int(author["u"]), str(author["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None, ""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if session_key and hmac.compare_digest(digest, _session_digest(session_key)):
        return user_id, digest
    draft = _draft_cookie(request)
    if draft and draft["u"] == user_id and hmac.compare_digest(draft["s"], digest):
        return user_id, digest
    return None, ""


def _session_digest(session_key: str) -> str:
    return hashlib.sha256(f"{AUTHOR_SALT}:{session_key}".encode()).hexdigest()


def _draft_cookie(request: HttpRequest) -> dict | None:
    try:
        draft = signing.loads(
            request.COOKIES.get(DRAFT_COOKIE, ""), salt=DRAFT_SALT, max_age=DRAFT_COOKIE_SECONDS
        )
        return {"u": int(draft["u"]), "t": str(draft["t"]), "s": str(draft["s"])}
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _draft_token(request: HttpRequest, user_id: int | None) -> str:
    """The draft token this browser holds for `user_id` ("" when none, or someone else's)."""
    draft = _draft_cookie(request)
    return draft["t"] if draft and user_id is not None and draft["u"] == user_id else ""
