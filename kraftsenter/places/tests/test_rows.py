"""Place lists and pages with their rows worked out once per list (issue 14): the same links,
numbers and "no data" as before, in a number of queries that does not grow with the rows."""

from __future__ import annotations

import re

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kraftsenter.demo.loader import load_demo_content
from kraftsenter.places import selectors
from kraftsenter.places.models import Municipality

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[str]:
    return html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]


def test_municipality_list_rows_link_each_page_and_say_no_data(client, small_places):
    rows = _rows(client.get("/kommuner/").content.decode())
    assert len(rows) == 4
    for row, m in zip(rows, Municipality.objects.order_by("number"), strict=True):
        assert f'href="{m.get_absolute_url()}"' in row and f"<td>{m.number}</td>" in row
    with translation.override("nb"):
        no_data = translation.gettext("no data")
        # Hamar's latest population (2022) grouped as the page's language groups it
        assert f'<td class="ks-num">{intcomma(31200)}</td>' in rows[0]
    # Løten has no figure for the latest year: "no data", never "None" or 0
    assert f'<td class="ks-num">{no_data}</td>' in rows[1] and "None" not in rows[1]
    assert f'<td class="ks-num">{intcomma(2630)}</td>' in rows[3]


def test_place_urls_give_each_place_its_own_address(small_places):
    url = selectors.place_urls()
    for m in Municipality.objects.all():
        assert url(m.number) == m.get_absolute_url()
    county = selectors.place_urls("places:county-detail")
    assert county("56") == "/fylker/56/" and county("03") == "/fylker/03/"


def test_county_page_links_municipalities_and_map_in_constant_queries(
    client, builtin_places, small_places
):
    with CaptureQueriesContext(connection) as few:
        html = client.get("/fylker/34/").content.decode()
    with CaptureQueriesContext(connection) as many:
        client.get("/fylker/18/")
    assert Municipality.objects.filter(county__number="18").count() >= 10
    assert len(many) == len(few)
    rows = _rows(html)
    numbers = [re.search(r"<td>(\d{4})</td>", r)[1] for r in rows]  # type: ignore[index]
    for number, row in zip(numbers, rows, strict=True):
        assert f'href="/kommuner/{number}/"' in row
    # each drawn municipality links to its page from the map too
    assert '<a href="/kommuner/3403/" aria-label="Hamar">' in html


def test_each_county_page_lists_its_own_municipalities_and_populations(client, small_places):
    """The county's municipalities are read with a statement kept per process (the county
    and the year its parameters): the second county read lists its own, with its figures."""
    for number, expected in (
        ("34", [("3403", 31200), ("3412", None)]),
        ("56", [("5601", 21100), ("5610", 2630)]),
        ("34", [("3403", 31200), ("3412", None)]),
    ):
        rows = _rows(client.get(f"/fylker/{number}/").content.decode())
        assert len(rows) == len(expected), number
        for (municipality, population), row in zip(expected, rows, strict=True):
            assert f'href="/kommuner/{municipality}/"' in row
            with translation.override("nb"):
                text = (
                    translation.gettext("no data") if population is None else intcomma(population)
                )
            assert f'<td class="ks-num">{text}</td>' in row, (number, municipality)


def test_county_map_shows_a_changed_boundary_at_once(client, small_places):
    """The county map's drawing is kept per process for the boundaries it was drawn from: a
    boundary an import changes is drawn at the next request, never the kept old one."""
    hamar = Municipality.objects.get(number="3403")

    def hamar_path() -> str:
        html = client.get("/fylker/34/").content.decode()
        return html.split('aria-label="Hamar">')[1].split("</a>")[0]

    before = hamar_path()
    assert hamar_path() == before
    ring = [[11.0, 60.7], [11.3, 60.7], [11.3, 60.9], [11.0, 60.9], [11.0, 60.7]]
    Municipality.objects.filter(pk=hamar.pk).update(
        boundary={"type": "Polygon", "coordinates": [ring]}
    )
    after = hamar_path()
    assert after != before and after.count(" L") == 4  # the new five-point ring


def _hamar_region_path(html: str) -> str:
    return html.split('aria-label="Hamar">')[1].split("</a>")[0]


