"""The scenario form: the place is chosen first; its sectors become one field each."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.forms import OrganisationRefField
from kraftsenter.core import bounds
from kraftsenter.core.forms import VersionedForm, form_field


class ScenarioForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=bounds.NAME_LENGTH)
    owner = OrganisationRefField(label=_("Owning organisation"))
    base_year = forms.TypedChoiceField(label=_("Base year"), coerce=int)
    target_year = forms.IntegerField(
        label=_("Target year"),
        initial=2030,
        min_value=bounds.FIRST_YEAR,
        max_value=bounds.LAST_YEAR,
    )
    target_cut_percent = forms.DecimalField(
        label=_("Target: cut by the target year (%)"),
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        initial=55,
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_LENGTH,
    )
    reason = forms.CharField(
        label=_("Reason for the change (optional)"),
        required=False,
        max_length=bounds.REASON_LENGTH,
    )

    def __init__(self, *args, years=(), sectors=(), **kwargs):
        self.sectors = list(sectors)
        super().__init__(*args, **kwargs)
        form_field(self, "base_year", forms.ChoiceField).choices = [(y, y) for y in years]
        for index, sector in enumerate(self.sectors):
            self.fields[f"measure_{index}"] = forms.DecimalField(
                label=_("Measures in “%(sector)s”: cut by the target year (%%)")
                % {"sector": sector},
                required=False,
                min_value=0,
                max_value=100,
                max_digits=4,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"class": "ds-input"}),
            )

    def measures(self) -> dict[str, float]:
        out = {}
        for index, sector in enumerate(self.sectors):
            value = self.cleaned_data.get(f"measure_{index}")
            if value is not None:
                out[sector] = float(value)
        return out
