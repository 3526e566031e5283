"""Form helpers shared by every register."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _


class StyledFormMixin:
    """Gives every widget Designsystemet's class and links its help text for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if getattr(widget, "allow_multiple_selected", False) and getattr(
                widget, "input_type", ""
            ) in ("checkbox", "radio"):
                continue  # a group: Django would put the class on the wrapper too

            # Designsystemet styles text inputs, selects, checkboxes and radios with ds-input.
            widget.attrs["class"] = f"ds-input {widget.attrs.get('class', '')}".strip()

            if field.help_text:
                widget.attrs.setdefault("aria-describedby", f"id_{self.add_prefix(name)}-help")


class StyledForm(StyledFormMixin, forms.Form):
    pass


class VersionedForm(StyledForm):
    """A form that carries the version of the record it was based on (lost-update guard)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def apply_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form's fields (others as form-level errors)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else NON_FIELD_ERRORS
            for error in errors:
                form.add_error(None if target == NON_FIELD_ERRORS else target, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)


class ArchiveForm(StyledForm):
    """Archive or restore: an optional reason, and the version the user saw."""

    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
