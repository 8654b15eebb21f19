"""HTML written in Python for HR's pages (issue 20), the same markup the templates gave:
a filter form's fields as the crispy "nhsuk" pack's `field.html` writes them
(`templates/nhsuk/layout/field_group.html`, `multivalue.html`) for the kinds of field a filter
form has (a text box, a select, the day/month/year boxes), without its nested includes per
field (the HR list and HR insight); and the HR list's rows, position matrix and pagination,
a string per row. Every value is escaped. `tests/devplans/test_hr_filter_markup.py`,
`tests/insight/test_filter_markup.py` and `tests/scopegrowth/test_page_links.py` check them
against the templates'."""

from __future__ import annotations

import html
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.utils import dateformat, formats, timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString

from scopegrowth.templatetags.pages import page_links
from scopegrowth.widgets import FastSelect


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
            f'<option value="{_text(value)}">{_text(label)}</option>'
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
            out.append(f" {_text(name)}")
        elif value is not False and (value is not None or none_shown):
            out.append(f' {_text(name)}="{_text(value)}"')
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
        value_attr = "" if value is None else f' value="{_text(value)}"'
        return (
            f'<input type="{_text(context["type"])}" name="{_text(context["name"])}"'
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
        f'<select name="{_text(bound.html_name)}"{_attrs_html(all_attrs, none_shown=False)}>'
        f"{''.join(out)}</select>"
    )


def fields_html(form: forms.Form) -> SafeString:
    """Every field of `form`, in order (hidden ones as their input alone)."""
    return SafeString(
        "".join(str(bound) if bound.is_hidden else field_html(bound) for bound in form)
    )


# =============================================================================
# The HR list's rows, position matrix and pagination (issue 20): the markup
# `templates/devplans/hr_list.html` and `_partials/pagination.html` gave, a string per row.
# =============================================================================


def _text(value) -> str:
    """`value` escaped as autoescape does (the same five characters as Django's `escape`)."""
    return html.escape(str(value))


_HEADING = '<span class="nhsuk-table-responsive__heading" aria-hidden="true">'


def _cell(heading: str, inner: str) -> str:
    return f'<td class="nhsuk-table__cell">{_HEADING}{heading} </span>{inner}</td>'


def hr_rows_html(rows, links) -> SafeString:
    """The table's rows (`devplans.selectors.hr_page`'s), each value escaped; `links` a
    `RowLinks` for the plan and PDF paths."""
    out = []
    dates: dict = {}
    for plan in rows:
        person = plan.individual
        name = _text(person.full_name)
        team = person.team
        team_html = (
            f'{_text(team.name)}<br><span class="nhsuk-body-s">'
            f"{_text(team.directorate.name)}</span>"
            if team
            else "–"
        )
        day = timezone.localtime(plan.agreed_at).date()
        if day not in dates:
            dates[day] = _text(dateformat.format(day, "j M Y"))
        detail = _text(links.url("devplans:detail", plan.pk))
        pdf = _text(links.url("devplans:pdf", plan.pk))
        out.append(
            '<tr class="nhsuk-table__row">'
            + _cell(
                "Name",
                f'<span><a href="{detail}">{name}</a><br>'
                f'<span class="nhsuk-body-s">{_text(person.job_title)}</span></span>',
            )
            + _cell("Team", f"<span>{team_html}</span>")
            + _cell("Agreed", dates[day])
            + _cell("Now", _text(plan.now_label))
            + _cell("In two years", _text(plan.future_label))
            + _cell("Objectives", _number(plan.objective_count))
            + _cell(
                "PDF",
                f'<a href="{pdf}" download>PDF<span class="nhsuk-u-visually-hidden"> of '
                f"{name}'s plan</span></a>",
            )
            + "</tr>"
        )
    return SafeString("".join(out))


