"""Request id, no-store caching for signed-in pages, and the absolute session cap."""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import add_never_cache_headers

from scopegrowth.logging import request_id_var

LOGIN_AT_KEY = "_sg_login_at"


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


class NoStoreMiddleware:
    """Nothing a signed-in person sees is kept by a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
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


class RequireMFAMiddleware:
    """People who see other people's data (line managers, coaches, HR, admins) must sign in with
    an authenticator app. Until they have set one up, every page sends them to set it up, except
    the pages needed to do so (allauth has no built-in switch for this: its issue #3649).

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
