"""The shape shared by every rule: a violation and how a list of them is raised."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import date_format


@dataclass(frozen=True)
class Violation:
    """A broken rule: its id, the field it is about and a message naming rule and source."""

    rule: str
    field: str
    message: str


def raise_violations(violations: Iterable[Violation | None]) -> None:
    """Raise one field-keyed ValidationError (codes = rule ids) if any rule is broken."""
    errors: dict[str, list[ValidationError]] = {}
    for v in violations:
        if v is not None:
            errors.setdefault(v.field, []).append(ValidationError(v.message, code=v.rule))
    if errors:
        raise ValidationError(errors)


def short_date(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")
