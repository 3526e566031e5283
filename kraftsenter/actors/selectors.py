"""Reads for organisations."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Organisation


def organisation_list(*, municipality=None, county=None) -> QuerySet[Organisation]:
    qs = Organisation.objects.active().select_related("municipality", "county")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if county is not None:
        qs = qs.filter(county=county)
    return qs
