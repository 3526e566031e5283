"""Region and municipality profiles, indicator maps and the profile API, on small synthetic data.

The place: county 40 with the centre Sentrum (4001), its hinterland Bygd (4002) and Dal (4003),
and Nabo (4004) outside the region; county 50 with Fjern (5001), which has population and
commuting figures only.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.knowledge.maps import INDICATORS, indicator_map, quantile_classes
from kraftsenter.knowledge.models import (
    CommutingFlow,
    EmissionFigure,
    EmploymentFigure,
    IndustryEmployment,
)
from kraftsenter.knowledge.profile import municipality_profile, region_profile
from kraftsenter.places.models import County, Municipality, PopulationFigure, Region

pytestmark = pytest.mark.django_db

START = dt.date(2024, 1, 1)
# number: (name, county, population 2016, yearly change)
PLACES = {
    "4001": ("Sentrum", "40", 1000, 20),
    "4002": ("Bygd", "40", 500, -5),
    "4003": ("Dal", "40", 300, 3),
    "4004": ("Nabo", "40", 800, 0),
    "5001": ("Fjern", "50", 2000, 10),
}
FLOWS = {  # (home, work): employed, 2022
    ("4001", "4001"): 400, ("4001", "4002"): 20, ("4001", "4004"): 30, ("4001", "5001"): 10,
    ("4002", "4001"): 100, ("4002", "4002"): 80, ("4002", "4004"): 20,
    ("4003", "4001"): 50, ("4003", "4003"): 40, ("4003", "4002"): 10,
    ("4004", "4001"): 60, ("4004", "4004"): 300,
    ("5001", "4001"): 5, ("5001", "5001"): 500,
}  # fmt: skip
EMPLOYMENT = {"4001": (700, 460, 615), "4002": (300, 200, 110), "4003": (150, 100, 40)}
INDUSTRY = {"4001": (100, 300), "4002": (50, 50), "4003": (30, 20), "4004": (20, 380)}
EMISSIONS = {  # number: {year: {(sector, source): tonnes}}
    "4001": {
        2015: {("Veitrafikk", "Personbiler"): 600, ("Veitrafikk", "Tunge"): 400,
               ("Jordbruk", "Husdyr"): 200},
        2022: {("Veitrafikk", "Personbiler"): 500, ("Veitrafikk", "Tunge"): 300,
               ("Jordbruk", "Husdyr"): 200},
    },
    "4002": {
        2015: {("Veitrafikk", "Personbiler"): 300, ("Jordbruk", "Husdyr"): 500},
        2022: {("Veitrafikk", "Personbiler"): 250, ("Jordbruk", "Husdyr"): 450},
    },
    "4003": {
        2015: {("Veitrafikk", "Personbiler"): 100},
        2019: {("Veitrafikk", "Personbiler"): 95},
        2022: {("Veitrafikk", "Personbiler"): 90},
    },
}  # fmt: skip


def square(lon: float, lat: float, size: float = 0.4) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size]]
    return {"type": "Polygon", "coordinates": [[*ring, [lon, lat]]]}


def add_municipality(county: County, number: str, name: str, index: int) -> Municipality:
    lon, lat = 8 + 0.5 * index, 59 + 0.3 * (index % 2)
    return Municipality.objects.create(
        number=number,
        name=name,
        name_nb=name,
        county=county,
        valid_from=START,
        lon=lon + 0.2,
        lat=lat + 0.2,
        boundary=square(lon, lat),
    )


def add_population(m: Municipality, base: int, step: int) -> None:
    PopulationFigure.objects.bulk_create(
        PopulationFigure(municipality=m, year=y, population=base + step * (y - 2016))
        for y in range(2016, 2027)
    )


def add_industry(m: Municipality, industry: tuple[int, int], year: int = 2024) -> None:
    for name, n in zip(("Industri", "Helse- og sosialtjenester"), industry, strict=True):
        IndustryEmployment.objects.create(year=year, municipality=m, industry=name, employed=n)


@pytest.fixture
def place(db) -> dict:
    counties = {
        n: County.objects.create(
            number=n, name=f"Fylke {n}", name_nb=f"Fylke {n}", valid_from=START
        )
        for n in ("40", "50")
    }
    m = {}
    for index, (number, (name, county, base, step)) in enumerate(PLACES.items()):
        m[number] = add_municipality(counties[county], number, name, index)
        add_population(m[number], base, step)
    CommutingFlow.objects.bulk_create(
        CommutingFlow(year=2022, home=m[h], work=m[w], employed=n) for (h, w), n in FLOWS.items()
    )
    for number, (pop, res, wp) in EMPLOYMENT.items():
        EmploymentFigure.objects.create(
            year=2022,
            municipality=m[number],
            population_15_74=pop,
            employed_residence=res,
            employed_workplace=wp,
        )
    for number, industry in INDUSTRY.items():
        add_industry(m[number], industry)
    for number, years in EMISSIONS.items():
        for year, rows in years.items():
            for (sector, source), tonnes in rows.items():
                EmissionFigure.objects.create(
                    year=year,
                    municipality=m[number],
                    sector=sector,
                    source=source,
                    tonnes_co2e=tonnes,
                )
    region = Region.objects.create(name="Sentrumsregionen", slug="sentrum", centre=m["4001"])
    region.hinterland.set([m["4002"], m["4003"]])
    return {"m": m, "region": region, "counties": counties}


def section(html: str, key: str) -> str:
    return html.split(f'id="ks-p-{key}"')[1].split("</section>")[0]


def fact_values(html: str) -> list[str]:
    """The rendered value of each fact (the first span of each <dd>)."""
    return re.findall(r'<dd>(<span class="[^"]+">[^<]*</span>)', html)


# --- figures ---------------------------------------------------------------------------------


def test_population_total_and_ten_year_trend(place):
    p = region_profile(place["region"]).population
    assert (p.latest.value, p.latest.year, p.latest.source) == (1980, 2026, "SSB, tabell 07459")
    assert (p.base.value, p.base.year) == (1800, 2016)
    assert p.change.value == 180 and p.change_percent.value == pytest.approx(10.0)
    assert [f.year for f in p.series] == list(range(2016, 2027))


def test_employment_by_residence_and_workplace(place):
    e = region_profile(place["region"]).employment
    assert (e.employed_residence.value, e.employed_workplace.value) == (760, 765)
    assert e.population_15_74.value == 1150 and e.employed_residence.year == 2022
    assert e.jobs_per_employed.value == pytest.approx(765 / 760)
    assert e.employment_rate.source == "SSB, tabell 11618"


def test_the_key_sections_are_the_profiles_without_reading_industries_or_emissions(place):
    """The start page's key figures (region_key_sections) are the profile's sections, read
    without the industries' and emissions' queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kraftsenter.knowledge.profile import region_key_sections

    with CaptureQueriesContext(connection) as whole:
        profile = region_profile(place["region"])
    with CaptureQueriesContext(connection) as part:
        key = region_key_sections(place["region"])
    assert (key.population, key.employment, key.commuting) == (
        profile.population,
        profile.employment,
        profile.commuting,
    )
    assert key.commuting.living_and_working.value == 700
    read = " ".join(q["sql"] for q in part.captured_queries)
    assert "knowledge_emissionfigure" not in read and "knowledge_industryemployment" not in read
    assert len(part.captured_queries) < len(whole.captured_queries)


