"""One FilterSet per model, shared by the list pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.text import fold

from .choices import CentralityClass
from .models import County, Municipality


class MunicipalityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"), method="filter_text", help_text=_("Any official name variant.")
    )
    county = django_filters.ModelChoiceFilter(
        label=_("County"),
        field_name="county",
        to_field_name="number",
        queryset=County.objects.all(),
        help_text=_("County number, e.g. 18."),
    )
    centrality_class = django_filters.TypedChoiceFilter(
        label=_("Centrality class"), choices=CentralityClass.choices, coerce=int
    )
    sami_language_area = django_filters.BooleanFilter(
        label=_("In the administrative area for Sami languages")
    )

    class Meta:
        model = Municipality
        fields = ["q", "county", "centrality_class", "sami_language_area"]

    def filter_text(self, queryset, name, value):
        needle = fold(value)
        return queryset.filter(search_text__contains=needle) if needle else queryset
