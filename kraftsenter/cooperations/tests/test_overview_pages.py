"""A municipality's cooperations a page at a time, one grouping at a time; the region network
counted in SQL (issue 14: logged-in pages at national scale)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kraftsenter.cooperations import overviews
from kraftsenter.places.models import Municipality
from kraftsenter.places.services import region_create

from .test_overviews import create, register  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
with_register = pytest.mark.usefixtures("register")


def _rows(html: str) -> list[str]:
    """The cooperation names in the table's rows, in order."""
    table = html.split("<table")[1].split("</table>")[0]
    return re.findall(r'<th scope="row"><a class="ds-link" href="[^"]+">([^<]+)</a>', table)


def _groups(html: str) -> list[str]:
    table = html.split("<table")[1].split("</table>")[0]
    return re.findall(
        r'<th scope="rowgroup" colspan="6">[^<]*<span class="ks-muted">\((\d+)\)', table
    )


@with_register
def test_page_shows_one_grouping_a_page_at_a_time(client, orgs, monkeypatch):
    monkeypatch.setattr(overviews, "OVERVIEW_PAGE_SIZE", 3)
    full = overviews.organisation_overview(user=None, organisation=orgs["3403"])
    by_area = [p.cooperation.name for g in full.by_area for p in g.participations]
    by_form = [p.cooperation.name for g in full.by_form for p in g.participations]
    assert len(by_area) == 12  # nine cooperations, three of them in two areas

    pages = [client.get("/kommuner/3403/samarbeid/", {"page": n}) for n in (1, 2, 3, 4)]
    assert all(r.status_code == 200 for r in pages)
    seen = [name for r in pages for name in _rows(r.content.decode())]
    # Every row once, in the order of the full overview, three to a page.
    assert seen == by_area
    assert [len(_rows(r.content.decode())) for r in pages] == [3, 3, 3, 3]
    first = pages[0].content.decode()
    assert 'data-grouping="area"' in first and "?page=2" in first
    # A group's count is its total, also when the page shows only part of it.
    audit = next(g for g in full.by_area if g.code == "audit")
    assert len(audit.participations) == 2

    by_form_pages = [
        client.get("/kommuner/3403/samarbeid/", {"group": "form", "page": n}) for n in (1, 2, 3)
    ]
    seen = [name for r in by_form_pages for name in _rows(r.content.decode())]
    assert seen == by_form
    assert 'data-grouping="form"' in by_form_pages[0].content.decode()
    assert "group=form" in by_form_pages[0].content.decode()  # the next page keeps it


@with_register
def test_group_counts_are_totals_across_pages(client, orgs, monkeypatch):
    monkeypatch.setattr(overviews, "OVERVIEW_PAGE_SIZE", 1)
    full = overviews.organisation_overview(user=None, organisation=orgs["3403"])
    ko = next(g for g in full.by_form if g.code == "ko")
    assert len(ko.participations) == 2
    page = overviews.organisation_overview_page(
        user=None, organisation=orgs["3403"], grouping="form", page=1
    )
    assert page.total == len(full.participations) == 9
    assert page.group_totals["ko"] == 2
    assert page.areas_without == full.areas_without
    html = client.get("/kommuner/3403/samarbeid/", {"group": "form", "page": 1}).content.decode()
    assert _groups(html) == [str(page.group_totals[page.groups[0].code])]


@with_register
@pytest.mark.parametrize("value", ["0", "-3", "999", "x", "1e9"])
def test_page_number_out_of_range_is_clamped(client, orgs, monkeypatch, value):
    monkeypatch.setattr(overviews, "OVERVIEW_PAGE_SIZE", 4)
    response = client.get("/kommuner/3403/samarbeid/", {"page": value, "group": "nonsense"})
    assert response.status_code == 200
    assert 'data-grouping="area"' in response.content.decode()
    assert len(_rows(response.content.decode())) in (3, 4)  # the first or the last page


@with_register
def test_page_queries_do_not_grow_with_pages(client, orgs, monkeypatch):
    monkeypatch.setattr(overviews, "OVERVIEW_PAGE_SIZE", 2)
    counts = []
    for params in ({}, {"page": 3}, {"group": "form"}, {"group": "form", "page": 4}):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/kommuner/3403/samarbeid/", params).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert len(set(counts)) == 1, counts


