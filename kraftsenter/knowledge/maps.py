"""Indicator maps of a county or a region.

A map colours each municipality by one indicator in five quantile classes (about as many
municipalities in each), with a "no data" class of its own, a legend drawn in the SVG, and the
numbers as a table next to it. A region map also draws the largest commuting flows from the
hinterland to the centre as lines (thicker = more commuters). The projection is the one of
``core.svg.map_svg`` (equirectangular, corrected for latitude). Colours and strokes come from CSS
classes in static/css/knowledge.css: the markup has no inline style (CSP).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kraftsenter.places.models import County, Municipality

from .profile import Figure, MemberFigures, member_figures

CLASSES = 5
TOP_FLOWS = 8
_ids = count(1)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str | Promise
    attr: str  # the MemberFigures attribute


INDICATORS = {
    i.key: i
    for i in (
        Indicator("befolkning", gettext_lazy("Population"), "population"),
        Indicator(
            "befolkningsendring",
            gettext_lazy("Population change over ten years (%)"),
            "population_change_percent",
        ),
        Indicator(
            "utpendling",
            gettext_lazy("Employed residents working in another municipality (%)"),
            "out_commuting_share",
        ),
        Indicator(
            "arbeidsplassdekning",
            gettext_lazy("Jobs per employed resident"),
            "jobs_per_employed",
        ),
        Indicator(
            "utslipp-per-innbygger",
            gettext_lazy("Greenhouse-gas emissions per resident (t CO₂e)"),
            "emissions_per_capita",
        ),
    )
}
DEFAULT_INDICATOR = "befolkning"


@dataclass
class LegendEntry:
    css_class: str
    label: str
    count: int


@dataclass
class MapRow:
    number: str
    name: str
    role: str
    value: Figure
    css_class: str
    quantile: int | None  # 1–5, None for no data


@dataclass
class FlowRow:
    number: str
    name: str
    employed: Figure
    css_class: str


@dataclass
class IndicatorMap:
    indicator: Indicator
    svg: SafeString
    legend: list[LegendEntry]
    rows: list[MapRow]
    flows: list[FlowRow] = field(default_factory=list)
    source: str = ""
    year: int | None = None


def county_municipalities(county: County) -> list[Municipality]:
    """The county's current municipalities with boundaries, by number (one query)."""
    qs = Municipality.objects.filter(county=county, valid_to__isnull=True).defer("search_text")
    return list(qs.order_by("number"))


def quantile_classes(values: Sequence[float | None], classes: int = CLASSES) -> list[int | None]:
    """Class 1..classes by rank, about as many values in each; equal values share the class of
    the first of them; None (no data) stays None. With fewer values than classes, the ranks are
    spread over the whole scale, so that the lowest is class 1 and the highest the top class."""
    known = sorted(v for v in values if v is not None)
    n = len(known)
    first: dict[float, int] = {}
    for rank, value in enumerate(known):
        first.setdefault(value, rank)

    def quantile(rank: int) -> int:
        if n >= classes:
            return rank * classes // n + 1
        return round(rank * (classes - 1) / (n - 1)) + 1 if n > 1 else (classes + 1) // 2

    return [None if v is None else quantile(first[v]) for v in values]


def format_number(value: float, decimals: int) -> str:
    """Grouped, localised, with a true minus sign (U+2212) so that ranges read well."""
    text = number_format(round(value, decimals), decimals, force_grouping=True)
    return "\u2212" + text[1:] if text.startswith("-") else text


def _legend(rows: list[MapRow], decimals: int) -> list[LegendEntry]:
    entries = []
    for q in range(1, CLASSES + 1):
        values = [r.value.value for r in rows if r.quantile == q and r.value.value is not None]
        if values:
            low, high = format_number(min(values), decimals), format_number(max(values), decimals)
            label = low if low == high else f"{low} – {high}"
            entries.append(LegendEntry(f"ks-choro--{q}", label, len(values)))
    missing = sum(1 for r in rows if r.quantile is None)
    if missing:
        entries.append(LegendEntry("ks-choro--none", _("no data"), missing))
    return entries


