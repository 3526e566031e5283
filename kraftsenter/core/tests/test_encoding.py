"""core.encoding: the API's JSON writes every value as ninja's encoder wrote it before."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from ninja.responses import NinjaJSONEncoder

from kraftsenter.cooperations.choices import Status
from kraftsenter.core.encoding import encode_json


def _before(body: object) -> object:
    return json.loads(json.dumps(body, cls=NinjaJSONEncoder))


def test_values_are_written_as_ninjas_encoder_wrote_them():
    """Datetimes keep milliseconds and ``Z`` (not orjson's own microseconds and ``+00:00``),
    decimals stay text, lazy labels and choices are written as their text, keys that are
    numbers become text; the second and third items of a list alike."""
    utc = dt.datetime(2026, 12, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
    oslo = dt.datetime(2026, 6, 1, 12, 0, 0, 5000, tzinfo=ZoneInfo("Europe/Oslo"))
    body = {
        "updated_at": utc,
        "local": oslo,
        "day": dt.date(2026, 12, 31),
        "time": dt.time(8, 30, 0, 250000),
        "label": gettext_lazy("Planned"),
        "status": Status.ACTIVE,
        7: "a key that is a number",
        "population": 33817.0,
        "items": [
            {"share": Decimal("60.00"), "joined_on": dt.date(2024, 1, 1), "at": utc},
            {"share": Decimal("33.33"), "joined_on": None, "at": oslo},
            {"share": None, "joined_on": dt.date(2025, 2, 28), "at": utc},
        ],
        "name": "Kárášjohka – Miljødirektoratet",
    }
    written = json.loads(encode_json(body))
    assert written == _before(body)
    assert written["updated_at"] == "2026-12-02T03:04:05.678Z"
    assert written["local"] == "2026-06-01T12:00:00.005+02:00"
    assert [item["share"] for item in written["items"]] == ["60.00", "33.33", None]
    assert written["7"] == "a key that is a number" and written["status"] == "active"


def test_text_is_utf_8_and_the_json_compact():
    raw = encode_json({"name": "Kárášjohka", "figures": [1, 2.5, None]})
    assert raw == '{"name":"Kárášjohka","figures":[1,2.5,null]}'.encode()


def test_a_value_without_a_json_form_is_refused_as_json_dumps_refuses_it():
    with pytest.raises(TypeError):
        encode_json({"thing": object()})
