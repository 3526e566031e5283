"""The official web sources, faked at the HTTP boundary with fixtures written for these tests."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings
from django.utils import translation

from kraftsenter.places.importers import official
from kraftsenter.places.importers.base import ImportFailed, SourceUnavailable
from kraftsenter.places.importers.load import load_places
from kraftsenter.places.importers.official import fetch_official
from kraftsenter.places.models import (
    County,
    Municipality,
    MunicipalityNumberChange,
    PopulationFigure,
    SamiLanguageAreaMembership,
)

FIXTURES = Path(__file__).parent / "fixtures" / "official"
DATE = dt.date(2026, 3, 1)
ROUTES = {
    "kommuneinfo": "/fylkerkommuner",
    "municipality_list": "/classifications/131/codesAt",
    "county_list": "/classifications/104/codesAt",
    "centrality": "/classifications/128/codesAt",
    "centrality_classes": "/classifications/131/correspondsAt",
    "population": "/tables/07459/data",
    "changes": "/classifications/131/changes",
    "boundaries": httpx.URL(settings.KRAFTSENTER_SOURCES["boundaries"]).path,
}


@pytest.fixture(autouse=True)
def no_backoff(settings):
    """Transient failures are retried (test_source_limits.py); here without waiting."""
    settings.KRAFTSENTER_SOURCES_BACKOFF = 0


@pytest.fixture(autouse=True)
def english():
    """Messages and notes are checked in English (the source language of the catalog)."""
    with translation.override("en"):
        yield


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def zipped(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


class FakeSources:
    """Answers each official request from a fixture, chosen by the URL path; records requests.

    A route's answer is JSON (dict or list), raw bytes, an ``httpx.Response``, an HTTP status
    code (int) or an exception to raise.
    """

    def __init__(self, **answers: Any):
        geojson = (FIXTURES / "kommuner.geojson").read_text(encoding="utf-8")
        self.answers: dict[str, Any] = {
            "kommuneinfo": fixture("kommuneinfo_fylkerkommuner.json"),
            "municipality_list": fixture("klass_131_codesAt.json"),
            "county_list": fixture("klass_104_codesAt.json"),
            "centrality": fixture("klass_128_codesAt.json"),
            "centrality_classes": fixture("klass_131_correspondsAt_128.json"),
            "population": fixture("pxweb_07459.json"),
            "changes": fixture("klass_131_changes.json"),
            # File name as in the 2026 release; the reader must find it, not know it.
            "boundaries": zipped({"Basisdata_0000_Norge_4258_Kommune_GeoJSON.geojson": geojson}),
            **answers,
        }
        self.requests: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        route = next(k for k, tail in ROUTES.items() if request.url.path.endswith(tail))
        answer = self.answers[route]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        if isinstance(answer, int):
            return httpx.Response(answer, json={"message": f"fake {answer}"})
        if isinstance(answer, bytes):
            return httpx.Response(200, content=answer)
        return httpx.Response(200, json=answer)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handler))

    def fetch(self, **kwargs: Any):
        return fetch_official(client=self.client(), reference_date=DATE, **kwargs)

    def problems(self) -> list[Any]:
        with pytest.raises(ImportFailed) as info:
            self.fetch()
        return info.value.problems


def test_fetch_official_fixtures_returns_counties_with_name_variants():
    ds = FakeSources().fetch()
    counties = {c.number: c for c in ds.counties}
    assert sorted(counties) == ["34", "50", "56"]
    finnmark = counties["56"]
    assert finnmark.name == "Finnmark - Finnmárku - Finmarkku"
    assert (finnmark.name_nb, finnmark.name_se, finnmark.name_fkv) == (
        "Finnmark",
        "Finnmárku",
        "Finmarkku",
    )
    assert (counties["34"].name, counties["34"].name_nb, counties["34"].name_se) == (
        "Innlandet",
        "Innlandet",
        "",
    )
    assert (ds.source, ds.reference_date) == ("official", DATE)


def test_fetch_official_fixtures_returns_municipality_names_by_language_and_sami_area():
    munis = {m.number: m for m in FakeSources().fetch().municipalities}
    assert sorted(munis) == ["3403", "3412", "5041", "5601", "5610", "5622"]
    karasjok = munis["5610"]
    # kommuneinfo v1 gives only "Kárášjohka" as kommunenavn; the official name joins both.
    assert (karasjok.name, karasjok.name_nb, karasjok.name_se) == (
        "Kárášjohka - Karasjok",
        "Karasjok",
        "Kárášjohka",
    )
    assert (karasjok.sami_language_area, karasjok.sami_language) == (True, "se")
    assert (karasjok.county_number, karasjok.lon, karasjok.lat) == ("56", 25.0292, 69.39302)
    snasa = munis["5041"]
    assert (snasa.name, snasa.name_sma, snasa.sami_language) == ("Snåase - Snåsa", "Snåase", "sma")
    porsanger = munis["5622"]
    assert porsanger.name == "Porsanger - Porsáŋgu - Porsanki"
    assert (porsanger.name_se, porsanger.name_fkv, porsanger.sami_language) == (
        "Porsáŋgu",
        "Porsanki",
        "se",
    )
    hamar = munis["3403"]
    assert (hamar.name, hamar.sami_language_area, hamar.sami_language) == ("Hamar", False, "")
    assert hamar.organisation_number == ""


def test_fetch_official_centrality_classes_come_from_the_correspondence_131_to_128():
    # codesAt for 128 has only the six classes: each municipality's class from correspondsAt.
    fake = FakeSources()
    ds = fake.fetch()
    centrality = {c.number: (c.index, c.klass) for c in ds.centrality}
    assert centrality["3403"] == (None, 2)
    assert centrality["5610"] == (None, 6)
    assert centrality["5601"] == (None, 4)
    assert len(centrality) == 6
    assert ds.centrality_version == "2026-03-01"
    assert any("131→128" in note for note in ds.notes)
    asked = next(r for r in fake.requests if r.url.path.endswith("/131/correspondsAt"))
    assert asked.url.params["targetClassificationId"] == "128"
    assert asked.url.params["date"] == "2026-03-01"


def test_fetch_official_centrality_with_indices_in_codesat_does_not_ask_the_correspondence():
    fake = FakeSources(centrality=fixture("klass_128_codesAt_with_indices.json"))
    ds = fake.fetch()
    centrality = {c.number: (c.index, c.klass) for c in ds.centrality}
    assert centrality["3403"] == (873, 2)
    assert centrality["5610"] == (554, 6)
    assert len(centrality) == 6
    assert ds.centrality_version == "2024"
    assert not any(r.url.path.endswith("correspondsAt") for r in fake.requests)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda items: items.__setitem__(0, {**items[0], "targetCode": "7"}), "targetCode"),
        (lambda items: items.__setitem__(1, {**items[1], "sourceCode": "34"}), "sourceCode"),
        (lambda items: items.append({**items[0], "targetCode": "05"}), "targetCode"),
    ],
)
def test_fetch_official_bad_correspondence_raises_import_failed_at_the_item(change, field):
    answer = fixture("klass_131_correspondsAt_128.json")
    change(answer["correspondenceItems"])
    problems = FakeSources(centrality_classes=answer).problems()
    assert len(problems) == 1 and problems[0].field.endswith(field)
    assert problems[0].source.endswith("classifications/131/correspondsAt")


def test_fetch_official_correspondence_without_items_leaves_centrality_out_with_note():
    ds = FakeSources(centrality_classes={"correspondenceItems": []}).fetch()
    assert ds.centrality is None
    assert any("131" in note and "128" in note for note in ds.notes)


def test_fetch_official_fixtures_returns_population_per_year_without_k_prefix():
    ds = FakeSources().fetch()
    population = {(p.number, p.year): p for p in ds.population}
    assert population[("3403", 2024)].population == 32314
    assert population[("5610", 2015)].population == 2706
    assert {year for _, year in population} == {2015, 2024, 2025}
    missing = population[("5041", 2015)]
    assert missing.population is None and "“.”" in missing.note
    # K-1508 is not in the kommuneinfo fixture: skipped, and said so.
    assert not any(number == "1508" for number, _ in population)
    assert any("Population" in n and "1508" in n for n in ds.notes)


def test_fetch_official_fixtures_returns_only_2024_renumberings():
    ds = FakeSources().fetch()
    changes = {(c.old_number, c.new_number): c for c in ds.number_changes}
    # Not 0403→3403 (2020 reform), not Haram (a start) and not 1508 (unknown number).
    assert sorted(changes) == [("5403", "5601"), ("5436", "5622"), ("5437", "5610")]
    assert changes[("5437", "5610")].old_name == "Kárášjohka - Karasjok"


def test_fetch_official_fixtures_returns_municipal_polygons_only():
    ds = FakeSources().fetch()
    boundaries = {b.number: b.geometry for b in ds.boundaries}
    assert sorted(boundaries) == ["3403", "3412"]  # no county polygon, line or unknown 1508
    assert boundaries["3403"]["type"] == "MultiPolygon"
    assert boundaries["3412"]["type"] == "MultiPolygon"  # two features merged
    assert len(boundaries["3412"]["coordinates"]) == 2


def test_fetch_official_older_nested_geojson_reads_the_kommune_collection():
    data = fixture("kommuner.geojson")
    kommune = [f for f in data["features"] if f["properties"].get("objtype") == "Kommune"]
    for feature in kommune:
        del feature["properties"]["objtype"]
    nested = {
        "Kommune": {"type": "FeatureCollection", "features": kommune},
        "Kommunegrense": {"type": "FeatureCollection", "features": data["features"][-1:]},
    }
    answer = zipped({"readme.txt": "x", "Kommuner/kommuner.geojson": json.dumps(nested)})
    ds = FakeSources(boundaries=answer).fetch()
    assert sorted(b.number for b in ds.boundaries) == ["3403", "3412"]


def test_fetch_official_county_polygon_with_a_municipality_number_is_dropped():
    data = fixture("kommuner.geojson")
    county = next(f for f in data["features"] if f["properties"]["objtype"] == "Fylke")
    county["properties"]["kommunenummer"] = "3403"  # e.g. the county's administrative centre
    ds = FakeSources(boundaries=zipped({"k.geojson": json.dumps(data)})).fetch()
    hamar = next(b.geometry for b in ds.boundaries if b.number == "3403")
    assert hamar["coordinates"][0][0][0] == [11.0, 60.9]
    assert len(hamar["coordinates"]) == 1


def test_fetch_official_requests_use_settings_addresses_and_documented_queries():
    fake = FakeSources()
    fake.fetch()
    by_route = {
        next(k for k, tail in ROUTES.items() if r.url.path.endswith(tail)): r for r in fake.requests
    }
    assert list(by_route) == [
        "kommuneinfo",
        "municipality_list",
        "county_list",
        "centrality",
        "centrality_classes",
        "population",
        "changes",
        "boundaries",
    ]
    for route, base in [
        ("kommuneinfo", "kommuneinfo"),
        ("municipality_list", "klass"),
        ("county_list", "klass"),
        ("centrality", "klass"),
        ("centrality_classes", "klass"),
        ("population", "pxweb"),
        ("changes", "klass"),
    ]:
        request = by_route[route]
        assert str(request.url).startswith(settings.KRAFTSENTER_SOURCES[base])
        assert request.headers["Accept"] == "application/json"
    for route in ("centrality", "centrality_classes", "municipality_list", "county_list"):
        assert by_route[route].url.params["date"] == "2026-03-01"
    params = by_route["population"].url.params
    assert params["codelist[Region]"] == "agg_KommSummer"
    assert params["outputValues[Region]"] == "aggregated"
    assert params["valueCodes[Region]"] == "*"
    assert params["valueCodes[ContentsCode]"] == "Personer1"
    assert params["valueCodes[Tid]"] == "from(2015)"
    assert params["outputFormat"] == "json-stat2"
    assert not any(key.startswith(("valueCodes[Kjonn]", "valueCodes[Alder]")) for key in params)
    changes = by_route["changes"].url.params
    assert (changes["from"], changes["to"]) == ("2020-01-01", "2024-01-02")
    assert str(by_route["boundaries"].url) == settings.KRAFTSENTER_SOURCES["boundaries"]


def test_fetch_official_progress_reports_after_each_source():
    calls: list[tuple[str, int, int]] = []
    FakeSources().fetch(progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert calls == [
        ("municipalities", 1, 6),
        ("division", 2, 6),
        ("centrality", 3, 6),
        ("population", 4, 6),
        ("number_changes", 5, 6),
        ("boundaries", 6, 6),
    ]


def test_fetch_official_without_client_creates_one_from_settings(monkeypatch):
    fake = FakeSources()
    made: dict[str, Any] = {}
    real_client = httpx.Client

    def make_client(**kwargs: Any) -> httpx.Client:
        made.update(kwargs)
        return real_client(transport=httpx.MockTransport(fake.handler), **kwargs)

    monkeypatch.setattr(official.httpx, "Client", make_client)
    fetch_official(reference_date=DATE)
    assert made["timeout"] == settings.KRAFTSENTER_SOURCES_TIMEOUT
    assert made["headers"] == {"Accept": "application/json", "User-Agent": "kraftsenter"}
    assert fake.requests[0].headers["User-Agent"] == "kraftsenter"


@pytest.mark.django_db
def test_load_places_official_dataset_writes_counties_and_municipalities():
    run = load_places(FakeSources().fetch())
    assert County.objects.count() == 3
    assert County.objects.get(number="56").name_se == "Finnmárku"
    karasjok = Municipality.objects.get(number="5610")
    assert (karasjok.name, karasjok.name_se, karasjok.county.number) == (
        "Kárášjohka - Karasjok",
        "Kárášjohka",
        "56",
    )
    assert (karasjok.sami_language_area, karasjok.sami_language) == (True, "se")
    assert (karasjok.centrality_index, karasjok.centrality_class) == (None, 6)
    assert Municipality.objects.get(number="3412").boundary["type"] == "MultiPolygon"
    hamar = PopulationFigure.objects.get(municipality__number="3403", year=2025)
    assert hamar.population == 32549
    assert MunicipalityNumberChange.objects.get(old_number="5437").new_number == "5610"
    assert run.source == "official"
    assert run.summary["municipalities"]["created"] == 6


def test_fetch_official_connection_error_raises_source_unavailable_after_the_retries():
    fake = FakeSources(kommuneinfo=httpx.ConnectError("Name or service not known"))
    with pytest.raises(SourceUnavailable, match="kommuneinfo.*4 attempts"):
        fake.fetch()
    assert len(fake.requests) == 4  # the first try and three retries


def test_fetch_official_without_retries_gives_up_at_once(settings):
    settings.KRAFTSENTER_SOURCES_RETRIES = 0
    fake = FakeSources(kommuneinfo=httpx.ConnectError("Name or service not known"))
    with pytest.raises(SourceUnavailable, match="kommuneinfo"):
        fake.fetch()
    assert len(fake.requests) == 1


def test_fetch_official_timeout_raises_source_unavailable():
    fake = FakeSources(centrality=httpx.ReadTimeout("slow"))
    with pytest.raises(SourceUnavailable, match="timed out"):
        fake.fetch()


@pytest.mark.parametrize("route", ["kommuneinfo", "population", "boundaries"])
def test_fetch_official_server_error_raises_source_unavailable(route):
    fake = FakeSources(**{route: 500})
    with pytest.raises(SourceUnavailable, match="HTTP 500"):
        fake.fetch()


def test_fetch_official_rate_limited_raises_source_unavailable():
    with pytest.raises(SourceUnavailable, match="HTTP 429"):
        FakeSources(population=429).fetch()


def test_fetch_official_not_found_raises_import_failed_naming_the_source():
    problems = FakeSources(centrality=404).problems()
    assert len(problems) == 1
    assert problems[0].source.endswith("classifications/128/codesAt")
    assert "404" in problems[0].message and "fake 404" in problems[0].message


def test_fetch_official_several_bad_sources_reports_every_problem():
    fake = FakeSources(
        centrality=404,
        changes=httpx.Response(200, content=b"<html>maintenance</html>"),
        boundaries=b"not a zip",
    )
    problems = fake.problems()
    assert len(problems) == 3
    assert problems[1].source.endswith("classifications/131/changes")
    assert "Malformed JSON" in problems[1].message
    assert "zip" in problems[2].message


def test_fetch_official_bad_municipality_number_raises_import_failed_at_its_path():
    data = fixture("kommuneinfo_fylkerkommuner.json")
    data[2]["kommuner"][1]["kommunenummer"] = "563"
    data[0]["kommuner"][0]["punktIOmrade"]["coordinates"] = [200, 60]
    problems = FakeSources(kommuneinfo=data).problems()
    assert [p.field for p in problems] == [
        "[0].kommuner[0].punktIOmrade",
        "[2].kommuner[1].kommunenummer",
    ]
    assert problems[0].source == "kommuneinfo/v1/fylkerkommuner"


def test_fetch_official_kommuneinfo_not_a_list_raises_import_failed():
    problems = FakeSources(kommuneinfo={"fylker": []}).problems()
    assert [p.field for p in problems] == [""]
    assert "list of counties" in problems[0].message


def test_fetch_official_sami_area_without_sami_name_leaves_language_blank_with_note():
    data = fixture("kommuneinfo_fylkerkommuner.json")
    alta = data[2]["kommuner"][0]
    alta["samiskForvaltningsomrade"] = True
    ds = FakeSources(kommuneinfo=data).fetch()
    row = next(m for m in ds.municipalities if m.number == "5601")
    assert (row.sami_language_area, row.sami_language) == (True, "")
    assert any("5601" in note and "Sami" in note for note in ds.notes)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("drop_tid", "dimension.Tid"),
        ("size_mismatch", "dimension.Tid.category.index"),
        ("wrong_class", "class"),
    ],
)
def test_fetch_official_malformed_json_stat_raises_import_failed_naming_the_field(change, field):
    data = fixture("pxweb_07459.json")
    if change == "drop_tid":
        data["id"], data["size"] = data["id"][:2], data["size"][:2]
        del data["dimension"]["Tid"]
        data["value"] = data["value"][::3]
    elif change == "size_mismatch":
        data["size"][2] = 2
    else:
        data["class"] = "collection"
    problems = FakeSources(population=data).problems()
    assert field in [p.field for p in problems]
    assert all(p.source.endswith("tables/07459/data") for p in problems)


def test_fetch_official_zip_without_geojson_raises_import_failed():
    answer = zipped({"Basisdata_0000_Norge_4258_Kommuner_GeoJSON.gml": "<gml/>"})
    problems = FakeSources(boundaries=answer).problems()
    assert len(problems) == 1
    assert ".geojson" in problems[0].message and ".gml" in problems[0].message


def test_fetch_official_geojson_without_municipal_polygons_raises_import_failed():
    lines_only = {
        "type": "FeatureCollection",
        "features": fixture("kommuner.geojson")["features"][-1:],
    }
    problems = FakeSources(boundaries=zipped({"k.geojson": json.dumps(lines_only)})).problems()
    assert [p.field for p in problems] == ["features"]


def test_fetch_official_centrality_without_indices_asks_the_correspondence():
    codes = fixture("klass_128_codesAt_with_indices.json")
    for item in codes["codes"]:
        item["notes"] = ""
    ds = FakeSources(centrality=codes).fetch()
    assert {c.number: c.index for c in ds.centrality}["3403"] is None
    assert any("131→128" in note for note in ds.notes)


def test_fetch_official_centrality_without_class_parent_derives_class_from_index():
    codes = fixture("klass_128_codesAt_with_indices.json")
    hamar = next(item for item in codes["codes"] if item["code"] == "3403")
    hamar["parentCode"] = None
    ds = FakeSources(centrality=codes).fetch()
    assert next(c.klass for c in ds.centrality if c.number == "3403") == 2  # 873 is in 870–924


def test_fetch_official_centrality_note_not_an_index_raises_import_failed():
    codes = fixture("klass_128_codesAt_with_indices.json")
    codes["codes"][2]["notes"] = "høy"
    problems = FakeSources(centrality=codes).problems()
    assert [p.field for p in problems] == ["codes[2].notes"]


@pytest.mark.django_db
def test_load_places_official_sami_area_comes_from_the_regulation_data_checked_by_kartverket():
    answer = fixture("kommuneinfo_fylkerkommuner.json")
    for county in answer:
        for muni in county["kommuner"]:
            if muni["kommunenummer"] == "5601":  # Alta: only Kartverket says so
                muni["samiskForvaltningsomrade"] = True
            if muni["kommunenummer"] == "5041":  # Snåsa: only the regulation says so
                muni["samiskForvaltningsomrade"] = False
    ds = FakeSources(kommuneinfo=answer).fetch()
    assert any("5601" in n and "according to Kartverket" in n for n in ds.notes)
    assert any("5041" in n and "regulation is followed" in n for n in ds.notes)
    load_places(ds)
    memberships = {
        m.municipality.number: m
        for m in SamiLanguageAreaMembership.objects.filter(municipality__isnull=False)
    }
    assert sorted(memberships) == ["5041", "5601", "5610", "5622"]
    assert memberships["5610"].category == "sprakutvikling"
    assert memberships["5622"].category == "sprakvitalisering"
    assert memberships["5041"].category == "sprakvitalisering"
    assert (memberships["5601"].category, memberships["5601"].in_area_from) == ("", None)
    assert "Kartverket" in memberships["5601"].source
    assert Municipality.objects.get(number="5041").sami_language_area is True
    # Counties from the regulation's second paragraph: of the fixture's three, 50 and 56.
    counties = SamiLanguageAreaMembership.objects.filter(county__isnull=False)
    assert sorted(counties.values_list("county__number", flat=True)) == ["50", "56"]


@pytest.mark.django_db
def test_municipality_page_with_a_class_but_no_index_shows_no_none(client):
    load_places(FakeSources().fetch())  # centrality from the correspondence: no index
    karasjok = client.get("/kommuner/5610/").content.decode()
    assert "None" not in karasjok and "554" not in karasjok
    load_places(FakeSources(centrality=fixture("klass_128_codesAt_with_indices.json")).fetch())
    assert "554" in client.get("/kommuner/5610/").content.decode()