def test_commuting_shares_and_self_containment(place):
    c = region_profile(place["region"]).commuting
    assert (c.year, c.jobs.value, c.employed_residents.value) == (2022, 765, 760)
    assert c.living_and_working.value == 700
    assert c.self_containment.value == pytest.approx(700 / 765 * 100)
    assert c.out_commuting_share.value == pytest.approx(60 / 760 * 100)
    assert c.in_commuting_share.value == pytest.approx(65 / 765 * 100)
    assert (c.centre_jobs.value, c.centre_jobs_local.value) == (615, 400)
    bygd, dal = c.hinterland
    assert (bygd.name, bygd.to_centre.value, bygd.employed_residents.value) == ("Bygd", 100, 200)
    assert bygd.to_centre_share.value == pytest.approx(50.0)
    assert bygd.share_of_centre_jobs.value == pytest.approx(100 / 615 * 100)
    assert dal.share_of_centre_jobs.value == pytest.approx(50 / 615 * 100)
    assert (bygd.from_centre.value, dal.from_centre.value) == (20, 0)  # a real zero flow
    assert [(f.name, f.employed.value) for f in c.destinations] == [("Nabo", 50), ("Fjern", 10)]
    assert [(f.name, f.employed.value) for f in c.origins] == [("Nabo", 60), ("Fjern", 5)]
    assert c.self_containment.source == "SSB, tabell 03321"
    # The other side: residents working in the region, of all its employed residents.
    assert c.residents_self_containment.value == pytest.approx(700 / 760 * 100)


