"""FilterSets for plans, partnerships, agreements and commitments; shared by pages and API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.filtering import FilterSet
from kraftsenter.core.forms import StyledForm
from kraftsenter.core.fulltext import search
from kraftsenter.places.filters import CountyFilter, RegionFilter

from .choices import AgreementKind, AgreementStatus, CommitmentStatus, PlanKind, PlanStatus
from .models import Agreement as AgreementModel
from .models import AgreementCounty, AgreementParty, Commitment, Partnership, Plan

DATE = {"type": "date"}
#: Bounds of an id or a year in a filter: a value outside them is an invalid filter (422 in the
#: API, the form's message on the page), never a number the database cannot take.
ID_BOUNDS = {"min_value": 1, "max_value": 2**63 - 1, "decimal_places": 0}
YEAR_BOUNDS = {"min_value": 1, "max_value": 9999, "decimal_places": 0}


def _county_filter(help_text) -> django_filters.ModelChoiceFilter:
    return CountyFilter(
        method="filter_county",
        help_text=help_text,
    )


def in_county(prefix: str, county) -> Q:
    """Organisations (at ``prefix``) in the county: county-wide ones and those whose home
    municipality is in it. One indexed column: the services keep an organisation's county in
    step with its home municipality (``organisation_create``/``organisation_update``, and the
    follow-up of every reference import for a municipality the import moves), as the
    organisation list's own filter has assumed. It replaced an ``OR`` with the county's
    municipalities, whose row estimate made PostgreSQL read every party row: the agreement
    list filtered by county 22 → 18 ms (SQLite) and 38 → 35 ms (PostgreSQL) in-process at
    national scale."""
    return Q(**{f"{prefix}county": county})


def organisations_in(county) -> object:
    """Ids (a subquery) of the organisations in the county or in one of its municipalities."""
    return Organisation.objects.filter(in_county("", county)).values("pk")


def agreements_with_party_in(county) -> object:
    """Agreement ids (a subquery) with an active party in the county: the counties kept for
    each agreement (:mod:`.counties`), not the parties of the county's organisations."""
    return AgreementCounty.objects.filter(county=county).values("agreement_id")


class PlanFilter(FilterSet):
    #: The fields the API may order the list by (``ordering``).
    ordering_fields = ("title", "election_year", "adopted_on", "created_at", "updated_at")

    q = django_filters.CharFilter(label=_("Text"), method="filter_text", help_text=_("Title."))
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=PlanKind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PlanStatus.choices, empty_label=_("All statuses")
    )
    owner = django_filters.NumberFilter(
        label=_("Owner (organisation id)"),
        field_name="owner_id",
        help_text=_("Organisation id."),
        **ID_BOUNDS,
    )
    county = _county_filter(_("County number: plans of the county and its municipalities."))
    election_year = django_filters.NumberFilter(
        label=_("Election year"),
        help_text=_("E.g. 2023 for the period 2023–2027."),
        **YEAR_BOUNDS,
    )

    class Meta:
        model = Plan
        form = StyledForm
        fields = ["q", "kind", "status", "owner", "county", "election_year"]

    def filter_text(self, queryset, name, value):
        """Full-text search (core.fulltext) in the title."""
        value = value.strip()
        return search(queryset, value) if value else queryset

    def filter_county(self, queryset, name, value):
        return queryset.filter(owner_id__in=organisations_in(value)) if value else queryset


class PartnershipFilter(FilterSet):
    #: The fields the API may order the list by (``ordering``).
    ordering_fields = ("name", "created_at", "updated_at")

    q = django_filters.CharFilter(
        label=_("Text"), method="filter_text", help_text=_("Name or purpose.")
    )
    organisation = django_filters.NumberFilter(
        label=_("Organisation id"),
        method="filter_organisation",
        help_text=_("Partnerships the organisation leads or is a member of."),
        **ID_BOUNDS,
    )
    county = _county_filter(_("County number: partnerships of the county."))

    class Meta:
        model = Partnership
        form = StyledForm
        fields = ["q", "organisation", "county"]

    def filter_text(self, queryset, name, value):
        """Full-text search (core.fulltext) in the name and the purpose."""
        value = value.strip()
        return search(queryset, value) if value else queryset

    def filter_organisation(self, queryset, name, value):
        if value is None:
            return queryset
        ids = Partnership.objects.filter(Q(lead_id=value) | Q(members=value)).values("pk")
        return queryset.filter(pk__in=ids)

    def filter_county(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(county=value) | in_county("lead__", value))


