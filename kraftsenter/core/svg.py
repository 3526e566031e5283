"""Server-side SVG charts and maps: readable without JavaScript, each paired with a table.

Colours and strokes come from CSS classes (static/css/kraftsenter.css), so the markup needs no
inline style and passes the Content-Security-Policy.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from kraftsenter.core.markup import format_html

_ids = count(1)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _nice_floor(value: float, ceiling: float) -> float:
    step = ceiling / 10
    return max(0.0, math.floor(value / step) * step)


def _chart_start(width: int, height: int, title: str, description: str) -> SafeString:
    """The opening <svg> of a chart, labelled by its title and description."""
    uid = next(_ids)
    return format_html(
        '<svg class="ks-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="ks-ct-{} '
        'ks-cd-{}" xmlns="http://www.w3.org/2000/svg"><title id="ks-ct-{}">{}</title>'
        '<desc id="ks-cd-{}">{}</desc>',
        width,
        height,
        uid,
        uid,
        uid,
        title,
        uid,
        description,
    )


def _value_grid(x_from: float, x_to: float, low: float, span: float, y) -> list[SafeString]:
    """Five horizontal grid lines with their values on the left."""
    lines = []
    for step in range(5):
        value = low + span * step / 4
        lines.append(
            format_html(
                '<line class="ks-chart__grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="ks-chart__label" x="{}" y="{}" text-anchor="end">{}</text>',
                x_from,
                x_to,
                _fmt(y(value)),
                _fmt(y(value)),
                x_from - 8,
                _fmt(y(value) + 4),
                number_format(round(value), force_grouping=True),
            )
        )
    return lines


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    description: str,
    width: int = 720,
    height: int = 260,
) -> SafeString:
    """A line chart of (label, value) points; missing values break the line."""
    known = [v for _, v in points if v is not None]
    if not known:
        return SafeString("")
    left, right, top, bottom = 70, 16, 16, 36
    top_value = _nice_ceiling(max(known))
    low_value = _nice_floor(min(known) * 0.95, top_value)
    span = (top_value - low_value) or 1.0
    inner_w, inner_h = width - left - right, height - top - bottom
    n = len(points)

    def x(i: int) -> float:
        return left + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)

    def y(v: float) -> float:
        return top + inner_h * (1 - (v - low_value) / span)

    parts = [_chart_start(width, height, title, description)]
    parts += _value_grid(left, width - right, low_value, span, y)
    label_every = max(1, math.ceil(n / 10))
    for i, (label, _) in enumerate(points):
        if i % label_every == 0 or i == n - 1:
            parts.append(
                format_html(
                    '<text class="ks-chart__label" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _fmt(x(i)),
                    height - 12,
                    label,
                )
            )
    segments: list[list[str]] = [[]]
    for i, (_, value) in enumerate(points):
        if value is None:
            segments.append([])
        else:
            segments[-1].append(f"{_fmt(x(i))},{_fmt(y(value))}")
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                format_html('<polyline class="ks-chart__line" points="{}"/>', " ".join(seg))
            )
    for i, (label, value) in enumerate(points):
        if value is not None:
            parts.append(
                format_html(
                    '<circle class="ks-chart__point" cx="{}" cy="{}" r="3">'
                    "<title>{}: {}</title></circle>",
                    _fmt(x(i)),
                    _fmt(y(value)),
                    label,
                    number_format(value, force_grouping=True),
                )
            )
    parts.append(mark_safe("</svg>"))  # noqa: S308
    return SafeString("".join(parts))


@dataclass
class MapShape:
    """One area on a map: its GeoJSON geometry, name, link and CSS class."""

    key: str
    geometry: dict[str, Any] | None
    label: str
    href: str = ""
    css_class: str = "ks-map__area"


def _rings(geometry: dict[str, Any] | None) -> list[list[list[float]]]:
    """The rings of a GeoJSON (Multi)Polygon; none when there is no geometry."""
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def ring_path_maker(
    min_lon: float, max_lat: float, k: float, scale: float, pad: float
) -> Callable[[list[list[float]]], str]:
    """``path(ring)``: a ring's SVG path data in the equirectangular projection
    x = (lon − min_lon)·k·scale + pad, y = (max_lat − lat)·scale + pad, one decimal (what
    ``round(…, 1)`` writes). One f-string per point: a county's outline has thousands."""

    def ring_path(ring: list[list[float]]) -> str:
        return (
            "M"
            + " L".join(
                [
                    f"{(p[0] - min_lon) * k * scale + pad:.1f},{(max_lat - p[1]) * scale + pad:.1f}"
                    for p in ring
                ]
            )
            + " Z"
        )

    return ring_path


