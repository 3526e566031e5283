"""The ownership register's FilterSets, shared by the list pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.filtering import FilterSet
from kraftsenter.core.forms import StyledForm
from kraftsenter.places.filters import CountyFilter, MunicipalityNumberFilter

from .choices import InterestKind, StatementKind
from .models import OwnershipInterest, OwnershipStatement


def _holder_in_municipality(queryset, value):
    if value is None:
        return queryset
    return queryset.filter(holder__kind="municipality", holder__municipality=value)


class InterestFilter(FilterSet):
    ordering_fields = ("decided_on", "created_at", "updated_at")

    q = django_filters.CharFilter(
        label=_("Text"), method="filter_text", help_text=_("Part of the entity's name or purpose.")
    )
    municipality = MunicipalityNumberFilter(
        label=_("Municipality number"),
        method="filter_municipality",
        help_text=_("Interests held by this municipality."),
    )
    county = CountyFilter(
        method="filter_county",
        help_text=_("County number: interests held by the county municipality."),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=InterestKind.choices,
        empty_label=_("All kinds"),
        help_text=_("Kind code, e.g. as_wholly_owned or municipal_enterprise."),
    )

    class Meta:
        model = OwnershipInterest
        form = StyledForm
        fields = ["q", "municipality", "county", "kind"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(entity__name__icontains=value)
            | Q(cooperation__name__icontains=value)
            | Q(purpose__icontains=value)
        )

    def filter_municipality(self, queryset, name, value):
        return _holder_in_municipality(queryset, value)

    def filter_county(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(holder__kind="county_municipality", holder__county=value)


class StatementFilter(FilterSet):
    ordering_fields = ("adopted_on", "created_at", "updated_at")

    municipality = MunicipalityNumberFilter(
        label=_("Municipality number"),
        method="filter_municipality",
        help_text=_("Documents of this municipality."),
    )
    county = CountyFilter(
        method="filter_county",
        help_text=_("County number: documents of the county municipality."),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Document"),
        choices=StatementKind.choices,
        empty_label=_("All documents"),
        help_text=_("ownership_statement or control_plan."),
    )

    class Meta:
        model = OwnershipStatement
        form = StyledForm
        fields = ["municipality", "county", "kind"]

    def filter_municipality(self, queryset, name, value):
        return _holder_in_municipality(queryset, value)

    def filter_county(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(holder__kind="county_municipality", holder__county=value)