def test_profile_page_names_both_sides_of_self_containment_and_the_years(client, place):
    page = client.get(f"/regioner/{place['region'].slug}/profil/").content.decode()
    assert "Bosattes selvforsyningsgrad" in page and "Arbeidsplassenes selvforsyningsgrad" in page
    # Industry 2024 beside employment 2022: said, with both years, and the LQ denominator.
    note = re.search(r'<p class="ks-note">([^<]*2024[^<]*)</p>', page)
    assert note and "2022" in note.group(1)
    assert "Uoppgitt" in page
    body = client.get(f"/api/v1/regions/{place['region'].slug}/profile").json()
    assert body["commuting"]["residents_self_containment"]["value"] == pytest.approx(
        700 / 760 * 100
    )
    assert "2024" in body["industry"]["years_note"] and "2022" in body["industry"]["years_note"]


def test_location_quotients_against_county_and_no_data_against_country(place):
    industry = region_profile(place["region"]).industry
    rows = {r.industry: r for r in industry.rows}
    assert industry.year == 2024 and industry.total.value == 550
    lq = rows["Industri"].lq_county
    assert lq.value == pytest.approx((180 / 550) / (200 / 950)) and lq.source == "SSB, tabell 13470"
    assert rows["Helse- og sosialtjenester"].lq_county.value == pytest.approx(
        (370 / 550) / (750 / 950)
    )
    assert rows["Industri"].strength and not rows["Helse- og sosialtjenester"].strength
    assert all(r.lq_country.value is None for r in industry.rows)  # Fjern has no industry data
    assert "2024" in rows["Industri"].lq_country.note and industry.country_note


def test_location_quotient_against_country_when_every_municipality_has_data(place):
    add_industry(place["m"]["5001"], (10, 90))
    rows = {r.industry: r for r in region_profile(place["region"]).industry.rows}
    assert rows["Industri"].lq_country.value == pytest.approx((180 / 550) / (210 / 1050))
    assert rows["Industri"].lq_country.note == ""


def test_industry_figures_added_since_are_read_at_the_next_profile(place):
    """The industry's statements are kept per process: figures added after a profile was read
    are in the next one (the country's quotient appears), and another place reads its own."""
    before = {r.industry: r for r in region_profile(place["region"]).industry.rows}
    assert before["Industri"].lq_country.value is None
    add_industry(place["m"]["5001"], (10, 90))
    after = {r.industry: r for r in region_profile(place["region"]).industry.rows}
    assert after["Industri"].lq_country.value == pytest.approx((180 / 550) / (210 / 1050))
    alone = municipality_profile(place["m"]["5001"])
    assert alone.industry.total.value == 100


def test_county_quotient_is_no_data_when_a_county_municipality_lacks_figures(place):
    IndustryEmployment.objects.filter(municipality=place["m"]["4004"]).delete()
    industry = region_profile(place["region"]).industry
    assert industry.total.value == 550
    assert all(r.lq_county.value is None for r in industry.rows) and industry.county_note


def test_emissions_by_sector_with_trend_and_per_capita(place):
    e = region_profile(place["region"]).emissions
    assert (e.total.value, e.total.year, e.base_total.value, e.base_total.year) == (
        1790,
        2022,
        2100,
        2015,
    )
    assert e.change_percent.value == pytest.approx((1790 - 2100) / 2100 * 100)
    assert e.per_capita.value == pytest.approx(1790 / (1120 + 470 + 318))
    sectors = {s.sector: s for s in e.sectors}
    assert (sectors["Veitrafikk"].base.value, sectors["Veitrafikk"].latest.value) == (1400, 1140)
    assert sectors["Jordbruk"].latest.value == 650
    # 2019: only Dal has figures, so the region has no total for it (not Dal's 95)
    assert [(f.year, f.value) for f in e.series] == [(2015, 2100), (2019, None), (2022, 1790)]
    assert e.total.source.startswith("Miljødirektoratet")


def test_missing_statistics_are_none_not_zero(place):
    profile = municipality_profile(place["m"]["5001"])
    assert profile.population.latest.value == 2100
    assert profile.employment.employed_residence.value is None
    assert profile.employment.jobs_per_employed.value is None
    assert profile.industry.total.value is None and profile.industry.rows == []
    assert profile.emissions.total.value is None and profile.emissions.per_capita.value is None
    assert profile.emissions.sectors == []
    assert profile.commuting.self_containment.value == pytest.approx(500 / 510 * 100)


