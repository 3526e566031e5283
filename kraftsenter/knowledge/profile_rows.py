"""The rows of a profile's tables, rendered in Python.

A region's profile has eight tables (population by year, the hinterland's commuting, where
commuters work and live, jobs by industry, emissions by year and by sector, the member
municipalities): some 150 cells, each a template lookup and a figure, were about a
millisecond of the page (issue 14). Here each table body is built with :func:`format_html`,
character for character what ``knowledge/profile.html``'s loops wrote
(``tests/test_profile_html.py`` renders both).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kraftsenter.core.links import url_maker
from kraftsenter.core.markup import escape, format_html

from .profile import Profile

_NUM = '<td class="ks-num">{}</td>'


def _shown(value: Any) -> str:
    """``{{ value }}`` in a template: localised, then escaped."""
    return escape(localize(value))


def _rows(items: Iterable[Any], row: Callable[[Any], str], empty: str | None = None) -> SafeString:
    html = "".join(row(item) for item in items)
    return SafeString(html if html or empty is None else empty)


def _no_data(columns: int) -> str:
    return format_html(
        '<tr><td colspan="{}"><span class="ks-nodata">{}</span></td></tr>', columns, _("no data")
    )


def _year_row(figure: Any) -> str:
    return f"<tr><td>{_shown(figure.year)}</td>{_NUM.format(figure.html)}</tr>"


def _flow_row(flow: Any) -> str:
    return f"<tr><td>{escape(flow.name)}</td>{_NUM.format(flow.employed.html)}</tr>"


def _cells(*figures: Any) -> str:
    return "".join(_NUM.format(figure.html) for figure in figures)


def profile_tables(profile: Profile) -> dict[str, SafeString]:
    """Each table's body (``<tr>`` … ``</tr>``) by name: ``population``, ``hinterland``,
    ``destinations``, ``origins``, ``industry``, ``emissions``, ``sectors``, ``members``."""
    commuting, industry, emissions = profile.commuting, profile.industry, profile.emissions
    profile_url = url_maker("knowledge:municipality-profile")
    centre = format_html(" ({})", _("centre"))

    def hinterland(h: Any) -> str:
        cells = _cells(
            h.employed_residents,
            h.to_centre,
            h.to_centre_share,
            h.share_of_centre_jobs,
            h.from_centre,
        )
        return f'<tr><th scope="row">{escape(h.name)}</th>{cells}</tr>'

    def industry_row(r: Any) -> str:
        strength = ' class="ks-strength"' if r.strength else ""
        cells = _cells(r.jobs, r.share, r.lq_county, r.lq_country)
        return f'<tr{strength}><th scope="row">{escape(r.industry)}</th>{cells}</tr>'

    def sector(s: Any) -> str:
        cells = _cells(s.base, s.latest, s.change_percent)
        return f'<tr><th scope="row">{escape(s.sector)}</th>{cells}</tr>'

    def member(m: Any) -> str:
        cells = _cells(
            m.population,
            m.population_change_percent,
            m.employed_residence,
            m.employed_workplace,
            m.jobs_per_employed,
            m.out_commuting_share,
            m.emissions_per_capita,
        )
        return (
            f'<tr><th scope="row"><a class="ds-link" href="{escape(profile_url(m.number))}">'
            f"{escape(m.name)}</a>{centre if m.role == 'centre' else ''}</th>{cells}</tr>"
        )

    no_hinterland = format_html(
        '<tr><td colspan="6">{}</td></tr>', _("The region has no hinterland municipalities.")
    )
    return {
        "population": _rows(profile.population.series, _year_row, _no_data(2)),
        "hinterland": _rows(commuting.hinterland, hinterland, no_hinterland),
        "destinations": _rows(commuting.destinations, _flow_row, _no_data(2)),
        "origins": _rows(commuting.origins, _flow_row, _no_data(2)),
        "industry": _rows(industry.rows, industry_row),
        "emissions": _rows(emissions.series, _year_row),
        "sectors": _rows(emissions.sectors, sector),
        "members": _rows(profile.members, member),
    }