def test_network_names_the_first_five_of_a_pair_and_counts_the_rest(orgs):
    region = region_create(
        actor=None,
        name="Tett nettverk",
        centre=Municipality.objects.get(number="3403"),
        hinterland=[
            Municipality.objects.get(number="3412"),
            Municipality.objects.get(number="5610"),
        ],
    )
    for i in range(7):
        create(orgs, f"Felles {i} KO", "ko", {"3403": "50", "3412": "50"}, ["ict"])
    create(orgs, "Tre sammen KO", "ko", {"3403": "40", "3412": "30", "5610": "30"}, ["health"])
    network = overviews.region_network(user=None, region=region)
    edges = {(e.a.number, e.b.number): e for e in network.edges}
    assert set(edges) == {("3403", "3412"), ("3403", "5610"), ("3412", "5610")}
    heavy = edges[("3403", "3412")]
    assert heavy.weight == 8 and heavy.more_names == 3
    assert heavy.shown_names == [f"Felles {i} KO" for i in range(5)]  # by name
    assert edges[("3412", "5610")].names == ["Tre sammen KO"]
    assert network.edges[0] is heavy
    counts = {n.municipality.number: n.cooperation_count for n in network.nodes}
    assert counts == {"3403": 8, "3412": 8, "5610": 1}
    page = Client().get(f"/regioner/{region.slug}/samarbeid/").content.decode()
    svg = page.split('<svg class="ks-net"')[1].split("</svg>")[0]
    # The heavy edge's title: five names and "and 3 more" (in bokmål), not all eight.
    assert svg.count("og 3 til") == 1 and "Felles 6 KO" not in svg


#: The coverage cells as the template rendered them before ``coverage_rows`` built them.
CELLS_TEMPLATE = (
    '{% load i18n %}{% for cell in row.cells %}{% if cell.items %}<td class="ks-cov__cell">'
    '<ul class="ks-cov__list">{% for item in cell.shown %}<li><a class="ds-link" '
    'href="{{ item.url }}">{{ item.name }}</a> <span class="ks-muted">({{ item.short_form }}'
    '{% if item.planned %}, {% translate "planned" %}{% endif %})</span></li>{% endfor %}'
    '{% if cell.more %}<li><a class="ds-link" href="{{ list_url }}?municipality='
    '{{ cell.municipality.number }}&amp;area={{ row.area }}">{% blocktranslate count '
    "counter=cell.more %}and {{ counter }} more{% plural %}and {{ counter }} more"
    '{% endblocktranslate %}</a></li>{% endif %}</ul></td>{% else %}<td class="ks-cov__cell '
    'ks-cov__gap"><span aria-hidden="true">–</span><span class="ds-sr-only">{% translate '
    '"no cooperation" %}</span></td>{% endif %}{% endfor %}'
)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_coverage_cells_are_what_the_template_rendered(orgs, language):
    from django.template import Context, Template
    from django.utils import translation

    from kraftsenter.cooperations.overview_views import coverage_rows

    region = region_create(
        actor=None,
        name="Celler",
        centre=Municipality.objects.get(number="3403"),
        hinterland=[Municipality.objects.get(number="3412")],
    )
    for i in range(7):  # a full cell with "and 2 more", names with characters to escape
        create(orgs, f"IKT & «{i}» KO", "ko", {"3403": "50", "3412": "50"}, ["ict"])
    create(orgs, "Planlagt helse KO", "ko", {"3403": "50", "5610": "50"}, ["health"])
    template = Template(CELLS_TEMPLATE)
    with translation.override(language):
        coverage = overviews.region_coverage(user=None, region=region)
        rows = coverage_rows(coverage, "/samarbeid/")
        assert [row for row, _cells in rows] == coverage.rows
        for row, cells in rows:
            expected = template.render(Context({"row": row, "list_url": "/samarbeid/"}))
            assert cells == expected, row.area
    ict = dict((row.area, cells) for row, cells in rows)["ict"]
    assert ict.count("<li>") == 2 * 6 and "&amp; «0»" in ict  # five and "and 2 more", each