def _rings(geometry: dict[str, Any] | None) -> list[list[list[float]]]:
    """The rings of a GeoJSON (Multi)Polygon; none when there is no geometry."""
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _projection(
    geometries: Sequence[dict[str, Any] | None], width: int, max_height: int, pad: int = 8
) -> tuple[Callable[[float, float], tuple[float, float]], int, int]:
    """Lon/lat → SVG x/y for these geometries, and the drawing's width and height."""
    points = [p for g in geometries for ring in _rings(g) for p in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    min_lon, max_lat = min(lons), max(lats)
    k = math.cos(math.radians((min(lats) + max_lat) / 2))
    span_x, span_y = max((max(lons) - min_lon) * k, 1e-6), max(max_lat - min(lats), 1e-6)
    scale = min((width - 2 * pad) / span_x, (max_height - 2 * pad) / span_y)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - min_lon) * k * scale + pad, 1), round((max_lat - lat) * scale + pad, 1)

    return project, int(span_x * scale + 2 * pad), int(span_y * scale + 2 * pad)


def _flow_lines(figures: list[MemberFigures], top: int) -> list[tuple[MemberFigures, str]]:
    """The ``top`` largest flows to the centre, each with its stroke class (1–5 by size)."""
    flows = [f for f in figures if f.to_centre.value]
    flows.sort(key=lambda f: -(f.to_centre.value or 0))
    flows = flows[:top]
    largest = max((f.to_centre.value or 0 for f in flows), default=0)
    return [
        (f, f"ks-flow--{max(1, math.ceil(5 * (f.to_centre.value or 0) / largest))}") for f in flows
    ]


def indicator_map(
    *,
    municipalities: list[Municipality],
    centre: Municipality | None,
    indicator: Indicator,
    title: str,
    href: Callable[[Municipality], str] | None = None,
    top_flows: int = TOP_FLOWS,
    figures: list[MemberFigures] | None = None,
) -> IndicatorMap:
    """A choropleth of ``indicator`` (five queries for the figures, none for the drawing).

    ``municipalities`` need their boundary and point; ``centre`` adds commuting lines. Pass
    ``figures`` (a profile's ``members``, same order) to reuse figures already read."""
    if figures is None:
        figures = member_figures(municipalities, centre)
    values = [getattr(f, indicator.attr) for f in figures]
    quantiles = quantile_classes([v.value for v in values])
    rows = [
        MapRow(f.number, f.name, f.role, v, f"ks-choro--{q or 'none'}", q)
        for f, v, q in zip(figures, values, quantiles, strict=True)
    ]
    decimals = values[0].decimals if values else 0
    legend = _legend(rows, decimals)
    lines = _flow_lines(figures, top_flows) if centre is not None else []
    flows = [FlowRow(f.number, f.name, f.to_centre, css) for f, css in lines]
    year = next((v.year for v in values if v.year), None)
    source = values[0].source if values else ""
    drawing = _draw(
        municipalities,
        centre,
        rows,
        legend,
        lines,
        title=title,
        href=href,
        caption=f"{indicator.label} ({year or _('no data')})",
    )
    return IndicatorMap(indicator, drawing, legend, rows, flows, source, year)


