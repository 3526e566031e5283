"""Widgets rendered in Python (core.forms.PLAIN_WIDGETS: selects, inputs, text areas,
checkboxes, radio buttons; the combobox) are what Django's templates render."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, Jinja2
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from kraftsenter.core.forms import PLAIN_WIDGETS, PlainSelect, PlainSelectMultiple, StyledForm
from kraftsenter.core.widgets import Combobox
from kraftsenter.places.models import County

#: Django's own widget templates, which the plain selects follow.
DJANGO = DjangoTemplates()
#: The site's form renderer (decision 0007), which the plain inputs and checkbox lists follow.
JINJA = Jinja2()


def _jinja(widget: forms.Widget, value, attrs) -> str:
    """What the site's renderer renders, quotes escaped as Django escapes them (markupsafe
    writes ``&#34;`` and ``&#39;`` for Django's ``&quot;`` and ``&#x27;``)."""
    rendered = widget.render("f", value, attrs, renderer=JINJA)
    return rendered.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


CHOICES = [
    ("", "All"),
    ("a", "Plain"),
    ("b&c", 'Quotes " and <tags>'),
    (3, 2026),  # an int label is localised, as in a template
    ("lazy", gettext_lazy("Status")),
    ("safe", mark_safe("<b>safe</b>")),  # noqa: S308 - a safe label stays as it is
    ("Group", [("g1", "In a group"), ("g2", "Also")]),
]


@pytest.mark.parametrize("value", [None, "", "a", "b&c", 3, "g2", "unknown"])
@pytest.mark.parametrize(
    "attrs",
    [None, {"class": "ds-input", "aria-describedby": "x-help"}, {"disabled": True, "x": False}],
)
def test_select_renders_as_django_does(value, attrs):
    with override("nb"):
        django = forms.Select(choices=CHOICES).render("f", value, attrs, renderer=DJANGO)
        plain = PlainSelect(choices=CHOICES).render("f", value, attrs)
    assert plain == django
    if value == "b&c":
        assert 'value="b&amp;c" selected' in plain
    assert "&lt;tags&gt;" in plain and "<b>safe</b>" in plain


@pytest.mark.parametrize("value", [[], ["a"], ["a", "g1"], None])
def test_select_multiple_renders_as_django_does(value):
    django = forms.SelectMultiple(choices=CHOICES).render(
        "f", value, {"id": "id_f"}, renderer=DJANGO
    )
    plain = PlainSelectMultiple(choices=CHOICES).render("f", value, {"id": "id_f"})
    assert plain == django
    assert plain.count(" selected") == len(value or [])


class _Form(StyledForm):
    kind = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    several = forms.MultipleChoiceField(choices=[("x", "X")], required=False)
    boxes = forms.MultipleChoiceField(
        choices=[("x", "X")], required=False, widget=forms.CheckboxSelectMultiple
    )
    yes_no = forms.NullBooleanField(required=False)


@pytest.mark.django_db
def test_styled_forms_use_plain_selects_only_for_plain_django_selects(small_places):
    form = _Form(data={"kind": "y"})
    assert type(form.fields["kind"].widget) is PlainSelect
    assert type(form.fields["several"].widget) is PlainSelectMultiple
    assert type(form.fields["boxes"].widget) is PLAIN_WIDGETS[forms.CheckboxSelectMultiple]
    # A subclass keeps its own template.
    assert type(form.fields["yes_no"].widget) is forms.NullBooleanSelect
    html = str(form["kind"])
    assert '<option value="y" selected>' in html and 'class="ds-input"' in html
    # A model choice field (a queryset's choices, set again when the queryset changes).
    field = forms.ModelChoiceField(queryset=County.objects.none(), required=False)
    form.fields["county"] = field
    form.fields["county"].widget = PlainSelect()
    field.queryset = County.objects.order_by("number")
    rendered = str(form["county"])
    assert rendered.count("<option") == County.objects.count() + 1
    choices = [(str(value), label) for value, label in field.widget.choices]
    assert str(form.fields["county"].widget.render("county", None)) == forms.Select(
        choices=choices
    ).render("county", None, renderer=DJANGO)


ATTRS = [
    None,
    {"class": "ds-input", "aria-describedby": "x-help", "id": "id_f"},
    {"disabled": True, "x": False, "data-q": 'a "quoted" <b>'},
]
VALUES = [None, "", "plain", 'quotes " & <tags>', 0, 12.5, dt.date(2026, 12, 1), True, False]


@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput,
        forms.NumberInput,
        forms.EmailInput,
        forms.URLInput,
        forms.PasswordInput,
        forms.HiddenInput,
        forms.DateInput,
        forms.DateTimeInput,
        forms.TimeInput,
        forms.CheckboxInput,
        forms.Textarea,
    ],
)
@pytest.mark.parametrize("attrs", ATTRS)
def test_inputs_and_text_areas_render_as_django_does(widget, attrs):
    plain = PLAIN_WIDGETS[widget]
    for value in VALUES:
        with override("nb"):
            site = _jinja(widget(), value, attrs)
            ours = plain().render("f", value, attrs)
        assert ours == site, (value, ours, site)
    if widget in (forms.PasswordInput, forms.CheckboxInput):
        return  # no value shown
    # What a user typed comes back escaped, in the field.
    shown = plain().render("f", '"><script>', attrs)
    assert "<script>" not in shown and "&quot;&gt;&lt;script&gt;" in shown


@pytest.mark.parametrize("widget", [forms.CheckboxSelectMultiple, forms.RadioSelect])
@pytest.mark.parametrize("value", [None, [], ["a"], ["a", "g2"], ["b&c"]])
def test_checkboxes_and_radio_buttons_render_as_django_does(widget, value):
    for attrs in ATTRS:
        with override("nb"):
            site = _jinja(widget(choices=CHOICES), value, attrs)
            ours = PLAIN_WIDGETS[widget](choices=CHOICES).render("f", value, attrs)
        assert ours == site
    if widget is forms.CheckboxSelectMultiple:
        assert ours.count(" checked") == len(value or [])


def test_a_widget_with_its_own_template_is_left_to_it():
    class Own(StyledForm):
        text = forms.CharField(widget=forms.TextInput)
        custom = forms.CharField(widget=forms.TextInput)
        boxes = forms.MultipleChoiceField(choices=[("x", "X")], widget=forms.CheckboxSelectMultiple)

    form = Own()
    assert type(form.fields["text"].widget) is PLAIN_WIDGETS[forms.TextInput]
    Own.base_fields["custom"].widget.template_name = "somewhere/else.html"
    Own.base_fields["boxes"].widget.option_template_name = "somewhere/option.html"
    form = Own()
    assert type(form.fields["custom"].widget) is forms.TextInput
    assert type(form.fields["boxes"].widget) is forms.CheckboxSelectMultiple


@pytest.mark.django_db
def test_the_combobox_renders_its_box_around_the_input():
    widget = Combobox(source="organisation-options", describe=lambda text: f"«{text}» & co")
    html = widget.render("org", '12"3', {"id": "id_org", "class": "ds-input"})
    assert html.startswith('<div class="ks-combobox" data-ks-combobox="/')
    assert 'data-ks-combobox-display="«12&quot;3» &amp; co"' in html
    assert 'data-ks-no-results="' in html and 'data-ks-results-hint="' in html
    assert html.endswith(
        '<input type="text" name="org" value="12&quot;3" autocomplete="off" spellcheck="false"'
        ' id="id_org" class="ds-input"></div>'
    )
