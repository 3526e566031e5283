"""Pages for places. Thin: parse input, call a selector, render."""

from __future__ import annotations

from typing import Any

from django.db import router
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.actors.selectors import organisation_summary
from kraftsenter.core.light import light, prepared_light
from kraftsenter.core.svg import line_chart, stored_map_svg
from kraftsenter.core.views import FilteredListView

from . import selectors
from .filters import MunicipalityFilter
from .models import County, Municipality
from .rows import municipality_rows, organisation_links, population_rows


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    hits = selectors.search_places(text=query) if query else []
    template = (
        "places/_search_results.html" if request.headers.get("HX-Request") else "places/search.html"
    )
    return render(request, template, {"query": query, "hits": hits})


def _sami_area_context(place: Municipality | County) -> dict:
    """The place's membership of the Sami language area today, and one that starts later."""
    today = timezone.localdate()
    memberships = selectors.sami_area_memberships(place)
    current = next((m for m in reversed(memberships) if m.covers(today)), None)
    upcoming = next((m for m in memberships if m.in_area_from and m.in_area_from > today), None)
    return {"sami_membership": current, "sami_upcoming": upcoming}


def county_list(request: HttpRequest) -> HttpResponse:
    return render(request, "places/county_list.html", {"counties": selectors.county_list()})


def county_detail(request: HttpRequest, number: str) -> HttpResponse:
    county = selectors.county_get(number=number)
    organisations, organisation_count = organisation_summary(user=request.user, county=county)
    year = selectors.latest_population_year()

    def county_rows(county_id: int, population_year: int | None) -> QuerySet[Any]:
        return light(
            selectors.municipality_list(population_year=population_year).filter(
                county_id=county_id
            ),
            "number",
            "name",
            "centrality_class",
            "population",
        )

    # Its statement kept (core.prepared), the county and the year its parameters.
    municipalities = selectors.with_rows(
        prepared_light(
            "county_municipality_rows",
            router.db_for_read(Municipality),
            county_rows,
            county.pk,
            year,
        )
    )
    boundaries = selectors.municipality_boundary_texts(numbers=[m.number for m in municipalities])
    drawing = stored_map_svg(
        [
            (m.number, boundaries.get(m.number), m.name, m.url, "ks-map__area")
            for m in municipalities
        ],
        title=_("Map of the municipalities in %(county)s") % {"county": county.name_nb},
        description=_("Each municipality links to its page. The same list follows as a table."),
    )
    return render(
        request,
        "places/county_detail.html",
        {
            "county": county,
            **_sami_area_context(county),
            "municipalities": municipalities,
            "municipality_rows": municipality_rows(municipalities, centrality=True),
            "map": drawing,
            "population_year": year,
            "organisations": organisations,
            "organisation_links": organisation_links(organisations),
            "organisation_count": organisation_count,
            "organisations_url": f"{reverse('actors:organisation-list')}?county={county.number}",
        },
    )


class MunicipalityListView(FilteredListView):
    filterset_class = MunicipalityFilter
    template_name = "places/municipality_list.html"
    context_object_name = "municipalities"
    csv_filename = "kommuner"
    csv_columns = (
        ("kommunenummer", lambda m: m.number),
        ("kommunenavn", lambda m: m.name),
        ("fylkesnummer", lambda m: m.county.number),
        ("fylke", lambda m: m.county.name_nb),
        ("sentralitetsklasse", lambda m: m.centrality_class),
        ("befolkning", lambda m: m.population),
        ("samisk_forvaltningsomrade", lambda m: "ja" if m.sami_language_area else "nei"),
    )

    kept = True

    def get_base_queryset(self):
        self.population_year = selectors.latest_population_year()
        if self.request.GET.get("format") == "csv":
            return selectors.municipality_list(population_year=self.population_year)
        return selectors.municipality_table(population_year=self.population_year)

    def kept_base_args(self) -> tuple[int] | None:
        # The newest year with population figures is a parameter of the kept statements.
        self.population_year = selectors.latest_population_year()
        return None if self.population_year is None else (self.population_year,)

    def base_queryset_for(self, who, population_year):
        return selectors.municipality_table(population_year=population_year)

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["places/_municipality_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["population_year"] = self.population_year
        context["municipalities"] = selectors.with_rows(context["municipalities"])
        context["municipality_rows"] = municipality_rows(
            context["municipalities"], county=True, centrality=True
        )
        return context


def municipality_detail(request: HttpRequest, number: str) -> HttpResponse:
    municipality = selectors.municipality_get(number=number)
    organisations, organisation_count = organisation_summary(
        user=request.user, municipality=municipality
    )
    recent, latest = selectors.municipality_population_recent(municipality=municipality, years=11)
    chart = line_chart(
        [(str(f.year), f.population) for f in recent],
        title=_("Population of %(name)s, 1 January") % {"name": municipality.name_nb},
        description=_(
            "Line chart of the population over the last years. The numbers are in the table below."
        ),
    )
    return render(
        request,
        "places/municipality_detail.html",
        {
            "municipality": municipality,
            **_sami_area_context(municipality),
            "latest": latest,
            "series": recent,
            "population_rows": population_rows(recent[::-1]),
            "chart": chart,
            "regions": selectors.municipality_regions(municipality=municipality),
            "organisations": organisations,
            "organisation_links": organisation_links(organisations),
            "organisation_count": organisation_count,
            "organisations_url": (
                f"{reverse('actors:organisation-list')}?municipality={municipality.number}"
            ),
        },
    )


def region_list(request: HttpRequest) -> HttpResponse:
    return render(request, "places/region_list.html", {"regions": selectors.region_list()})


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = selectors.region_get(slug=slug)
    year = selectors.latest_population_year()
    members = selectors.with_rows(selectors.region_members(region=region, population_year=year))
    # The boundaries as stored, and the drawing kept for the same texts (as the county page).
    boundaries = selectors.municipality_boundary_texts(numbers=[m.number for m in members])
    drawing = stored_map_svg(
        [
            (
                m.number,
                boundaries.get(m.number),
                m.name,
                m.url,
                "ks-map__area ks-map__area--centre" if i == 0 else "ks-map__area",
            )
            for i, m in enumerate(members)
        ],
        title=_("Map of %(region)s") % {"region": region.name},
        description=_(
            "The centre municipality is darker. The same municipalities are listed below the map."
        ),
    )
    total = sum(m.population or 0 for m in members)
    return render(
        request,
        "places/region_detail.html",
        {
            "region": region,
            "members": members,
            "municipality_rows": municipality_rows(members, role=True),
            "map": drawing,
            "total_population": total if any(m.population is not None for m in members) else None,
            "population_year": year,
        },
    )
