"""The section page's free-text answers and the form's hidden fields, written in Python: the
markup `templates/journals/_textarea.html` and Django's hidden-input widget gave, without a
template variable lookup per attribute (five textareas were a third of a section page's
rendering; issue 20). Every value is escaped as the template's autoescape did
(`html.escape`, which Django's `escape` wraps); `tests/journals` read the page and
`tests/scopegrowth/test_markup_escapes.py` puts markup in a question and an answer.

One free-text answer is an NHS character count. The limit is on the wrapper (data-maxlength)
and never a maxlength attribute on the textarea: browsers would cut pasted text silently."""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString


def _e(value: Any) -> str:
    html = getattr(value, "__html__", None)
    return html() if html is not None else escape(str(value))


def textarea_html(
    field: dict[str, Any],
    *,
    max_length: str,
    max_length_text: str,
    in_conflict: bool = False,
    saved_text: str | None = None,
) -> SafeString:
    """One answer's form group. `field`: `journals.views.fields.field_view` of its BoundField."""
    fid = _e(field["auto_id"])
    errors = field["errors"]
    help_text = field["help_text"]
    group_error = " nhsuk-form-group--error" if errors or in_conflict else ""
    out = [
        f'<div class="nhsuk-form-group nhsuk-character-count{group_error}" '
        f'data-module="nhsuk-character-count" data-maxlength="{_e(max_length)}" id="div_{fid}">',
        f'<label class="nhsuk-label nhsuk-label--s" for="{fid}">{_e(field["label"])}</label>',
    ]
    described = [f"{fid}-info"]
    if help_text:
        out.append(f'<div class="nhsuk-hint" id="{fid}_helptext">{_e(help_text)}</div>')
        described.append(f"{fid}_helptext")
    if in_conflict:
        saved = (
            f"<p>{linebreaksbr(saved_text, autoescape=True)}</p>"
            if saved_text
            else "<p><em>No answer saved</em></p>"
        )
        out.append(
            f'<div class="nhsuk-inset-text sg-saved-version" id="{fid}_saved">\n'
            '<span class="nhsuk-u-visually-hidden">Information: </span>\n'
            '<h3 class="nhsuk-heading-xs nhsuk-u-margin-bottom-2">'
            "Saved version (from the other tab)</h3>\n"
            f"{saved}\n</div>\n"
            '<p class="nhsuk-body-s nhsuk-u-margin-bottom-2">'
            "<strong>Your version (not saved yet):</strong></p>"
        )
        described.append(f"{fid}_saved")
    if errors:
        shown = "<br>".join(
            f'<span class="nhsuk-u-visually-hidden">Error: </span>{_e(error)}' for error in errors
        )
        out.append(f'<span class="nhsuk-error-message" id="{fid}_error">\n{shown}\n</span>')
        described.append(f"{fid}_error")
    value = field["value"]
    textarea_error = " nhsuk-textarea--error" if errors else ""
    out.append(
        f'<textarea class="nhsuk-textarea nhsuk-js-character-count{textarea_error}" id="{fid}" '
        f'name="{_e(field["html_name"])}" rows="6" aria-describedby="{" ".join(described)}">\n'
        f"{'' if value is None else _e(value)}</textarea>"
    )
    out.append(
        f'<div class="nhsuk-hint nhsuk-character-count__message" id="{fid}-info">'
        f"You can enter up to {_e(max_length_text)} characters</div>\n</div>"
    )
    return SafeString("\n".join(out))


def hidden_html(*bounds: forms.BoundField) -> SafeString:
    """Hidden fields as Django's `HiddenInput` renders them (no value attribute when empty)."""
    out = []
    for bound in bounds:
        value = bound.field.widget.format_value(bound.value())
        value_attr = "" if value is None else f' value="{_e(value)}"'
        out.append(
            f'<input type="hidden" name="{_e(bound.html_name)}"{value_attr} '
            f'id="{_e(bound.auto_id)}">'
        )
    return SafeString("\n".join(out))
