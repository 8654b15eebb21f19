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


class FixedURLs(dict):
    """The addresses of routes that take no arguments, for one URL configuration and script
    prefix, each reversed the first time it is asked for; None for a name not routed."""

    def __init__(self, urlconf: str) -> None:
        super().__init__()
        self.urlconf = urlconf

    def __missing__(self, name: str) -> str | None:
        try:
            url = reverse(name, urlconf=self.urlconf)
        except NoReverseMatch:
            url = None
        self[name] = url
        return url


@lru_cache(maxsize=64)
def _fixed_urls(prefix: str, urlconf: str) -> FixedURLs:
    return FixedURLs(urlconf)


def fixed_urls() -> FixedURLs:
    """The header's and footer's addresses, found once per process (per URL configuration and
    script prefix)."""
    return _fixed_urls(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def fixed_url(name: str) -> str | None:
    """The address of a route that takes no arguments (None when the name is not routed)."""
    return fixed_urls()[name]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": frozenset()}
    user_roles = access.request_roles(request)
    links = fixed_urls()
    items = []
    for label, name, who in NAVIGATION:
        if not user_roles & who:
            continue
        url = links[name]
        if url is None:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return {
        "nav_items": items,
        "fixed_urls": links,  # for `{% route %}`
        # Read with the person's roles and links (`updates.unread_count`), when a page renders it.
        "updates_unread": lambda: _unread(user),
        "user_roles": user_roles,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_seconds_left": session_seconds_left(request),
    }