def test_region_total_is_no_data_when_a_member_lacks_the_year(place):
    PopulationFigure.objects.filter(municipality=place["m"]["4003"], year=2016).update(
        population=None
    )
    p = region_profile(place["region"]).population
    assert p.latest.value == 1980
    assert p.base.value is None and p.change.value is None and p.change_percent.value is None


def test_region_with_a_member_without_data_has_no_region_totals(place):
    region = Region.objects.create(name="Blandet", slug="blandet", centre=place["m"]["4001"])
    region.hinterland.set([place["m"]["5001"]])
    profile = region_profile(region)
    assert profile.employment.employed_residence.value is None
    assert profile.industry.total.value is None and profile.emissions.total.value is None
    fjern = profile.members[1]
    assert fjern.employed_residence.value is None and fjern.to_centre.value == 5


# --- pages -----------------------------------------------------------------------------------


def test_region_profile_page_has_charts_tables_sources_and_map(client, place):
    response = client.get("/regioner/sentrum/profil/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="ks-chart') >= 4 and html.count("<table") >= 6
    assert "SSB, tabell 07459" in html and "SSB, tabell 03321" in html
    assert "SSB, tabell 13470" in html and "Miljødirektoratet" in html
    assert "style=" not in html.split("<main")[1]  # CSP: classes only
    assert 'class="ks-map ks-choropleth"' in html and html.count("marker-end=") == 2
    assert "/kommuner/4002/profil/" in html


def test_municipality_profile_page_says_no_data_not_zero(client, place):
    html = client.get("/kommuner/5001/profil/").content.decode()
    main = html.split("<main")[1].split("</main>")[0]
    employment = fact_values(section(main, "employment"))
    assert len(employment) == 5
    assert all(v == '<span class="ks-nodata">ingen data</span>' for v in employment)
    assert fact_values(section(main, "emissions"))[0] == employment[0]
    assert fact_values(section(main, "population"))[0].startswith('<span class="ks-value">2')
    assert 'class="ks-value">0<' not in main and 'class="ks-value">0&nbsp;' not in main
    assert main.count('class="ks-nodata"') >= 5


def test_municipality_profile_page_unknown_number_is_404(client, place):
    assert client.get("/kommuner/9999/profil/").status_code == 404


def test_print_stylesheet_is_a4_without_navigation():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "knowledge.css").read_text()
    assert "@page { size: A4; margin: 15mm; }" in css
    assert re.search(r"@media print \{\s*\.ks-header, \.ks-footer, \.ks-nav", css)


# --- API -------------------------------------------------------------------------------------


def test_region_profile_api_shape_and_nulls(client, place):
    response = client.get(f"/api/v1/regions/{place['region'].slug}/profile")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Sentrumsregionen" and body["centre"] == "4001"
    assert body["population"]["latest"] == {
        "value": 1980,
        "source": "SSB, tabell 07459",
        "year": 2026,
        "unit": "",
        "note": "",
    }
    assert body["commuting"]["self_containment"]["value"] == pytest.approx(700 / 765 * 100)
    assert [h["number"] for h in body["commuting"]["hinterland"]] == ["4002", "4003"]
    row = body["industry"]["rows"][0]
    assert row["lq_country"]["value"] is None and row["lq_country"]["note"]
    assert {m["role"] for m in body["members"]} == {"centre", "hinterland"}


def test_municipality_profile_api_missing_is_null(client, place):
    body = client.get("/api/v1/municipalities/5001/profile").json()
    assert body["employment"]["employed_residence"]["value"] is None
    assert body["emissions"]["total"]["value"] is None
    assert body["industry"]["rows"] == [] and body["centre"] is None


@pytest.mark.parametrize("path", ["regions/finnes-ikke/profile", "municipalities/9999/profile"])
def test_profile_api_unknown_place_is_404_in_error_shape(client, place, path):
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found" and response.json()["status"] == 404


# --- maps ------------------------------------------------------------------------------------


