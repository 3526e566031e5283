"""Reads for places. Pages and API call these; nothing user-facing touches Model.objects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from kraftsenter.core.text import fold

from .models import County, Municipality, PopulationFigure, Region

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class PopulationAnnotation(TypedDict):
    """What :func:`municipality_list` and :func:`region_members` add to each municipality."""

    population: int | None


def latest_population_year() -> int | None:
    """The newest year with any population figure (walks the year index)."""
    return (
        PopulationFigure.objects.filter(population__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def _with_population(
    qs: QuerySet[Municipality], year: int | None
) -> QuerySet[WithAnnotations[Municipality, PopulationAnnotation]]:
    if year is None:
        return qs.annotate(
            population=Subquery(PopulationFigure.objects.none().values("population")[:1])
        )
    figure = PopulationFigure.objects.filter(municipality=OuterRef("pk"), year=year)
    return qs.annotate(population=Subquery(figure.values("population")[:1]))


def county_list() -> QuerySet[County]:
    return County.objects.filter(valid_to__isnull=True).annotate(
        municipality_count=Count("municipalities")
    )


def county_get(*, number: str) -> County:
    return get_object_or_404(County, number=number)


def municipality_list(*, population_year: int | None = None) -> QuerySet[Municipality]:
    """Current municipalities with their county and the latest population (one query).

    Pass ``population_year`` when the caller already knows it (saves a query)."""
    year = population_year if population_year is not None else latest_population_year()
    qs = (
        Municipality.objects.filter(valid_to__isnull=True)
        .select_related("county")
        .defer("boundary", "search_text")
    )
    return _with_population(qs, year)


def municipality_get(*, number: str) -> Municipality:
    return get_object_or_404(Municipality.objects.select_related("county"), number=number)


def municipality_population(*, municipality: Municipality) -> list[PopulationFigure]:
    return list(municipality.population_figures.order_by("year"))


def municipality_regions(*, municipality: Municipality) -> QuerySet[Region]:
    return (
        Region.objects.active()
        .filter(Q(centre=municipality) | Q(hinterland=municipality))
        .select_related("centre")
        .distinct()
    )


def search_places(*, text: str, limit: int = 20) -> list[Municipality | County]:
    """Counties and municipalities whose name (any language variant) matches; best first."""
    needle = fold(text)
    if not needle:
        return []
    counties = list(County.objects.filter(search_text__contains=needle)[:limit])
    municipalities = list(
        Municipality.objects.filter(search_text__contains=needle)
        .select_related("county")
        .defer("boundary")[: limit * 3]
    )

    def rank(place: Municipality | County) -> tuple[int, str]:
        names = [fold(n) for n in place.search_text.split(" | ")]
        if needle in names:
            return (0, place.name_nb)
        if any(n.startswith(needle) for n in names):
            return (1, place.name_nb)
        return (2, place.name_nb)

    found: list[Municipality | County] = sorted([*counties, *municipalities], key=rank)
    return found[:limit]


def region_list() -> QuerySet[Region]:
    return (
        Region.objects.active()
        .select_related("centre", "centre__county")
        .annotate(hinterland_count=Count("hinterland"))
    )


def region_get(*, slug: str) -> Region:
    return get_object_or_404(
        Region.objects.select_related("centre", "centre__county").prefetch_related(
            Prefetch("hinterland", queryset=Municipality.objects.select_related("county"))
        ),
        slug=slug,
    )


def region_members(
    *, region: Region, population_year: int | None = None
) -> list[WithAnnotations[Municipality, PopulationAnnotation]]:
    """The centre first, then the hinterland by number, each with boundary and population."""
    year = population_year if population_year is not None else latest_population_year()
    ids = [region.centre_id, *region.hinterland.values_list("id", flat=True)]
    members = {
        m.id: m
        for m in _with_population(
            Municipality.objects.filter(id__in=ids).select_related("county"), year
        )
    }
    centre = members.pop(region.centre_id)
    return [centre, *sorted(members.values(), key=lambda m: m.number)]


def municipality_boundaries(*, numbers: list[str]) -> dict[str, dict[str, Any] | None]:
    """Boundary geometries by municipality number, in one query."""
    return dict(Municipality.objects.filter(number__in=numbers).values_list("number", "boundary"))
