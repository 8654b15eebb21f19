"""The page's stylesheet (issue 20): `{% page_stylesheet %}` in base.html; and the addresses
every page links, found once per process: `{% asset "build/js/app.js" %}` (`{% static %}`'s)
and `{% route "updates" %}` (`{% url %}`'s, for a route without arguments).

bin/build-css.mjs (`npm run build:css`) builds one stylesheet per page template, the NHS.UK
rules that template and what it includes can use, and lists them in build/css/pages.json. The
page is the template the view rendered (base.html and includes see the same one). A template
the build did not see (one of an installed app's, extending our layouts) gets build/app.css,
every page's rules.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static

from scopegrowth.context_processors import fixed_url

register = template.Library()

EVERY_PAGE = "build/app.css"


def _read() -> dict[str, str]:
    found = finders.find("build/css/pages.json")
    return json.loads(Path(found).read_text()) if found else {}


_read_once = cache(_read)


def _sheets() -> dict[str, str]:
    return _read() if settings.DEBUG else _read_once()  # a new page's sheet without a restart


@register.simple_tag(takes_context=True)
def page_stylesheet(context) -> str:
    page = context.template.name if context.template else None
    return asset(_sheets().get(page, EVERY_PAGE))


@register.simple_tag
@lru_cache(maxsize=256)
def asset(path: str) -> str:
    """`{% static path %}`, found once per process: the storage's names (the manifest's hashed
    ones in production) do not change while it runs."""
    return static(path)


@receiver(setting_changed)
def _forget_assets(*, setting, **kwargs) -> None:
    if setting in ("STATIC_URL", "STATIC_ROOT", "STORAGES", "DEBUG"):
        asset.cache_clear()


@register.simple_tag(takes_context=True)
def route(context, name: str) -> str:
    """`{% url name %}` for a route that takes no arguments, found once per process; empty
    when the name is not routed (as `{% url name as var %}` is)."""
    links = context.get("fixed_urls")
    return (links[name] if links is not None else fixed_url(name)) or ""