def test_quantile_classes_by_rank_with_ties_and_no_data():
    assert quantile_classes([10, 20, 30, 40, 50]) == [1, 2, 3, 4, 5]
    assert quantile_classes([1, 2, 2, 3, 4, 5, 6, 7, 8, 9]) == [1, 1, 1, 2, 3, 3, 4, 4, 5, 5]
    assert quantile_classes([5, None, 5, 1]) == [3, None, 3, 1]  # spread: 3 values, 5 classes
    assert quantile_classes([7, 3]) == [5, 1] and quantile_classes([4]) == [3]
    assert quantile_classes([None]) == [None]


def test_county_map_colours_classes_with_legend_and_table(client, place):
    response = client.get("/kart/fylke/40/", {"indikator": "befolkning"})
    assert response.status_code == 200
    html = response.content.decode()
    svg = html.split('<svg class="ks-map ks-choropleth"')[1].split("</svg>")[0]
    classes = re.findall(r'<path class="ks-map__area ks-choro ks-choro--(\w+)', svg)
    assert sorted(classes) == ["1", "2", "4", "5"]  # four municipalities spread over five
    assert 'class="ks-legend"' in svg and svg.count('<rect class="ks-choro ') == 4
    assert "Nabo" in html and "SSB, tabell 07459" in html
    assert "<line" not in svg  # no commuting lines on a county map


def test_map_classes_follow_the_indicator_values(place):
    m = place["m"]
    members = [m["4001"], m["4002"], m["4003"], m["4004"]]
    drawn = indicator_map(
        municipalities=members, centre=None, indicator=INDICATORS["befolkning"], title="t"
    )
    by_name = {r.name: r for r in drawn.rows}
    # 2026: Sentrum 1200, Bygd 450, Dal 330, Nabo 800 → ranks 4, 2, 1, 3 of 4
    assert [by_name[n].quantile for n in ("Dal", "Bygd", "Nabo", "Sentrum")] == [1, 2, 4, 5]
    assert [e.count for e in drawn.legend] == [1, 1, 1, 1]
    assert drawn.year == 2026 and drawn.source == "SSB, tabell 07459"


def test_map_no_data_class_and_legend_entry(place):
    m = place["m"]
    drawn = indicator_map(
        municipalities=[m["4001"], m["5001"]],
        centre=None,
        indicator=INDICATORS["utslipp-per-innbygger"],
        title="t",
    )
    fjern = next(r for r in drawn.rows if r.name == "Fjern")
    assert fjern.quantile is None and fjern.css_class == "ks-choro--none"
    assert drawn.legend[-1].css_class == "ks-choro--none" and drawn.legend[-1].count == 1
    assert "ks-choro--none" in drawn.svg


def test_region_map_draws_commuting_lines_to_the_centre(client, place):
    html = client.get("/kart/region/sentrum/", {"indikator": "utpendling"}).content.decode()
    svg = html.split('<svg class="ks-map ks-choropleth"')[1].split("</svg>")[0]
    lines = re.findall(
        r'<line class="ks-flow (ks-flow--\d)" x1="[^"]+" y1="[^"]+" '
        r'x2="([^"]+)" y2="([^"]+)" marker-end',
        svg,
    )
    assert sorted(css for css, _x, _y in lines) == ["ks-flow--3", "ks-flow--5"]  # 50 and 100
    centre = re.search(r'<circle class="ks-map__centre" cx="([^"]+)" cy="([^"]+)"', svg)
    cx, cy = float(centre.group(1)), float(centre.group(2))
    for _css, x2, y2 in lines:  # every line ends at the centre's dot
        assert abs(float(x2) - cx) < 8 and abs(float(y2) - cy) < 8
    assert "Bygd → Sentrum: 100" in svg
    assert "ks-choro--centre" in svg


def test_unknown_indicator_is_422_listing_the_valid_ones(client, place):
    response = client.get("/kart/fylke/40/", {"indikator": "tull"})
    assert response.status_code == 422
    html = response.content.decode()
    for key in INDICATORS:
        assert f"?indikator={key}" in html
    assert 'class="ks-map' not in html


def test_map_of_unknown_county_or_region_is_404(client, place):
    assert client.get("/kart/fylke/99/").status_code == 404
    assert client.get("/kart/region/ukjent/").status_code == 404


# --- constant query count --------------------------------------------------------------------


