"""One plan to PDF bytes (WeasyPrint), for the single download and the bulk export alike.

The renderer fetches nothing from the network and nothing from disk outside our static files:
`StaticOnlyFetcher` serves `data:` URLs and `/static/...` files found by Django's static finders
(read from disk, never over HTTP), and refuses everything else, whatever the plan's text says.
The same fetcher is used for the HTML and every stylesheet it links; no URL stylesheets are given
to `write_pdf`. Plan text reaches the template autoescaped, so it is printed, never parsed.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from devplans.content import position_label
from devplans.models import Objective, Plan, ProgressNote, Review
from devplans.selectors.plans import plan_checkins

logger = logging.getLogger(__name__)

#: A base URL on a reserved top-level domain that never resolves: relative links in the template
#: are joined to it, and the fetcher maps only its /static/ paths to files on disk.
PDF_HOST = "scopegrowth.invalid"
PDF_BASE_URL = f"https://{PDF_HOST}/"
STATIC_PREFIX = "/static/"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF (PDF/UA-1): headings, tables and reading order


class FetchRefused(ValueError):
    """A resource the PDF renderer may not load."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `data:` URLs and our own static files; refuses everything else (WeasyPrint logs
    the refusal and leaves the resource out). `refused` lists what was refused, for tests."""

    def __init__(self) -> None:
        super().__init__(
            timeout=1, allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False
        )
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            self.served.append("data:")
            return super().fetch(url, headers)
        path = self._static_file(url)
        if path is None:
            self.refused.append(url[:200])
            raise FetchRefused(f"PDF renderer refused {url[:200]!r}")
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    @staticmethod
    def _static_file(url: str) -> Path | None:
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if (
            parts.scheme != "https"
            or parts.netloc != PDF_HOST
            or parts.query
            or not parts.path.startswith(STATIC_PREFIX)
        ):
            return None
        relative = unquote(parts.path[len(STATIC_PREFIX) :])
        pure = PurePosixPath(relative)
        if (
            not relative
            or pure.is_absolute()
            or ".." in pure.parts
            or "\\" in relative
            or "\x00" in relative
        ):
            return None
        found = finders.find(relative)
        if not found:
            return None
        path = Path(found).resolve()
        return path if path.is_file() else None


#: What HR's copy leaves out, said once on the copy itself (the plan page's HR rule).
HR_COPY_OMITS = (
    "This copy for HR leaves out the progress updates, the check-ins between reviews and what "
    "was agreed at reviews."
)


def plan_for_pdf(plan_id: int, *, with_notes: bool = False) -> Plan:
    """The plan with everything the PDF prints, in a fixed number of queries. Progress notes
    are loaded only for a copy that shows them."""
    objectives = Objective.objects.order_by("order", "pk").prefetch_related("initiatives")
    if with_notes:
        objectives = objectives.prefetch_related(
            Prefetch("notes", queryset=ProgressNote.objects.select_related("author"))
        )
    return (
        Plan.objects.select_related(
            "individual__team__directorate",
            "facilitator",
            "facilitator_signed_by",
            "conversation",
            "current_impact",
            "future_impact",
        )
        .prefetch_related(
            Prefetch("objectives", queryset=objectives),
            Prefetch("reviews", queryset=Review.objects.select_related("recorded_by")),
        )
        .get(pk=plan_id)
    )


def hash_groups(digest: str) -> str:
    """A SHA-256 in four groups of 16 characters, so it wraps cleanly on paper."""
    return " ".join(digest[i : i + 16] for i in range(0, len(digest), 16))


def pdf_context(plan: Plan, *, with_notes: bool = False) -> dict:
    conversation = plan.conversation
    objectives = list(plan.objectives.all())
    return {
        "plan": plan,
        "person": plan.individual,
        "team": plan.individual.team,
        "conversation_date": (
            timezone.localtime(conversation.scheduled_at).date() if conversation else None
        ),
        "objectives": objectives,
        "reviews": list(plan.reviews.all()),
        "with_notes": with_notes,
        # Check-ins on every version of the plan, newest first: the individual's and
        # facilitators' copy only (never HR's).
        "checkins": plan_checkins(plan) if with_notes else [],
        "progress": [  # (number, objective, notes) for the objectives with progress notes
            (n, o, notes)
            for n, o in enumerate(objectives, 1)
            if with_notes and (notes := list(o.notes.all()))
        ],
        "hr_copy_omits": "" if with_notes else HR_COPY_OMITS,
        "current_position": position_label(plan.current_growth, plan.current_impact),
        "future_position": position_label(plan.future_growth, plan.future_impact),
        "individual_hash": hash_groups(plan.individual_signed_hash),
        "facilitator_hash": hash_groups(plan.facilitator_signed_hash),
        "stylesheet": f"{PDF_BASE_URL}static/devplans/pdf.css",
        "generated_at": timezone.localtime(),
    }


# Loading fonts and our stylesheet is most of a render's cost: keep them for the life of the
# process (a gunicorn or Celery worker renders one document at a time). The cache only ever
# holds what StaticOnlyFetcher returned: our own static files.
_FONTS: FontConfiguration | None = None
_CACHE: dict = {}


def _fonts() -> FontConfiguration:
    global _FONTS  # noqa: PLW0603 - one per process, made on first use
    if _FONTS is None:
        _FONTS = FontConfiguration()
    return _FONTS


def render_plan_pdf(
    plan: Plan, *, with_notes: bool = False, fetcher: StaticOnlyFetcher | None = None
) -> bytes:
    """The plan as PDF bytes (A4, tagged, with title and author metadata).

    `with_notes`: the individual's and facilitators' copy, with progress updates and what was
    agreed at reviews. Without it (the default, and HR's copy), those are left out and the copy
    says so."""
    plan = plan_for_pdf(plan.pk, with_notes=with_notes)
    html = render_to_string("pdf/plan.html", pdf_context(plan, with_notes=with_notes))
    fetcher = fetcher or StaticOnlyFetcher()
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=PDF_VARIANT, font_config=_fonts(), cache=_CACHE)