def _draw(
    municipalities: list[Municipality],
    centre: Municipality | None,
    rows: list[MapRow],
    legend: list[LegendEntry],
    lines: list[tuple[MemberFigures, str]],
    *,
    title: str,
    caption: str,
    href: Callable[[Municipality], str] | None,
    width: int = 640,
    max_height: int = 520,
) -> SafeString:
    shapes = [(m, r) for m, r in zip(municipalities, rows, strict=True) if m.boundary]
    if not shapes:
        return SafeString("")
    uid = next(_ids)
    project, width, map_height = _projection([m.boundary for m, _r in shapes], width, max_height)
    legend_top = map_height + 12
    height = legend_top + 24 + 20 * len(legend) + (20 if lines else 0)
    description = _(
        "The colour shows the class of each municipality; the table below has the numbers."
    )
    parts = [
        format_html(
            '<svg class="ks-map ks-choropleth" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            'role="group" aria-labelledby="ks-kt-{u} ks-kd-{u}" xmlns="http://www.w3.org/2000/svg">'
            '<title id="ks-kt-{u}">{t}</title><desc id="ks-kd-{u}">{d}</desc>'
            '<defs><marker id="ks-arrow-{u}" viewBox="0 0 10 10" refX="8" refY="5" '
            'markerWidth="4" markerHeight="4" orient="auto"><path class="ks-flow__head" '
            'd="M0,0 L10,5 L0,10 z"/></marker></defs>',
            w=width,
            h=height,
            u=uid,
            t=title,
            d=description,
        )
    ]
    for m, row in shapes:
        d = " ".join(
            "M" + " L".join("{},{}".format(*project(p[0], p[1])) for p in ring) + " Z"
            for ring in _rings(m.boundary)
        )
        value = (
            _("no data")
            if row.value.value is None
            else format_number(row.value.value, row.value.decimals)
        )
        centre_class = " ks-choro--centre" if centre is not None and m.id == centre.id else ""
        path = format_html(
            '<path class="ks-map__area ks-choro {}{}" d="{}"><title>{}: {}</title></path>',
            row.css_class,
            centre_class,
            d,
            m.name,
            value,
        )
        link = href(m) if href else ""
        label = f"{m.name}: {value}"
        parts.append(
            format_html('<a href="{}" aria-label="{}">{}</a>', link, label, path) if link else path
        )
    if centre is not None and centre.lon is not None and centre.lat is not None:
        cx, cy = project(centre.lon, centre.lat)
        for figure, css in lines:
            member = next(m for m in municipalities if m.id == figure.id)
            if member.lon is None or member.lat is None:
                continue
            x, y = project(member.lon, member.lat)
            length = math.hypot(cx - x, cy - y) or 1
            # stop short of the centre's dot, so that the arrow head shows
            ex, ey = round(cx - (cx - x) * 7 / length, 1), round(cy - (cy - y) * 7 / length, 1)
            parts.append(
                format_html(
                    '<line class="ks-flow {}" x1="{}" y1="{}" x2="{}" y2="{}" '
                    'marker-end="url(#ks-arrow-{})"><title>{} → {}: {}</title></line>',
                    css,
                    x,
                    y,
                    ex,
                    ey,
                    uid,
                    member.name,
                    centre.name,
                    format_number(figure.to_centre.value or 0, 0),
                )
            )
        parts.append(
            format_html(
                '<circle class="ks-map__centre" cx="{}" cy="{}" r="5"><title>{}</title></circle>',
                cx,
                cy,
                centre.name,
            )
        )
    parts.append(format_html('<g class="ks-legend" transform="translate(8 {})">', legend_top))
    parts.append(format_html('<text class="ks-legend__title" x="0" y="12">{}</text>', caption))
    parts.append(
        format_html_join(
            "",
            '<rect class="ks-choro {}" x="0" y="{}" width="16" height="14"/>'
            '<text class="ks-legend__label" x="24" y="{}">{} ({})</text>',
            (
                (e.css_class, 22 + 20 * i, 34 + 20 * i, e.label, e.count)
                for i, e in enumerate(legend)
            ),
        )
    )
    if lines:
        y = 22 + 20 * len(legend)
        parts.append(
            format_html(
                '<line class="ks-flow ks-flow--3" x1="0" y1="{}" x2="16" y2="{}"/>'
                '<text class="ks-legend__label" x="24" y="{}">{}</text>',
                y + 7,
                y + 7,
                y + 12,
                _("Commuters to the centre (thicker = more; the largest flows)"),
            )
        )
    parts.append(mark_safe("</g></svg>"))  # noqa: S308
    return SafeString("".join(parts))