@pytest.fixture
def regions_2_and_6(place) -> tuple[Region, Region]:
    m, county = place["m"], place["counties"]["40"]
    extra = []
    for index, number in enumerate(("4005", "4006", "4007"), start=10):
        muni = add_municipality(county, number, f"Ekstra {number}", index)
        add_population(muni, 400, 1)
        EmploymentFigure.objects.create(
            year=2022,
            municipality=muni,
            population_15_74=200,
            employed_residence=100,
            employed_workplace=90,
        )
        CommutingFlow.objects.create(year=2022, home=muni, work=muni, employed=70)
        CommutingFlow.objects.create(year=2022, home=muni, work=m["4001"], employed=30)
        add_industry(muni, (10, 10))
        EmissionFigure.objects.create(
            year=2022, municipality=muni, sector="Veitrafikk", source="x", tonnes_co2e=50
        )
        extra.append(muni)
    small = Region.objects.create(name="Liten", slug="liten", centre=m["4001"])
    small.hinterland.set([m["4002"]])
    big = Region.objects.create(name="Stor", slug="stor", centre=m["4001"])
    big.hinterland.set([m["4002"], m["4003"], *extra])
    return small, big


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def test_profile_query_count_does_not_grow_with_region_size(regions_2_and_6):
    small, big = regions_2_and_6
    assert len(region_profile(big).members) == 6 and len(region_profile(small).members) == 2
    count = queries(lambda: region_profile(small))
    assert count == queries(lambda: region_profile(big)) and count <= 12


def test_pages_and_api_query_count_does_not_grow_with_region_size(client, regions_2_and_6):
    small, big = regions_2_and_6
    for url in ("/regioner/{}/profil/", "/kart/region/{}/"):
        # Warm up sessions and caches (on PostgreSQL the boundary texts kept per process).
        client.get(url.format(small.slug))
        client.get(url.format(big.slug))
        assert queries(lambda u=url: client.get(u.format(small.slug))) == queries(
            lambda u=url: client.get(u.format(big.slug))
        )
    api = "/api/v1/regions/{}/profile"
    assert queries(lambda: client.get(api.format(small.slug))) == queries(
        lambda: client.get(api.format(big.slug))
    )


@pytest.mark.parametrize(
    "path", ["regions/{slug}/profile", "municipalities/4001/profile", "municipalities/5001/profile"]
)
def test_profile_api_answers_byte_for_byte_what_ninja_would(client, place, monkeypatch, path):
    """The profiles are dumped directly (core.schema_dump), not validated by ninja figure by
    figure: the same body, whole numbers in float fields written as floats included."""
    from kraftsenter.core import api as core_api

    url = f"/api/v1/{path.format(slug=place['region'].slug)}"
    direct = client.get(url)
    monkeypatch.setattr(core_api, "DIRECT_ITEMS", False)
    validated = client.get(url)
    assert direct.status_code == validated.status_code == 200
    assert direct["Content-Type"] == validated["Content-Type"]
    assert direct.content == validated.content
    assert '"value":null' in direct.content.decode()  # missing figures, never 0
    assert re.search(r'"population":\{"value":\d+\.0,', direct.content.decode())


def test_each_region_reads_its_own_members_and_figures_at_every_request(regions_2_and_6, place):
    """The statements are kept per number of members, never the rows: another region of the
    same size reads its own, and a change shows at the next read."""
    from kraftsenter.knowledge.profile import region_members_read

    small, big = regions_2_and_6
    m = place["m"]
    assert [x.number for x in region_members_read(small)] == ["4001", "4002"]
    assert [x.number for x in region_members_read(big)] == [
        "4001",
        "4002",
        "4003",
        "4005",
        "4006",
        "4007",
    ]
    other = Region.objects.create(name="Annen", slug="annen", centre=m["4003"])
    other.hinterland.set([m["4001"]])
    assert [x.number for x in region_members_read(other)] == ["4003", "4001"]
    before = region_profile(small).population.latest.value
    small.hinterland.add(m["4003"])
    after = region_profile(small)
    assert [x.number for x in after.members] == ["4001", "4002", "4003"]
    added = region_profile(other).members[0].population.value  # 4003, the other's centre
    assert before and added and after.population.latest.value == before + added


