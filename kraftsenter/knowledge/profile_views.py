"""Pages: the region and municipality profiles, and indicator maps of a county or a region.

Thin: find the place with a places selector, build the profile or map, draw the charts, render.
The profile's bar charts are drawn here (line charts come from ``core.svg``); like every chart
here they are SVG with classes only (CSP), and each is followed by its table on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import count
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kraftsenter.core.markup import format_html
from kraftsenter.core.svg import line_chart
from kraftsenter.places import selectors
from kraftsenter.places.models import Municipality
from kraftsenter.places.selectors import place_urls

from .maps import DEFAULT_INDICATOR, INDICATORS, county_municipalities, format_number, indicator_map
from .profile import Figure, Profile, place_profile
from .profile_rows import profile_tables

PARAMETER = "indikator"
LABEL_CHARS = 44  # longer bar labels are cut (the full label is in the tooltip and the table)
_ids = count(1)


def _shorten(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(
    items: Sequence[tuple[str, Figure]],
    *,
    title: str,
    description: str,
    width: int = 720,
    label_width: int = 290,
) -> SafeString:
    """Horizontal bars of non-negative figures; a missing figure gets no bar but "no data"."""
    if not items:
        return SafeString("")
    uid = next(_ids)
    row, top = 24, 8
    height = top * 2 + row * len(items)
    largest = max((f.value or 0 for _l, f in items), default=0) or 1
    inner = width - label_width - 90
    parts = [
        format_html(
            '<svg class="ks-chart ks-bars" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="ks-bt-{} ks-bd-{}" xmlns="http://www.w3.org/2000/svg">'
            '<title id="ks-bt-{}">{}</title><desc id="ks-bd-{}">{}</desc>',
            width,
            height,
            uid,
            uid,
            uid,
            title,
            uid,
            description,
        )
    ]
    for i, (label, figure) in enumerate(items):
        y = top + row * i
        parts.append(
            format_html(
                '<text class="ks-chart__label" x="{}" y="{}" text-anchor="end">{}</text>',
                label_width - 8,
                y + 16,
                _shorten(label),
            )
        )
        if figure.value is None:
            parts.append(
                format_html(
                    '<text class="ks-chart__label ks-nodata" x="{}" y="{}">{}</text>',
                    label_width,
                    y + 16,
                    _("no data"),
                )
            )
            continue
        bar = round(max(0.0, figure.value) / largest * inner, 1)
        text = format_number(figure.value, figure.decimals) + (
            f" {figure.unit}" if figure.unit else ""
        )
        parts.append(
            format_html(
                '<rect class="ks-bar" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}: {}</title></rect>"
                '<text class="ks-chart__label" x="{}" y="{}">{}</text>',
                label_width,
                y + 4,
                bar,
                row - 8,
                label,
                text,
                label_width + bar + 6,
                y + 16,
                text,
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308
    return SafeString("".join(parts))


def _profile_urls() -> Callable[[Municipality], str]:
    """``url(municipality)``: its profile page (one ``reverse`` per page, not one per member)."""
    url = place_urls("knowledge:municipality-profile")
    return lambda municipality: url(municipality.number)


def _charts(profile: Profile) -> dict:
    """One SVG per chart; an empty string when there is nothing to draw (the table says so)."""
    name = {"name": profile.name}
    pop, emis = profile.population.series, profile.emissions
    commuting = profile.commuting
    if commuting.hinterland:
        commuting_items = [(h.name, h.to_centre) for h in commuting.hinterland]
        commuting_title = _("Employed residents of each municipality working in the centre")
    else:
        commuting_items = [(f.name, f.employed) for f in commuting.destinations]
        commuting_title = _("Where employed residents who work elsewhere work")
    return {
        "population": line_chart(
            [(str(f.year), f.value) for f in pop],
            title=_("Population of %(name)s, 1 January") % name,
            description=_("Line chart over ten years. The numbers are in the table below."),
        ),
        "commuting": bar_chart(
            commuting_items,
            title=commuting_title,
            description=_("Bar chart. The numbers are in the table below."),
        ),
        "industry": bar_chart(
            [(r.industry, r.jobs) for r in profile.industry.rows],
            title=_("Jobs by industry in %(name)s") % name,
            description=_("Bar chart. The numbers and location quotients are in the table below."),
        ),
        "emissions": line_chart(
            [(str(f.year), f.value) for f in emis.series],
            title=_("Greenhouse-gas emissions in %(name)s (t CO₂e)") % name,
            description=_("Line chart of the years with figures. The numbers are in the table."),
        ),
        "sectors": bar_chart(
            [(s.sector, s.latest) for s in emis.sectors],
            title=_("Emissions by sector in %(name)s (t CO₂e)") % name,
            description=_("Bar chart. The numbers are in the table below."),
        ),
    }


def region_profile_view(request: HttpRequest, slug: str) -> HttpResponse:
    region = selectors.region_get(slug=slug)
    members = selectors.region_municipalities(region, with_boundaries=True)
    profile_url = _profile_urls()
    profile = place_profile(municipalities=members, centre=members[0], name=region.name)
    commuting_map = indicator_map(
        municipalities=members,
        centre=members[0],
        indicator=INDICATORS["utpendling"],
        title=_("Map of %(region)s with the largest commuting flows to the centre")
        % {"region": region.name},
        href=profile_url,
        figures=profile.members,
    )
    context = {
        "profile": profile,
        "tables": profile_tables(profile),
        "region": region,
        "charts": _charts(profile),
        "map": commuting_map,
        "map_url": reverse("knowledge:region-map", args=[region.slug]),
    }
    return render(request, "knowledge/profile.html", context)


def municipality_profile_view(request: HttpRequest, number: str) -> HttpResponse:
    municipality = selectors.municipality_get(number=number)
    profile = place_profile(municipalities=[municipality], centre=None, name=municipality.name)
    context = {
        "profile": profile,
        "tables": profile_tables(profile),
        "municipality": municipality,
        "charts": _charts(profile),
        "map_url": reverse("knowledge:county-map", args=[municipality.county.number]),
    }
    return render(request, "knowledge/profile.html", context)


def indicator_map_view(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """``kind`` is "county" (``key`` = county number) or "region" (``key`` = slug)."""
    if kind == "county":
        county = selectors.county_get(number=key)
        municipalities, centre, name = county_municipalities(county), None, county.name_nb
        place_url = county.get_absolute_url()
    else:
        region = selectors.region_get(slug=key)
        municipalities = selectors.region_municipalities(region, with_boundaries=True)
        centre, name, place_url = municipalities[0], region.name, region.get_absolute_url()
    chosen = request.GET.get(PARAMETER) or DEFAULT_INDICATOR
    context: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "place_url": place_url,
        "indicators": list(INDICATORS.values()),
        "parameter": PARAMETER,
        "chosen": chosen,
    }
    indicator = INDICATORS.get(chosen)
    if indicator is None:
        return render(request, "knowledge/indicator_map.html", context, status=422)
    profile_url = _profile_urls()
    context["map"] = indicator_map(
        municipalities=municipalities,
        centre=centre,
        indicator=indicator,
        title=_("%(indicator)s in %(place)s") % {"indicator": indicator.label, "place": name},
        href=profile_url,
    )
    if kind == "region":
        context["profile_url"] = reverse("knowledge:region-profile", args=[key])
        context["geojson_url"] = f"/api/v1/regions/{key}/geojson?indicator={indicator.key}"
        context["geojson_name"] = f"{key}-{indicator.key}.geojson"
    else:
        context["geojson_url"] = f"/api/v1/counties/{key}/geojson"
        context["geojson_name"] = f"fylke-{key}.geojson"
    return render(request, "knowledge/indicator_map.html", context)
