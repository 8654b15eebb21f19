"""Rules the code must keep, checked over the source (security checklist C5, D1, D4, J3)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps
from django.forms import ModelForm

ROOT = Path(__file__).resolve().parents[2]
APPS = ("scopegrowth", "reminders", "journals", "conversations", "devplans", "insight")
# Where `|safe` is allowed, and why: help texts are written by developers, never by users.
SAFE_ALLOWLIST = {"templates/nhsuk/layout/help_text.html"}
# The only Python that marks HTML safe, and why: rows and figures drawn without a template
# lookup per cell (issue 20). Each escapes every value it is given as autoescape would, and
# tests/scopegrowth/test_markup_escapes.py puts markup in every name, team and title they show.
MARKUP_MODULES = {
    "conversations/dashboard_markup.py",
    "conversations/markup.py",  # a shared section's answers and the preparation items
    "conversations/nav_markup.py",  # the three stages' navigation (conversation, stage)
    "conversations/forms/stage_notes.py",  # the unbound stage notes form
    "devplans/forms/markup.py",
    "devplans/plan_markup.py",  # the plan page's objective cards
    "insight/markup.py",
    "journals/markup.py",
    "scopegrowth/field_markup.py",  # HR's filter fields (the HR list, HR insight)
    "scopegrowth/widgets.py",  # the select options' labels (FastSelect)
}


def app_sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_no_raw_sql():
    offenders = []
    for path in app_sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in {"raw", "extra", "RawSQL"}:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.Name) and node.id == "RawSQL":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} RawSQL")
    assert not offenders, offenders


def test_user_text_is_never_marked_safe():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        rel = str(path.relative_to(ROOT))
        text = path.read_text()
        if re.search(r"\|\s*safe\b|autoescape\s+off", text) and rel not in SAFE_ALLOWLIST:
            offenders.append(rel)
    for path in app_sources():
        text = path.read_text()
        marks = ("mark_safe(", "format_html(", "SafeString(", "SafeText(")
        if any(m in text for m in marks) and str(path.relative_to(ROOT)) not in MARKUP_MODULES:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders


def test_model_forms_name_their_fields():
    import importlib

    offenders = []
    for app in APPS:
        try:
            importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    for form in walk(ModelForm):
        if not form.__module__.startswith(APPS):
            continue
        meta = getattr(form, "Meta", None)
        if meta is None:
            continue
        if getattr(meta, "fields", None) == "__all__" or hasattr(meta, "exclude"):
            offenders.append(f"{form.__module__}.{form.__name__}")
    assert not offenders, offenders


def test_no_long_delays_in_the_broker():
    """Reminders are due-dated rows found by a scan: no ETA or countdown sits in Redis."""
    offenders = []
    for path in app_sources():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\b(eta|countdown)\s*=", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, offenders


def test_journal_content_is_not_in_the_admin():
    from django.contrib import admin

    registered = {m._meta.label for m in admin.site._registry}
    private = {
        "journals.Journal",
        "journals.JournalSection",
        "journals.Answer",
        "journals.PendingDraft",
        "conversations.Preparation",
        "conversations.StageRecord",
    }
    assert not registered & private
    assert apps.is_installed("journals")
