"""``{% form_fields form %}`` (core/form_markup.py) writes what the template
``core/_form_fields.html`` wrote before it, for every kind of field and for every form of the
project that can be made without arguments: unbound, and bound to nothing (every error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from kraftsenter.core.form_markup import form_fields

from .test_form_renderer import _import_all, _ours, _subclasses

#: templates/core/_form_fields.html before core/form_markup.py.
OLD = (Path(__file__).parent / "old_form_fields.html").read_text()


def _old(form) -> str:
    return Template(OLD).render(Context({"form": form}))


class Everything(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), help_text='Use <b>"your"</b> name & more')
    secret = forms.CharField(widget=forms.HiddenInput, initial="x<y")
    other = forms.CharField(widget=forms.HiddenInput, required=False)
    about = forms.CharField(widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(
        choices=[("a", "A & a"), ("b", "B")], widget=forms.RadioSelect, help_text="Pick one"
    )
    areas = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )
    agree = forms.BooleanField(help_text=mark_safe("See <a href='/x'>the terms</a>"))
    county = forms.ChoiceField(choices=[("", "–"), ("34", "Innlandet")], required=False)

    def clean(self):
        raise forms.ValidationError("Something <wrong> & whole")


@pytest.mark.parametrize("language", ["nb", "se"])
@pytest.mark.parametrize(
    "make",
    [
        lambda: Everything(),
        lambda: Everything(data={"name": "<x>", "kind": "zz"}),
        lambda: Everything(data={}, prefix="row-3"),
        lambda: Everything(auto_id=False),
        lambda: Everything(auto_id="field_%s"),
    ],
)
def test_every_kind_of_field_is_written_as_the_template_wrote_it(make, language):
    with translation.override(language):
        form = make()
        assert str(form_fields(form)) == _old(form)


@pytest.mark.django_db
def test_every_form_of_the_project_is_written_as_the_template_wrote_it():
    _import_all()
    compared = 0
    for form_class in sorted(_subclasses(forms.BaseForm), key=lambda c: c.__qualname__):
        if not _ours(form_class) or issubclass(form_class, forms.BaseFormSet):
            continue
        for kwargs in ({}, {"data": {}}):
            with translation.override("nb"):
                try:
                    form = form_class(**kwargs)
                    form.is_valid()
                    expected = _old(form)
                except Exception:  # noqa: BLE001, S112 - forms that need arguments are skipped
                    continue
                assert str(form_fields(form)) == expected, form_class
            compared += 1
    assert compared > 20  # most of the project's forms take no arguments


def test_the_include_renders_the_tag():
    from django.template.loader import render_to_string

    form = Everything(data={"name": ""})
    assert render_to_string("core/_form_fields.html", {"form": form}) == _old(form)
    assert render_to_string("core/_form_fields.html", {}) == _old(None)
