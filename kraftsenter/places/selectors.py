"""Reads for places. Pages and API call these; nothing user-facing touches Model.objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import router
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.core import links, prepared
from kraftsenter.core.light import light, prepared_light
from kraftsenter.core.links import url_maker
from kraftsenter.core.markup import grouped
from kraftsenter.core.text import collation_key, fold, sorted_by_name

from . import boundaries
from .models import County, Municipality, PopulationFigure, Region, SamiLanguageAreaMembership

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class PopulationAnnotation(TypedDict):
    """What :func:`municipality_list` and :func:`region_members` add to each municipality."""

    population: int | None


def latest_population_year() -> int | None:
    """The newest year with any population figure (walks the year index).

    The list pages, the county and region pages and the municipality API ask first; its
    statement is built once per database (:mod:`kraftsenter.core.prepared`): the ORM built
    it anew each time for 0.3-0.5 ms of a 5 ms page (issue 14)."""
    rows = prepared.values(
        "latest_population_year",
        router.db_for_read(PopulationFigure),
        lambda: (
            PopulationFigure.objects.filter(population__isnull=False)
            .order_by("-year")
            .values_list("year", flat=True)[:1]
        ),
    )
    return rows[0][0] if rows else None


def _with_population(
    qs: QuerySet[Municipality], year: int | None
) -> QuerySet[WithAnnotations[Municipality, PopulationAnnotation]]:
    if year is None:
        return qs.annotate(
            population=Subquery(PopulationFigure.objects.none().values("population")[:1])
        )
    figure = PopulationFigure.objects.filter(municipality=OuterRef("pk"), year=year)
    return qs.annotate(population=Subquery(figure.values("population")[:1]))


def place_urls(name: str = "places:municipality-detail") -> Callable[[str], str]:
    """``url(number)`` for place pages (:func:`kraftsenter.core.links.url_maker`)."""
    return url_maker(name)


def with_urls(municipalities: Iterable[Any]) -> list[Any]:
    """The municipalities (or light rows with their numbers), each with ``url``, its page (one
    ``reverse`` for them all)."""
    return links.with_urls(municipalities, place_urls(), key="number")


def with_rows(municipalities: Iterable[Any]) -> list[Any]:
    """The municipalities as a table shows them: each with ``url``, its page, and
    ``population_text``, the population with thousands grouped or "no data" (the work done
    once per list here, not by template filters per row)."""
    no_data = _("no data")
    rows = with_urls(municipalities)
    for m in rows:
        population = getattr(m, "population", None)
        m.population_text = no_data if population is None else grouped(population)
    return rows


def current_counties() -> list[County]:
    """The counties of today's division, by number: a statement kept per process
    (:mod:`kraftsenter.core.prepared`), for the dashboards' index."""
    return prepared.instances(
        "current_counties",
        router.db_for_read(County),
        County,
        lambda: County.objects.filter(valid_to__isnull=True).order_by("number"),
    )


def county_list() -> QuerySet[County]:
    return County.objects.filter(valid_to__isnull=True).annotate(
        municipality_count=Count("municipalities")
    )


def county_get(*, number: str) -> County:
    """The county with this number (404 for an unknown number); a statement built once
    (:mod:`kraftsenter.core.prepared`), as for :func:`municipality_get`."""
    found = prepared.instances(
        "county_get",
        router.db_for_read(County),
        County,
        lambda n: County.objects.filter(number=n),
        str(number),
    )
    if not found:
        raise Http404
    county: County = found[0]
    return county


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


def municipality_table(*, population_year: int | None = None) -> QuerySet[Any]:
    """:func:`municipality_list` with only what the list page shows, as light rows
    (:mod:`kraftsenter.core.light`): number, name, county name, centrality class and
    population."""
    return light(
        municipality_list(population_year=population_year),
        "number",
        "name",
        "centrality_class",
        "county__name_nb",
        "population",
    )


#: What the API's municipality list answers with (``MunicipalityOut``), as light rows.
MUNICIPALITY_API_COLUMNS = (
    "pk",
    "number",
    "name",
    *Municipality.NAME_FIELDS,
    "county__number",
    "county__name_nb",
    "sami_language_area",
    "sami_language",
    "organisation_number",
    "centrality_index",
    "centrality_class",
    "population",
)


def municipality_api_rows(*, population_year: int | None = None) -> QuerySet[Any]:
    """:func:`municipality_list` as light rows of what the API's list answers with."""
    return light(municipality_list(population_year=population_year), *MUNICIPALITY_API_COLUMNS)


