"""Place pages as a visitor sees them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.demo.loader import load_demo_content
from kraftsenter.places.models import Municipality

pytestmark = pytest.mark.django_db


def test_home_has_the_search_form_and_links_to_the_counties(client, small_places):
    # The start page (kraftsenter/portal/start.py) searches; the counties are one link away.
    response = client.get("/")
    assert response.status_code == 200
    assert b'name="q"' in response.content
    assert 'href="/fylker/"' in response.content.decode().split('id="main"')[1]


def test_search_sami_name_without_diacritics_finds_municipality(client, small_places):
    response = client.get("/sok/", {"q": "karasjohka"})
    assert response.status_code == 200
    assert b"/kommuner/5610/" in response.content


def test_search_htmx_request_returns_only_results_fragment(client, small_places):
    response = client.get("/sok/", {"q": "Hamar"}, headers={"HX-Request": "true"})
    assert b"<html" not in response.content and b"/kommuner/3403/" in response.content


def test_search_unknown_name_says_so(client, small_places):
    response = client.get("/sok/", {"q": "Atlantis"})
    main = response.content.decode().split("<main")[1].split("</main>")[0]
    assert "Atlantis" in main and "/kommuner/5" not in main


def test_county_list_names_every_county_with_a_link(client, small_places):
    html = client.get("/fylker/").content.decode()
    assert 'href="/fylker/34/"' in html and "Innlandet" in html and "Finnmark" in html


def test_county_detail_lists_municipalities_and_draws_map(client, small_places):
    response = client.get("/fylker/34/")
    html = response.content.decode()
    assert "Hamar" in html and "Løten" in html
    assert html.count("<path") == 2 and 'class="ks-map"' in html


def test_county_detail_unknown_number_is_404(client, small_places):
    assert client.get("/fylker/99/").status_code == 404


def test_municipality_detail_shows_facts_chart_and_table(client, small_places):
    html = client.get("/kommuner/5610/").content.decode()
    assert "Kárášjohka" in html
    assert "2\xa0630" in html or "2 630" in html or "2630" in html
    assert 'class="ks-chart"' in html and "<table" in html


def test_municipality_detail_missing_population_says_no_data_not_zero(client, small_places):
    html = client.get("/kommuner/3412/").content.decode()
    row_2022 = html.split("<td>2022</td>")[1].split("</tr>")[0]
    assert ">0<" not in row_2022 and "mangler" in row_2022


def test_each_municipality_page_shows_its_own_population_years(client, small_places):
    """The recent figures are read with a statement kept per process: each municipality read
    after another shows its own years and figures (Løten's newest year has none)."""
    from kraftsenter.places.selectors import municipality_population_recent

    for number, figures, latest in (
        ("3403", [(2020, 31000), (2021, 31100), (2022, 31200)], 2022),
        ("3412", [(2020, 7600), (2021, 7650), (2022, None)], 2021),
        ("5610", [(2020, 2650), (2021, 2640), (2022, 2630)], 2022),
    ):
        municipality = Municipality.objects.get(number=number)
        for years in (11, 2):
            recent, newest = municipality_population_recent(municipality=municipality, years=years)
            assert [(f.year, f.population) for f in recent] == figures[-years:], number
            assert newest is not None and newest.year == latest, number
        html = client.get(f"/kommuner/{number}/").content.decode()
        assert html.count("<td>2021</td>") == 1


def test_municipality_list_filters_by_county(client, small_places):
    html = client.get("/kommuner/", {"county": "56"}).content.decode()
    assert "Alta" in html and "Hamar" not in html.split("<tbody>")[1]


def test_municipality_list_invalid_filter_shows_message_and_no_rows(client, small_places):
    response = client.get("/kommuner/", {"county": "99"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_municipality_list_csv_has_bom_and_semicolons(client, small_places):
    response = client.get("/kommuner/", {"format": "csv", "county": "56"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffkommunenummer;kommunenavn")
    assert "5610;Kárášjohka - Karasjok;56;Finnmark" in body


def test_municipality_list_query_count_does_not_grow_with_rows(
    client, builtin_places, small_places
):
    with CaptureQueriesContext(connection) as few:
        client.get("/kommuner/", {"county": "56"})
    with CaptureQueriesContext(connection) as many:
        client.get("/kommuner/", {"county": "18"})
    assert Municipality.objects.filter(county__number="18").count() >= 10
    assert len(many) == len(few)


def test_region_detail_draws_member_map_and_list(client, small_places):
    load_demo_content(say=lambda s: None)
    html = client.get("/regioner/hamarregionen/").content.decode()
    assert html.count("<path") == 2  # Hamar and Løten have boundaries in the fixture
    assert "ks-map__area--centre" in html
    assert "Hamar" in html and "Løten" in html


def test_region_list_and_organisation_pages_render(client, small_places):
    load_demo_content(say=lambda s: None)
    assert "Hamarregionen" in client.get("/regioner/").content.decode()
    html = client.get("/organisasjoner/").content.decode()
    assert "Distriktssenteret" in html
    from kraftsenter.actors.models import Organisation

    org = Organisation.objects.get(name="Hamar kommune")
    history = client.get(org.get_absolute_url() + "historikk/").content.decode()
    assert "Opprettet" in history and "organisation.created" not in history


def test_about_pages_render(client, small_places):
    assert "dir:" in client.get("/om/data/").content.decode()
    assert client.get("/om/tilgjengelighet/").status_code == 200


def test_unknown_page_is_404_with_search(client, db):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404 and b'name="q"' in response.content


def test_pages_send_strict_content_security_policy(client, small_places):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Request-ID"]


def test_county_page_lists_county_wide_organisations_and_links_to_all(client, small_places):
    from kraftsenter.actors.services import organisations_sync_from_places

    organisations_sync_from_places()
    html = client.get("/fylker/56/").content.decode()
    assert "Finnmark fylkeskommune" in html
    assert "Alta kommune" not in html.split("<h2")[-1]  # municipal ones are one click away
    assert "/organisasjoner/?county=56" in html and "alle 3 organisasjonene" in html


def test_municipality_page_lists_each_of_its_regions_once(client, small_places):
    """As centre and as hinterland, each region once, in name order; archived ones not."""
    from django.utils import timezone

    from kraftsenter.places.models import Region

    hamar = Municipality.objects.get(number="3403")
    loten = Municipality.objects.get(number="3412")
    centre = Region.objects.create(name="Bregionen", slug="b", centre=hamar)
    centre.hinterland.add(loten)
    member = Region.objects.create(name="Aregionen", slug="a", centre=loten)
    member.hinterland.add(hamar)
    Region.objects.create(name="Cregionen", slug="c", centre=loten)  # not Hamar's
    gone = Region.objects.create(name="Dregionen", slug="d", centre=hamar)
    gone.archived_at = timezone.now()
    gone.save()
    html = client.get("/kommuner/3403/").content.decode()
    part = html.split("/regioner/a/")[1].split("</ul>")[0]
    assert html.count("/regioner/a/") == 1 and html.count("/regioner/b/") == 1
    assert "/regioner/b/" in part and "/regioner/c/" not in html and "/regioner/d/" not in html
    centre_note = part.split("/regioner/b/")[1].split("</li>")[0]
    assert "(" in centre_note and "(" not in part.split("/regioner/b/")[0]