def test_region_page_draws_the_members_boundaries_as_stored(client, small_places):
    load_demo_content(say=lambda s: None)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/regioner/hamarregionen/").content.decode()
    # The members are read once without their boundaries, and the boundaries in one query of
    # their own (none per member; on PostgreSQL the rows' versions first, places.boundaries);
    # their populations are read as figures alone.
    reads = [q["sql"] for q in queries if 'FROM "places_municipality"' in q["sql"]]
    assert len(reads) == (3 if connection.vendor == "postgresql" else 2)
    assert len([sql for sql in reads if '"boundary"' in sql]) == 1
    if connection.vendor == "postgresql":  # the texts are kept: the next request reads none
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/regioner/hamarregionen/").content.decode() == html
        assert not [q for q in queries if '"boundary"' in q["sql"]]
    assert html.count("<path") == 2 and '<a href="/kommuner/3412/"' in html
    # A changed boundary is drawn at the next request (the kept drawing is for the old text).
    hamar = Municipality.objects.get(number="3403")
    ring = [[11.0, 60.7], [11.2, 60.7], [11.3, 60.8], [11.2, 60.9], [11.0, 60.9], [11.0, 60.7]]
    before = _hamar_region_path(html)
    Municipality.objects.filter(pk=hamar.pk).update(
        boundary={"type": "Polygon", "coordinates": [ring]}
    )
    html = client.get("/regioner/hamarregionen/").content.decode()
    after = _hamar_region_path(html)
    assert after != before and after.count(" L") == 5  # the new six-point ring
    rows = _rows(html)
    assert 'href="/kommuner/3403/"' in rows[0] and 'href="/kommuner/3412/"' in rows[1]
    with translation.override("nb"):
        assert translation.gettext("no data") in rows[1]  # Løten's latest year is missing
        # Hamar's figure of the latest year (2022), grouped as the page's language groups it
        assert f'<td class="ks-num">{intcomma(31200)}</td>' in rows[0]


def test_organisation_lists_on_place_pages_link_each_organisation(client, small_places):
    from kraftsenter.actors.models import Organisation
    from kraftsenter.actors.services import organisations_sync_from_places

    organisations_sync_from_places()
    html = client.get("/kommuner/5601/").content.decode()
    alta = Organisation.objects.get(municipality__number="5601")
    assert f'href="{alta.get_absolute_url()}">{alta.name}</a>' in html
    html = client.get("/fylker/56/").content.decode()
    county = Organisation.objects.get(county__number="56", municipality=None)
    assert f'href="{county.get_absolute_url()}">{county.name}</a>' in html


def test_api_municipalities_give_each_its_address(client, small_places):
    items = client.get("/api/v1/municipalities").json()["items"]
    assert [i["number"] for i in items] == ["3403", "3412", "5601", "5610"]
    for item in items[1:]:
        assert item["url"] == f"/kommuner/{item['number']}/"
    assert client.get("/api/v1/municipalities/5610").json()["url"] == "/kommuner/5610/"


#: The three tables' loops as the templates wrote them before places/rows.py.
OLD_LOOPS = {
    "list": (
        '{% for m in municipalities %}\n    <tr><td>{{ m.number }}</td><td><a class="ds-link" '
        'href="{{ m.url }}">{{ m.name }}</a></td><td>{{ m.county.name_nb }}</td><td '
        'class="ks-num">{{ m.centrality_class|default:"–" }}</td><td class="ks-num">'
        "{{ m.population_text }}</td></tr>\n  {% endfor %}"
    ),
    "county": (
        '{% for m in municipalities %}\n    <tr><td>{{ m.number }}</td><td><a class="ds-link" '
        'href="{{ m.url }}">{{ m.name }}</a></td><td class="ks-num">'
        '{{ m.centrality_class|default:"–" }}</td><td class="ks-num">{{ m.population_text }}'
        "</td></tr>\n  {% endfor %}"
    ),
    "region": (
        "{% load i18n %}{% for m in municipalities %}\n    <tr><td>{{ m.number }}</td><td><a "
        'class="ds-link" href="{{ m.url }}">{{ m.name }}</a></td><td>{% if forloop.first %}'
        '{% translate "centre" %}{% else %}{% translate "hinterland" %}{% endif %}</td><td '
        'class="ks-num">{{ m.population_text }}</td></tr>\n  {% endfor %}'
    ),
}