def municipality_get(*, number: str) -> Municipality:
    """The municipality with this number, with its county (404 for an unknown number).

    Its statement is built once (:mod:`kraftsenter.core.prepared`): the ORM built the join
    anew for 0.4 ms of the municipality page at every request (issue 14)."""
    found = prepared.instances(
        "municipality_get",
        router.db_for_read(Municipality),
        Municipality,
        # No page or answer that reads a municipality by number draws its boundary or
        # searches its text: decoding them was 4-5 % of the municipality page on SQLite.
        lambda n: (
            Municipality.objects.select_related("county")
            .defer("boundary", "search_text")
            .filter(number=n)
        ),
        str(number),
    )
    if not found:
        raise Http404
    municipality: Municipality = found[0]
    return municipality


def municipality_population(*, municipality: Municipality) -> list[PopulationFigure]:
    return list(municipality.population_figures.order_by("year"))


def municipality_population_recent(
    *, municipality: Municipality, years: int
) -> tuple[list[Any], Any | None]:
    """The last ``years`` population figures, oldest first, as light rows (year, population,
    note), and the latest known figure (a year with a population; None when there is none).
    The page shows these; the whole series is :func:`municipality_population`."""

    def newest(pk: int) -> QuerySet[Any]:
        figures = PopulationFigure.objects.filter(municipality_id=pk).order_by("-year")
        return light(figures, "year", "population", "note")[:years]

    # Its statement kept per number of years (core.prepared), the municipality a parameter.
    alias = router.db_for_read(PopulationFigure)
    recent = prepared_light(("population_recent", years), alias, newest, municipality.pk)
    figures = light(municipality.population_figures.order_by("-year"), "year", "population", "note")
    latest = next((f for f in recent if f.population is not None), None)
    if latest is None and len(recent) == years:
        latest = figures.filter(population__isnull=False).first()
    recent.reverse()
    return recent, latest


def municipality_regions(*, municipality: Municipality) -> list[Region]:
    """The active regions the municipality is the centre of or part of (name, slug and
    centre; the hinterland as a subquery, so no DISTINCT over joined rows), by name; a
    statement built once (:mod:`kraftsenter.core.prepared`)."""

    def build(pk: int) -> QuerySet[Region]:
        hinterland = Region.hinterland.through.objects.filter(municipality_id=pk)
        return (
            Region.objects.active()
            .filter(Q(centre_id=pk) | Q(pk__in=hinterland.values("region_id")))
            .only("pk", "name", "slug", "centre_id")
        )

    alias = router.db_for_read(Region)
    return prepared.instances("municipality_regions", alias, Region, build, municipality.pk)


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

    def rank(place: Municipality | County) -> tuple[int, Any]:
        names = [fold(n) for n in place.search_text.split(" | ")]
        order = collation_key(place.name_nb)  # Ålesund after Ørland, in the reader's language
        if needle in names:
            return (0, order)
        if any(n.startswith(needle) for n in names):
            return (1, order)
        return (2, order)

    found: list[Municipality | County] = sorted([*counties, *municipalities], key=rank)
    return found[:limit]


def municipality_choices(*, current_only: bool = True) -> list[Municipality]:
    """Municipalities for a select, sorted by name in the reader's language (Å last, Sami
    letters by the Sami alphabet in Northern Sami): the database's own order gets Æ, Ø and Å
    wrong. Only today's municipalities unless ``current_only`` is False."""
    municipalities = Municipality.objects.defer("boundary")
    if current_only:
        municipalities = municipalities.filter(valid_to__isnull=True)
    return sorted_by_name(municipalities, lambda m: m.name)


def county_choices(*, current_only: bool = True) -> list[County]:
    """Counties for a select, sorted by name in the reader's language (see
    :func:`municipality_choices`)."""
    counties = County.objects.all()
    if current_only:
        counties = counties.filter(valid_to__isnull=True)
    return sorted_by_name(counties, lambda c: c.name)


def region_list() -> QuerySet[Region]:
    return (
        Region.objects.active()
        .select_related("centre", "centre__county")
        .annotate(hinterland_count=Count("hinterland"))
    )


def region_current(*, slug: str) -> Region:
    """The region with this slug that is not archived, on its own (404 otherwise): for answers
    that read its members themselves, such as the region profile. Its statement is built once
    (:mod:`kraftsenter.core.prepared`)."""
    found = prepared.instances(
        "region_current",
        router.db_for_read(Region),
        Region,
        lambda s: Region.objects.filter(slug=s, archived_at__isnull=True),
        str(slug),
    )
    if not found:
        raise Http404
    region: Region = found[0]
    return region


