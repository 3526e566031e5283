"""A form's fields as ``templates/core/_form_fields.html`` wrote them, built in Python.

Every form page (and every row of a formset) rendered its fields through that template: about
twenty variable lookups, three ``if``s and two loops per field, a third of a form page once the
widgets themselves were fast (decision 0007). :func:`form_fields` writes the same markup — each
field's label, the required mark, the help text and its ``aria-describedby``, the widget, the
errors, a fieldset for radio buttons and multiple checkboxes — escaped the same way;
``tests/test_form_markup.py`` compares both for every form of the project.
"""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString

from .markup import escape

_REQUIRED = ' <span aria-hidden="true">*</span>'


def _grouped(field: Any) -> bool:
    """Radio buttons and multiple checkboxes are a fieldset with a legend, not a label."""
    widget = field.field.widget
    kind = getattr(widget, "input_type", "")
    return (kind == "checkbox" and bool(getattr(widget, "allow_multiple_selected", False))) or (
        kind == "radio"
    )


def _errors(field: Any, key: str) -> str:
    return "".join(
        f'<p class="ds-validation-message" data-color="danger" id="{key}-error">{escape(error)}</p>'
        for error in field.errors
    )


def _field(field: Any) -> str:
    label = escape(field.label)
    required = _REQUIRED if field.field.required else ""
    help_text = field.help_text
    widget = str(field)
    if _grouped(field):
        key = escape(field.auto_id)
        described = f' aria-describedby="{key}-help"' if help_text else ""
        helper = (
            f'<p class="ds-paragraph" data-size="sm" id="{key}-help">{escape(help_text)}</p>'
            if help_text
            else ""
        )
        return (
            f'\n<fieldset class="ds-fieldset ds-field ks-field"{described}>\n'
            f'  <legend class="ds-label">{label}{required}</legend>\n'
            f"  {helper}\n"
            f"  {widget}\n"
            f"  {_errors(field, key)}\n"
            "</fieldset>\n"
        )
    key = escape(field.id_for_label)
    helper = (
        f'<p class="ds-paragraph" data-size="sm" id="{key}-help">{escape(help_text)}</p>'
        if help_text
        else ""
    )
    return (
        '\n<div class="ds-field ks-field">\n'
        f'  <label class="ds-label" for="{key}">{label}{required}</label>\n'
        f"  {helper}\n"
        f"  {widget}\n"
        f"  {_errors(field, key)}\n"
        "</div>\n"
    )


def form_fields(form: Any) -> SafeString:
    """The hidden fields, then each visible field (see the module's docstring)."""
    hidden = "".join(str(field) for field in form.hidden_fields())
    visible = "".join(f"\n{_field(field)}\n" for field in form.visible_fields())
    return SafeString(f"{hidden}\n{visible}\n")
