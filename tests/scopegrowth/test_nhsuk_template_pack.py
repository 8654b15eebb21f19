"""The crispy-forms "nhsuk" template pack renders NHS.UK design-system markup.

Rendered through `{% crispy form %}` and `{{ form|crispy }}` and read back with the standard
library's HTML parser, so the assertions are about elements and attributes, not whitespace.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.template import Context, Template

GROWTH = [("depth", "Depth"), ("breadth", "Breadth"), ("stretch", "Stretch")]
TOPICS = [("wellbeing", "Health and well-being"), ("career", "Career history")]


class ReflectionForm(forms.Form):
    name = forms.CharField(label="Your name", help_text="As it appears on your badge")
    story = forms.CharField(
        label="Your story", widget=forms.Textarea, max_length=300, required=False
    )
    growth = forms.ChoiceField(
        label="Where do you want to grow?", choices=GROWTH, widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="I have read the guidance")
    topics = forms.MultipleChoiceField(
        label="Topics to discuss",
        choices=TOPICS,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )


class HelperForm(ReflectionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save and continue"))


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag = tag
        self.attrs = attrs
        self.text = ""

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


class Page(HTMLParser):
    """Flat list of elements with their attributes and direct text."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        el = Element(tag, dict(attrs))
        self.elements.append(el)
        if tag not in {"input", "br", "img", "hr", "meta", "link"}:
            self._open.append(el)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data):
        if self._open:
            self._open[-1].text += data

    def by_id(self, id_: str) -> Element:
        found = [e for e in self.elements if e.attrs.get("id") == id_]
        assert len(found) == 1, f"expected one element with id={id_!r}, found {found}"
        return found[0]

    def with_class(self, cls: str) -> list[Element]:
        return [e for e in self.elements if cls in e.classes]

    def inputs(self, name: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag in {"input", "textarea", "select"} and e.attrs.get("name") == name
        ]

    def label_for(self, id_: str) -> Element:
        found = [e for e in self.elements if e.tag == "label" and e.attrs.get("for") == id_]
        assert len(found) == 1, f"expected one <label for={id_!r}>, found {found}"
        return found[0]


def render_crispy(form) -> Page:
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))
    return Page(html)


def render_filter(form) -> Page:
    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))
    return Page(html)


INVALID = {"name": "", "story": "x" * 301, "growth": "breadth", "topics": ["career"]}


def describedby(el: Element) -> list[str]:
    return (el.attrs.get("aria-describedby") or "").split()


@pytest.mark.parametrize("render", [render_crispy, render_filter])
def test_every_field_is_an_nhs_form_group_with_a_paired_label(render):
    page = render(ReflectionForm())

    assert len(page.with_class("nhsuk-form-group")) == 5
    name = page.by_id("id_name")
    assert {"nhsuk-input"} <= name.classes
    assert page.label_for("id_name").classes >= {"nhsuk-label"}
    assert page.label_for("id_name").text.strip() == "Your name"
    story = page.by_id("id_story")
    assert story.tag == "textarea"
    assert "nhsuk-textarea" in story.classes
    assert page.label_for("id_story").text.strip() == "Your story"
    assert page.with_class("nhsuk-error-summary") == []
    assert page.with_class("nhsuk-error-message") == []


def test_help_text_is_an_nhs_hint_that_describes_the_input():
    page = render_crispy(ReflectionForm())

    hint = page.by_id("id_name_helptext")
    assert "nhsuk-hint" in hint.classes
    assert hint.text.strip() == "As it appears on your badge"
    assert describedby(page.by_id("id_name")) == ["id_name_helptext"]


def test_radios_are_nhs_radios_in_a_fieldset_with_the_label_as_legend():
    page = render_crispy(ReflectionForm())

    legend = page.with_class("nhsuk-fieldset__legend")
    assert "Where do you want to grow?" in [el.text.strip() for el in legend]
    radios = page.inputs("growth")
    assert [r.attrs["type"] for r in radios] == ["radio"] * 3
    assert all("nhsuk-radios__input" in r.classes for r in radios)
    assert [r.attrs["value"] for r in radios] == ["depth", "breadth", "stretch"]
    for radio in radios:
        assert "nhsuk-radios__label" in page.label_for(radio.attrs["id"]).classes
    assert page.label_for("id_growth_0").text.strip() == "Depth"
    assert page.with_class("nhsuk-radios")[0].attrs["data-module"] == "nhsuk-radios"


