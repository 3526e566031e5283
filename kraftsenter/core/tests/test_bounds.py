"""The shared bounds (``core.bounds``, docs/bounds.md): one definition that models, forms and the
API all apply, so that every register refuses the same values with the same message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import translation
from pydantic import ValidationError as SchemaError

from kraftsenter.core import bounds
from kraftsenter.core.api import StrictSchema
from kraftsenter.core.models import Record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (dt.date(1, 1, 1), False),
        (dt.date(1899, 12, 31), False),
        (dt.date(1900, 1, 1), True),
        (dt.date(2100, 12, 31), True),
        (dt.date(2101, 1, 1), False),
        (dt.date(9999, 12, 31), False),
    ],
)
def test_date_range_validator_takes_1900_to_2100(day, valid):
    if valid:
        bounds.validate_date_range(day)
        return
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        bounds.validate_date_range(day)
    assert refused.value.code == "date_range"
    with translation.override("en"):
        assert "1900" in refused.value.messages[0] and "2100" in refused.value.messages[0]


def test_date_range_validator_leaves_the_range_out_of_migrations():
    # The range can change without a migration: the validator is stored without arguments.
    path, args, kwargs = bounds.validate_date_range.deconstruct()
    assert (path, args, kwargs) == ("kraftsenter.core.bounds.DateRangeValidator", (), {})


def test_text_bounds_give_the_form_limit_and_the_models_check():
    field = models.TextField(**bounds.text(bounds.TEXT_LENGTH))
    assert field.formfield().max_length == bounds.TEXT_LENGTH
    field.run_validators("x" * bounds.TEXT_LENGTH)
    with pytest.raises(ValidationError):
        field.run_validators("x" * (bounds.TEXT_LENGTH + 1))


def test_bounded_date_form_field_refuses_out_of_range_and_tells_the_date_picker():
    field = bounds.BoundedDateField(widget=bounds.forms.DateInput(attrs={"type": "date"}))
    assert field.clean("2100-12-31") == dt.date(2100, 12, 31)
    with pytest.raises(ValidationError):
        field.clean("2101-01-01")
    html = field.widget.render("d", None, attrs=field.widget_attrs(field.widget))
    assert 'min="1900-01-01"' in html and 'max="2100-12-31"' in html


class BoundsExample(StrictSchema):
    """A request body with one field of each bounded kind (for these tests only)."""

    day: bounds.BoundedDate
    later: bounds.BoundedDate | None = None
    title: bounds.TitleText = ""
    year: bounds.Year | None = None
    amount: bounds.Amount | None = None
    share: bounds.Share | None = None
    ref: bounds.RecordId | None = None


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("day", "0001-01-01", "date_range"),
        ("later", "9999-12-31", "date_range"),
        ("title", "x" * (bounds.TITLE_LENGTH + 1), "max_length"),
        ("year", 2101, "max_value"),
        ("amount", "-0.01", "min_value"),
        ("amount", "1000000000000", "max_whole_digits"),
        ("share", "100.001", "max_value"),
        ("ref", 0, "min_value"),
    ],
)
def test_schema_types_refuse_what_the_model_refuses_with_its_message(field, value, code):
    body: dict[str, Any] = {"day": "2024-01-01", field: value}
    with pytest.raises(SchemaError) as refused, translation.override("nb"):
        BoundsExample.model_validate(body)
    (error,) = refused.value.errors()
    assert (error["loc"], error["type"]) == ((field,), code)
    assert error["msg"].endswith(".")  # Django's (translated) sentence, not pydantic's


def test_schema_types_take_the_extreme_valid_values():
    body = BoundsExample.model_validate(
        {
            "day": "1900-01-01",
            "later": "2100-12-31",
            "title": "x" * bounds.TITLE_LENGTH,
            "year": 2100,
            "amount": "999999999999.99",
            "share": "100.000",
            "ref": bounds.ID_MAX,
        }
    )
    assert body.amount == Decimal("999999999999.99") and body.later == dt.date(2100, 12, 31)


def test_schema_types_document_their_bounds_in_openapi():
    properties = BoundsExample.model_json_schema()["properties"]
    assert properties["day"]["description"] == bounds.DATE_RANGE_TEXT
    assert properties["later"]["anyOf"][0]["description"] == bounds.DATE_RANGE_TEXT
    assert properties["title"]["maxLength"] == bounds.TITLE_LENGTH
    assert properties["year"]["anyOf"][0] | {"type": "integer"} == {
        "type": "integer",
        "minimum": bounds.FIRST_YEAR,
        "maximum": bounds.LAST_YEAR,
    }


def _register_fields():
    for model in apps.get_models():
        if issubclass(model, Record) and model.__module__.startswith("kraftsenter."):
            for field in model._meta.concrete_fields:
                yield model, field


def test_every_register_bounds_every_date_and_text_it_stores():
    unbounded = []
    for model, field in _register_fields():
        label = f"{model._meta.label}.{field.name}"
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            if bounds.validate_date_range not in field.validators:
                unbounded.append(f"{label}: no date range")
        elif isinstance(field, models.TextField) and field.editable:
            checks = [v for v in field.validators if isinstance(v, MaxLengthValidator)]
            if not field.max_length or [v.limit_value for v in checks] != [field.max_length]:
                unbounded.append(f"{label}: no length limit (use bounds.text)")
        elif isinstance(field, models.URLField) and field.max_length != bounds.URL_LENGTH:
            unbounded.append(f"{label}: URL not bounds.URL_LENGTH")
    assert not unbounded, f"fields without the shared bounds (docs/bounds.md): {unbounded}"


def _request_bodies() -> dict[str, type[StrictSchema]]:
    import config.api  # noqa: F401 - every app's API module, with its request bodies

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {
        c.__name__: c
        for c in subclasses(StrictSchema)
        if c.__module__.startswith("kraftsenter.") and ".tests" not in c.__module__
    }


def _out_of_range(spec: dict[str, Any]) -> Any:
    """A value just outside a property's documented bound, or None when it has none."""
    for kind in [spec, *spec.get("anyOf", [])]:
        if "maxLength" in kind:
            return "x" * (kind["maxLength"] + 1)
        if kind.get("format") == "date":
            return "2101-01-01"
        if "maximum" in kind:
            return kind["maximum"] + 1
    return None


def test_every_request_body_refuses_each_value_out_of_bounds_naming_its_field():
    # From each body's own example, one field at a time just out of its bound: refused by the
    # schema (422 in the API) with that field named. The examples are valid (test_openapi).
    checked, missed = 0, []
    for name, schema in _request_bodies().items():
        examples = (schema.model_config.get("json_schema_extra") or {}).get("examples", [{}])
        properties = schema.model_json_schema()["properties"]
        for prop, spec in properties.items():
            value = _out_of_range(spec)
            if value is None:
                continue
            body = {**examples[0], prop: value}
            try:
                schema.model_validate(body)
            except SchemaError as exc:
                if any(e["loc"][:1] == (prop,) for e in exc.errors()):
                    checked += 1
                    continue
            missed.append(f"{name}.{prop}")
    assert not missed, f"accepted out of bounds: {missed}"
    assert checked > 150
