"""A filter form's fields in NHS.UK markup, written in Python: the markup the crispy "nhsuk"
pack's `field.html` gives (`templates/nhsuk/layout/field_group.html`, `multivalue.html`) for
the kinds of field a filter form has (a text box, a select, the day/month/year boxes), without
its nested includes per field, a large part of the HR list's time (issue 20).
`tests/devplans/test_hr_filter_markup.py` checks it against the pack's."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString


def _add_classes(bound: forms.BoundField, classes: str) -> None:
    """What the pack's `{% crispy_field field 'class' classes %}` does to the widget's attrs."""
    widget = bound.field.widget
    converters = getattr(settings, "CRISPY_CLASS_CONVERTERS", {})
    for part in getattr(widget, "widgets", [getattr(widget, "widget", widget)]):
        class_name = part.__class__.__name__.lower()
        class_name = converters.get(class_name, class_name)
        css_class = part.attrs.get("class", "")
        if css_class:
            if css_class.find(class_name) == -1:
                css_class += f" {class_name}"
        else:
            css_class = class_name
        part.attrs["class"] = css_class
        if "class" in part.attrs:
            for name in classes.split():
                if name not in part.attrs["class"].split():
                    part.attrs["class"] += " " + name
        else:  # pragma: no cover - set just above
            part.attrs["class"] = classes


def _errors(bound: forms.BoundField) -> str:
    if not bound.errors:
        return ""
    inner = "<br>".join(
        f'<span class="nhsuk-u-visually-hidden">Error: </span>{conditional_escape(e)}'
        for e in bound.errors
    )
    return f'<span class="nhsuk-error-message" id="{bound.auto_id}_error">{inner}</span>'


def _hint(bound: forms.BoundField) -> str:
    if not bound.help_text:
        return ""
    return f'<div class="nhsuk-hint" id="{bound.auto_id}_helptext">{bound.help_text}</div>'


def _group_class(bound: forms.BoundField) -> str:
    css = "nhsuk-form-group" + (" nhsuk-form-group--error" if bound.errors else "")
    extra = bound.css_classes()
    return f"{css} {extra}" if extra else css


def field_html(bound: forms.BoundField) -> str:
    """One field: a text box or select in its form group, or a multi-part field (the date
    boxes) in a fieldset with its legend."""
    field = bound.field
    if isinstance(field.widget, forms.MultiWidget):
        _add_classes(bound, "nhsuk-input nhsuk-input--error" if bound.errors else "nhsuk-input")
        described = " ".join(
            ([f"{bound.auto_id}_helptext"] if bound.help_text else [])
            + ([f"{bound.auto_id}_error"] if bound.errors else [])
        )
        described_attr = f' aria-describedby="{described}"' if described else ""
        return (
            f'<div id="div_{bound.auto_id}" class="{_group_class(bound)}">'
            f'<fieldset class="nhsuk-fieldset"{described_attr}>'
            f'<legend class="nhsuk-fieldset__legend">{conditional_escape(bound.label)}</legend>'
            f"{_hint(bound)}{_errors(bound)}{bound}</fieldset></div>"
        )
    if isinstance(field.widget, forms.Select):
        classes = "nhsuk-select nhsuk-select--error" if bound.errors else "nhsuk-select"
    else:
        classes = "nhsuk-input nhsuk-input--error" if bound.errors else "nhsuk-input"
    _add_classes(bound, classes)
    label = (
        f'<label class="nhsuk-label" for="{escape(bound.id_for_label)}">'
        f"{conditional_escape(bound.label)}</label>"
        if bound.label
        else ""
    )
    return (
        f'<div id="div_{bound.auto_id}" class="{_group_class(bound)}">'
        f"{label}{_hint(bound)}{_errors(bound)}{bound}</div>"
    )


def fields_html(form: forms.Form) -> SafeString:
    """Every field of `form`, in order (hidden ones as their input alone)."""
    return SafeString(
        "".join(str(bound) if bound.is_hidden else field_html(bound) for bound in form)
    )
