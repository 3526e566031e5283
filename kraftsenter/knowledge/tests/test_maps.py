"""Maps people can read (place names, a legend that says how the classes are made) and the same
boundaries and figures as GeoJSON, on the small synthetic place of ``test_profile``."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from kraftsenter.knowledge.maps import (
    CLASSIFICATION,
    INDICATORS,
    LABEL_CHAR,
    LABEL_FONT,
    MAX_LABELS,
    _place_labels,
    indicator_map,
)
from kraftsenter.knowledge.profile_api import IndicatorCode
from kraftsenter.knowledge.tests import test_profile
from kraftsenter.knowledge.tests.test_profile import add_municipality, add_population
from kraftsenter.places import geojson
from kraftsenter.places.models import Municipality, PopulationFigure

pytestmark = pytest.mark.django_db

place = test_profile.place  # the fixture: counties 40 and 50, region "sentrum"

GEO = "application/geo+json"


def svg_of(html: str) -> str:
    return html.split('<svg class="ks-map ks-choropleth"')[1].split("</svg>")[0]


def labels(svg: str) -> list[str]:
    return [
        htmllib.unescape(t)
        for t in re.findall(r'<text class="ks-map__label[^"]*"[^>]*>([^<]+)<', svg)
    ]


def area2(ring: list[list[float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True))


def assert_rfc7946(body: dict) -> None:
    """The structure RFC 7946 asks for: a FeatureCollection of Features, each with an id,
    properties and a Polygon/MultiPolygon (or null) of closed, counterclockwise lon/lat rings."""
    assert body["type"] == "FeatureCollection" and isinstance(body["features"], list)
    for f in body["features"]:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict) and f["id"]
        g = f["geometry"]
        if g is None:
            continue
        polygons = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        assert g["type"] in {"Polygon", "MultiPolygon"}
        for polygon in polygons:
            for index, ring in enumerate(polygon):
                assert len(ring) >= 4 and ring[0] == ring[-1]
                assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring)
                assert (area2(ring) > 0) == (index == 0)  # right-hand rule
    if "bbox" in body:
        west, south, east, north = body["bbox"]
        assert west < east and south < north


# --- place names and legend ------------------------------------------------------------------


def test_county_map_names_its_municipalities_and_states_quantiles(client, place):
    html = client.get("/kart/fylke/40/", {"indikator": "befolkning"}).content.decode()
    svg = svg_of(html)
    assert sorted(labels(svg)) == ["Bygd", "Dal", "Nabo", "Sentrum"]
    assert 'class="ks-map__labels" aria-hidden="true"' in svg  # the table names them for AT
    with translation.override("nb"):
        stated = gettext("Quantiles: about as many municipalities in each class")
    assert stated in svg  # stated on the map itself, not only beside it
    assert CLASSIFICATION == "quantiles"


def test_county_map_draws_a_changed_boundary_at_the_next_request(client, place):
    """The outlines are kept per process for the boundaries they were drawn from: after an
    import moves a boundary the map shows the new one, and the other municipalities' values
    and classes are still drawn from this request's figures."""

    def outline(name: str) -> str:
        svg = svg_of(client.get("/kart/fylke/40/", {"indikator": "befolkning"}).content.decode())
        return re.search(rf'd="([^"]+)"><title>{name}:', svg)[1]  # type: ignore[index]

    before = outline("Dal")
    assert outline("Dal") == before
    dal = Municipality.objects.get(name="Dal")
    dal.boundary = test_profile.square(9.5, 60.5, 0.3)
    dal.save()
    assert outline("Dal") != before
    # new figures: the values and classes are this request's, not kept with the outlines
    PopulationFigure.objects.filter(municipality=dal).update(population=999_999)
    svg = svg_of(client.get("/kart/fylke/40/", {"indikator": "befolkning"}).content.decode())
    assert "<title>Dal: 999" in svg


def test_region_map_names_the_centre_first_and_in_bold(client, place):
    svg = svg_of(client.get("/kart/region/sentrum/").content.decode())
    first = re.search(r'<text class="(ks-map__label[^"]*)"[^>]*>([^<]+)<', svg)
    assert (
        first is not None
        and first.group(2) == "Sentrum"
        and "ks-map__label--centre" in first.group(1)
    )
    assert sorted(labels(svg)) == ["Bygd", "Dal", "Sentrum"]