def region_get(*, slug: str) -> Region:
    """The region with this slug (404 for an unknown slug), with its centre and the centre's
    county, and its hinterland (with their counties) as ``prefetch_related`` leaves it:
    ``region.hinterland.all()`` reads nothing more. The members' boundaries and search texts
    are left unread: :func:`region_municipalities` gives the boundaries to those that draw.

    Both statements are built once (:mod:`kraftsenter.core.prepared`): the ORM built the
    select of three models' columns and the prefetch anew for 1.4 ms of every region page
    (issue 14)."""
    alias = router.db_for_read(Region)
    found = prepared.instances(
        "region_get",
        alias,
        Region,
        lambda s: (
            Region.objects.select_related("centre", "centre__county")
            .defer("centre__boundary", "centre__search_text")
            .filter(slug=s)
        ),
        str(slug),
    )
    if not found:
        raise Http404
    region: Region = found[0]
    hinterland = prepared.instances(
        "region_hinterland",
        alias,
        Municipality,
        lambda pk: (
            Municipality.objects.select_related("county")
            .defer("boundary", "search_text")
            .filter(regions_as_hinterland=pk)
        ),
        region.pk,
    )
    prepared.fill_prefetched(region, "hinterland", hinterland)
    return region


def region_municipalities(region: Region, *, with_boundaries: bool = False) -> list[Municipality]:
    """The centre first, then the hinterland by number, from :func:`region_get`'s reads (no
    query). ``with_boundaries`` gives each its ``boundary`` (decoded once per process for the
    same text, for reading only) and ``boundary_text`` (:func:`.boundaries.fill`, one query)."""
    members = [region.centre, *sorted(region.hinterland.all(), key=lambda m: m.number)]
    if with_boundaries:
        boundaries.fill(router.db_for_read(Municipality), members)
    return members


def region_members(
    *, region: Region, population_year: int | None = None
) -> list[WithAnnotations[Municipality, PopulationAnnotation]]:
    """:func:`region_municipalities`, each given the ``population`` of ``population_year``
    (default the latest) from one query of the figures alone (reading the municipalities
    again with it was a millisecond of the region page)."""
    year = population_year if population_year is not None else latest_population_year()
    members: list[Any] = region_municipalities(region)
    population: dict[int, int | None] = {}
    if year is not None:
        # Its statement kept (core.prepared), the members' ids and the year its parameters:
        # the ORM built it anew for 0.3 ms of the region page (issue 14).
        population = dict(
            prepared.values(
                "region_member_population",
                router.db_for_read(PopulationFigure),
                _member_population,
                tuple(m.id for m in members),
                year,
            )
        )
    for m in members:
        m.population = population.get(m.id)
    return members


def _member_population(ids: tuple[int, ...], year: int) -> QuerySet[Any]:
    return PopulationFigure.objects.filter(municipality_id__in=ids, year=year).values_list(
        "municipality_id", "population"
    )


def municipality_boundary_texts(*, numbers: list[str]) -> dict[str, str | None]:
    """Boundary geometries by municipality number as stored (GeoJSON text, not decoded), in
    one query (and on PostgreSQL the texts of rows changed since they were kept,
    :mod:`.boundaries`): for :func:`kraftsenter.core.svg.stored_map_svg`, which decodes them
    only when it draws. Its statement is built once per number of municipalities
    (:mod:`kraftsenter.core.prepared`)."""
    if not numbers:
        return {}
    alias = router.db_for_read(Municipality)

    def build(wanted: tuple[str, ...]) -> QuerySet[Any]:
        return Municipality.objects.filter(number__in=wanted).values_list(
            "number", "pk", boundaries.stored(alias)
        )

    rows = prepared.values("boundary_texts", alias, build, tuple(map(str, numbers)))
    texts = boundaries.resolve(alias, [(pk, kept) for _number, pk, kept in rows])
    return {number: texts[pk] for number, pk, _kept in rows}


# --- The administrative area for Sami languages, by date ------------------------------------------


def _covering(on: dt.date) -> Q:
    return (Q(in_area_from__isnull=True) | Q(in_area_from__lte=on)) & (
        Q(in_area_to__isnull=True) | Q(in_area_to__gte=on)
    )