def _number(value) -> str:
    """A count as `{{ n }}` shows it (`localize`: digits alone without a thousands separator)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return escape(formats.localize(value))


def matrix_html(matrix) -> SafeString:
    """The position matrix's head row and body (`devplans.selectors.PositionMatrix`)."""
    header = '<th class="nhsuk-table__header" scope="col">'
    head = "".join(f"{header}{escape(label)}</th>" for _g, _i, label in matrix.positions)
    body = []
    for row in matrix.rows:
        cells = "".join(f'<td class="nhsuk-table__cell">{_number(n)}</td>' for n in row["cells"])
        body.append(
            '<tr class="nhsuk-table__row">'
            f'<th class="nhsuk-table__header" scope="row">{escape(row["label"])}</th>{cells}'
            f'<td class="nhsuk-table__cell"><strong>{_number(row["total"])}</strong></td></tr>'
        )
    totals = "".join(
        f'<td class="nhsuk-table__cell"><strong>{_number(n)}</strong></td>'
        for n in matrix.column_totals
    )
    body.append(
        '<tr class="nhsuk-table__row"><th class="nhsuk-table__header" scope="row">Total</th>'
        f'{totals}<td class="nhsuk-table__cell"><strong>{_number(matrix.total)}</strong></td></tr>'
    )
    return SafeString(
        '<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">'
        f"{header}Now ↓ / in two years →</th>{head}{header}Total</th></tr></thead>"
        f'<tbody class="nhsuk-table__body">{"".join(body)}</tbody>'
    )


_PREVIOUS_ICON = (
    '<svg class="nhsuk-icon nhsuk-icon--arrow-left" xmlns="http://www.w3.org/2000/svg" '
    'viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">'
    '<path d="M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 '
    '0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z"/></svg>'
)
_NEXT_ICON = (
    '<svg class="nhsuk-icon nhsuk-icon--arrow-right" xmlns="http://www.w3.org/2000/svg" '
    'viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">'
    '<path d="m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 '
    '1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z"/></svg>'
)


def pagination_html(page_obj, query) -> SafeString:
    """NHS.UK numbered pagination, as `_partials/pagination.html` writes it: each link keeps
    the other parameters of `query` (the request's `QueryDict`) as `{% querystring %}` does."""
    if page_obj.paginator.num_pages <= 1:
        return SafeString("")

    # `QueryDict.urlencode` of the query with `page` set (in its place, or last when not
    # given), each other parameter encoded once, not a copy of the query per link.
    encoded = [
        (key, urlencode({key.encode(query.encoding): str(value).encode(query.encoding)}))
        for key, values in query.lists()
        for value in values
    ]

    def href(number: int) -> str:
        parts, placed = [], False
        for key, text in encoded:
            if key != "page":
                parts.append(text)
            elif not placed:
                parts.append(f"page={number}")
                placed = True
        if not placed:
            parts.append(f"page={number}")
        return escape("?" + "&".join(parts))

    out = [
        '<nav class="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" '
        'aria-label="Pagination">'
    ]
    if page_obj.has_previous():
        out.append(
            f'<a href="{href(page_obj.previous_page_number())}" '
            f'class="nhsuk-pagination__previous" rel="prev">{_PREVIOUS_ICON}'
            '<span class="nhsuk-pagination__title">Previous<span class="nhsuk-u-visually-hidden">'
            " page</span></span></a>"
        )
    out.append('<ul class="nhsuk-pagination__list">')
    for number, kind in page_links(page_obj):
        if kind == "gap":
            out.append(
                '<li class="nhsuk-pagination__item nhsuk-pagination__item--ellipsis">&ctdot;</li>'
            )
            continue
        current = kind == "current"
        item = " nhsuk-pagination__item--current" if current else ""
        aria = ' aria-current="page"' if current else ""
        out.append(
            f'<li class="nhsuk-pagination__item{item}"><a class="nhsuk-pagination__link" '
            f'href="{href(number)}" aria-label="Page {number}"{aria}>{number}</a></li>'
        )
    out.append("</ul>")
    if page_obj.has_next():
        out.append(
            f'<a href="{href(page_obj.next_page_number())}" class="nhsuk-pagination__next" '
            'rel="next"><span class="nhsuk-pagination__title">Next<span '
            f'class="nhsuk-u-visually-hidden"> page</span></span>{_NEXT_ICON}</a>'
        )
    out.append("</nav>")
    return SafeString("".join(out))
