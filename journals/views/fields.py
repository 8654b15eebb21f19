"""A form field as the section page's partials read it (`journals/_textarea.html`,
`journals/_radios.html`): its values taken once from the `BoundField`, in a plain dict.

A `BoundField` in a template is slow to read: each `{{ field.x }}` first tries `field["x"]`
(a subwidget lookup, which fails) before the attribute, and `auto_id` is formatted again each
time; the partials read it about fifteen times per question (issue 20). The values are the
`BoundField`'s own, so the HTML is unchanged.
"""

from __future__ import annotations

from typing import Any

from django import forms


def field_view(bound: forms.BoundField) -> dict[str, Any]:
    found = {
        "auto_id": bound.auto_id,
        "html_name": bound.html_name,
        "label": bound.label,
        "help_text": bound.help_text,
        "errors": bound.errors,
        "value": bound.value(),
    }
    if isinstance(bound.field.widget, forms.RadioSelect):
        found["choices"] = [
            {
                "id_for_label": choice.id_for_label,
                "value": choice.data["value"],
                "selected": choice.data["selected"],
                "choice_label": choice.choice_label,
            }
            for choice in bound
        ]
    return found
