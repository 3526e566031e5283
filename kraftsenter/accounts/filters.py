"""The security log's FilterSet (the site administrators' page)."""

from __future__ import annotations

import ipaddress

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.filtering import FilterSet
from kraftsenter.core.forms import StyledForm

from .models import SecurityEvent, SecurityEventKind

DATE = {"type": "date"}


class SecurityEventFilter(FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=SecurityEventKind.choices, empty_label=_("All kinds")
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="created_at",
        lookup_expr="date__gte",
        help_text=_("Date (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs=DATE),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="created_at",
        lookup_expr="date__lte",
        help_text=_("Date (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs=DATE),
    )
    q = django_filters.CharFilter(
        label=_("User name or address"),
        method="filter_text",
        help_text=_("Part of the user name, or an IP address."),
    )

    class Meta:
        model = SecurityEvent
        form = StyledForm
        fields = ["kind", "date_from", "date_to", "q"]

    def filter_text(
        self, queryset: QuerySet[SecurityEvent], name: str, value: str
    ) -> QuerySet[SecurityEvent]:
        value = value.strip()
        if not value:
            return queryset
        matches = Q(username__icontains=value) | Q(actor_name__icontains=value)
        if _is_address(value):
            matches |= Q(ip_address=value)
        return queryset.filter(matches)


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
