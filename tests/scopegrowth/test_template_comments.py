"""A `{# ... #}` comment must end on its own line: Django's short comment is one line only, and
one spread over two lines is printed on the page as text (the round page showed its own comment
above its buttons). A longer comment is `{% comment %}...{% endcomment %}`."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _templates() -> list[Path]:
    found = sorted((ROOT / "templates").rglob("*.html"))
    for app in ROOT.iterdir():
        if (app / "templates").is_dir() and app.name != "templates":
            found += sorted((app / "templates").rglob("*.html"))
    return found


def test_every_short_comment_ends_on_its_line():
    unclosed = []
    for path in _templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            start = line.find("{#")
            while start != -1:
                end = line.find("#}", start + 2)
                if end == -1:
                    unclosed.append(f"{path.relative_to(ROOT)}:{number}")
                    break
                start = line.find("{#", end + 2)
    assert _templates(), "no templates found"
    assert unclosed == []
