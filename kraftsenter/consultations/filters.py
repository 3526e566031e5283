"""The consultation FilterSet, shared by the public register page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.forms import StyledForm
from kraftsenter.places.filters import MunicipalityNumberFilter

from .choices import AuthorityLevel, Status
from .models import Consultation


class ConsultationFilter(django_filters.FilterSet):
    #: The fields the API may order the list by (``ordering``).
    ordering_fields = ("title", "created_at", "updated_at", "response_deadline")

    authority = django_filters.ModelChoiceFilter(
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
        help_text=_("The authority's organisation id."),
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
    party = django_filters.NumberFilter(
        label=_("Party (organisation id)"),
        method="filter_party",
        help_text=_("Cases where this organisation is a party."),
    )

    class Meta:
        model = Consultation
        form = StyledForm
        fields = ["authority", "level", "municipality", "status", "party"]

    def filter_party(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(
            pk__in=Consultation.objects.filter(
                parties__organisation_id=value, parties__archived_at__isnull=True
            ).values("pk")
        )