#: The table bodies of knowledge/profile.html before knowledge/profile_rows.py built them.
OLD_TABLES = {
    "population": '{% load i18n %}{% for f in profile.population.series %}<tr><td>{{ f.year }}</td><td class="ks-num">{{ f.html }}</td></tr>{% empty %}<tr><td colspan="2"><span class="ks-nodata">{% translate "no data" %}</span></td></tr>{% endfor %}',  # noqa: E501
    "hinterland": '{% load i18n %}{% for h in profile.commuting.hinterland %}<tr><th scope="row">{{ h.name }}</th><td class="ks-num">{{ h.employed_residents.html }}</td><td class="ks-num">{{ h.to_centre.html }}</td><td class="ks-num">{{ h.to_centre_share.html }}</td><td class="ks-num">{{ h.share_of_centre_jobs.html }}</td><td class="ks-num">{{ h.from_centre.html }}</td></tr>{% empty %}<tr><td colspan="6">{% translate "The region has no hinterland municipalities." %}</td></tr>{% endfor %}',  # noqa: E501
    "destinations": '{% load i18n %}{% for f in profile.commuting.destinations %}<tr><td>{{ f.name }}</td><td class="ks-num">{{ f.employed.html }}</td></tr>{% empty %}<tr><td colspan="2"><span class="ks-nodata">{% translate "no data" %}</span></td></tr>{% endfor %}',  # noqa: E501
    "origins": '{% load i18n %}{% for f in profile.commuting.origins %}<tr><td>{{ f.name }}</td><td class="ks-num">{{ f.employed.html }}</td></tr>{% empty %}<tr><td colspan="2"><span class="ks-nodata">{% translate "no data" %}</span></td></tr>{% endfor %}',  # noqa: E501
    "industry": '{% for r in profile.industry.rows %}<tr{% if r.strength %} class="ks-strength"{% endif %}><th scope="row">{{ r.industry }}</th><td class="ks-num">{{ r.jobs.html }}</td><td class="ks-num">{{ r.share.html }}</td><td class="ks-num">{{ r.lq_county.html }}</td><td class="ks-num">{{ r.lq_country.html }}</td></tr>{% endfor %}',  # noqa: E501
    "emissions": '{% for f in profile.emissions.series %}<tr><td>{{ f.year }}</td><td class="ks-num">{{ f.html }}</td></tr>{% endfor %}',  # noqa: E501
    "sectors": '{% for s in profile.emissions.sectors %}<tr><th scope="row">{{ s.sector }}</th><td class="ks-num">{{ s.base.html }}</td><td class="ks-num">{{ s.latest.html }}</td><td class="ks-num">{{ s.change_percent.html }}</td></tr>{% endfor %}',  # noqa: E501
    "members": '{% load i18n %}{% for m in profile.members %}<tr><th scope="row"><a class="ds-link" href="{% url \'knowledge:municipality-profile\' m.number %}">{{ m.name }}</a>{% if m.role == "centre" %} ({% translate "centre" %}){% endif %}</th><td class="ks-num">{{ m.population.html }}</td><td class="ks-num">{{ m.population_change_percent.html }}</td><td class="ks-num">{{ m.employed_residence.html }}</td><td class="ks-num">{{ m.employed_workplace.html }}</td><td class="ks-num">{{ m.jobs_per_employed.html }}</td><td class="ks-num">{{ m.out_commuting_share.html }}</td><td class="ks-num">{{ m.emissions_per_capita.html }}</td></tr>{% endfor %}',  # noqa: E501
}


@pytest.mark.parametrize("language", ["nb", "se", "en"])
def test_the_tables_rows_are_what_the_template_wrote(place, language):
    """Region and municipality, with data and without (Fjern has no industry or emissions; a
    municipality on its own has no hinterland), in three languages: each table body as the
    template's loop wrote it, names with markup escaped."""
    from django.template import Context, Template
    from django.utils import translation

    from kraftsenter.knowledge.profile_rows import profile_tables

    Region.objects.filter(pk=place["region"].pk).update(name="Sentrum <og> omland")
    Municipality.objects.filter(number="4003").update(name="Dal & <b>Li</b>")
    with translation.override(language):
        profiles = [
            region_profile(region=Region.objects.get(pk=place["region"].pk)),
            municipality_profile(municipality=Municipality.objects.get(number="4001")),
            municipality_profile(municipality=Municipality.objects.get(number="5001")),
        ]
        for profile in profiles:
            tables = profile_tables(profile)
            for name, source in OLD_TABLES.items():
                expected = Template(source).render(Context({"profile": profile}))
                assert str(tables[name]) == expected, (profile.name, name)
    assert "Dal &amp; &lt;b&gt;Li&lt;/b&gt;" in str(profile_tables(profiles[0])["members"])
