"""The unbound stage notes form's fields as plain values, for
`templates/conversations/_stage_notes_fields.html` (a bound form and stage 2's position go
through crispy): reading them through bound fields was most of that template's time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.utils import pretty_name


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
    """The unbound notes form's fields as plain values (`_stage_notes_fields.html`): nothing
    for no form (a reader), a bound form or stage 2's position (those go through crispy)."""
    if form is None or form.is_bound or form.position:
        return {}
    version = form.fields["version"]
    return {
        "notes_fields": unbound_notes(form),
        "notes_version": version.prepare_value(form.get_initial_for_field(version, "version")),
    }
