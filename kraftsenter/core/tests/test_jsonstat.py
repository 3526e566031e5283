"""JSON-stat 2.0 reader: valid datasets give rows; every structural defect is named by its path."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kraftsenter.core.jsonstat import parse_jsonstat2, require_dimensions
from kraftsenter.places.importers.base import ImportFailed

SOURCE = "api/pxwebapi/v2/tables/07459/data"


def dataset() -> dict[str, Any]:
    """Two regions × two years, as SSB writes it (index objects, status for a missing cell)."""
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "07459: Befolkning",
        "updated": "2025-02-20T07:00:00Z",
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [2, 1, 2],
        "dimension": {
            "Region": {
                "label": "region",
                # Deliberately not in position order: the positions decide the order.
                "category": {
                    "index": {"K-3412": 1, "K-3403": 0},
                    "label": {"K-3403": "Hamar", "K-3412": "Løten"},
                },
            },
            "ContentsCode": {
                "label": "statistikkvariabel",
                "category": {"index": {"Personer1": 0}, "label": {"Personer1": "Personer"}},
            },
            "Tid": {"label": "år", "category": {"index": {"2024": 0, "2025": 1}}},
        },
        "value": [32314, 32549, None, 7781],
        "status": {"2": "."},
    }


def fields_of(data: Any) -> list[str]:
    with pytest.raises(ImportFailed) as info:
        parse_jsonstat2(data, source=SOURCE)
    assert all(p.source == SOURCE for p in info.value.problems)
    return [p.field for p in info.value.problems]


def test_parse_jsonstat2_valid_dataset_returns_dimensions_in_index_order():
    ds = parse_jsonstat2(dataset(), source=SOURCE)
    assert ds.ids == ("Region", "ContentsCode", "Tid")
    assert ds.sizes == (2, 1, 2)
    assert ds.dimensions["Region"].codes == ("K-3403", "K-3412")
    assert ds.dimensions["Region"].labels["K-3412"] == "Løten"
    assert ds.dimensions["Tid"].labels == {"2024": "2024", "2025": "2025"}
    assert (ds.label, ds.updated, len(ds)) == ("07459: Befolkning", "2025-02-20T07:00:00Z", 4)


def test_parse_jsonstat2_valid_dataset_yields_one_row_per_cell_with_status():
    rows = list(parse_jsonstat2(dataset(), source=SOURCE).rows())
    assert rows[0] == {
        "Region": "K-3403",
        "ContentsCode": "Personer1",
        "Tid": "2024",
        "value": 32314,
        "status": None,
    }
    assert rows[2] == {
        "Region": "K-3412",
        "ContentsCode": "Personer1",
        "Tid": "2024",
        "value": None,
        "status": ".",
    }
    assert [r["value"] for r in rows] == [32314, 32549, None, 7781]


def test_parse_jsonstat2_list_index_and_sparse_values_fills_missing_with_none():
    data = dataset()
    data["dimension"]["Region"]["category"]["index"] = ["K-3403", "K-3412"]
    data["value"] = {"0": 32314, "3": 7781}
    data["status"] = ["", "", "..", ""]
    rows = list(parse_jsonstat2(data, source=SOURCE).rows())
    assert [r["value"] for r in rows] == [32314, None, None, 7781]
    assert [r["status"] for r in rows] == [None, None, "..", None]


def test_parse_jsonstat2_single_category_without_index_uses_its_label():
    data = dataset()
    del data["dimension"]["ContentsCode"]["category"]["index"]
    ds = parse_jsonstat2(data, source=SOURCE)
    assert ds.dimensions["ContentsCode"].codes == ("Personer1",)


def test_require_dimensions_missing_dimension_raises_naming_it():
    ds = parse_jsonstat2(dataset(), source=SOURCE)
    ds.require("Region", "Tid")  # present: no error
    with pytest.raises(ImportFailed) as info:
        require_dimensions(ds, ["Region", "Kjonn", "Alder"])
    assert [p.field for p in info.value.problems] == ["dimension.Kjonn", "dimension.Alder"]
    assert "Kjonn" in info.value.problems[0].message
    assert "Region, ContentsCode, Tid" in info.value.problems[0].message


def test_parse_jsonstat2_wrong_class_raises_on_class():
    data = dataset()
    data["class"] = "collection"
    assert fields_of(data) == ["class"]


def test_parse_jsonstat2_not_an_object_raises():
    assert fields_of([1, 2, 3]) == [""]


def test_parse_jsonstat2_id_and_size_lengths_differ_raises_on_size():
    data = dataset()
    data["size"] = [2, 1]
    assert "size" in fields_of(data)


def test_parse_jsonstat2_value_count_differs_from_product_of_sizes_raises_on_value():
    data = dataset()
    data["value"] = [1, 2, 3]
    assert fields_of(data) == ["value"]


def test_parse_jsonstat2_size_differs_from_category_count_raises_on_that_index():
    data = dataset()
    data["size"] = [3, 1, 2]
    data["value"] = [1] * 6
    assert fields_of(data) == ["dimension.Region.category.index"]


def test_parse_jsonstat2_missing_category_index_raises_on_that_index():
    data = dataset()
    del data["dimension"]["Tid"]["category"]["index"]
    assert fields_of(data) == ["dimension.Tid.category.index"]


def test_parse_jsonstat2_listed_dimension_absent_raises_on_that_dimension():
    data = dataset()
    del data["dimension"]["Tid"]
    assert fields_of(data) == ["dimension.Tid"]


def test_parse_jsonstat2_index_positions_with_gap_raises_on_that_index():
    data = dataset()
    data["dimension"]["Region"]["category"]["index"] = {"K-3403": 0, "K-3412": 2}
    assert fields_of(data) == ["dimension.Region.category.index"]


def test_parse_jsonstat2_non_numeric_value_raises_on_that_cell():
    data = dataset()
    data["value"][1] = "32549"
    assert fields_of(data) == ["value[1]"]


def test_parse_jsonstat2_sparse_value_outside_cells_raises_on_that_key():
    data = dataset()
    data["value"] = {"0": 1, "99": 2}
    assert fields_of(data) == ["value.99"]


def test_parse_jsonstat2_several_defects_reports_all_at_once():
    data = copy.deepcopy(dataset())
    data["class"] = "bundle"
    del data["dimension"]["Region"]["category"]
    data["value"] = [1]
    assert fields_of(data) == ["class", "dimension.Region.category", "value"]