def sami_area_on(on: dt.date | None = None) -> QuerySet[SamiLanguageAreaMembership]:
    """The memberships in force on ``on`` (default today): municipalities and county
    municipalities in the area that day (forskrift 17.6.2005 nr. 657 § 1 as in force then)."""
    return SamiLanguageAreaMembership.objects.filter(
        _covering(on or timezone.localdate())
    ).select_related("municipality", "county")


def _place_filter(place: Municipality | County) -> Q:
    if isinstance(place, County):
        return Q(county_id=place.pk)
    return Q(municipality_id=place.pk)


def sami_area_membership(
    place: Municipality | County, *, on: dt.date | None = None
) -> SamiLanguageAreaMembership | None:
    """The place's membership in force on ``on`` (default today), or None."""
    return (
        SamiLanguageAreaMembership.objects.filter(
            _place_filter(place), _covering(on or timezone.localdate())
        )
        .order_by("-in_area_from")
        .first()
    )


def sami_area_memberships(place: Municipality | County) -> list[SamiLanguageAreaMembership]:
    """Every recorded membership of the place, oldest first (for its page); a statement
    built once per kind of place (:mod:`kraftsenter.core.prepared`)."""
    column = "county_id" if isinstance(place, County) else "municipality_id"
    model = SamiLanguageAreaMembership
    return prepared.instances(
        f"sami_area_memberships:{column}",
        router.db_for_read(model),
        model,
        lambda pk: model.objects.filter(**{column: pk}).order_by("in_area_from", "pk"),
        place.pk,
    )


def in_sami_language_area(place: Municipality | County, *, on: dt.date | None = None) -> bool:
    """Whether a municipality or county (municipality) is in the area on ``on`` (default today)."""
    return sami_area_membership(place, on=on) is not None


def sami_area_category(municipality: Municipality, *, on: dt.date | None = None) -> str:
    """The municipality's category code on ``on`` (``SamiAreaCategory``), "" when it is not in
    the area or the category is not recorded. Counties have no category."""
    membership = sami_area_membership(municipality, on=on)
    return membership.category if membership else ""


def with_sami_area(
    municipalities: Iterable[Municipality], *, on: dt.date | None = None
) -> list[Municipality]:
    """The municipalities, each with its membership on ``on`` (default today):
    ``sami_area_member`` (bool), ``sami_area_category`` and ``sami_area_from`` (None when not
    in the area or the date of entry is not known). The area is read whole (about 20 rows)
    and matched here: three subqueries per row cost more to build than to run."""
    area, day = sami_area(), on or timezone.localdate()
    rows = list(municipalities)
    for m in rows:
        membership = area.membership(on=day, municipality_id=m.pk)
        m.sami_area_member = membership is not None  # type: ignore[attr-defined]
        m.sami_area_category = membership.category if membership else None  # type: ignore[attr-defined]
        m.sami_area_from = membership.in_area_from if membership else None  # type: ignore[attr-defined]
    return rows


def municipality_ids_in_sami_area(
    on: dt.date | None = None,
) -> QuerySet[SamiLanguageAreaMembership, int | None]:
    """The ids of the municipalities in the area on ``on`` (for filters)."""
    return (
        sami_area_on(on)
        .filter(municipality__isnull=False)
        .values_list("municipality_id", flat=True)
    )


class SamiArea:
    """Every membership, read once, for callers that ask about many places or dates (a county's
    planning strategies, a consultation's municipalities). The table holds about 20 rows."""

    def __init__(self, memberships: Iterable[SamiLanguageAreaMembership]):
        self._by_place: dict[tuple[str, int], list[SamiLanguageAreaMembership]] = {}
        for m in memberships:
            key = ("county", m.county_id) if m.county_id else ("municipality", m.municipality_id)
            self._by_place.setdefault(key, []).append(m)  # type: ignore[arg-type]

    def membership(
        self, *, on: dt.date, municipality_id: int | None = None, county_id: int | None = None
    ) -> SamiLanguageAreaMembership | None:
        key = ("county", county_id) if county_id else ("municipality", municipality_id)
        found = [m for m in self._by_place.get(key, []) if m.covers(on)]  # type: ignore[arg-type]
        return max(found, key=lambda m: m.in_area_from or dt.date.min) if found else None

    def contains(self, place: Municipality | County, on: dt.date) -> bool:
        if isinstance(place, County):
            return self.membership(on=on, county_id=place.pk) is not None
        return self.membership(on=on, municipality_id=place.pk) is not None


def sami_area() -> SamiArea:
    """The whole dated area in one query."""
    return SamiArea(SamiLanguageAreaMembership.objects.all())
