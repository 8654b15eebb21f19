"""The page's stylesheet (issue 20): `{% page_stylesheet %}` in base.html.

bin/build-css.mjs (`npm run build:css`) builds one stylesheet per page template, the NHS.UK
rules that template and what it includes can use, and lists them in build/css/pages.json. The
page is the template the view rendered (base.html and includes see the same one). A template
the build did not see (one of an installed app's, extending our layouts) gets build/app.css,
every page's rules.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

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
    return static(_sheets().get(page, EVERY_PAGE))
