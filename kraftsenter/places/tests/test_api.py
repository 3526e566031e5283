"""The places API: shapes, filters, errors, schema."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.demo.loader import load_demo_content

pytestmark = pytest.mark.django_db


def test_api_municipalities_list_has_pagination_and_facts(client, small_places):
    body = client.get("/api/v1/municipalities").json()
    assert body["count"] == 4 and body["page"] == 1 and body["next"] is None
    karasjok = next(m for m in body["items"] if m["number"] == "5610")
    assert karasjok["names"]["se"] == "Kárášjohka"
    assert karasjok["county"] == "56" and karasjok["population"] == 2630
    assert karasjok["centrality_class"] == 6 and karasjok["sami_language_area"] is True


def test_api_municipalities_filter_by_county_and_name(client, small_places):
    body = client.get("/api/v1/municipalities", {"county": "56", "q": "kara"}).json()
    assert [m["number"] for m in body["items"]] == ["5610"]


def test_api_municipalities_page_size_and_next_link(client, small_places):
    body = client.get("/api/v1/municipalities", {"page_size": 3}).json()
    assert len(body["items"]) == 3 and "page=2" in body["next"]


def test_api_municipalities_unknown_county_is_422_with_field(client, small_places):
    response = client.get("/api/v1/municipalities", {"county": "99"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["field"] == "county"


def test_api_municipalities_page_size_too_large_is_422(client, small_places):
    response = client.get("/api/v1/municipalities", {"page_size": 1000})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page_size"


def test_api_municipality_detail_has_population_series(client, small_places):
    body = client.get("/api/v1/municipalities/3412").json()
    assert [p["year"] for p in body["population_series"]] == [2020, 2021, 2022]
    assert body["population"] == 7650 and body["population_year"] == 2021


def test_api_unknown_municipality_is_404_in_error_shape(client, small_places):
    response = client.get("/api/v1/municipalities/9999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_search_finds_sami_name_variant(client, small_places):
    hits = client.get("/api/v1/places/search", {"q": "Kárášjohka"}).json()
    assert hits[0]["number"] == "5610" and hits[0]["kind"] == "municipality"


def test_api_regions_list_members_with_roles(client, small_places):
    load_demo_content(say=lambda s: None)
    body = client.get("/api/v1/regions/hamarregionen").json()
    assert body["members"][0] == {"number": "3403", "name": "Hamar", "role": "centre"}
    assert {m["number"] for m in body["members"][1:]} == {"3412"}


def test_api_municipality_list_query_count_constant(client, builtin_places, small_places):
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/municipalities", {"page_size": 2})
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/municipalities", {"page_size": 200})
    assert len(many) <= len(few)  # more rows, no more queries (a full page also counts)


def test_api_openapi_schema_lists_endpoints_and_error_shape(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/municipalities",
        "/api/v1/counties",
        "/api/v1/regions",
        "/api/v1/places/search",
    ):
        assert path in schema["paths"], path
    params = {p["name"] for p in schema["paths"]["/api/v1/municipalities"]["get"]["parameters"]}
    assert {"q", "county", "centrality_class", "sami_language_area", "page", "page_size"} <= params
    assert "ErrorOut" in schema["components"]["schemas"]


def test_api_municipality_list_items_agree_with_each_municipality_record(client, small_places):
    """The list answers from light rows; each item, every one of them, says what the
    municipality's own record says (names, county, facts, address). The list's population is
    of the latest year (null where that year has no figure: Løten in the fixture); the
    record's is its latest known."""
    items = client.get("/api/v1/municipalities").json()["items"]
    assert len(items) == 4
    for item in items:
        record = client.get(f"/api/v1/municipalities/{item['number']}").json()
        shared = set(item) & set(record) - {"population"}
        assert {"names", "county", "county_name", "sami_language_area", "url"} <= shared
        assert {key: item[key] for key in shared} == {key: record[key] for key in shared}
        assert item["population"] in (record["population"], None)
    assert [i["population"] for i in items if i["number"] == "3412"] == [None]
    assert len({(i["county"], i["population"]) for i in items}) == 4


def test_api_list_with_no_match_reads_once(client, small_places):
    """An empty filtered list answers count 0 and no items from one read: the empty first page
    is the last one (core.paging), so nothing is counted besides (the count cost as much as
    the page on a large table)."""
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/municipalities?q=xyzzyq").json()
    assert (body["count"], body["items"], body["next"]) == (0, [], None)
    reads = [q["sql"] for q in queries if 'FROM "places_municipality"' in q["sql"]]
    assert len(reads) == 1 and "COUNT(" not in reads[0]
    # A page past the end of an empty list is still refused.
    assert client.get("/api/v1/municipalities?q=xyzzyq&page=2").status_code == 404
