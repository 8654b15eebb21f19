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
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'<optgroup label="{_text(group_name)}">')
            html.extend(
                f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>"
                for option in options
            )
            if group_name:
                html.append("</optgroup>")
        html.append("</select>")
        return SafeString("".join(html))
