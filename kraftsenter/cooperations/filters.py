"""The cooperation FilterSet, shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.filtering import FilterSet
from kraftsenter.core.forms import StyledForm
from kraftsenter.core.fulltext import search
from kraftsenter.places.filters import CountyFilter, MunicipalityNumberFilter, RegionFilter

from .choices import Area, LegalForm, Status
from .models import Cooperation, CooperationArea, CooperationCounty, Participant


class CooperationFilter(FilterSet):
    #: The fields the API may order the list by (``ordering``).
    ordering_fields = ("name", "start_date", "created_at", "updated_at")
    #: A county's parties are a subquery over its thousands of organisations: the page is
    #: read with its count (core.filtering), the filter worked out once, not twice.
    count_with_page = ("county",)
    #: Filters whose values are parameters of kept statements (core.kept); not the text
    #: search (its value is made into a search expression) nor the region (its members are
    #: read when the filter is applied).
    kept_filters = ("municipality", "county", "form", "area", "status")

    q = django_filters.CharFilter(
        label=_("Text"), method="filter_text", help_text=_("Part of the name or purpose.")
    )
    municipality = MunicipalityNumberFilter(
        label=_("Municipality number"),
        method="filter_municipality",
        help_text=_("Cooperations this municipality (or its county municipality) takes part in."),
    )
    county = CountyFilter(
        method="filter_county",
        help_text=_("County number: cooperations with a participant in the county."),
    )
    region = RegionFilter(
        method="filter_region",
        help_text=_("Small-town region (its short name): cooperations with a participant there."),
    )
    form = django_filters.ChoiceFilter(
        label=_("Legal form"),
        field_name="legal_form",
        choices=LegalForm.choices,
        empty_label=_("All forms"),
        help_text=_("Legal form code, e.g. ipr or iks."),
    )
    area = django_filters.ChoiceFilter(
        label=_("Area"),
        choices=Area.choices,
        empty_label=_("All areas"),
        method="filter_area",
        help_text=_("Area code, e.g. ict or planning."),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        empty_label=_("All statuses"),
        help_text=_("planned, active, dissolving or dissolved."),
    )

    class Meta:
        model = Cooperation
        form = StyledForm
        fields = ["q", "municipality", "county", "region", "form", "area", "status"]

    def filter_text(self, queryset, name, value):
        """Full-text search (core.fulltext) in the name, purpose and organisation number."""
        value = value.strip()
        if not value:
            return queryset
        return search(queryset, value, number_field="organisation_number")

    def _with_participants(self, queryset, condition: Q):
        """Cooperations with an active participant meeting ``condition`` (on the participant):
        ``pk IN`` the participants' cooperation ids, read from the participants' index
        ``participant_org_active`` without visiting the cooperations."""
        ids = Participant.objects.filter(condition, archived_at__isnull=True).values(
            "cooperation_id"
        )
        return queryset.filter(pk__in=ids)

    def filter_municipality(self, queryset, name, value):
        if value is None:
            return queryset
        return self._with_participants(
            queryset,
            Q(organisation__municipality=value, organisation__kind="municipality"),
        )

    def filter_county(self, queryset, name, value):
        """Cooperations with a current participant in the county, read from the counties kept
        for each cooperation (:mod:`.counties`), not from the participants of the county's
        thousands of organisations."""
        if not value:
            return queryset
        return queryset.filter(
            pk__in=CooperationCounty.objects.filter(county=value).values("cooperation_id")
        )

    def filter_region(self, queryset, name, value):
        if not value:
            return queryset
        members = [value.centre_id, *value.hinterland.values_list("pk", flat=True)]
        return self._with_participants(
            queryset,
            Q(organisation__municipality_id__in=members, organisation__kind="municipality"),
        )

    def filter_area(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=CooperationArea.objects.filter(area=value).values("cooperation_id")
        )
