"""The plan as PDF: what a reader sees in it, its metadata, pagination, and a renderer that
fetches nothing from the network or the disk whatever the plan says."""

from __future__ import annotations

import http.server
import threading
from contextlib import contextmanager

import pytest
import weasyprint
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from devplans.pdf import PDF_BASE_URL, StaticOnlyFetcher, render_plan_pdf
from scopegrowth.models import AuditEvent
from tests.devplans.factories import ObjectiveFactory, PlanFactory, agree, initiative
from tests.devplans.helpers import pdf_reader, pdf_text, squash
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@contextmanager
def canary_server():
    """A loopback HTTP server that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


def test_weasyprint_is_at_least_70():
    assert tuple(int(p) for p in weasyprint.__version__.split(".")[:1]) >= (70,)


def test_the_pdf_shows_the_plan_with_metadata_and_tags(people, agreed):
    pdf = render_plan_pdf(agreed)
    reader = pdf_reader(pdf)
    text = pdf_text(pdf)
    for expected in (
        "OFFICIAL-SENSITIVE: PERSONAL",
        "Aisha Rahman",
        "Staff Nurse",
        "Acute Medical Unit",
        "Helen Carter",
        "Depth, established in role",
        "Stretch / complexity, exceeding in",
        "Objective",
        "Coaching",
        "Page 1 of",
        f"agreed {timezone.localtime(agreed.agreed_at):%-d %B %Y}",
    ):
        assert expected in text, expected
    for objective in agreed.objectives.all():
        assert squash(objective.description) in squash(text)
    assert reader.metadata.title == "Aspirational development plan: Aisha Rahman"
    assert reader.metadata.author == "Aisha Rahman"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged for accessibility
    assert "/StructTreeRoot" in root
    # A4: 595 x 842 points.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_fifty_objectives_paginate_with_the_header_on_every_page(people):
    plan = PlanFactory(individual=people.individual, facilitator=people.manager)
    for n in range(1, 51):
        ObjectiveFactory(
            plan=plan,
            description=f"Objective number {n}: " + "develop a specific capability " * 6,
            success_measure="Evidence of success seen by my manager " * 3,
            initiatives=[initiative("Mentoring"), initiative("E-learning")],
        )
    agree(plan)
    reader = pdf_reader(render_plan_pdf(plan))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 5
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    text = squash("\n".join(pages))
    for n in (1, 25, 50):
        assert squash(f"Objective number {n}:") in text
    table_pages = [p for p in pages if "Objective number" in p]
    assert len(table_pages) >= 4
    assert all("How success will" in p for p in table_pages)  # <thead> repeated
    assert "Agreement" in pages[-1] or "Agreement" in pages[-2]


def test_unicode_names_extract_correctly(people):
    person = UserFactory(full_name="Siân Ní Bhriain", team=people.individual.team)
    facilitator = UserFactory(full_name="Zoë Ødegård", team=people.individual.team)
    plan = PlanFactory(
        individual=person, facilitator=facilitator, reflections="Café culture – “quotes”"
    )
    ObjectiveFactory(plan=plan)
    text = pdf_text(render_plan_pdf(plan))
    for expected in ("Siân Ní Bhriain", "Zoë Ødegård", "Café culture – “quotes”"):
        assert expected in text


# =============================================================================
# Hostile content: nothing is fetched, nothing is embedded, the text is printed
# =============================================================================


def test_a_hostile_plan_fetches_nothing_and_prints_the_payload(people):
    with canary_server() as (port, hits):
        payload = (
            f'<img src="http://127.0.0.1:{port}/x">'
            '<link rel="attachment" href="file:///etc/passwd">'
            f"<style>@import url(http://127.0.0.1:{port}/c);</style>"
        )
        plan = PlanFactory(
            individual=people.individual, facilitator=people.manager, reflections=payload
        )
        ObjectiveFactory(plan=plan, description=payload)
        fetcher = StaticOnlyFetcher()
        pdf = render_plan_pdf(plan, fetcher=fetcher)
        assert hits == []
    reader = pdf_reader(pdf)
    assert reader.attachments == {}
    assert fetcher.refused == []  # escaped text is never parsed as HTML in the first place
    assert fetcher.served == [f"{PDF_BASE_URL}static/devplans/pdf.css"]
    text = squash(pdf_text(pdf))
    assert squash(f'<img src="http://127.0.0.1:{port}/x">') in text
    assert squash('<link rel="attachment" href="file:///etc/passwd">') in text
    assert "root:x:0:0" not in text


def test_the_fetcher_refuses_everything_but_our_static_files_and_data_urls():
    """Even raw HTML (never produced by our templates) cannot make the renderer fetch."""
    with canary_server() as (port, hits):
        html = f"""<!DOCTYPE html><html lang="en-GB"><head><title>t</title>
        <link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
        <link rel="attachment" href="file:///etc/passwd">
        <link rel="stylesheet" href="/static/../../../etc/passwd">
        <link rel="stylesheet" href="/static/%2e%2e/%2e%2e/scopegrowth/settings/__init__.py">
        <style>@import url(http://127.0.0.1:{port}/c);
        body {{ background: url(file:///etc/hostname) }}</style>
        </head><body>
        <img src="http://127.0.0.1:{port}/x"><img src="https://example.com/y.png">
        <img src="file:///etc/passwd"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <a rel="attachment" href="http://127.0.0.1:{port}/a">a</a>
        <p>text</p></body></html>"""
        fetcher = StaticOnlyFetcher()
        pdf = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).write_pdf()
        assert hits == []
    assert pdf_reader(pdf).attachments == {}
    refused = " ".join(fetcher.refused)
    for url in (
        f"http://127.0.0.1:{port}/style.css",
        "file:///etc/passwd",
        f"http://127.0.0.1:{port}/c",
        "https://example.com/y.png",
    ):
        assert url in refused, url
    assert fetcher.served == ["data:"]


def test_the_fetcher_serves_our_stylesheet_from_disk():
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch(f"{PDF_BASE_URL}static/devplans/pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


# =============================================================================
# The download
# =============================================================================


def test_the_download_is_an_attachment_with_a_safe_name_and_no_store(client_for, people, agreed):
    people.individual.full_name = 'Zoë "O\'Neil"\r\nX: y'
    people.individual.save()
    response = client_for("individual").get(reverse("devplans:pdf", args=[agreed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition
    assert "\n" not in disposition
    # One file name (the one HR's ZIP export uses), in both the ASCII and the UTF-8 parameter.
    assert disposition == (
        'attachment; filename="plan-zoe-o-neil-x-y-v1.pdf"; '
        "filename*=UTF-8''plan-zoe-o-neil-x-y-v1.pdf"
    )
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.getvalue().startswith(b"%PDF-")


def test_hr_downloads_are_audited(client_for, people, agreed):
    assert client_for("hr").get(reverse("devplans:pdf", args=[agreed.pk])).status_code == 200
    event = AuditEvent.objects.get(action="plan_pdf")
    assert (event.actor, event.subject, event.object_id) == (
        people.hr,
        people.individual,
        agreed.pk,
    )


def test_hr_of_another_organisation_gets_404(client_for, agreed):
    assert (
        client_for("hr_other_org").get(reverse("devplans:pdf", args=[agreed.pk])).status_code == 404
    )
    assert not AuditEvent.objects.filter(action="plan_pdf").exists()