@pytest.mark.parametrize("language", ["nb", "se"])
def test_municipality_rows_are_the_markup_the_templates_wrote(small_places, language):
    from django.template import Context, Template

    from kraftsenter.places.rows import municipality_rows

    municipalities = list(selectors.municipality_list().order_by("number"))
    # Text that must be escaped, a missing centrality class and a missing population.
    municipalities[0].name = 'Hamar <b>"&"</b>'
    municipalities[1].centrality_class = None
    with translation.override(language):
        rows = selectors.with_rows(municipalities)
        assert len(rows) >= 3
        for kind, options in (
            ("list", {"county": True, "centrality": True}),
            ("county", {"centrality": True}),
            ("region", {"role": True}),
        ):
            old = Template(OLD_LOOPS[kind]).render(Context({"municipalities": rows}))
            assert str(municipality_rows(rows, **options)) == old, kind
    assert "&lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;" in old


_OLD_POPULATION_TABLE = (
    "{% load i18n humanize %}{% for f in series %}<tr><td>{{ f.year }}</td>"
    '<td class="ks-num">{% if f.population is None %}{% translate "no data" %}{% else %}'
    "{{ f.population|intcomma }}{% endif %}</td><td>{{ f.note }}</td></tr>{% endfor %}"
)
_OLD_ORGANISATIONS = (
    '{% for o in organisations %}<li><a class="ds-link" href="{{ o.url }}">{{ o.name }}</a>'
    "</li>{% endfor %}"
)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_population_and_organisation_rows_write_what_the_template_wrote(small_places, language):
    from types import SimpleNamespace

    from django.template import Context, Template

    from kraftsenter.places.rows import organisation_links, population_rows

    loten = Municipality.objects.get(number="3412")
    recent, latest = selectors.municipality_population_recent(municipality=loten, years=11)
    series = recent[::-1]
    orgs = [
        SimpleNamespace(name="Løten IL & venner <ungdom>", url="/organisasjoner/1/"),
        SimpleNamespace(name="Løten kommune", url="/organisasjoner/2/"),
    ]
    with translation.override(language):
        assert population_rows(series) == Template(_OLD_POPULATION_TABLE).render(
            Context({"series": series})
        )
        assert organisation_links(orgs) == Template(_OLD_ORGANISATIONS).render(
            Context({"organisations": orgs})
        )
    # Løten's 2022 has no figure: the latest known is 2021's, the table says "no data".
    assert [f.year for f in recent] == [2020, 2021, 2022]
    assert (latest.year, latest.population) == (2021, 7650)


def test_latest_population_is_found_before_the_years_shown(small_places):
    from kraftsenter.places.models import PopulationFigure

    hamar = Municipality.objects.get(number="3403")
    PopulationFigure.objects.bulk_create(
        PopulationFigure(municipality=hamar, year=year, population=None, note="mangler")
        for year in range(2023, 2035)
    )
    recent, latest = selectors.municipality_population_recent(municipality=hamar, years=11)
    assert [f.year for f in recent] == list(range(2024, 2035))
    assert all(f.population is None for f in recent)
    assert (latest.year, latest.population) == (2022, 31200)


def test_the_latest_population_year_is_the_newest_with_a_figure(
    client, small_places, django_assert_num_queries
):
    from kraftsenter.places.models import PopulationFigure

    assert selectors.latest_population_year() == 2022
    hamar = Municipality.objects.get(number="3403")
    # A newer year without a figure (a note only) is not a population year; one with is.
    PopulationFigure.objects.create(municipality=hamar, year=2024, population=None, note="x")
    with django_assert_num_queries(1):
        assert selectors.latest_population_year() == 2022
    PopulationFigure.objects.create(municipality=hamar, year=2023, population=31300)
    assert selectors.latest_population_year() == 2023
    assert "Befolkning 2023" in client.get("/kommuner/").content.decode()
    PopulationFigure.objects.all().delete()
    assert selectors.latest_population_year() is None