def test_checkbox_groups_and_single_checkboxes_are_nhs_checkboxes():
    page = render_crispy(ReflectionForm())

    topics = page.inputs("topics")
    assert [t.attrs["type"] for t in topics] == ["checkbox", "checkbox"]
    assert all("nhsuk-checkboxes__input" in t.classes for t in topics)
    fieldsets = [e for e in page.elements if e.tag == "fieldset"]
    assert ["id_topics_helptext"] in [describedby(f) for f in fieldsets]

    (agree,) = page.inputs("agree")
    assert agree.attrs["type"] == "checkbox"
    assert "nhsuk-checkboxes__input" in agree.classes
    assert page.label_for("id_agree").text.strip() == "I have read the guidance"
    assert "nhsuk-checkboxes__label" in page.label_for("id_agree").classes


def test_a_textarea_with_max_length_gets_the_nhs_character_count():
    page = render_crispy(ReflectionForm())

    (wrapper,) = page.with_class("nhsuk-character-count")
    assert wrapper.attrs["data-module"] == "nhsuk-character-count"
    assert wrapper.attrs["data-maxlength"] == "300"
    story = page.by_id("id_story")
    assert "nhsuk-js-character-count" in story.classes
    assert describedby(story) == ["id_story-info"]
    assert page.by_id("id_story-info").text.strip() == "You can enter up to 300 characters"


def test_invalid_data_shows_an_error_summary_linking_to_each_field():
    page = render_crispy(ReflectionForm(data=INVALID))

    (summary,) = page.with_class("nhsuk-error-summary")
    assert summary.attrs["tabindex"] == "-1"
    assert any(e.attrs.get("role") == "alert" for e in page.elements)
    links = {
        e.attrs["href"]: e.text.strip()
        for e in page.elements
        if e.tag == "a" and e.attrs.get("href", "").startswith("#")
    }
    assert links == {
        "#id_name": "This field is required.",
        "#id_story": "Ensure this value has at most 300 characters (it has 301).",
        "#id_agree": "This field is required.",
    }
    for href in links:
        page.by_id(href[1:])  # every link lands on exactly one element


def test_invalid_fields_get_nhs_error_messages_referenced_by_aria_describedby():
    page = render_crispy(ReflectionForm(data=INVALID))

    name_group = page.by_id("div_id_name")
    assert "nhsuk-form-group--error" in name_group.classes
    error = page.by_id("id_name_error")
    assert "nhsuk-error-message" in error.classes
    hidden_prefix = [e for e in page.with_class("nhsuk-u-visually-hidden") if e.text == "Error: "]
    assert len(hidden_prefix) == 3
    name = page.by_id("id_name")
    assert "nhsuk-input--error" in name.classes
    assert describedby(name) == ["id_name_helptext", "id_name_error"]
    assert describedby(page.by_id("id_story")) == ["id_story-info", "id_story_error"]
    assert describedby(page.by_id("id_agree")) == ["id_agree_error"]
    assert "nhsuk-form-group--error" not in page.by_id("div_id_growth").classes


def test_bound_invalid_data_is_rendered_again():
    page = render_crispy(ReflectionForm(data={**INVALID, "name": "Aisha", "agree": ""}))

    assert page.by_id("id_name").attrs["value"] == "Aisha"
    assert page.by_id("id_story").text.strip() == "x" * 301
    checked = {e.attrs["value"] for e in page.elements if "checked" in e.attrs}
    assert checked == {"breadth", "career"}
    assert "checked" not in page.by_id("id_agree").attrs


def test_a_plain_form_renders_through_the_default_helper_with_an_nhs_form_tag():
    page = render_crispy(ReflectionForm())

    (form,) = [e for e in page.elements if e.tag == "form"]
    assert form.attrs["method"] == "post"
    assert "novalidate" in form.attrs


def test_helper_inputs_are_nhs_buttons():
    page = render_crispy(HelperForm())

    (button,) = [e for e in page.elements if e.tag == "button"]
    assert button.classes == {"nhsuk-button"}
    assert button.attrs["type"] == "submit"
    assert button.attrs["name"] == "save"
    assert button.text.strip() == "Save and continue"


def test_the_filter_renders_fields_and_error_summary_without_a_form_tag():
    page = render_filter(ReflectionForm(data=INVALID))

    assert [e for e in page.elements if e.tag == "form"] == []
    assert len(page.with_class("nhsuk-error-summary")) == 1
    assert page.by_id("id_name_error")
