"""Every widget the project's forms and filters use renders through the Jinja2 form renderer
(decision 0007): a widget whose template exists only as a Django template would answer a
page with TemplateDoesNotExist."""

from __future__ import annotations

import copy
import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.forms.renderers import Jinja2, get_default_renderer

import kraftsenter


def _import_all() -> None:
    for module in pkgutil.walk_packages(kraftsenter.__path__, "kraftsenter."):
        if ".tests" in module.name or ".migrations" in module.name:
            continue
        if module.name.rsplit(".", 1)[-1] in {"forms", "filters", "widgets"}:
            importlib.import_module(module.name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def _ours(cls: type) -> bool:
    return cls.__module__.startswith("kraftsenter.") and ".tests" not in cls.__module__


def _project_widgets() -> dict[str, forms.Widget]:
    _import_all()
    widgets: dict[str, forms.Widget] = {}
    for form_class in _subclasses(forms.BaseForm):
        if (
            not form_class.__module__.startswith("kraftsenter.")
            or ".tests" in form_class.__module__
        ):
            continue
        for field in getattr(form_class, "base_fields", {}).values():
            widgets.setdefault(
                f"{form_class.__qualname__}.{type(field.widget).__name__}", field.widget
            )
    for filterset in _subclasses(django_filters.FilterSet):
        if not filterset.__module__.startswith("kraftsenter.") or filterset._meta.model is None:
            continue
        form = filterset(queryset=filterset._meta.model.objects.none()).form
        for field in form.fields.values():
            widgets.setdefault(
                f"{filterset.__qualname__}.{type(field.widget).__name__}", field.widget
            )
    return widgets


def test_the_renderer_is_jinja2():
    assert isinstance(get_default_renderer(), Jinja2)


@pytest.mark.django_db
def test_every_widget_of_the_project_renders_with_the_jinja2_renderer():
    widgets = _project_widgets()
    kinds = {type(w).__name__ for w in widgets.values()}
    # The walk found the forms: the common Django widgets are among them.
    assert {"CheckboxSelectMultiple", "Textarea", "Select", "DateInput"} <= kinds
    assert apps.ready
    for name, widget in widgets.items():
        widget = copy.deepcopy(widget)
        if hasattr(widget, "choices"):  # querysets are often set per form instance
            widget.choices = [("a", "A"), ("b", "B & C")]
        html = widget.render("field", None, attrs={"id": "id_field"})
        assert 'name="field' in html, name
        if hasattr(widget, "choices"):
            assert "B &amp; C" in html, name


def test_every_widget_class_of_the_project_has_a_jinja2_template():
    _import_all()
    renderer = get_default_renderer()
    own = [w for w in _subclasses(forms.Widget) if _ours(w)]
    assert {"Combobox", "ComboboxList"} <= {w.__name__ for w in own}
    for widget in own:
        for attribute in ("template_name", "option_template_name"):
            name = getattr(widget, attribute, None)
            if name:
                renderer.get_template(name)  # raises TemplateDoesNotExist


def test_a_combobox_renders_its_value_and_what_it_shows():
    from kraftsenter.core.widgets import Combobox, Labelled

    html = Combobox(source="organisation-options").render(
        "organisation", Labelled("42", "Hamar & omegn"), attrs={"id": "id_organisation"}
    )
    assert 'data-ks-combobox-display="Hamar &amp; omegn"' in html
    assert 'value="42"' in html and 'id="id_organisation"' in html
