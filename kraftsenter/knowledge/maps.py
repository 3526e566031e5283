"""Indicator maps of a county or a region, and the same figures as GeoJSON.

A map colours each municipality by one indicator in five quantile classes (about as many
municipalities in each), with a "no data" class of its own, a legend drawn in the SVG, and the
numbers as a table next to it. Quantiles, not equal intervals or Jenks: the indicators are
skewed (Oslo has 700 000 residents, most municipalities under 10 000), and classes by rank give
every colour to about as many municipalities whatever the skew, so that a map is never one dark
city in a pale county; the legend says so and gives each class's range and count.

The map names the centre and then the most populous municipalities, as many as fit without one
label covering another (placed greedily at the municipality's point, or beside it); every name
is also in the table. A region map also draws the largest commuting flows from the hinterland
to the centre as lines (thicker = more commuters). The projection is equirectangular, corrected
for latitude. Colours and strokes come from CSS classes in static/css/knowledge.css: the markup
has no inline style (CSP).

``region_geojson`` gives a region's boundaries with one indicator's value, year, source and
class per municipality, the same rows the map is drawn from (``/api/v1/regions/{slug}/geojson``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from django.db import router
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kraftsenter.core import prepared
from kraftsenter.core.markup import format_html, format_html_join
from kraftsenter.core.svg import decoded_geometry, ring_path_maker
from kraftsenter.places import boundaries, geojson
from kraftsenter.places.models import County, Municipality, Region
from kraftsenter.places.selectors import region_municipalities

from .profile import Figure, MemberFigures, member_figures

CLASSES = 5
TOP_FLOWS = 8
CLASSIFICATION = "quantiles"  # how the classes are made (stated on the map and in the GeoJSON)
LABEL_FONT = 12  # px; the SVG is printed at most 170 mm wide for 640 px: about 9 pt on A4
LABEL_CHAR = 0.6 * LABEL_FONT  # an average character's width, for the overlap test
MAX_LABELS = 24
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
    url: str = ""  # the municipality's page (``href`` of indicator_map), for the table


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
    """The county's current municipalities with boundaries, by number (one query).

    Each boundary is read as stored (``boundary_text``) and decoded once per process for the
    same text (:func:`~kraftsenter.core.svg.decoded_geometry`, for reading only); the map
    keeps its outlines for the same texts (:func:`_outlines`)."""

    alias = router.db_for_read(Municipality)

    def build(county_id: int) -> QuerySet[Municipality]:
        current = Municipality.objects.filter(county_id=county_id, valid_to__isnull=True)
        # The text, or on PostgreSQL the row's version and the text kept for it.
        return boundaries.with_boundary(current.defer("search_text", "boundary"), alias).order_by(
            "number"
        )

    # Its statement kept (core.prepared), the county its parameter.
    municipalities: list[Municipality] = prepared.records(
        "county_municipalities", alias, build, county.pk
    )
    boundaries.fill(alias, municipalities)
    return municipalities


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
) -> tuple[
    Callable[[float, float], tuple[float, float]], Callable[[list[list[float]]], str], int, int
]:
    """Lon/lat → SVG x/y for these geometries, a ring's path data in the same projection, and
    the drawing's width and height."""
    points = [p for g in geometries for ring in _rings(g) for p in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    min_lon, max_lat = min(lons), max(lats)
    k = math.cos(math.radians((min(lats) + max_lat) / 2))
    span_x, span_y = max((max(lons) - min_lon) * k, 1e-6), max(max_lat - min(lats), 1e-6)
    scale = min((width - 2 * pad) / span_x, (max_height - 2 * pad) / span_y)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - min_lon) * k * scale + pad, 1), round((max_lat - lat) * scale + pad, 1)

    ring_path = ring_path_maker(min_lon, max_lat, k, scale, pad)  # ``project`` inline

    return project, ring_path, int(span_x * scale + 2 * pad), int(span_y * scale + 2 * pad)


def _outlines(
    municipalities: Sequence[Municipality], width: int, max_height: int
) -> tuple[Callable[[float, float], tuple[float, float]], int, int, tuple[str, ...]]:
    """:func:`_projection` for the municipalities' boundaries, and each one's path data.

    Kept per process for the same boundary texts and size where the municipalities were read
    with them (``boundary_text``, :func:`county_municipalities`): a county's outlines are
    thousands of points, the same at every request until an import changes them."""
    texts = [getattr(m, "boundary_text", None) for m in municipalities]
    if all(texts):
        return _kept_outlines(tuple(texts), width, max_height)
    return _drawn_outlines([m.boundary for m in municipalities], width, max_height)