def test_crowded_map_keeps_the_larger_municipalities_and_no_label_covers_another(place):
    county = place["counties"]["40"]
    crowded = []
    for index in range(30):  # thirty tiny municipalities with long names side by side
        m = add_municipality(county, f"41{index:02d}", f"Langtkommunenavn{index:02d}", 0)
        m.boundary = test_profile.square(8 + 0.02 * index, 60, 0.02)
        m.lon, m.lat = 8.01 + 0.02 * index, 60.01
        m.save()
        add_population(m, 100 * (index + 1), 0)  # the last is the largest
        crowded.append(m)
    drawn = indicator_map(
        municipalities=crowded, centre=None, indicator=INDICATORS["befolkning"], title="t"
    )
    named = labels(drawn.svg)
    assert named[0] == "Langtkommunenavn29"  # the largest first
    assert 3 < len(named) < MAX_LABELS  # as many as fit: fewer than the cap, not all 30
    placed = re.findall(
        r'<text class="ks-map__label" x="([^"]+)" y="([^"]+)" text-anchor="(\w+)">([^<]+)<',
        drawn.svg,
    )
    boxes = []
    for x, y, anchor, text in placed:
        w = len(text) * LABEL_CHAR
        left = float(x) - {"middle": w / 2, "start": 0, "end": w}[anchor]
        boxes.append((left, float(y) - LABEL_FONT, left + w, float(y)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_labels_slide_inside_the_map_and_one_wider_than_the_map_is_left_out():
    out = _place_labels(
        [
            ("Ytterkant", 3, 50, False),  # at the left edge
            ("Midt", 100, 50, False),
            ("Topp", 100, 1, False),  # at the top edge
            ("Altfor" * 7, 100, 80, False),  # wider than the map
        ],
        200,
        100,
    )
    assert [(t, x, y) for t, x, y, _a, _c in out] == [
        ("Ytterkant", round(2 + 9 * LABEL_CHAR / 2, 1), 54.0),  # slid right, on its line
        ("Midt", 100, 54.0),
        ("Topp", 100, 20.0),  # below its point
    ]


# --- GeoJSON ---------------------------------------------------------------------------------


def test_county_geojson_is_rfc7946_with_every_municipality(client, place):
    response = client.get("/api/v1/counties/40/geojson")
    assert response.status_code == 200 and response["Content-Type"].startswith(GEO)
    body = response.json()
    assert_rfc7946(body)
    assert [f["id"] for f in body["features"]] == ["4001", "4002", "4003", "4004"]
    assert [f["properties"] for f in body["features"]][1] == {"number": "4002", "name": "Bygd"}
    assert body["name"] == "Fylke 40" and body["county"] == "40"
    # the squares of test_profile: 8.0 … 9.9 east, 59.0 … 59.7 north
    assert body["bbox"] == [8.0, 59.0, 9.9, 59.7]
    dal = body["features"][2]["geometry"]["coordinates"][0]
    assert [9.0, 59.0] in dal and [9.4, 59.4] in dal


def test_county_without_boundaries_lists_its_municipalities_with_null_geometry(client, place):
    Municipality.objects.filter(county__number="50").update(boundary=None)
    body = client.get("/api/v1/counties/50/geojson").json()
    assert_rfc7946(body)
    assert body["features"] == [
        {
            "type": "Feature",
            "id": "5001",
            "geometry": None,
            "properties": {"number": "5001", "name": "Fjern"},
        }
    ]
    assert "bbox" not in body


def test_unknown_county_or_region_geojson_is_404_problem(client, place):
    for url in ("/api/v1/counties/99/geojson", "/api/v1/regions/ukjent/geojson"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/problem+json")


def displayed_number(cell: str) -> float | None:
    if "ks-nodata" in cell:
        return None
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", cell.split("&nbsp;")[0]))  # no unit
    text = re.sub(r"[\s\u202f]", "", text).replace("−", "-").replace(",", ".")
    return float(text)


@pytest.mark.parametrize("code", [c.value for c in IndicatorCode])
def test_region_geojson_values_equal_the_map_page(client, place, code):
    body = client.get("/api/v1/regions/sentrum/geojson", {"indicator": code}).json()
    assert_rfc7946(body)
    page = client.get("/kart/region/sentrum/", {"indikator": code}).content.decode()
    rows = re.findall(
        r'<tr><td>(\d{4})</td><td>.*?</td><td class="ks-num">(.*?)</td>'
        r'<td class="ks-num">(?:(\d)|<span class="ks-nodata">)',
        page.split("<tbody>")[1],
    )
    assert (
        [f["id"] for f in body["features"]]
        == [n for n, _v, _c in rows]
        == [
            "4001",
            "4002",
            "4003",
        ]
    )
    for feature, (_n, value, quantile) in zip(body["features"], rows, strict=True):
        props = feature["properties"]
        assert props["value"] == displayed_number(value)
        assert props["class"] == (int(quantile) if quantile else None)
        assert props["source"] and (props["year"] is None) == (props["value"] is None)
    assert body["indicator"]["code"] == code
    assert body["classification"] == {"method": "quantiles", "classes": 5}
    assert [f["properties"]["role"] for f in body["features"]] == [
        "centre",
        "hinterland",
        "hinterland",
    ]


def test_region_geojson_population_figures(client, place):
    body = client.get("/api/v1/regions/sentrum/geojson").json()  # befolkning is the default
    by_number = {f["id"]: f["properties"] for f in body["features"]}
    # 2026: Sentrum 1000 + 20·10, Bygd 500 − 5·10, Dal 300 + 3·10
    assert [by_number[n]["value"] for n in ("4001", "4002", "4003")] == [1200, 450, 330]
    assert {p["year"] for p in by_number.values()} == {2026}
    assert body["indicator"]["year"] == 2026 and body["source"] == "SSB, tabell 07459"
    # Each member's own boundary, as stored (read apart from the region, places.boundaries).
    stored = dict(Municipality.objects.values_list("number", "boundary"))
    assert [f["geometry"] for f in body["features"]] == [
        geojson.geometry(stored[n]) for n in ("4001", "4002", "4003")
    ]
    assert all(f["geometry"] for f in body["features"])


def test_region_geojson_unknown_indicator_is_422_naming_the_field(client, place):
    response = client.get("/api/v1/regions/sentrum/geojson", {"indicator": "tull"})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "indicator"


def test_indicator_enum_is_the_map_indicators():
    assert [c.value for c in IndicatorCode] == list(INDICATORS)


def test_geojson_is_documented_as_geo_json_with_the_indicator_enum(client, place):
    schema = client.get("/api/v1/openapi.json").json()
    county = schema["paths"]["/api/v1/counties/{number}/geojson"]["get"]
    region = schema["paths"]["/api/v1/regions/{slug}/geojson"]["get"]
    for op in (county, region):
        assert list(op["responses"]["200"]["content"]) == [GEO]
        assert op["summary"] and op["description"]
    parameter = next(p for p in region["parameters"] if p["name"] == "indicator")
    enum = parameter["schema"].get("enum") or next(
        v["enum"]
        for v in schema["components"]["schemas"].values()
        if "utpendling" in v.get("enum", [])
    )
    assert set(enum) == set(INDICATORS)


def test_geometry_is_closed_rounded_and_follows_the_right_hand_rule():
    clockwise = [[10.0, 60.0], [10.0, 61.0], [11.1234567, 61.0], [11.0, 60.0]]  # not closed
    hole = [[10.2, 60.2], [10.4, 60.2], [10.4, 60.4], [10.2, 60.4], [10.2, 60.2]]  # ccw
    out = geojson.geometry({"type": "Polygon", "coordinates": [clockwise, hole]})
    assert out is not None
    exterior, inner = out["coordinates"]
    assert exterior[0] == exterior[-1] and len(exterior) == 5
    assert area2(exterior) > 0 and area2(inner) < 0
    assert [11.123457, 61.0] in exterior
    multi = geojson.geometry({"type": "MultiPolygon", "coordinates": [[clockwise], [hole]]})
    assert multi is not None
    assert all(area2(p[0]) > 0 for p in multi["coordinates"])
    assert geojson.geometry(None) is None


def test_anonymous_geojson_is_served_from_the_page_cache(client, place, settings):
    settings.KRAFTSENTER_PAGE_CACHE = True
    from django.core.cache import caches

    caches["pages"].clear()
    first = client.get("/api/v1/regions/sentrum/geojson", {"indicator": "utpendling"})
    second = client.get("/api/v1/regions/sentrum/geojson", {"indicator": "utpendling"})
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content and second["Content-Type"].startswith(GEO)


def test_map_pages_link_to_their_geojson(client, place):
    county = client.get("/kart/fylke/40/").content.decode()
    assert 'href="/api/v1/counties/40/geojson"' in county
    region = client.get("/kart/region/sentrum/", {"indikator": "utpendling"}).content.decode()
    assert 'href="/api/v1/regions/sentrum/geojson?indicator=utpendling"' in region
    profile = client.get("/regioner/sentrum/profil/").content.decode()
    assert 'href="/api/v1/regions/sentrum/geojson?indicator=utpendling"' in profile
