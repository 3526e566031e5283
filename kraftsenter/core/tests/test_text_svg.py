from __future__ import annotations

from kraftsenter.core.svg import MapShape, line_chart, map_svg
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
