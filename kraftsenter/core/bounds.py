"""The bounds of every value a user can store: one definition for models, forms and the API.

A value outside these bounds is refused where it comes in (a form error on the field, a 422
naming the field in the API) and again by the model's ``full_clean`` in the service, so that an
import or any other caller is refused too, and nothing is written. The bounds are documented in
docs/bounds.md; change them here, and there.

Three kinds of piece, the same bounds in each:

* **models**: validators (``DATE_VALIDATORS``, ``YEAR_VALIDATORS`` …) and
  :func:`text` (``max_length`` plus a validator, because Django checks a ``TextField``'s
  ``max_length`` only in forms);
* **forms**: :class:`BoundedDateField` (the date range, and ``min``/``max`` on the date input);
  text fields take ``max_length=`` one of the lengths below;
* **API schemas** (pydantic): the ``Annotated`` types at the bottom (``BoundedDate``,
  ``TitleText``, ``Year`` …). They run the *same* Django validators, so the API's message is
  the page's, and they document the bound in OpenAPI (``maxLength``, ``minimum``/``maximum``,
  the date range in the description).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    DecimalValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from .rules import Violation, full_clean_errors

# --- the bounds --------------------------------------------------------------------------------

#: Every date a user stores lies in this range (a decision, a period, a deadline …).
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
#: Every year a user stores (an election year, a scenario's base and target year).
FIRST_YEAR = EARLIEST_DATE.year
LAST_YEAR = LATEST_DATE.year

#: Maximum lengths, in characters, per kind of text.
CODE_LENGTH = 80  # numbers and codes given as text: organisation numbers, slugs, SDG targets
REFERENCE_LENGTH = 100  # case references ("23/1234")
NAME_LENGTH = 200  # names of organisations, people, places, bodies; roles
TITLE_LENGTH = 250  # titles of records and documents
LINE_LENGTH = 300  # one line of text: a legal basis, what a case concerns, a note
URL_LENGTH = 500  # web addresses
REASON_LENGTH = 500  # the reason given for a change (kept in the history)
EMAIL_LENGTH = 254  # e-mail addresses (RFC 5321 path limit; Django's default)
TEXT_LENGTH = 10_000  # descriptions, purposes, terms, goals, notes (about four pages)
LONG_TEXT_LENGTH = 50_000  # protocols, minutes, notices, reports (about twenty pages)

#: Amounts in NOK: whole øre, at most 999 999 999 999.99, never negative.
AMOUNT_DIGITS = 14
AMOUNT_DECIMALS = 2
AMOUNT_MAX = Decimal(10 ** (AMOUNT_DIGITS - AMOUNT_DECIMALS)) - Decimal("0.01")
#: A percentage (shares, cuts): 0 to 100.
PERCENT_MIN = Decimal(0)
PERCENT_MAX = Decimal(100)
#: Counters a user gives (a version number of an agreement): 1 to this.
COUNT_MAX = 100_000
#: A record's id in API input: what the databases' 64-bit keys hold.
ID_MAX = 2**63 - 1


def fits_key(number: int) -> bool:
    """Whether a 64-bit integer column (SQLite INTEGER, PostgreSQL bigint) can hold the
    number: the drivers refuse one it cannot, where no record has such a key."""
    return -ID_MAX - 1 <= number <= ID_MAX


# --- models ------------------------------------------------------------------------------------


@deconstructible(path="kraftsenter.core.bounds.DateRangeValidator")
class DateRangeValidator:
    """A date from :data:`EARLIEST_DATE` to :data:`LATEST_DATE` (the range lives here, not in
    the migrations, so changing it needs no migration)."""

    message = _("Give a date from %(earliest)s to %(latest)s.")
    code = "date_range"

    def __call__(self, value: dt.date | None) -> None:
        if value is None:
            return
        if not EARLIEST_DATE <= value <= LATEST_DATE:
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "earliest": date_format(EARLIEST_DATE, "SHORT_DATE_FORMAT"),
                    "latest": date_format(LATEST_DATE, "SHORT_DATE_FORMAT"),
                },
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRangeValidator)

    def __hash__(self) -> int:
        return hash(self.code)


validate_date_range = DateRangeValidator()

DATE_VALIDATORS = [validate_date_range]
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
PERCENT_VALIDATORS = [MinValueValidator(PERCENT_MIN), MaxValueValidator(PERCENT_MAX)]
AMOUNT_VALIDATORS = [MinValueValidator(Decimal(0))]
COUNT_VALIDATORS = [MinValueValidator(1), MaxValueValidator(COUNT_MAX)]


def text(max_length: int) -> dict[str, Any]:
    """The keyword arguments that bound a model ``TextField``:
    ``models.TextField(_("purpose"), blank=True, **bounds.text(bounds.TEXT_LENGTH))``.

    ``max_length`` gives forms their limit (and the textarea its ``maxlength``); the validator
    makes ``full_clean`` (which every service calls) refuse longer text too."""
    return {"max_length": max_length, "validators": [MaxLengthValidator(max_length)]}


def part_violations(
    part: Any, fields: Sequence[str], *, field: str, name: str, exclude: Sequence[str] = ()
) -> list[Violation]:
    """The values of one part given with its record (a party's decision with the agreement, a
    participant's shares with the cooperation) checked against their bounds, as violations of
    the record's ``field`` that name the part: "Hamar kommune, adopted on: Give a date …".

    ``part`` is an unsaved instance; ``exclude`` names its fields not set yet (its record).

    Only the errors of ``fields`` are reported, so only they are checked (with the model's
    ``clean`` and the constraints over them alone): checking the others too cost a query per
    part for each foreign key (the party's organisation, whose existence its caller knows)."""
    others = {f.name for f in part._meta.concrete_fields if f.name not in fields}
    errors = full_clean_errors(part, exclude={*exclude, *others})
    out = []
    for name_of_field in fields:
        for error in errors.get(name_of_field, []):
            label = part._meta.get_field(name_of_field).verbose_name
            message = gettext("%(name)s, %(field)s: %(message)s") % {
                "name": name,
                "field": label,
                "message": " ".join(error.messages),
            }
            out.append(Violation(error.code or "invalid", field, message))
    return out


# --- forms -------------------------------------------------------------------------------------


class BoundedDateField(forms.DateField):
    """A form's date within the range; the browser's date picker gets the range too."""

    default_validators = [validate_date_range]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.DateInput):
            attrs.setdefault("min", EARLIEST_DATE.isoformat())
            attrs.setdefault("max", LATEST_DATE.isoformat())
        return attrs


# --- API schemas -------------------------------------------------------------------------------


class DjangoChecks:
    """Pydantic metadata: run Django validators on the parsed value, so the API refuses what the
    model refuses with the same (translated) message, and add ``json_schema`` (the bound as
    OpenAPI states it: ``maxLength``, ``minimum`` …) to the documented schema."""

    def __init__(
        self, *validators: Callable[[Any], None], json_schema: dict[str, Any] | None = None
    ) -> None:
        self.validators = validators
        self.json_schema = json_schema or {}

    def _check(self, value: Any) -> Any:
        if value is None:
            return value
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as exc:
                error = exc.error_list[0]  # one validator, one error
                code = str(error.code or "invalid")
                raise PydanticCustomError(code, " ".join(exc.messages)) from None
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        result = handler(schema)
        result.update(self.json_schema)
        return result


DATE_RANGE_TEXT = f"A date from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}."


def _document_date_range(schema: dict[str, Any]) -> None:
    description = schema.get("description")
    if not description:
        schema["description"] = DATE_RANGE_TEXT
    elif DATE_RANGE_TEXT not in description:
        schema["description"] = f"{description} {DATE_RANGE_TEXT}"


def max_length(limit: int) -> DjangoChecks:
    """Pydantic metadata for text of at most ``limit`` characters (``maxLength`` in OpenAPI)."""
    return DjangoChecks(MaxLengthValidator(limit), json_schema={"maxLength": limit})


def percent_checks(max_digits: int, decimal_places: int) -> DjangoChecks:
    """Pydantic metadata for a percentage 0–100 stored as ``DecimalField(max_digits,
    decimal_places)``."""
    return DjangoChecks(
        DecimalValidator(max_digits, decimal_places),
        *PERCENT_VALIDATORS,
        json_schema={"minimum": 0, "maximum": 100},
    )


#: A date within the range; OpenAPI states the range in the field's description.
BoundedDate = Annotated[
    dt.date,
    DjangoChecks(validate_date_range),
    Field(json_schema_extra=_document_date_range),
]

CodeText = Annotated[str, max_length(CODE_LENGTH)]
ReferenceText = Annotated[str, max_length(REFERENCE_LENGTH)]
NameText = Annotated[str, max_length(NAME_LENGTH)]
TitleText = Annotated[str, max_length(TITLE_LENGTH)]
LineText = Annotated[str, max_length(LINE_LENGTH)]
UrlText = Annotated[str, max_length(URL_LENGTH)]
ReasonText = Annotated[str, max_length(REASON_LENGTH)]
EmailText = Annotated[str, max_length(EMAIL_LENGTH)]
PlainText = Annotated[str, max_length(TEXT_LENGTH)]
LongText = Annotated[str, max_length(LONG_TEXT_LENGTH)]

Year = Annotated[
    int,
    DjangoChecks(*YEAR_VALIDATORS, json_schema={"minimum": FIRST_YEAR, "maximum": LAST_YEAR}),
]
Count = Annotated[
    int, DjangoChecks(*COUNT_VALIDATORS, json_schema={"minimum": 1, "maximum": COUNT_MAX})
]
RecordId = Annotated[
    int,
    DjangoChecks(MinValueValidator(1), MaxValueValidator(ID_MAX), json_schema={"minimum": 1}),
]
#: A participant's share in per cent (``DecimalField(max_digits=6, decimal_places=3)``).
Share = Annotated[Decimal, percent_checks(6, 3)]
Amount = Annotated[
    Decimal,
    DjangoChecks(
        DecimalValidator(AMOUNT_DIGITS, AMOUNT_DECIMALS),
        *AMOUNT_VALIDATORS,
        json_schema={"minimum": 0, "maximum": float(AMOUNT_MAX)},
    ),
]


def request_example(*examples: dict[str, Any]) -> ConfigDict:
    """The ``model_config`` of a request body (``core.api.StrictSchema``): unknown fields
    refused, and realistic examples for the documentation (``examples`` in OpenAPI), which
    ``core/tests/test_openapi.py`` validates against the schema so they cannot rot."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})
