"""The consultation FilterSet, shared by the public register page and the API."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.filtering import FilterSet
from kraftsenter.core.forms import StyledForm
from kraftsenter.places.filters import MunicipalityNumberFilter

from .choices import AuthorityLevel, Status
from .models import Consultation


def _by_id_or_number(value: str) -> dict[str, str]:
    """An organisation as the API names it: its id, or its nine-digit organisation number."""
    text = str(value).replace(" ", "")
    if re.fullmatch(r"[0-9]{9}", text):
        return {"organisation_number": text}
    return {"pk": text}


class OrganisationIdOrNumberField(forms.ModelChoiceField):
    """A choice of organisation given by its id (the page's select) or its organisation
    number (for the API)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).replace(" ", "")
        queryset = self.queryset
        found = (
            queryset.filter(**_by_id_or_number(text)).first()
            if text.isascii() and text.isdigit() and len(text) <= 9 and queryset is not None
            else None
        )
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return found


class OrganisationIdOrNumberFilter(django_filters.ModelChoiceFilter):
    field_class = OrganisationIdOrNumberField


class PartyField(forms.CharField):
    """An organisation id or organisation number (digits only)."""

    def clean(self, value):
        value = (super().clean(value) or "").replace(" ", "")
        if value and not (value.isascii() and value.isdigit() and len(value) <= 9):
            raise forms.ValidationError(
                _("Give the organisation's id or organisation number."), code="invalid"
            )
        return value or None


class PartyFilter(django_filters.CharFilter):
    field_class = PartyField


class ConsultationFilter(FilterSet):
    #: The fields the API may order the list by (``ordering``).
    ordering_fields = ("title", "created_at", "updated_at", "response_deadline")

    authority = OrganisationIdOrNumberFilter(
        label=_("Consulting authority"),
        queryset=Organisation.objects.filter(
            kind__in=[
                "municipality",
                "county_municipality",
                "statsforvalter",
                "state_agency",
                "state_funding_agency",
            ],
            consultations_led__isnull=False,
        ).distinct(),
        empty_label=_("All authorities"),
        help_text=_("The authority's organisation id or organisation number."),
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"),
        choices=AuthorityLevel.choices,
        empty_label=_("All levels"),
        help_text=_("state, county or municipality."),
    )
    municipality = MunicipalityNumberFilter(
        label=_("Municipality number"),
        field_name="municipalities",
        help_text=_("Cases touching this municipality."),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All statuses")
    )
    party = PartyFilter(
        label=_("Party (organisation id)"),
        method="filter_party",
        help_text=_("Cases where this organisation is a party: its id or organisation number."),
    )

    class Meta:
        model = Consultation
        form = StyledForm
        fields = ["authority", "level", "municipality", "status", "party"]

    def filter_party(self, queryset, name, value):
        if not value:
            return queryset
        organisation = {
            f"parties__organisation__{k}": v for k, v in _by_id_or_number(value).items()
        }
        return queryset.filter(
            pk__in=Consultation.objects.filter(
                parties__archived_at__isnull=True, **organisation
            ).values("pk")
        )
