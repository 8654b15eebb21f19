"""A form's fields written in Python (issue 20), the same markup the crispy "nhsuk" pack's
`field.html` writes (`templates/nhsuk/layout/field_group.html`, `multivalue.html`) for the kinds
of field a filter form has (a text box, a select, the day/month/year boxes), without its nested
includes per field: HR's filters (the HR list, HR insight). Every label, value and option is
escaped. `tests/devplans/test_hr_filter_markup.py` and `tests/insight/test_filter_markup.py`
check them against the pack's templates."""

from __future__ import annotations

import html

from django import forms
from django.conf import settings
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString

from scopegrowth.widgets import FastSelect


def escape_text(value) -> str:
    """`value` escaped as autoescape does (the same five characters as Django's `escape`)."""
    return html.escape(str(value))


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
        f"{label}{_hint(bound)}{_errors(bound)}{_widget_html(bound)}</div>"
    )


class Options(BaseChoiceIterator):
    """A select's options given ready, as (value, label) pairs of text: kept as they are (Django
    normalises a plain list again, option by option: 2 ms for a trust's 200 teams), and their
    markup written once for those options (`_options_html`)."""

    def __init__(self, options: list[tuple]) -> None:
        self.options = options

    def __iter__(self):
        return iter(self.options)


_OPTIONS_SEEN: dict[tuple, tuple[list[str], list[str]]] = {}


def _options_html(options: list[tuple]) -> tuple[list[str], list[str]]:
    """(values, `<option>` tags unselected) of `options`, escaped, kept for the next request
    with the same options (a few sets: the trust's teams, directorates, levels)."""
    key = tuple(options)  # a lazy label compares and hashes as its text
    found = _OPTIONS_SEEN.get(key)
    if found is None:
        values = ["" if value is None else str(value) for value, _label in key]
        tags = [
            f'<option value="{escape_text(value)}">{escape_text(label)}</option>'
            for value, (_v, label) in zip(values, key, strict=True)
        ]
        if len(_OPTIONS_SEEN) > 64:
            _OPTIONS_SEEN.clear()
        found = _OPTIONS_SEEN[key] = (values, tags)
    return found


def _attrs_html(attrs: dict, *, none_shown: bool) -> str:
    """Django's widgets/attrs.html (True: the bare name; False: nothing; None: "None", or
    nothing as `FastSelect` writes a select's)."""
    out = []
    for name, value in attrs.items():
        if value is True:
            out.append(f" {escape_text(name)}")
        elif value is not False and (value is not None or none_shown):
            out.append(f' {escape_text(name)}="{escape_text(value)}"')
    return "".join(out)


def _widget_html(bound: forms.BoundField) -> str:
    """`str(bound)` (`BoundField.as_widget`) for a text box or a select of `Options`, written
    here; any other widget as Django renders it."""
    widget = bound.field.widget
    is_select = type(widget) is FastSelect and isinstance(widget.choices, Options)
    if not is_select and type(widget) is not forms.TextInput:
        return str(bound)
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    if not is_select:
        context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
        value = context["value"]
        value_attr = "" if value is None else f' value="{escape_text(value)}"'
        return (
            f'<input type="{escape_text(context["type"])}" name="{escape_text(context["name"])}"'
            f"{value_attr}{_attrs_html(context['attrs'], none_shown=True)}>"
        )
    chosen = set(widget.format_value(bound.value()))
    values, tags = _options_html(widget.choices.options)
    out = list(tags)
    for at, value in enumerate(values):  # the first option whose value is chosen (FastSelect)
        if value in chosen:
            out[at] = out[at].replace(">", " selected>", 1)
            break
    all_attrs = widget.build_attrs(widget.attrs, attrs)
    return (
        f'<select name="{escape_text(bound.html_name)}"{_attrs_html(all_attrs, none_shown=False)}>'
        f"{''.join(out)}</select>"
    )


def fields_html(form: forms.Form) -> SafeString:
    """Every field of `form`, in order (hidden ones as their input alone)."""
    return SafeString(
        "".join(str(bound) if bound.is_hidden else field_html(bound) for bound in form)
    )
