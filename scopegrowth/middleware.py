"""Request id, no-store caching for signed-in pages, the idle timeout and the absolute session
cap."""

from __future__ import annotations

import math
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date

from scopegrowth.logging import request_id_var

IDP_MFA_SESSION_KEY = "_sg_idp_mfa"  # set by scopegrowth.sso for a sign-in with trusted MFA

LOGIN_AT_KEY = "_sg_login_at"
SEEN_AT_KEY = "_sg_seen_at"
NO_STORE = "no-store, no-cache, must-revalidate, private, max-age=0"


class RequestIdMiddleware:
    """Gives each request an id: in the logs, on error pages, in audit rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class AccessPerRequestMiddleware:
    """Roles and relationships read once per request and shared by every `access` call in it
    (forgotten on any write in it: `access_memo.per_request`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from scopegrowth import access_memo

        with access_memo.per_request():
            return self.get_response(request)


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response: none of the browser features we never use
    (camera, microphone, location, payment...) may be used by our pages or anything they embed
    (security.md I4; the list is settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.value)
        return response


class RejectInvalidUTF8Middleware:
    """A form post whose text is not valid UTF-8 is refused with a page (or JSON) saying so,
    instead of being decoded with replacement characters and stored garbled. Browsers always
    send UTF-8, so only a crafted or corrupted request meets this.

    Checked: url-encoded bodies (every form), and multipart bodies small enough to be held in
    memory (the autosave's FormData); the text fields only, never uploaded files. A larger
    multipart upload (the people import) is left to Django, which streams it."""

    FORM = "application/x-www-form-urlencoded"
    MULTIPART = "multipart/form-data"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and not self._readable(request):
            return invalid_encoding_response(request)
        return self.get_response(request)

    def _readable(self, request) -> bool:
        content_type = request.content_type
        if (request.encoding or settings.DEFAULT_CHARSET).lower().replace("_", "-") != "utf-8":
            return True  # a declared other charset: Django decodes with it
        if content_type == self.FORM:
            return _urlencoded_is_utf8(request.body)
        if content_type == self.MULTIPART:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            if 0 < length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return _multipart_text_is_utf8(request.META["CONTENT_TYPE"], request.body)
        return True


def _urlencoded_is_utf8(body: bytes) -> bool:
    from urllib.parse import unquote_to_bytes

    try:
        body.decode("utf-8")  # raw bytes (browsers percent-encode them; curl may not)
        for pair in body.split(b"&"):
            for piece in pair.split(b"=", 1):
                unquote_to_bytes(piece.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _multipart_text_is_utf8(content_type: str, body: bytes) -> bool:
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.compat32).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body
    )
    if not message.is_multipart():
        return True  # malformed: Django's parser answers that
    for part in message.get_payload():
        if part.get_filename() is not None:
            continue  # an uploaded file is bytes, not text
        try:
            (part.get_payload(decode=True) or b"").decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True


def invalid_encoding_response(request):
    from django.http import JsonResponse
    from django.shortcuts import render

    message = (
        "Some of the text sent could not be read (it is not valid UTF-8), so nothing was "
        "saved. Go back, check the text for characters pasted from another program, and try "
        "again."
    )
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": "encoding", "message": message}, status=400)
    return render(request, "400_encoding.html", {"message": message}, status=400)