@functools.lru_cache(maxsize=64)
def _kept_outlines(
    texts: tuple[str, ...], width: int, max_height: int
) -> tuple[Callable[[float, float], tuple[float, float]], int, int, tuple[str, ...]]:
    return _drawn_outlines([decoded_geometry(t) for t in texts], width, max_height)


def _drawn_outlines(
    geometries: Sequence[dict[str, Any] | None], width: int, max_height: int
) -> tuple[Callable[[float, float], tuple[float, float]], int, int, tuple[str, ...]]:
    project, ring_path, map_width, map_height = _projection(geometries, width, max_height)
    paths = tuple(" ".join([ring_path(ring) for ring in _rings(g)]) for g in geometries)
    return project, map_width, map_height, paths


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
    """A choropleth of ``indicator`` (four queries for the figures, none for the drawing).

    ``municipalities`` need their boundary and point; ``centre`` adds commuting lines. Pass
    ``figures`` (a profile's ``members``, same order) to reuse figures already read."""
    if figures is None:
        figures = member_figures(municipalities, centre)
    rows, year, source = map_rows(figures, indicator)
    if href is not None:
        for municipality, row in zip(municipalities, rows, strict=True):
            row.url = href(municipality)
    decimals = rows[0].value.decimals if rows else 0
    legend = _legend(rows, decimals)
    lines = _flow_lines(figures, top_flows) if centre is not None else []
    flows = [FlowRow(f.number, f.name, f.to_centre, css) for f, css in lines]
    drawing = _draw(
        municipalities,
        centre,
        rows,
        legend,
        lines,
        title=title,
        href=href,
        caption=f"{indicator.label} ({year or _('no data')})",
        populations=[f.population.value for f in figures],
    )
    return IndicatorMap(indicator, drawing, legend, rows, flows, source, year)


def map_rows(
    figures: list[MemberFigures], indicator: Indicator
) -> tuple[list[MapRow], int | None, str]:
    """Each municipality's value of ``indicator`` and its class; the indicator's year and
    source. The map, its table and the GeoJSON are all made from these rows."""
    values = [getattr(f, indicator.attr) for f in figures]
    quantiles = quantile_classes([v.value for v in values])
    rows = [
        MapRow(f.number, f.name, f.role, v, f"ks-choro--{q or 'none'}", q)
        for f, v, q in zip(figures, values, quantiles, strict=True)
    ]
    year = next((v.year for v in values if v.year), None)
    source = values[0].source if values else ""
    return rows, year, source


def region_geojson(region: Region, indicator: Indicator) -> dict[str, Any]:
    """The region's municipalities as an RFC 7946 FeatureCollection: boundary (``null`` when
    none is imported), number, name, role, and the indicator's value (rounded as on the map
    page; ``null`` for no data), unit, year, source and class."""
    members = region_municipalities(region, with_boundaries=True)
    figures = member_figures(members, members[0])
    rows, year, source = map_rows(figures, indicator)
    features = [
        geojson.feature(
            m,
            {
                "number": row.number,
                "name": row.name,
                "role": row.role,
                "value": _rounded(row.value),
                "unit": row.value.unit,
                "year": row.value.year,
                "source": row.value.source,
                "class": row.quantile,
            },
        )
        for m, row in zip(members, rows, strict=True)
    ]
    return geojson.feature_collection(
        features,
        name=region.name,
        indicator={"code": indicator.key, "label": str(indicator.label), "year": year},
        source=source,
        classification={"method": CLASSIFICATION, "classes": CLASSES},
    )


