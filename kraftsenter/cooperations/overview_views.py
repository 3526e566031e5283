"""Overview pages of the cooperation register: a municipality's or county municipality's
cooperations (page and CSV), its ownership report (printable), and a region's coverage matrix
and cooperation network. Thin: parse input, call a selector in ``overviews.py``, render.
"""

from __future__ import annotations

import math
from decimal import Decimal
from html import escape as html_escape
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kraftsenter.actors.models import Organisation
from kraftsenter.core.markup import format_html
from kraftsenter.core.spreadsheets import SafeWriter, decimal_comma
from kraftsenter.core.templatetags.ks_components import StatusTags
from kraftsenter.places import selectors as places
from kraftsenter.places.models import County, Municipality

from . import overviews
from .choices import Area, LegalForm, Status
from .overviews import (
    SHORT_FORM_LABELS,
    Coverage,
    CoverageRow,
    Network,
    NetworkEdge,
    OrganisationOverview,
    OverviewPage,
    PageGroup,
)

#: CSV columns (ASCII names, as the other exports): one row per participation.
CSV_HEADER = (
    "samarbeid",
    "form_kode",
    "form",
    "status",
    "omrader",
    "eierandel",
    "ansvarsandel",
    "vertskommune",
    "formal",
)
#: Edges thicker than this many shared cooperations are drawn as this class.
MAX_EDGE_CLASS = 6


# --- a municipality's or county municipality's cooperations ---------------------------------


def _place_context(place: Municipality | County) -> dict[str, Any]:
    """Breadcrumb parent and the overview/report addresses of the place."""
    if isinstance(place, Municipality):
        return {
            "parent_name": place.county.name_nb,
            "parent_url": place.county.get_absolute_url(),
            "overview_url": reverse("cooperations:municipality-cooperations", args=[place.number]),
            "report_url": reverse(
                "cooperations:municipality-ownership-report", args=[place.number]
            ),
        }
    return {
        "parent_name": _("Counties"),
        "parent_url": reverse("places:county-list"),
        "overview_url": reverse("cooperations:county-cooperations", args=[place.number]),
        "report_url": reverse("cooperations:county-ownership-report", args=[place.number]),
    }


def overview_csv(overview: OrganisationOverview, *, filename: str) -> HttpResponse:
    """UTF-8 with a byte-order mark and semicolons, so that Excel shows Norwegian letters;
    shares with a decimal comma, as numbers, and text that could start a formula neutralised
    (``core.spreadsheets``)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    response.write("\ufeff")
    writer = SafeWriter(response, delimiter=";")
    writer.writerow(CSV_HEADER)
    for p in overview.participations:
        coop = p.cooperation
        writer.writerow(
            [
                coop.name,
                coop.legal_form,
                p.legal_form_label,
                p.status_label,
                " | ".join(p.area_labels),
                decimal_comma(p.ownership_share),
                decimal_comma(p.liability_share),
                coop.host.name if coop.host else "",
                coop.purpose,
            ]
        )
    return response


#: One row of a municipality's cooperations, as the template wrote it (``<tr>`` … ``</tr>``).
_OVERVIEW_ROW = (
    '<tr>\n      <th scope="row"><a class="ds-link" href="{}">{}</a></th>\n      <td>{}</td>\n'
    '      <td>{}</td>\n      <td class="ks-num">{}</td>\n      <td class="ks-num">{}</td>\n'
    "      <td>{}</td>\n    </tr>"
)


def overview_rows(page: OverviewPage) -> list[tuple[PageGroup, SafeString]]:
    """Each group of the page with its rows' HTML.

    Built here rather than in the template: a template row (a dozen lookups, a status tag
    include, two filters) was most of a 100-row page. Labels, status tags and shares are
    worked out once per page; character for character what the template rendered
    (``tests/test_overview_pages.py`` renders both).
    """
    forms = {code: escape(str(label)) for code, label in LegalForm.choices}
    areas = {code: escape(str(label)) for code, label in Area.choices}
    tag = StatusTags(Status.choices)
    shares: dict[Decimal, str] = {}

    def share(value: Decimal | None) -> str:
        if value is None:
            return "–"
        shown = shares.get(value)
        if shown is None:
            shown = shares[value] = overviews.format_share(value) or "–"
        return shown

    by_area = page.by_area
    groups = []
    for group in page.groups:
        html = []
        for row in group.rows:
            if by_area:
                second = forms.get(row.legal_form) or escape(row.legal_form)
            else:
                second = SafeString(", ".join(areas[code] for code in row.areas))
            html.append(
                format_html(
                    _OVERVIEW_ROW,
                    row.url,
                    row.name,
                    second,
                    tag(row.status),
                    share(row.ownership_share),
                    share(row.liability_share),
                    "–" if row.host_name is None else row.host_name,
                )
            )
        groups.append((group, SafeString("".join(html))))
    return groups


def _overview_page(
    request: HttpRequest, *, place: Municipality | County, organisation: Organisation
) -> HttpResponse:
    if request.GET.get("format") == "csv":
        overview = overviews.organisation_overview(user=request.user, organisation=organisation)
        return overview_csv(overview, filename=f"samarbeid-{place.number}")
    # One grouping at a time, a page of rows at a time: Hamar takes part in 1 300 cooperations
    # in the bench, and both groupings of them all were 2 000 table rows.
    page = overviews.organisation_overview_page(
        user=request.user,
        organisation=organisation,
        grouping=request.GET.get("group", "area"),
        page=request.GET.get("page", 1),
    )
    return render(
        request,
        "cooperations/municipality_overview.html",
        {
            "place": place,
            "organisation": organisation,
            "overview": page,
            "overview_rows": overview_rows(page),
            "page_obj": page.page,
            "paginator": page.page.paginator,
            "is_paginated": page.page.has_other_pages(),
            **_place_context(place),
        },
    )


def municipality_cooperations(request: HttpRequest, number: str) -> HttpResponse:
    """Every cooperation the municipality takes part in; ``?format=csv`` downloads them."""
    municipality = places.municipality_get(number=number)
    organisation = overviews.municipal_organisation(user=request.user, municipality=municipality)
    return _overview_page(request, place=municipality, organisation=organisation)


def county_cooperations(request: HttpRequest, number: str) -> HttpResponse:
    """Every cooperation the county municipality takes part in; ``?format=csv`` as well."""
    county = places.county_get(number=number)
    organisation = overviews.municipal_organisation(user=request.user, county=county)
    return _overview_page(request, place=county, organisation=organisation)


# --- ownership report (kommuneloven § 26-1) ---------------------------------------------------


def _report_page(
    request: HttpRequest, *, place: Municipality | County, organisation: Organisation
) -> HttpResponse:
    """The full ownership report (kommuneloven § 26-1): the ownership register's interests and
    this register's cooperations in force, grouped as the statute groups them."""
    from kraftsenter.ownership.permissions import INTEREST_POLICY, STATEMENT_POLICY
    from kraftsenter.ownership.report import ownership_report

    report = ownership_report(
        user=request.user, organisation=organisation, today=timezone.localdate()
    )
    return render(
        request,
        "cooperations/ownership_report.html",
        {
            "place": place,
            "organisation": organisation,
            "report": report,
            "can_add_interest": INTEREST_POLICY.can(request.user, "create"),
            "can_add_statement": STATEMENT_POLICY.can(request.user, "create"),
            **_place_context(place),
        },
    )