class NoStoreMiddleware:
    """Nothing a signed-in person sees is kept by a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # What `add_never_cache_headers` sets, without building a Cache-Control header only
            # to replace it (this runs on every signed-in response).
            if "Expires" not in response:
                response["Expires"] = http_date(time.time())
            response["Cache-Control"] = NO_STORE
        elif request.method == "POST" and request.path_info == "/accounts/logout/":
            # Signed out: the browser drops anything it kept from the session.
            response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
            add_never_cache_headers(response)
        return response


class AbsoluteSessionMiddleware:
    """Ends a session 12 hours after sign-in however active it is (the idle limit is Django's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_AT_KEY)
            now = time.time()
            if started is None:
                request.session[LOGIN_AT_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def activity_interval() -> int:
    """How stale a session's recorded activity may get before a request records it again: a
    minute (`SESSION_ACTIVITY_SECONDS`), or a quarter of a very short idle limit (tests)."""
    return max(1, min(settings.SESSION_ACTIVITY_SECONDS, settings.SESSION_COOKIE_AGE // 4))


def session_seconds_left(request) -> int:
    """Seconds until the idle timeout ends this session, from its recorded activity."""
    seen = request.session.get(SEEN_AT_KEY)
    if seen is None:
        return settings.SESSION_COOKIE_AGE
    return max(0, math.ceil(settings.SESSION_COOKIE_AGE - (time.time() - seen)))


class SessionActivityMiddleware:
    """The idle timeout (security.md B3), without a write on every request.

    A session's last activity is recorded in the session (`SEEN_AT_KEY`) and in allauth's
    "your sessions" row (`UserSession.last_seen_at`, ip, browser) at most once per
    `activity_interval()`: a read that finds the record older than that saves both, any
    other read writes nothing (a form post or autosave, which writes anyway, records it at
    once, so the page's warning counts from the same moment). A request more than
    `SESSION_COOKIE_AGE` after the recorded activity signs the person out, so the limit is
    exact to the minute: never longer than 30 minutes after the recorded activity, which is at
    most a minute older than the real one.
    The database row's own expiry (`sessions.SessionStore`) is kept a minute beyond that so
    it never ends a session first. Replaces allauth's `UserSessionsMiddleware`, which wrote
    on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None:
            now = time.time()
            seen = session.get(SEEN_AT_KEY)
            if seen is not None and now - seen > settings.SESSION_COOKIE_AGE:
                logout(request)
                return redirect_to_login(request.get_full_path())
            writing = request.method not in ("GET", "HEAD", "OPTIONS")
            if seen is None or writing or now - seen >= activity_interval():
                session[SEEN_AT_KEY] = now
                if session.session_key and settings.USERSESSIONS_TRACK_ACTIVITY:
                    from allauth.usersessions.models import UserSession

                    UserSession.objects.create_from_request(request)
        return self.get_response(request)


class RequireMFAMiddleware:
    """People who see other people's data (line managers, coaches, HR, admins) must sign in with
    an authenticator app (or, when the organisation trusts it, their identity provider's MFA for
    this sign-in: `scopegrowth.sso`). Until they have set one up, every page sends them to set
    it up, except the pages needed to do so (allauth has no built-in switch for this: its issue
    #3649).

    The check runs on the route Django resolved (`process_view`), never on `request.path`: that
    carries `SCRIPT_NAME`, which a client could once set with a header, so `/accounts/dashboard/`
    with `SCRIPT_NAME: /accounts` looked exempt while it routed to `/dashboard/`."""

    PRIVILEGED = {"manager", "coach", "hr", "admin"}
    # Route prefixes (as resolved from `path_info`) reachable without an authenticator: sign-in,
    # sign-out and the set-up pages themselves, the health check, the accessibility statement
    # and the privacy notice. Static files never reach the URL resolver (whitenoise).
    EXEMPT_ROUTES = ("accounts/", "healthz/", "accessibility/", "privacy/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.MFA_REQUIRED and self._must_enrol(request):
            return redirect_to_setup(request)
        return None

    def _must_enrol(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        match = request.resolver_match
        if match is not None and match.route.startswith(self.EXEMPT_ROUTES):
            return False
        from allauth.mfa.models import Authenticator

        from scopegrowth import access

        if not access.request_roles(request) & self.PRIVILEGED:
            return False
        if request.session.get(IDP_MFA_SESSION_KEY):
            return False  # the organisation's trusted MFA, this sign-in (scopegrowth.sso)
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def redirect_to_setup(request):
    from django.contrib import messages
    from django.shortcuts import redirect

    messages.info(
        request,
        "Your role lets you see other people's information, so you need to set up an "
        "authenticator app before you continue.",
    )
    return redirect("mfa_activate_totp")