def _rounded(figure: Figure) -> float | int | None:
    if figure.value is None:
        return None
    value = round(figure.value, figure.decimals)
    return int(value) if figure.decimals == 0 else value


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
    populations: Sequence[float | None] = (),
    width: int = 640,
    max_height: int = 520,
) -> SafeString:
    shapes = [(m, r) for m, r in zip(municipalities, rows, strict=True) if m.boundary]
    if not shapes:
        return SafeString("")
    uid = next(_ids)
    project, map_width, map_height, outlines = _outlines([m for m, _r in shapes], width, max_height)
    method = _("Quantiles: about as many municipalities in each class")
    texts = [caption, method, *(f"{e.label} ({e.count}) xxxx" for e in legend)]
    if lines:
        texts.append(_("Commuters to the centre (thicker = more; the largest flows)") + "xxxx")
    # a narrow map (a long county) still gets a legend that is not cut off
    width = max(map_width, min(width + 80, math.ceil(16 + 0.6 * 13 * max(map(len, texts)))))
    legend_top = map_height + 12
    height = legend_top + 42 + 20 * len(legend) + (20 if lines else 0)
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
    for (m, row), d in zip(shapes, outlines, strict=True):
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
    by_id = {m.id: p for m, p in zip(municipalities, populations, strict=False)}
    named = _place_labels(
        [
            (m.name, *project(*_anchor(m)), centre is not None and m.id == centre.id)
            for m in _by_priority([m for m, _r in shapes], centre, by_id)
        ],
        width,
        map_height,
    )
    parts.append(mark_safe('<g class="ks-map__labels" aria-hidden="true">'))  # noqa: S308
    parts.append(
        format_html_join(
            "",
            '<text class="ks-map__label{}" x="{}" y="{}" text-anchor="{}">{}</text>',
            ((" ks-map__label--centre" if c else "", x, y, a, t) for t, x, y, a, c in named),
        )
    )
    parts.append(mark_safe("</g>"))  # noqa: S308
    parts.append(format_html('<g class="ks-legend" transform="translate(8 {})">', legend_top))
    parts.append(format_html('<text class="ks-legend__title" x="0" y="12">{}</text>', caption))
    parts.append(
        format_html(
            '<text class="ks-legend__label ks-legend__method" x="0" y="30">{}</text>', method
        )
    )
    parts.append(
        format_html_join(
            "",
            '<rect class="ks-choro {}" x="0" y="{}" width="16" height="14"/>'
            '<text class="ks-legend__label" x="24" y="{}">{} ({})</text>',
            (
                (e.css_class, 40 + 20 * i, 52 + 20 * i, e.label, e.count)
                for i, e in enumerate(legend)
            ),
        )
    )
    if lines:
        y = 40 + 20 * len(legend)
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


def _anchor(m: Municipality) -> tuple[float, float]:
    """Where a municipality's name goes: its point (inside it), else its largest ring's middle."""
    if m.lon is not None and m.lat is not None:
        return m.lon, m.lat
    ring = max(_rings(m.boundary), key=len)
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2


def _by_priority(
    municipalities: list[Municipality],
    centre: Municipality | None,
    populations: dict[int, float | None],
) -> list[Municipality]:
    """The centre first, then by population, largest first (no data last), then by number."""

    def key(m: Municipality) -> tuple[bool, float, str]:
        is_centre = centre is not None and m.id == centre.id
        return (not is_centre, -(populations.get(m.id) or -1), m.number)

    return sorted(municipalities, key=key)


Box = tuple[float, float, float, float]


def _place_labels(
    candidates: list[tuple[str, float, float, bool]], width: int, height: int
) -> list[tuple[str, float, float, str, bool]]:
    """Greedy placement, in the candidates' order: each name (text, x, y, is the centre) goes at
    its point or just above, below or beside it (slid inwards at the map's sides), in the first
    spot that stays inside the map and covers no name already placed (nor the centre's dot); a
    name with no such spot is left out.
    Returns (text, x, baseline y, text-anchor, is the centre)."""
    placed: list[Box] = []
    out: list[tuple[str, float, float, str, bool]] = []
    h = LABEL_FONT
    for text, x, y, is_centre in candidates:
        if len(out) >= MAX_LABELS:
            break
        w = len(text) * LABEL_CHAR * (1.1 if is_centre else 1)
        # (dx, baseline dy, anchor); the centre has a dot of radius 5 at its point
        spots = [
            (0, h / 3, "middle"),
            (0, -11, "middle"),  # a line above or below a name on its point: rows, no overlap
            (0, h + 7, "middle"),
            (4, h / 3, "start"),
            (-4, h / 3, "end"),
        ]
        if is_centre:
            spots = [
                (0, -9, "middle"),
                (0, h + 7, "middle"),
                (9, h / 3, "start"),
                (-9, h / 3, "end"),
            ]
            placed.append((x - 6, y - 6, x + 6, y + 6))
        if w > width - 4:
            continue
        for dx, dy, anchor in spots:
            offset = {"middle": w / 2, "start": 0, "end": w}[anchor]
            # near the map's side edges, the name slides inwards rather than being left out
            left = min(max(x + dx - offset, 2), width - 2 - w)
            box = (left, y + dy - 0.8 * h, left + w, y + dy + 0.25 * h)
            inside = box[1] >= 2 and box[3] <= height
            if inside and not any(_overlap(box, other) for other in placed):
                placed.append(box)
                out.append((text, round(left + offset, 1), round(y + dy, 1), anchor, is_centre))
                break
    return out


def _overlap(a: Box, b: Box, margin: float = 2) -> bool:
    return not (
        a[2] + margin <= b[0]
        or b[2] + margin <= a[0]
        or a[3] + margin <= b[1]
        or b[3] + margin <= a[1]
    )
