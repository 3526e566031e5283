"""Reads for scenarios."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from kraftsenter.places.models import Municipality, Region

from .models import Scenario
from .permissions import SCENARIO_POLICY


def scenario_list(
    *, user: Any = None, region: Region | None = None, municipality: Municipality | None = None
) -> QuerySet[Scenario]:
    qs = SCENARIO_POLICY.visible(
        user, Scenario.objects.select_related("region", "municipality", "owner")
    )
    if region is not None:
        qs = qs.filter(region=region)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.filter(archived_at__isnull=True)


def scenario_get(*, user: Any = None, pk: int) -> Scenario:
    return get_object_or_404(
        SCENARIO_POLICY.visible(
            user,
            Scenario.objects.select_related(
                "region", "region__centre", "municipality", "owner"
            ).prefetch_related("region__hinterland"),
        ),
        pk=pk,
    )
