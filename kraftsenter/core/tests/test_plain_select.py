"""Selects rendered in Python (core.forms.PlainSelect) are what Django's templates render."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from kraftsenter.core.forms import PlainSelect, PlainSelectMultiple, StyledForm
from kraftsenter.places.models import County

#: Django's own widget templates (the site renders other widgets with Jinja2, decision 0007).
DJANGO = DjangoTemplates()

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
    # Other widgets keep their own templates.
    assert type(form.fields["boxes"].widget) is forms.CheckboxSelectMultiple
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
