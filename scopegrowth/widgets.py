"""Form widgets shared by the apps.

`FastSelect` writes its `<option>`s with plain string operations. Django's `Select` renders one
template per option, about a quarter of a millisecond each: the HR filters list every team of
a trust (hundreds), which was most of that page's time. The markup is the same as Django's
(a test compares them).
"""

from __future__ import annotations

from html import escape

from django import forms
from django.utils.safestring import SafeString


def _text(value: object) -> str:
    """Escaped like a template variable: text escaped, already-safe HTML kept."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _attrs(attrs: dict) -> str:
    """Like Django's widgets/attrs.html: True gives a bare name, False and None nothing."""
    out = []
    for name, value in attrs.items():
        if value is True:
            out.append(f" {_text(name)}")
        elif value is not False and value is not None:
            out.append(f' {_text(name)}="{_text(value)}"')
    return "".join(out)


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # Django's `optgroups` builds a dict per option through `create_option`; this walks the
        # choices once with the same rules (the first option whose value is chosen is
        # selected; a nested list is an optgroup).
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = set(widget["value"])
        html = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        has_selected = False

        def option(option_value, label) -> str:
            nonlocal has_selected
            selected = not has_selected and str(option_value) in chosen
            has_selected |= selected
            mark = " selected" if selected else ""
            return f'<option value="{_text(option_value)}"{mark}>{_text(label)}</option>'

        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                html.append(f'<optgroup label="{_text(option_value)}">')
                html.extend(option(v, label) for v, label in option_label)
                html.append("</optgroup>")
            else:
                html.append(option(option_value, option_label))
        html.append("</select>")
        return SafeString("".join(html))


class DateInputs(forms.MultiWidget):
    """The NHS.UK date input pattern: separate day, month and year text fields (numeric
    keyboard), posted as `<name>_day`, `<name>_month` and `<name>_year`. Used with
    `scopegrowth.forms.DateParts`, inside the field's fieldset and legend (the crispy pack's
    multi-part layout). An error on the field marks all three inputs."""

    PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs: dict | None = None) -> None:
        widgets = {
            name: forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
            for name, _label, _width in self.PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value) -> list:
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        classes_given = [context["widget"]["attrs"].get("class") or ""] + [
            part["attrs"].get("class") or "" for part in context["widget"]["subwidgets"]
        ]
        error = any("nhsuk-input--error" in given for given in classes_given)
        context["widget"]["attrs"]["id"] = base_id
        for part, (suffix, label, width) in zip(
            context["widget"]["subwidgets"], self.PARTS, strict=True
        ):
            classes = f"nhsuk-input nhsuk-date-input__input nhsuk-input--width-{width}"
            part["attrs"]["class"] = f"{classes} nhsuk-input--error" if error else classes
            part["attrs"]["id"] = f"{base_id}_{suffix}"
            part["attrs"].pop("aria-describedby", None)  # the fieldset points at the hint
            part["label"] = label
        return context

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        """NHS.UK markup, written here (like `FastSelect`): a `nhsuk-date-input` holding a
        labelled input for each part."""
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<div class="nhsuk-date-input" id="{_text(widget["attrs"]["id"])}">']
        for part in widget["subwidgets"]:
            part_attrs = {"id": part["attrs"]["id"], **part["attrs"]}
            value_attr = "" if part["value"] in (None, "") else f' value="{_text(part["value"])}"'
            html.append(
                '<div class="nhsuk-date-input__item"><div class="nhsuk-form-group">'
                f'<label class="nhsuk-label nhsuk-date-input__label" '
                f'for="{_text(part["attrs"]["id"])}">{_text(part["label"])}</label>'
                f'<input type="text" name="{_text(part["name"])}"{value_attr}'
                f"{_attrs(part_attrs)}></div></div>"
            )
        html.append("</div>")
        return SafeString("".join(html))

    def id_for_label(self, id_: str) -> str:
        """The day input: where the error summary's link and the legend lead."""
        return f"{id_}_day" if id_ else ""

    def subwidgets(self, name, value, attrs=None):
        """One entry whose id is the day input's, so the error summary links to it."""
        widget = self.get_context(name, value, attrs)["widget"]
        yield {**widget, "attrs": {**widget["attrs"], "id": widget["subwidgets"][0]["attrs"]["id"]}}
