"""The organisation FilterSet, shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.filtering import FilterSet
from kraftsenter.core.forms import StyledForm
from kraftsenter.core.fulltext import search
from kraftsenter.places.filters import CountyFilter, MunicipalityNumberFilter

from .choices import OrganisationKind
from .models import Organisation


class OrganisationFilter(FilterSet):
    #: The fields the API may order the list by (``ordering``).
    ordering_fields = ("name", "created_at", "updated_at")
    #: A text search can match thousands ("idrettslag": 5 000): a page is found by its keys
    #: first, then its fifty rows read with their places (core.paging.keys_first).
    keys_first = ("q",)
    #: Filters whose values are parameters of kept statements (core.kept); not the text
    #: search (its value is made into a search expression).
    kept_filters = ("kind", "county", "municipality")

    q = django_filters.CharFilter(
        label=_("Text"),
        method="filter_text",
        help_text=_("Part of the name or the organisation number."),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=OrganisationKind.choices,
        empty_label=_("All kinds"),
        help_text=_("Kind code, e.g. municipality or ipr."),
    )
    county = CountyFilter(
        field_name="county",
        method="filter_county",
        help_text=_("County number, e.g. 18."),
    )
    municipality = MunicipalityNumberFilter(
        label=_("Municipality number"),
        field_name="municipality",
        help_text=_("Municipality number, e.g. 3403."),
    )

    class Meta:
        model = Organisation
        form = StyledForm
        fields = ["q", "kind", "county", "municipality"]

    def filter_text(self, queryset, name, value):
        """Full-text search (core.fulltext): words of the name or the organisation number in
        any order, diacritics folded, the last word a prefix; nine digits find the number."""
        value = value.strip()
        if not value:
            return queryset
        return search(queryset, value, number_field="organisation_number")

    def filter_county(self, queryset, name, value):
        # Services keep county in step with the home municipality, so one column suffices.
        return queryset.filter(county=value) if value else queryset