def map_svg(
    shapes: Sequence[MapShape],
    *,
    title: str,
    description: str,
    width: int = 640,
    max_height: int = 520,
) -> SafeString:
    """Draw areas in an equirectangular projection corrected for latitude.

    Good enough for a county or a region (a few hundred km); not a survey-grade projection.
    """
    drawable = [s for s in shapes if s.geometry]
    if not drawable:
        return SafeString("")
    uid = next(_ids)
    # The bounds ring by ring: no list per point (a county's outline has thousands).
    min_lon = min_lat = math.inf
    max_lon = max_lat = -math.inf
    for shape in drawable:
        for ring in _rings(shape.geometry):
            lons = [p[0] for p in ring]
            lats = [p[1] for p in ring]
            min_lon, max_lon = min(min_lon, *lons), max(max_lon, *lons)
            min_lat, max_lat = min(min_lat, *lats), max(max_lat, *lats)
    k = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * k, 1e-6)
    span_y = max(max_lat - min_lat, 1e-6)
    pad = 8
    scale = min((width - 2 * pad) / span_x, (max_height - 2 * pad) / span_y)
    width = int(span_x * scale + 2 * pad)
    height = int(span_y * scale + 2 * pad)

    ring_path = ring_path_maker(min_lon, max_lat, k, scale, pad)

    parts = [
        format_html(
            '<svg class="ks-map" viewBox="0 0 {} {}" width="{}" height="{}" role="group" '
            'aria-labelledby="ks-mt-{} ks-md-{}" '
            'xmlns="http://www.w3.org/2000/svg"><title id="ks-mt-{}">{}</title>'
            '<desc id="ks-md-{}">{}</desc>',
            width,
            height,
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
    for shape in drawable:
        d = " ".join([ring_path(ring) for ring in _rings(shape.geometry)])
        path = format_html(
            '<path class="{}" d="{}"><title>{}</title></path>', shape.css_class, d, shape.label
        )
        if shape.href:
            parts.append(
                format_html('<a href="{}" aria-label="{}">{}</a>', shape.href, shape.label, path)
            )
        else:
            parts.append(path)
    parts.append(mark_safe("</svg>"))  # noqa: S308
    return SafeString("".join(parts))


def stored_map_svg(
    shapes: Sequence[tuple[str, str | None, str, str, str]],
    *,
    title: str,
    description: str,
    width: int = 640,
    max_height: int = 520,
) -> SafeString:
    """:func:`map_svg` for areas whose geometry is given as stored (GeoJSON text, or None):
    ``shapes`` are ``(key, geometry_text, label, href, css_class)``.

    The drawing is kept per process for the same input, texts included (a county's outlines
    are about 55 kB of JSON: decoding and drawing them was 4–5 ms of a 12 ms county page),
    so a boundary changed by an import draws anew, and nothing is kept that the input does
    not determine. A kept drawing keeps its element ids, which no other drawing has."""
    return _stored_map(tuple(shapes), str(title), str(description), width, max_height)


@functools.lru_cache(maxsize=1024)
def decoded_geometry(text: str) -> dict[str, Any]:
    """A stored GeoJSON geometry (its JSON text) decoded, once per process for the same text:
    every caller gets the same object, so it is for reading only (drawing), never to change."""
    geometry: dict[str, Any] = json.loads(text)
    return geometry


@functools.lru_cache(maxsize=64)
def _stored_map(
    shapes: tuple[tuple[str, str | None, str, str, str], ...],
    title: str,
    description: str,
    width: int,
    max_height: int,
) -> SafeString:
    return map_svg(
        [
            MapShape(key, decoded_geometry(text) if text else None, label, href, css_class)
            for key, text, label, href, css_class in shapes
        ],
        title=title,
        description=description,
        width=width,
        max_height=max_height,
    )


@dataclass
class Series:
    """One line of a multi-line chart: a label, a CSS class and (x, y or None) points."""

    label: str
    css_class: str
    points: Sequence[tuple[int, float | None]]
    dashed: bool = False


def multi_line_chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    width: int = 720,
    height: int = 280,
) -> SafeString:
    """Several lines over a shared numeric x axis (years), with a legend drawn in the SVG."""
    values = [v for s in series for _, v in s.points if v is not None]
    xs = sorted({x for s in series for x, _ in s.points})
    if not values or not xs:
        return SafeString("")
    left, right, top, bottom = 80, 16, 16, 60
    top_value = _nice_ceiling(max(values))
    low_value = 0.0
    span = top_value - low_value or 1.0
    x0, x1 = xs[0], xs[-1]
    inner_w, inner_h = width - left - right, height - top - bottom

    def x(v: int) -> float:
        return left + (inner_w * (v - x0) / (x1 - x0) if x1 > x0 else inner_w / 2)

    def y(v: float) -> float:
        return top + inner_h * (1 - (v - low_value) / span)

    parts = [_chart_start(width, height, title, description)]
    parts += _value_grid(left, width - right, low_value, span, y)
    every = max(1, math.ceil(len(xs) / 10))
    for i, v in enumerate(xs):
        if i % every == 0 or i == len(xs) - 1:
            parts.append(
                format_html(
                    '<text class="ks-chart__label" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _fmt(x(v)),
                    height - bottom + 16,
                    v,
                )
            )
    for index, s in enumerate(series):
        run: list[str] = []
        for xv, yv in [*s.points, (None, None)]:
            if yv is None or xv is None:
                if len(run) > 1:
                    parts.append(
                        format_html(
                            '<polyline class="ks-chart__series {}{}" points="{}"/>',
                            s.css_class,
                            " ks-chart__series--dashed" if s.dashed else "",
                            " ".join(run),
                        )
                    )
                run = []
            else:
                run.append(f"{_fmt(x(xv))},{_fmt(y(yv))}")
        lx = left + index * (inner_w / max(len(series), 1))
        parts.append(
            format_html(
                '<line class="ks-chart__series {}{}" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="ks-chart__label" x="{}" y="{}">{}</text>',
                s.css_class,
                " ks-chart__series--dashed" if s.dashed else "",
                _fmt(lx),
                _fmt(lx + 24),
                height - 14,
                height - 14,
                _fmt(lx + 30),
                height - 10,
                s.label,
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308
    return SafeString("".join(parts))
