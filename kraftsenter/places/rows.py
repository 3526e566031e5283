"""The rows of the municipality tables (the municipality list, a county's and a region's
members), rendered in Python with the markup the templates wrote (``core.markup``): a row
through the template engine was five variable lookups, a filter and five escapes, about a
third of the list page. ``tests/test_rows.py`` compares both character for character."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kraftsenter.core.markup import escape, grouped

#: Each row as the templates' loops wrote it, whitespace included.
_ROW = (
    '\n    <tr><td>{}</td><td><a class="ds-link" href="{}">{}</a></td>{}'
    '<td class="ks-num">{}</td></tr>\n  '
)
_CELL = "<td>{}</td>"
_NUMBER_CELL = '<td class="ks-num">{}</td>'


def municipality_rows(
    municipalities: Sequence[Any],
    *,
    county: bool = False,
    centrality: bool = False,
    role: bool = False,
) -> SafeString:
    """The ``<tr>``s of :func:`~.selectors.with_rows`' municipalities: number, linked name,
    then the county's name (``county``), centre or hinterland (``role``: the first is the
    centre), the centrality class or "–" (``centrality``), and the population text."""
    centre, hinterland = _("centre"), _("hinterland")
    rows = []
    for i, m in enumerate(municipalities):
        middle = ""
        if county:
            middle += _CELL.format(escape(m.county.name_nb))
        if role:
            middle += _CELL.format(escape(centre if i == 0 else hinterland))
        if centrality:
            middle += _NUMBER_CELL.format(escape(m.centrality_class or "–"))
        rows.append(
            _ROW.format(
                escape(m.number), escape(m.url), escape(m.name), middle, escape(m.population_text)
            )
        )
    return SafeString("".join(rows))


_POPULATION_ROW = '<tr><td>{}</td><td class="ks-num">{}</td><td>{}</td></tr>'


def population_rows(figures: Sequence[Any]) -> SafeString:
    """The ``<tr>``s of a municipality's population table: year, the population grouped as
    the language groups numbers (or "no data") and the note."""
    no_data = _("no data")
    return SafeString(
        "".join(
            _POPULATION_ROW.format(
                escape(f.year),
                escape(no_data if f.population is None else grouped(f.population)),
                escape(f.note),
            )
            for f in figures
        )
    )


def organisation_links(organisations: Sequence[Any]) -> SafeString:
    """The ``<li>``s of a place page's organisations (each with ``url``), linked by name."""
    return SafeString(
        "".join(
            f'<li><a class="ds-link" href="{escape(o.url)}">{escape(o.name)}</a></li>'
            for o in organisations
        )
    )
