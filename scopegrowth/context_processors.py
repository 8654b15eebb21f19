"""Navigation for the header: what this person's roles let them reach."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from scopegrowth import access
from scopegrowth.middleware import session_seconds_left

# (label, url name, roles that see it); a url name not yet routed is left out.
NAVIGATION = [
    ("Home", "home", {access.INDIVIDUAL}),
    ("My journal", "journals:current", {access.INDIVIDUAL}),
    ("My conversations", "conversations:mine", {access.INDIVIDUAL}),
    ("My plans", "devplans:mine", {access.INDIVIDUAL}),
    ("Dashboard", "conversations:dashboard", {access.MANAGER, access.COACH}),
    ("Agreed plans", "devplans:hr_list", {access.HR}),
    ("Admin", "admin:index", {access.ADMIN}),
]


def _unread(user) -> int:
    from scopegrowth.updates import unread_count

    return unread_count(user)


@lru_cache(maxsize=256)
def _reverse(name: str, prefix: str, urlconf: str) -> str | None:
    """A header link's address, found once per URL configuration and prefix (the header's
    links take no arguments)."""
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def fixed_url(name: str) -> str | None:
    """The address of a route that takes no arguments, found once per process (per URL
    configuration and script prefix); None when the name is not routed."""
    return _reverse(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": frozenset()}
    user_roles = access.request_roles(request)
    items = []
    for label, name, who in NAVIGATION:
        if not user_roles & who:
            continue
        url = fixed_url(name)
        if url is None:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return {
        "nav_items": items,
        # Read with the person's roles and links (`updates.unread_count`), when a page renders it.
        "updates_unread": lambda: _unread(user),
        "user_roles": user_roles,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_seconds_left": session_seconds_left(request),
    }