class AgreementFilter(FilterSet):
    #: The fields the API may order the list by (``ordering``).
    ordering_fields = ("title", "period_start", "period_end", "created_at", "updated_at")
    #: A county's parties are a subquery over its thousands of organisations: the page is
    #: read with its count (core.filtering), the filter worked out once, not twice.
    count_with_page = ("county",)
    #: Filters whose values are parameters of kept statements (core.kept); not the text
    #: search (its value is made into a search expression).
    kept_filters = ("kind", "status", "party", "county", "region", "active_on")

    q = django_filters.CharFilter(
        label=_("Text"), method="filter_text", help_text=_("Title or purpose.")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=AgreementKind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AgreementStatus.choices, empty_label=_("All statuses")
    )
    party = django_filters.NumberFilter(
        label=_("Party (organisation id)"),
        method="filter_party",
        help_text=_("Agreements the organisation is a party to."),
        **ID_BOUNDS,
    )
    county = _county_filter(_("County number: agreements with a party in the county."))
    region = RegionFilter(
        field_name="scope_region",
        help_text=_("Small-town region the agreement covers (its short name)."),
    )
    active_on = django_filters.DateFilter(
        label=_("In force on"),
        method="filter_active_on",
        help_text=_("Date (YYYY-MM-DD) within the agreement period."),
        widget=forms.DateInput(attrs=DATE),
    )

    class Meta:
        model = AgreementModel
        form = StyledForm
        fields = ["q", "kind", "status", "party", "county", "region", "active_on"]

    def filter_text(self, queryset, name, value):
        """Full-text search (core.fulltext) in the title and the purpose."""
        value = value.strip()
        if not value:
            return queryset
        return search(queryset, value)

    def filter_party(self, queryset, name, value):
        if value is None:
            return queryset
        ids = AgreementParty.objects.filter(organisation_id=value, archived_at__isnull=True)
        return queryset.filter(pk__in=ids.values("agreement_id"))

    def filter_county(self, queryset, name, value):
        return queryset.filter(pk__in=agreements_with_party_in(value)) if value else queryset

    def filter_active_on(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(period_start__lte=value, period_end__gte=value)


class CommitmentFilter(FilterSet):
    #: The fields the API may order the list by (``ordering``).
    ordering_fields = ("due_date", "status", "created_at", "updated_at")
    #: Filters whose values are parameters of kept statements (core.kept); not the text
    #: search (its value is made into a search expression).
    kept_filters = ("party", "agreement", "status", "due_after", "due_before", "county")

    q = django_filters.CharFilter(
        label=_("Text"), method="filter_text", help_text=_("Part of what is promised.")
    )
    party = django_filters.NumberFilter(
        label=_("Party (organisation id)"),
        field_name="party_id",
        help_text=_("The owning party's organisation id."),
        **ID_BOUNDS,
    )
    agreement = django_filters.NumberFilter(
        label=_("Agreement id"),
        field_name="agreement_id",
        help_text=_("The agreement's id."),
        **ID_BOUNDS,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=CommitmentStatus.choices,
        empty_label=_("All statuses"),
        help_text=_("not_started, in_progress, done, at_risk or dropped."),
    )
    due_after = django_filters.DateFilter(
        label=_("Due on or after"),
        field_name="due_date",
        lookup_expr="gte",
        help_text=_("Date (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs=DATE),
    )
    due_before = django_filters.DateFilter(
        label=_("Due on or before"),
        field_name="due_date",
        lookup_expr="lte",
        help_text=_("Date (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs=DATE),
    )
    county = _county_filter(_("County number: commitments of parties in the county."))

    class Meta:
        model = Commitment
        form = StyledForm
        fields = ["q", "party", "agreement", "status", "due_after", "due_before", "county"]

    def filter_text(self, queryset, name, value):
        """Full-text search (core.fulltext) in what was promised."""
        value = value.strip()
        return search(queryset, value) if value else queryset

    def filter_county(self, queryset, name, value):
        """The commitments of parties in the county: the party's county kept on each
        commitment (``Commitment.party_county``) and its index, instead of the county's
        organisations as a subquery (on PostgreSQL planning that beside the party's join took
        longer than running it; on SQLite the count probed every organisation's
        commitments)."""
        return queryset.filter(party_county=value) if value else queryset
