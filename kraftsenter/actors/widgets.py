"""The organisation combobox (on :class:`kraftsenter.core.widgets.Combobox`): every field that
takes an organisation searches ``/organisasjoner/valg/`` (``options.py``)."""

from __future__ import annotations

from typing import Any

from django import forms

from kraftsenter.core.widgets import Combobox, ComboboxList


def _describe_organisation(text: str) -> str:
    """The name of the one active organisation the text refers to, else ""."""
    from .forms import OrganisationRefField

    try:
        found = OrganisationRefField(required=False).clean(text)
    except forms.ValidationError:
        return ""
    return found.name if found is not None else ""


class OrganisationCombobox(Combobox):
    """Choose one organisation by searching its name, number or municipality."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            source="organisation-options", describe=_describe_organisation, attrs=attrs
        )


class OrganisationComboboxList(ComboboxList):
    """Several organisations, one per line, each added by searching."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(source="organisation-options", attrs=attrs)
