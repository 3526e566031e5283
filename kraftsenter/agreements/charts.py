"""Server-side SVG bar charts for the dashboards. Colours come from CSS classes in
``static/agreements/agreements.css`` (no inline style, strict CSP); every chart is paired with a
table of the same numbers in the template, and has a title and a description."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from kraftsenter.core.markup import format_html

_ids = count(1)
ROW = 28
LABEL_WIDTH = 230


def _open(width: int, height: int, title: str, description: str) -> str:
    uid = next(_ids)
    return format_html(
        '<svg class="ks-bars" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="ks-bt-{u} ks-bd-{u}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="ks-bt-{u}">{t}</title><desc id="ks-bd-{u}">{d}</desc>',
        w=width,
        h=height,
        u=uid,
        t=title,
        d=description,
    )


def _short(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    rows: Sequence[tuple[str, int, str]],
    *,
    title: str,
    description: str,
    width: int = 640,
) -> SafeString:
    """Horizontal bars: (label, value, status code used as the CSS modifier) per row."""
    if not rows:
        return SafeString("")
    top = max(v for _, v, _c in rows) or 1
    inner = width - LABEL_WIDTH - 60
    height = ROW * len(rows) + 8
    parts = [_open(width, height, title, description)]
    for i, (label, value, code) in enumerate(rows):
        y = 4 + i * ROW
        bar = max(0.0, inner * value / top)
        parts.append(
            format_html(
                '<text class="ks-bars__label" x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect class="ks-bars__bar ks-status--{}" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}: {}</title></rect>"
                '<text class="ks-bars__value" x="{}" y="{}">{}</text>',
                LABEL_WIDTH - 8,
                y + 17,
                _short(label),
                code,
                LABEL_WIDTH,
                y + 3,
                f"{bar:.1f}",
                ROW - 8,
                label,
                value,
                f"{LABEL_WIDTH + bar + 6:.1f}",
                y + 17,
                number_format(value, force_grouping=True),
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308
    return SafeString("".join(parts))


def stacked_bar_chart(
    rows: Sequence[tuple[str, dict[str, int]]],
    codes: Sequence[tuple[str, str]],
    *,
    title: str,
    description: str,
    width: int = 640,
) -> SafeString:
    """One horizontal bar per row, split by status code; ``codes`` = (code, label) in order.

    A legend below names the statuses in words, so colour is never the only carrier."""
    if not rows:
        return SafeString("")
    totals = [sum(values.values()) for _, values in rows]
    top = max(totals) or 1
    inner = width - LABEL_WIDTH - 60
    legend_y = 4 + ROW * len(rows) + 10
    height = legend_y + 24 * ((len(codes) + 2) // 3) + 8
    parts = [_open(width, height, title, description)]
    for i, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
        y = 4 + i * ROW
        x = float(LABEL_WIDTH)
        parts.append(
            format_html(
                '<text class="ks-bars__label" x="{}" y="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                y + 17,
                _short(label),
            )
        )
        for code, code_label in codes:
            value = values.get(code, 0)
            if not value:
                continue
            w = inner * value / top
            parts.append(
                format_html(
                    '<rect class="ks-bars__bar ks-status--{}" x="{}" y="{}" width="{}" '
                    'height="{}"><title>{}, {}: {}</title></rect>',
                    code,
                    f"{x:.1f}",
                    y + 3,
                    f"{w:.1f}",
                    ROW - 8,
                    label,
                    code_label,
                    value,
                )
            )
            x += w
        parts.append(
            format_html(
                '<text class="ks-bars__value" x="{}" y="{}">{}</text>',
                f"{x + 6:.1f}",
                y + 17,
                number_format(total, force_grouping=True),
            )
        )
    for i, (code, code_label) in enumerate(codes):
        x = 8 + (i % 3) * (width // 3)
        y = legend_y + (i // 3) * 24
        parts.append(
            format_html(
                '<rect class="ks-bars__bar ks-status--{}" x="{}" y="{}" width="14" height="14"/>'
                '<text class="ks-bars__label" x="{}" y="{}">{}</text>',
                code,
                x,
                y,
                x + 20,
                y + 12,
                code_label,
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308
    return SafeString("".join(parts))
