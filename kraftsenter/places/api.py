"""API endpoints for places: /api/v1/counties, /municipalities, /regions, /places/search."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from kraftsenter.core.api import (
    ErrorOut,
    PageQuery,
    apply_filters,
    filter_query_schema,
    page_response,
    page_schema,
    paginate,
)

from . import geojson, selectors
from .filters import MunicipalityFilter
from .models import County, Municipality, Region

router = Router(tags=["places"])


class NamesOut(Schema):
    """A place's official names: bokmål and, where the place has them, its Sami and Kven
    names."""

    nb: str = Field(description="Norwegian (bokmål).", examples=["Kautokeino"])
    se: str = Field("", description="North Sami.", examples=["Guovdageaidnu"])
    smj: str = Field("", description="Lule Sami.")
    sma: str = Field("", description="South Sami.")
    fkv: str = Field("", description="Kven.")


def _names(place: County | Municipality) -> dict:
    return {
        "nb": place.name_nb,
        "se": place.name_se,
        "smj": place.name_smj,
        "sma": place.name_sma,
        "fkv": place.name_fkv,
    }


class CountyOut(Schema):
    number: str = Field(description="The county number (SSB).", examples=["34"])
    name: str = Field(examples=["Innlandet"])
    names: NamesOut
    municipality_count: int | None = None
    valid_from: dt.date = Field(description="The first day of the county with these borders.")
    url: str

    @staticmethod
    def resolve_names(obj: County) -> dict:
        return _names(obj)

    @staticmethod
    def resolve_url(obj: County) -> str:
        return obj.get_absolute_url()


class MunicipalityOut(Schema):
    number: str = Field(
        description="The municipality number (SSB, 2024 borders).", examples=["3403"]
    )
    name: str = Field(examples=["Hamar"])
    names: NamesOut
    county: str = Field(description="The county's number.", examples=["34"])
    county_name: str
    sami_language_area: bool = Field(
        description="In the administrative area for Sami languages today (sameloven § 3-1, "
        "forskrift 17.6.2005 nr. 657 § 1)."
    )
    sami_language_area_category: str = Field(
        "",
        description="The municipality's category in the area today: `sprakutvikling`, "
        "`sprakvitalisering` or `sprakstimulering` (forskrift 17.6.2005 nr. 657 § 1); empty "
        "when it is not in the area or the category is not recorded.",
    )
    sami_language_area_from: dt.date | None = Field(
        None,
        description="The first day in the area; null when it is not in the area or the date "
        "of entry is not recorded (members before the amendments the platform records).",
    )
    sami_language: str = Field(description="The area's Sami language, if any.")
    organisation_number: str = Field(description="The municipality's organisation number.")
    centrality_index: int | None = Field(description="SSB's centrality index (0–1000).")
    centrality_class: int | None = Field(
        description="SSB's centrality class, 1 (most central) to 6."
    )
    population: int | None = Field(None, description="The latest population on 1 January.")
    url: str

    @staticmethod
    def resolve_names(obj: Municipality) -> dict:
        return _names(obj)

    @staticmethod
    def resolve_county(obj: Municipality) -> str:
        return obj.county.number

    @staticmethod
    def resolve_sami_language_area(obj: Municipality) -> bool:
        return bool(getattr(obj, "sami_area_member", obj.sami_language_area))

    @staticmethod
    def resolve_sami_language_area_category(obj: Municipality) -> str:
        return getattr(obj, "sami_area_category", None) or ""

    @staticmethod
    def resolve_sami_language_area_from(obj: Municipality) -> dt.date | None:
        return getattr(obj, "sami_area_from", None)

    @staticmethod
    def resolve_county_name(obj: Municipality) -> str:
        return obj.county.name_nb

    @staticmethod
    def resolve_population(obj: Municipality) -> int | None:
        return getattr(obj, "population", None)

    @staticmethod
    def resolve_url(obj: Municipality) -> str:
        return getattr(obj, "url", None) or obj.get_absolute_url()  # a list's rows carry it


class PopulationOut(Schema):
    year: int
    population: int | None
    note: str = ""


class MunicipalityDetailOut(MunicipalityOut):
    population_year: int | None = None
    population_series: list[PopulationOut]
    lon: float | None
    lat: float | None
    valid_from: dt.date = Field(description="The first day of the municipality with these borders.")


class RegionMemberOut(Schema):
    number: str = Field(description="The municipality number.")
    name: str
    role: Literal["centre", "hinterland"] = Field(
        description="`centre`: the region's small town; `hinterland`: a municipality around it."
    )


class RegionOut(Schema):
    id: int
    slug: str
    name: str
    centre: str
    source: str
    source_detail: dict
    description: str
    members: list[RegionMemberOut]
    version: int
    url: str

    @staticmethod
    def resolve_centre(obj: Region) -> str:
        return obj.centre.number

    @staticmethod
    def resolve_members(obj: Region) -> list[dict]:
        centre = [{"number": obj.centre.number, "name": obj.centre.name, "role": "centre"}]
        hinterland = sorted(obj.hinterland.all(), key=lambda m: m.number)
        return centre + [
            {"number": m.number, "name": m.name, "role": "hinterland"} for m in hinterland
        ]

    @staticmethod
    def resolve_url(obj: Region) -> str:
        return obj.get_absolute_url()


class SearchHitOut(Schema):
    kind: Literal["county", "municipality"]
    number: str
    name: str
    names: NamesOut
    url: str


if TYPE_CHECKING:
    MunicipalityQuery = PageQuery
else:
    MunicipalityQuery = filter_query_schema(MunicipalityFilter, "MunicipalityQuery")


@router.get(
    "/counties", response={200: page_schema(CountyOut), 422: ErrorOut}, summary="List counties"
)
def list_counties(request: HttpRequest, params: Query[PageQuery]):
    """The current counties (2024 borders) with their official names and number of
    municipalities, ordered by county number."""
    page = paginate(request, selectors.county_list(), page=params.page, page_size=params.page_size)
    return page_response(request, page, CountyOut)


@router.get("/counties/{number}", response={200: CountyOut, 404: ErrorOut}, summary="One county")
def get_county(request: HttpRequest, number: str):
    """A county by its two-digit number (`34` Innlandet); 404 for a number that is not a
    current county."""
    return selectors.county_get(number=number)


@router.get(
    "/counties/{number}/geojson",
    response={200: None, 404: ErrorOut},
    summary="A county's municipality boundaries as GeoJSON",
    description="The county's current municipalities as an RFC 7946 `FeatureCollection` "
    "(`application/geo+json`), ordered by number: each feature's `id` and `properties.number` "
    "are the municipality number, `properties.name` its name, and `geometry` its boundary in "
    "WGS84 longitude/latitude (six decimals; exterior rings counterclockwise). A municipality "
    "whose boundary has not been imported is still listed, with `geometry: null`. The "
    "collection carries the county's `name` and number (`county`) and a `bbox`. Boundaries "
    "© Kartverket (CC BY 4.0). 404 for a number that is not a current county. Indicator "
    "values by municipality: `/regions/{slug}/geojson?indicator=`.",
    operation_id="get_county_geojson",
    openapi_extra=geojson.openapi_extra(
        {
            "number": {"type": "string", "description": "The municipality number."},
            "name": {"type": "string"},
        },
        {
            "name": {"type": "string", "description": "The county's name."},
            "county": {"type": "string", "description": "The county number."},
        },
        {
            "type": "FeatureCollection",
            "bbox": [10.0, 60.7, 10.4, 60.9],
            "name": "Innlandet",
            "county": "34",
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
                    "properties": {"number": "3403", "name": "Hamar"},
                }
            ],
        },
    ),
)
def get_county_geojson(request: HttpRequest, number: str) -> HttpResponse:
    return geojson.response(geojson.county_geojson(selectors.county_get(number=number)))


@router.get(
    "/municipalities",
    response={200: page_schema(MunicipalityOut), 422: ErrorOut},
    summary="List municipalities",
)
def list_municipalities(request: HttpRequest, params: Query[MunicipalityQuery]):
    """Current municipalities with county, centrality and the latest population.

    Filters are the same as on the page: `q` (any name variant), `county` (number),
    `centrality_class` (1–6), `sami_language_area` (true/false: in the area today) and
    `sami_language_area_on` (a date: in the area that day, e.g. `2025-12-31`)."""
    year = selectors.latest_population_year()
    if year is None:  # no figures yet: nothing to keep a statement for
        qs = apply_filters(request, MunicipalityFilter, selectors.municipality_api_rows())
    else:
        qs = apply_filters(
            request,
            MunicipalityFilter,
            base_for=lambda who, year: selectors.municipality_api_rows(population_year=year),
            base_args=(year,),
            key="api:municipalities",
        )
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    page["items"] = selectors.with_urls(selectors.with_sami_area(page["items"]))
    return page_response(request, page, MunicipalityOut)


@router.get(
    "/municipalities/{number}",
    response={200: MunicipalityDetailOut, 404: ErrorOut},
    summary="One municipality with its facts",
)
def get_municipality(request: HttpRequest, number: str):
    """A municipality by its four-digit number (`3403` Hamar), with its coordinates, centrality
    and population series; 404 for a number that is not a current municipality."""
    # The record, with the population facts the schema shows added as attributes.
    municipality: Any = selectors.municipality_get(number=number)
    series = selectors.municipality_population(municipality=municipality)
    known = [f for f in series if f.population is not None]
    municipality.population = known[-1].population if known else None
    municipality.population_year = known[-1].year if known else None
    municipality.population_series = series
    membership = selectors.sami_area_membership(municipality)
    municipality.sami_area_member = membership is not None
    municipality.sami_area_category = membership.category if membership else ""
    municipality.sami_area_from = membership.in_area_from if membership else None
    return municipality


@router.get(
    "/municipalities/{number}/population",
    response={200: list[PopulationOut], 404: ErrorOut},
    summary="Population on 1 January, by year (SSB table 07459, 2024 borders)",
)
def get_population(request: HttpRequest, number: str):
    """Statistics Norway's population on 1 January for each year imported, oldest first; a
    year without a figure has `population: null` and a `note` saying why."""
    return selectors.municipality_population(municipality=selectors.municipality_get(number=number))


@router.get(
    "/regions",
    response={200: page_schema(RegionOut), 422: ErrorOut},
    summary="List small-town regions",
)
def list_regions(request: HttpRequest, params: Query[PageQuery]):
    """The small-town regions: a centre municipality and its hinterland, with where the
    division comes from. Regions are addressed by `slug` everywhere in the API."""
    qs = selectors.region_list().prefetch_related("hinterland")
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    return page_response(request, page, RegionOut)


@router.get(
    "/regions/{slug}", response={200: RegionOut, 404: ErrorOut}, summary="One small-town region"
)
def get_region(request: HttpRequest, slug: str):
    """A region by its slug (`hamarregionen`); its profile of official facts is at
    `/regions/{slug}/profile`."""
    return selectors.region_get(slug=slug)


@router.get(
    "/places/search",
    response=list[SearchHitOut],
    summary="Find counties and municipalities by any official name variant",
)
def search(request: HttpRequest, q: str = ""):
    """Counties and municipalities whose bokmål, Sami or Kven name matches `q` (at most 20;
    an empty `q` finds nothing)."""
    hits = []
    for place in selectors.search_places(text=q):
        hits.append(
            {
                "kind": "municipality" if isinstance(place, Municipality) else "county",
                "number": place.number,
                "name": place.name,
                "names": _names(place),
                "url": place.get_absolute_url(),
            }
        )
    return hits
