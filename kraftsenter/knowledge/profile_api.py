"""API: ``/regions/{slug}/profile`` and ``/municipalities/{number}/profile`` (JSON), and
``/regions/{slug}/geojson?indicator=`` (the region's map as GeoJSON, ``maps.region_geojson``).

Every figure is ``{"value", "source", "year", "unit", "note"}``; ``value`` is ``null`` when the
statistic is missing (never 0). Unknown region or municipality: 404 in the shared error shape.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from kraftsenter.core.api import ErrorOut, record_response
from kraftsenter.places import geojson, selectors

from .maps import CLASSES, DEFAULT_INDICATOR, INDICATORS, region_geojson
from .profile import STRENGTH_QUOTIENT, municipality_profile, region_profile


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
    selection_note: str = Field(
        "",
        description="Set when the commuting figures are a selection of municipalities (the "
        "built-in demo set): flows to and from municipalities outside it are missing.",
    )


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


class IndicatorCode(StrEnum):
    """The map indicators (``maps.INDICATORS``), by the code the map pages use."""

    BEFOLKNING = "befolkning"
    BEFOLKNINGSENDRING = "befolkningsendring"
    UTPENDLING = "utpendling"
    ARBEIDSPLASSDEKNING = "arbeidsplassdekning"
    UTSLIPP_PER_INNBYGGER = "utslipp-per-innbygger"


INDICATOR_HELP = (
    "The indicator: "
    + "; ".join(f"`{code}` {INDICATORS[code].label}" for code in IndicatorCode)
    + "."
)


class GeoJSONQuery(Schema):
    indicator: IndicatorCode = Field(IndicatorCode(DEFAULT_INDICATOR), description=INDICATOR_HELP)


_FIGURE = {"anyOf": [{"type": "number"}, {"type": "null"}]}
REGION_GEOJSON = geojson.openapi_extra(
    {
        "number": {"type": "string", "description": "The municipality number."},
        "name": {"type": "string"},
        "role": {"type": "string", "enum": ["centre", "hinterland"]},
        "value": {
            **_FIGURE,
            "description": "The indicator's value, rounded as on the map page; null for no "
            "data (never 0).",
        },
        "unit": {"type": "string", "description": "The value's unit; may be empty."},
        "year": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "source": {"type": "string", "description": "The statistic's source (table)."},
        "class": {
            "anyOf": [{"type": "integer", "minimum": 1, "maximum": CLASSES}, {"type": "null"}],
            "description": "The map's quantile class, 1 (lowest) to 5; null for no data.",
        },
    },
    {
        "name": {"type": "string", "description": "The region's name."},
        "indicator": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "enum": [c.value for c in IndicatorCode]},
                "label": {"type": "string"},
                "year": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            },
            "required": ["code", "label", "year"],
        },
        "source": {"type": "string"},
        "classification": {
            "type": "object",
            "description": "How the classes are made: `quantiles`, about as many "
            "municipalities in each of the five.",
            "properties": {
                "method": {"type": "string", "enum": ["quantiles"]},
                "classes": {"type": "integer"},
            },
            "required": ["method", "classes"],
        },
    },
    {
        "type": "FeatureCollection",
        "bbox": [10.0, 60.7, 11.4, 61.1],
        "name": "Hamarregionen",
        "indicator": {"code": "befolkning", "label": "Population", "year": 2026},
        "source": "SSB, tabell 07459",
        "classification": {"method": "quantiles", "classes": 5},
        "features": [
            {
                "type": "Feature",
                "id": "3403",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[10.0, 60.7], [10.4, 60.7], [10.4, 60.9], [10.0, 60.9], [10.0, 60.7]]
                    ],
                },
                "properties": {
                    "number": "3403",
                    "name": "Hamar",
                    "role": "centre",
                    "value": 32000,
                    "unit": "",
                    "year": 2026,
                    "source": "SSB, tabell 07459",
                    "class": 5,
                },
            }
        ],
    },
)


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
    def get_region_profile(request: HttpRequest, slug: str, response: HttpResponse) -> Any:
        region = selectors.region_current(slug=slug)
        return record_response(request, response, region_profile(region), ProfileOut)

    @router.get(
        "/municipalities/{number}/profile",
        response={200: ProfileOut, 404: ErrorOut},
        summary="Municipality profile: population, employment, commuting, industry, emissions",
        description="One municipality on its own; missing statistics are `null`, never 0.",
        operation_id="get_municipality_profile",
    )
    def get_municipality_profile(request: HttpRequest, number: str, response: HttpResponse) -> Any:
        profile = municipality_profile(selectors.municipality_get(number=number))
        return record_response(request, response, profile, ProfileOut)

    @router.get(
        "/regions/{slug}/geojson",
        response={200: None, 404: ErrorOut, 422: ErrorOut},
        summary="A region's municipalities with one indicator, as GeoJSON",
        description="The region's map as an RFC 7946 `FeatureCollection` "
        "(`application/geo+json`): the centre first, then the hinterland by number. Each "
        "feature has the municipality's boundary (WGS84 longitude/latitude; `null` when not "
        "imported) and in `properties` its number, name, role, and the indicator's `value` "
        "(as on the map page at `/kart/region/{slug}/`; `null` for no data, never 0), `unit`, "
        "`year`, `source` and quantile `class` (1–5). The collection names the region, the "
        "indicator and the classification. An unknown `indicator` answers 422; an unknown "
        "region 404. Boundaries © Kartverket (CC BY 4.0).",
        operation_id="get_region_geojson",
        openapi_extra=REGION_GEOJSON,
    )
    def get_region_geojson(
        request: HttpRequest, slug: str, params: Query[GeoJSONQuery]
    ) -> HttpResponse:
        region = selectors.region_get(slug=slug)
        return geojson.response(region_geojson(region, INDICATORS[params.indicator.value]))

    return router


router = build_router()
