"""The unbound stage notes form of stage 1 and 3, written in Python as `{% crispy form %}`
writes it (the NHS.UK character-count textareas, side by side; what
`_stage_notes_fields.html` gave), without crispy's cost per field nor a template lookup per
attribute (issue 20). A bound form (errors) and stage 2's position go through crispy. Every
value is escaped as autoescape did (`tests/scopegrowth/test_markup_escapes.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.utils import pretty_name
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class NoteField:
    name: str
    label: str
    help_text: str
    max_length: int | None
    value: Any


def unbound_notes(form: forms.Form) -> list[NoteField]:
    """The form's visible fields, in order, each with what `form[name]` would show unbound."""
    return [
        NoteField(
            name=form.add_prefix(name),
            label=field.label if field.label is not None else pretty_name(name),
            help_text=field.help_text,
            max_length=getattr(field, "max_length", None),
            value=field.prepare_value(form.get_initial_for_field(field, name)),
        )
        for name, field in form.fields.items()
        if not field.widget.is_hidden
    ]


def unbound_notes_context(form: Any) -> dict[str, Any]:
    """The unbound notes form's markup (`notes_html`, for `stage_edit.html`): nothing
    for no form (a reader), a bound form or stage 2's position (those go through crispy)."""
    if form is None or form.is_bound or form.position:
        return {}
    version = form.fields["version"]
    value = version.prepare_value(form.get_initial_for_field(version, "version"))
    return {"notes_html": notes_html(unbound_notes(form), value, private=form.private)}


def notes_html(fields: list[NoteField], version: Any, *, private: bool) -> SafeString:
    """The hidden version and each textarea with its label, hint and character count."""
    column = "nhsuk-grid-column-one-half" if private else "nhsuk-grid-column-two-thirds"
    out = [
        f'<input type="hidden" name="version" value="{conditional_escape(version)}" '
        'id="id_version"><div class="nhsuk-grid-row">'
    ]
    for field in fields:
        name, most = conditional_escape(field.name), conditional_escape(field.max_length)
        text = "" if field.value is None or field.value == "" else conditional_escape(field.value)
        out.append(
            f'<div class="{column}"><div id="div_id_{name}" class="nhsuk-form-group '
            f'nhsuk-character-count" data-module="nhsuk-character-count" data-maxlength="{most}">'
            f'<label class="nhsuk-label" for="id_{name}">{conditional_escape(field.label)}</label>'
            f'<div class="nhsuk-hint" id="id_{name}_helptext">'
            f"{conditional_escape(field.help_text)}</div>"
            f'<textarea name="{name}" cols="40" rows="4" maxlength="{most}" '
            'class=" nhsuk-textarea nhsuk-js-character-count" '
            f'aria-describedby="id_{name}-info id_{name}_helptext" id="id_{name}">\n{text}'
            '</textarea><div class="nhsuk-hint nhsuk-character-count__message" '
            f'id="id_{name}-info">You can enter up to {most} characters</div></div></div>'
        )
    out.append("</div>")
    return SafeString("".join(out))
