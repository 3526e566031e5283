"""API: ``/regions/{slug}/profile`` and ``/municipalities/{number}/profile`` (JSON).

Every figure is ``{"value", "source", "year", "unit", "note"}``; ``value`` is ``null`` when the
statistic is missing (never 0). Unknown region or municipality: 404 in the shared error shape.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import Field

from kraftsenter.core.api import ErrorOut
from kraftsenter.places import selectors
from kraftsenter.places.models import Region

from .profile import STRENGTH_QUOTIENT, Profile, municipality_profile, region_profile


class ProfileFigureOut(Schema):
    value: float | None
    source: str
    year: int | None
    unit: str = ""
    note: str = ""


class ProfileMemberOut(Schema):
    number: str
    name: str
    role: Literal["centre", "hinterland"] | None = Field(
        description="In a region: `centre` or `hinterland`; null for a municipality on its own."
    )

    @staticmethod
    def resolve_role(obj: Any) -> str | None:
        role = obj["role"] if isinstance(obj, dict) else obj.role
        return role or None

    population: ProfileFigureOut
    population_change_percent: ProfileFigureOut
    employed_residence: ProfileFigureOut
    employed_workplace: ProfileFigureOut
    jobs_per_employed: ProfileFigureOut
    out_commuting_share: ProfileFigureOut
    emissions_per_capita: ProfileFigureOut
    to_centre: ProfileFigureOut


class ProfilePopulationOut(Schema):
    latest: ProfileFigureOut
    base: ProfileFigureOut
    change: ProfileFigureOut
    change_percent: ProfileFigureOut
    series: list[ProfileFigureOut]


class ProfileEmploymentOut(Schema):
    population_15_74: ProfileFigureOut
    employed_residence: ProfileFigureOut
    employed_workplace: ProfileFigureOut
    employment_rate: ProfileFigureOut
    jobs_per_employed: ProfileFigureOut


class ProfileHinterlandOut(Schema):
    number: str
    name: str
    employed_residents: ProfileFigureOut
    to_centre: ProfileFigureOut
    to_centre_share: ProfileFigureOut
    share_of_centre_jobs: ProfileFigureOut
    from_centre: ProfileFigureOut


class ProfileFlowOut(Schema):
    number: str
    name: str
    employed: ProfileFigureOut


class ProfileCommutingOut(Schema):
    year: int | None
    employed_residents: ProfileFigureOut
    jobs: ProfileFigureOut
    living_and_working: ProfileFigureOut
    self_containment: ProfileFigureOut = Field(
        description="Jobs' self-containment: jobs held by residents as a share of the jobs (%)."
    )
    residents_self_containment: ProfileFigureOut = Field(
        description="Residents' self-containment: employed residents working in the place as a "
        "share of the employed residents (%)."
    )
    out_commuting_share: ProfileFigureOut
    in_commuting_share: ProfileFigureOut
    centre_jobs: ProfileFigureOut
    centre_jobs_local: ProfileFigureOut
    hinterland: list[ProfileHinterlandOut]
    destinations: list[ProfileFlowOut]
    origins: list[ProfileFlowOut]


class ProfileIndustryRowOut(Schema):
    industry: str
    jobs: ProfileFigureOut
    share: ProfileFigureOut
    lq_county: ProfileFigureOut
    lq_country: ProfileFigureOut
    strength: bool


class ProfileIndustryOut(Schema):
    year: int | None
    total: ProfileFigureOut
    county: str
    county_note: str
    country_note: str
    years_note: str = Field(
        "", description="Set when the industry figures are of another year than employment."
    )
    strength_threshold: float = STRENGTH_QUOTIENT
    rows: list[ProfileIndustryRowOut]


class ProfileSectorOut(Schema):
    sector: str
    base: ProfileFigureOut
    latest: ProfileFigureOut
    change_percent: ProfileFigureOut


class ProfileEmissionsOut(Schema):
    total: ProfileFigureOut
    base_total: ProfileFigureOut
    change_percent: ProfileFigureOut
    per_capita: ProfileFigureOut
    series: list[ProfileFigureOut]
    sectors: list[ProfileSectorOut]


class ProfileOut(Schema):
    name: str
    centre: str | None
    members: list[ProfileMemberOut]
    population: ProfilePopulationOut
    employment: ProfileEmploymentOut
    commuting: ProfileCommutingOut
    industry: ProfileIndustryOut
    emissions: ProfileEmissionsOut


def build_router() -> Router:
    """A new router with the two profile endpoints (tests mount their own copy)."""
    router = Router(tags=["knowledge"])

    @router.get(
        "/regions/{slug}/profile",
        response={200: ProfileOut, 404: ErrorOut},
        summary="Region profile: population, employment, commuting, industry, emissions",
        description="The region (by its short name, as in `/regions/{slug}`) as a whole "
        "(centre + hinterland) and each of its municipalities. Totals are given only for years "
        "in which every municipality has figures; location quotients only when every "
        "municipality of the county (or country) has industry figures for the year. Otherwise "
        "the value is `null`, with a `note` where useful.",
        operation_id="get_region_profile",
    )
    def get_region_profile(request: HttpRequest, slug: str) -> Profile:
        return region_profile(get_object_or_404(Region, slug=slug, archived_at__isnull=True))

    @router.get(
        "/municipalities/{number}/profile",
        response={200: ProfileOut, 404: ErrorOut},
        summary="Municipality profile: population, employment, commuting, industry, emissions",
        description="One municipality on its own; missing statistics are `null`, never 0.",
        operation_id="get_municipality_profile",
    )
    def get_municipality_profile(request: HttpRequest, number: str) -> Profile:
        return municipality_profile(selectors.municipality_get(number=number))

    return router


router = build_router()
