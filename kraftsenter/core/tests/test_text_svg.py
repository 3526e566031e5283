from __future__ import annotations

import json

from kraftsenter.core.svg import MapShape, line_chart, map_svg, stored_map_svg
from kraftsenter.core.text import fold


def test_fold_sami_and_norwegian_letters_to_plain_latin():
    assert fold("Kárášjohka") == "karasjohka"
    assert fold("Tromsø") == "tromso"
    assert fold("Dielddanuorri  -  Tjeldsund") == "dielddanuorri - tjeldsund"
    assert fold("Hámmerfeasta") == "hammerfeasta"
    assert fold("Ærø Đ Ŋ") == "aero d n"


def test_line_chart_missing_value_breaks_line_and_keeps_title():
    svg = str(
        line_chart(
            [("2020", 10), ("2021", None), ("2022", 12), ("2023", 13)],
            title="Befolkning",
            description="Tall i tabellen",
        )
    )
    assert svg.count("<polyline") == 1  # only 2022–2023 form a line
    assert svg.count("<circle") == 3
    assert "<title" in svg and "Befolkning" in svg and 'role="img"' in svg


def test_line_chart_without_values_draws_nothing():
    assert str(line_chart([("2020", None)], title="t", description="d")) == ""


def test_map_svg_draws_one_linked_path_per_shape_and_escapes_names():
    square = {
        "type": "Polygon",
        "coordinates": [[[10, 60], [11, 60], [11, 61], [10, 61], [10, 60]]],
    }
    svg = str(
        map_svg(
            [MapShape("1", square, "A <b>", "/a/"), MapShape("2", None, "B")],
            title="Kart",
            description="d",
        )
    )
    assert svg.count("<path") == 1 and 'href="/a/"' in svg
    assert "A &lt;b&gt;" in svg


def _square(lon: float) -> str:
    ring = [[lon, 60], [lon + 1, 60], [lon + 1, 61], [lon, 61], [lon, 60]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_stored_map_draws_as_map_svg_and_keeps_only_what_its_input_decides():
    shapes = [("1", _square(10), "A", "/a/", "ks-map__area"), ("2", None, "B", "", "x")]
    first = stored_map_svg(shapes, title="Kart", description="d")
    # the same drawing as from decoded geometries (apart from the element ids)
    plain = map_svg(
        [MapShape("1", json.loads(_square(10)), "A", "/a/")], title="Kart", description="d"
    )
    assert first.split("</desc>")[1] == plain.split("</desc>")[1]
    # the same input again: the kept drawing, ids and all
    assert stored_map_svg(list(shapes), title="Kart", description="d") is first
    # a boundary moved (a new import), a new label or a new title: drawn anew
    moved = stored_map_svg(
        [("1", _square(12), "A", "/a/", "ks-map__area"), shapes[1]], title="Kart", description="d"
    )
    assert moved != first and moved.count("<path") == 1
    relabelled = stored_map_svg(
        [("1", _square(10), "Ny", "/a/", "ks-map__area"), shapes[1]], title="Kart", description="d"
    )
    assert "Ny" in relabelled and "Ny" not in first
    assert "Kart 2" in stored_map_svg(shapes, title="Kart 2", description="d")