def municipality_ownership_report(request: HttpRequest, number: str) -> HttpResponse:
    """The printable ownership report of the municipality (kommuneloven § 26-1)."""
    municipality = places.municipality_get(number=number)
    organisation = overviews.municipal_organisation(user=request.user, municipality=municipality)
    return _report_page(request, place=municipality, organisation=organisation)


def county_ownership_report(request: HttpRequest, number: str) -> HttpResponse:
    """The printable ownership report of the county municipality (kommuneloven § 26-1)."""
    county = places.county_get(number=number)
    organisation = overviews.municipal_organisation(user=request.user, county=county)
    return _report_page(request, place=county, organisation=organisation)


# --- a region: coverage matrix and network ----------------------------------------------------


#: A cooperation in a coverage cell; every value escaped by :func:`coverage_rows`.
_ITEM = '<li><a class="ds-link" href="%s">%s</a> <span class="ks-muted">(%s%s)</span></li>'


def coverage_rows(coverage: Coverage, list_url: str) -> list[tuple[CoverageRow, SafeString]]:
    """Each row of the coverage matrix with its cells' HTML (``<td>`` … ``</td>``).

    Built here rather than in the template: a template loop per listed cooperation (up to
    five per cell, 340 on a region of four) was a third of the page. Each cooperation's
    ``<li>`` is built once, however many cells list it. Character for character what the
    template rendered (``tests/test_overview_pages.py`` renders both).
    """
    planned = escape(", " + _("planned"))
    short_forms = {code: escape(str(label)) for code, label in SHORT_FORM_LABELS.items()}
    gap = format_html(
        '<td class="ks-cov__cell ks-cov__gap"><span aria-hidden="true">–</span>'
        '<span class="ds-sr-only">{}</span></td>',
        _("no cooperation"),
    )
    items: dict[int, str] = {}
    rows = []
    for row in coverage.rows:
        cells: list[str] = []
        for cell in row.cells:
            if not cell.items:
                cells.append(gap)
                continue
            cells.append('<td class="ks-cov__cell"><ul class="ks-cov__list">')
            for item in cell.shown:
                html = items.get(item.id)
                if html is None:
                    # format_html, without its per-argument checks (a tenth of the page).
                    form = short_forms.get(item.legal_form)
                    html = items[item.id] = _ITEM % (
                        html_escape(item.url),
                        html_escape(item.name),
                        html_escape(item.legal_form) if form is None else form,
                        planned if item.status == Status.PLANNED else "",
                    )
                cells.append(html)
            if cell.more:
                more = ngettext("and %(counter)s more", "and %(counter)s more", cell.more)
                cells.append(
                    format_html(
                        '<li><a class="ds-link" href="{}?municipality={}&amp;area={}">{}</a></li>',
                        list_url,
                        cell.municipality.number,
                        row.area,
                        more % {"counter": localize(cell.more)},
                    )
                )
            cells.append("</ul></td>")
        rows.append((row, SafeString("".join(cells))))
    return rows


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _edge_names(edge: NetworkEdge) -> str:
    """The first names of the shared cooperations, and how many more ("…, and 12 more")."""
    names = ", ".join(edge.shown_names)
    if edge.more_names:
        more = ngettext("and %(counter)s more", "and %(counter)s more", edge.more_names)
        names = f"{names} {more % {'counter': edge.more_names}}"
    return names


