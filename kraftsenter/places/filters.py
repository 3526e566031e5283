"""One FilterSet per model, shared by the list pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.filtering import FilterSet, IntegerChoiceFilter
from kraftsenter.core.forms import ReadOnceModelChoiceField, StyledForm
from kraftsenter.core.text import fold

from .choices import CentralityClass
from .models import County, Municipality, Region
from .selectors import municipality_ids_in_sami_area


class CountyFilter(django_filters.ModelChoiceFilter):
    """A county, chosen by its number from a select of the counties (all counties, those of
    earlier divisions too, so that older records can be found), which is read once per form
    (:class:`kraftsenter.core.forms.ReadOnceModelChoiceField`)."""

    field_class = ReadOnceModelChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("County"))
        kwargs.setdefault("empty_label", _("All counties"))
        kwargs.setdefault("to_field_name", "number")
        kwargs.setdefault("queryset", County.objects.all())
        super().__init__(*args, **kwargs)


class RegionFilter(django_filters.ModelChoiceFilter):
    """A small-town region not archived, chosen by its short name from a select of them,
    read once per form with a statement kept per process
    (:class:`kraftsenter.core.forms.ReadOnceModelChoiceField`)."""

    field_class = ReadOnceModelChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Region"))
        kwargs.setdefault("empty_label", _("All regions"))
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("queryset", Region.objects.filter(archived_at__isnull=True))
        kwargs.setdefault("kept_as", "regions_not_archived")
        super().__init__(*args, **kwargs)


class MunicipalityFilter(FilterSet):
    #: The fields the API may order the list by (``ordering``).
    ordering_fields = ("number", "name", "centrality_class")
    #: Filters whose values are parameters of kept statements (core.kept); not the name
    #: (folded and matched as a part) nor the Sami language area (its members are read).
    kept_filters = ("county", "centrality_class")

    q = django_filters.CharFilter(
        label=_("Name"), method="filter_text", help_text=_("Any official name variant.")
    )
    county = CountyFilter(field_name="county", help_text=_("County number, e.g. 18."))
    centrality_class = IntegerChoiceFilter(
        label=_("Centrality class"),
        choices=CentralityClass.choices,
        empty_label=_("All classes"),
        help_text=_("SSB centrality class, 1 (most central) to 6."),
    )
    sami_language_area = django_filters.BooleanFilter(
        label=_("In the administrative area for Sami languages"),
        method="filter_sami_area",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
        help_text=_("true or false: in the area today."),
    )
    sami_language_area_on = django_filters.DateFilter(
        label=_("In the Sami language area on"),
        method="filter_sami_area_on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A date (YYYY-MM-DD): the municipalities in the area that day."),
    )

    class Meta:
        model = Municipality
        form = StyledForm
        fields = ["q", "county", "centrality_class", "sami_language_area", "sami_language_area_on"]

    def filter_sami_area(self, queryset, name, value):
        if value is None:
            return queryset
        members = Q(pk__in=municipality_ids_in_sami_area())
        return queryset.filter(members) if value else queryset.exclude(members)

    def filter_sami_area_on(self, queryset, name, value):
        return queryset.filter(pk__in=municipality_ids_in_sami_area(value)) if value else queryset

    def filter_text(self, queryset, name, value):
        needle = fold(value)
        return queryset.filter(search_text__contains=needle) if needle else queryset


class MunicipalityNumberField(forms.CharField):
    """A text field for a four-digit municipality number; cleans to the Municipality."""

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        municipality = Municipality.objects.filter(number=value).first()
        if municipality is None:
            raise forms.ValidationError(
                _("Unknown municipality number %(number)s."),
                code="unknown",
                params={"number": value},
            )
        return municipality


class MunicipalityNumberFilter(django_filters.Filter):
    """Filter on a municipality given by its number (a text box: 357 options are too many)."""

    field_class = MunicipalityNumberField

    def filter(self, qs, value):
        if self.method is not None:  # django-filter routes to the FilterSet method instead
            return super().filter(qs, value)
        return qs.filter(**{self.field_name: value}) if value is not None else qs