def network_svg(network: Network, *, width: int = 640, height: int = 480) -> SafeString:
    """The members on a circle (the centre at the top), lines between those that cooperate.

    Line thickness comes from a class per number of shared cooperations (capped); every line
    and node has a ``<title>``; nodes link to the municipality's cooperations. No inline style.
    """
    nodes = network.nodes
    if not nodes:
        return SafeString("")
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - 70
    positions: dict[int, tuple[float, float, float]] = {}
    for i, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / len(nodes)
        r = radius if len(nodes) > 1 else 0.0
        positions[node.municipality.pk] = (
            cx + r * math.cos(angle),
            cy + r * math.sin(angle),
            angle,
        )
    parts = [
        format_html(
            '<svg class="ks-net" viewBox="0 0 {} {}" width="{}" height="{}" role="group" '
            'aria-labelledby="ks-net-title ks-net-desc" xmlns="http://www.w3.org/2000/svg">'
            '<title id="ks-net-title">{}</title><desc id="ks-net-desc">{}</desc>',
            width,
            height,
            width,
            height,
            _("Cooperation network of %(region)s") % {"region": network.region.name},
            _(
                "Each line joins two municipalities that take part in the same cooperation; the "
                "more cooperations they share, the thicker the line. The same pairs are listed "
                "in the table below."
            ),
        )
    ]
    for edge in network.edges:
        x1, y1, _a = positions[edge.a.pk]
        x2, y2, _b = positions[edge.b.pk]
        title = ngettext(
            "%(a)s and %(b)s share %(count)s cooperation: %(names)s",
            "%(a)s and %(b)s share %(count)s cooperations: %(names)s",
            edge.weight,
        ) % {
            "a": edge.a.name_nb,
            "b": edge.b.name_nb,
            "count": edge.weight,
            "names": _edge_names(edge),
        }
        parts.append(
            format_html(
                '<line class="ks-net__edge ks-net__edge--{}" x1="{}" y1="{}" x2="{}" y2="{}">'
                "<title>{}</title></line>",
                min(edge.weight, MAX_EDGE_CLASS),
                _fmt(x1),
                _fmt(y1),
                _fmt(x2),
                _fmt(y2),
                title,
            )
        )
    for node in nodes:
        x, y, angle = positions[node.municipality.pk]
        cos, sin = math.cos(angle), math.sin(angle)
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        lx = x + 16 * cos if len(nodes) > 1 else x
        ly = y + 16 * sin + (12 if sin > 0.3 else -4 if sin < -0.3 else 4)
        if len(nodes) == 1:
            ly = y - 20
        label = ngettext(
            "%(name)s: %(count)s cooperation",
            "%(name)s: %(count)s cooperations",
            node.cooperation_count,
        ) % {"name": node.municipality.name_nb, "count": node.cooperation_count}
        css = "ks-net__node ks-net__node--centre" if node.is_centre else "ks-net__node"
        parts.append(
            format_html(
                '<a href="{}" aria-label="{}"><circle class="{}" cx="{}" cy="{}" r="{}">'
                '<title>{}</title></circle><text class="ks-net__label" x="{}" y="{}" '
                'text-anchor="{}">{}</text></a>',
                reverse("cooperations:municipality-cooperations", args=[node.municipality.number]),
                label,
                css,
                _fmt(x),
                _fmt(y),
                12 if node.is_centre else 9,
                label,
                _fmt(lx),
                _fmt(ly),
                anchor,
                node.municipality.name_nb,
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308
    return SafeString("".join(parts))


def region_coverage_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Areas × the region's municipalities: which cooperation covers what, and the gaps; then
    the network of which municipalities cooperate, drawn and as a table."""
    region = places.region_get(slug=slug)
    links = overviews.region_links(user=request.user, region=region)
    coverage = overviews.region_coverage(user=request.user, region=region, links=links)
    network = overviews.region_network(user=request.user, region=region, links=links)
    columns = [
        (m, reverse("cooperations:municipality-cooperations", args=[m.number]), count)
        for m, count in zip(coverage.members, coverage.covered_counts, strict=True)
    ]
    return render(
        request,
        "cooperations/region_coverage.html",
        {
            "region": region,
            "coverage": coverage,
            "columns": columns,
            "network": network,
            "drawing": network_svg(network) if network.edges else SafeString(""),
            "coverage_rows": coverage_rows(coverage, reverse("cooperations:cooperation-list")),
        },
    )
