"""Check constraints decided in Python, without asking the database.

Django validates a model's ``CheckConstraint`` by sending the condition to the database
(``SELECT 1 WHERE COALESCE(<condition>, true)``, inside a savepoint when a transaction is
open: three round trips per constraint). The register's constraints are plain comparisons of
the record's own fields ("a dropped commitment has a reason", "the period ends after it
starts"), so :func:`check_in_python` decides them from the instance's values with the same
three-valued logic as SQL: a comparison with NULL is unknown, and an unknown condition passes
(as ``COALESCE(…, true)`` does). A follow-up report entry asked PostgreSQL six times per entry
for two such checks (issue 14).

Anything else — a lookup other than those below, a related field's path, an expression, values
of kinds that Python and SQL could compare differently — is left to Django's own check
(``constraint.validate``), as is every other kind of constraint. The database's constraint
still guards every write.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Model, Q

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}
_LOOKUPS = {*_COMPARE, "isnull"}


class _Unsupported(Exception):
    """The condition needs the database: Django's check decides."""


class _Excluded(Exception):
    """The condition names an excluded field: skipped, as Django skips it (FieldError)."""


def _kind(value: Any) -> type | None:
    """The kind of value a comparison may mix: numbers with numbers, text with text, dates
    with dates, moments with moments; None for anything else."""
    if isinstance(value, bool):
        return bool
    if isinstance(value, int | float | Decimal):
        return Decimal
    if isinstance(value, str):
        return str
    if isinstance(value, dt.datetime):
        return dt.datetime
    if isinstance(value, dt.date):
        return dt.date
    return None


def _operand(value: Any, values: dict[str, Any], excluded: Collection[str]) -> Any:
    if isinstance(value, F):
        return _field_value(value.name, values, excluded)
    if hasattr(value, "resolve_expression"):
        raise _Unsupported
    return value


def _field_value(name: str, values: dict[str, Any], excluded: Collection[str]) -> Any:
    if name in excluded:
        raise _Excluded
    if name not in values:
        raise _Unsupported
    return values[name]


def _lookup(key: str, value: Any, values: dict[str, Any], excluded: Collection[str]) -> bool | None:
    name, _sep, lookup = key.rpartition("__")
    if not name or lookup not in _LOOKUPS:
        name, lookup = key, "exact"
    if "__" in name:
        raise _Unsupported  # a related field or a transform
    own = _field_value(name, values, excluded)
    if lookup == "isnull":
        if not isinstance(value, bool):
            raise _Unsupported
        return (own is None) is value
    other = _operand(value, values, excluded)
    if lookup == "exact" and other is None:
        return own is None
    if own is None or other is None:
        return None  # NULL compared: unknown
    kind = _kind(own)
    if kind is None or kind is not _kind(other):
        raise _Unsupported
    return _COMPARE[lookup](own, other)


def _evaluate(condition: Q, values: dict[str, Any], excluded: Collection[str]) -> bool | None:
    results: list[bool | None] = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_evaluate(child, values, excluded))
        elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[0], str):
            results.append(_lookup(child[0], child[1], values, excluded))
        else:
            raise _Unsupported
    result: bool | None
    if condition.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        result = True if True in results else (None if None in results else False)
    else:
        raise _Unsupported
    if condition.negated and result is not None:
        result = not result
    return result


def _values(model: type[Model], instance: Model, excluded: Collection[str]) -> dict[str, Any]:
    """The instance's values by field name, as Django's check sees them (a foreign key's
    name gives its id); none of an expression's (the database decides those)."""
    values: dict[str, Any] = {}
    for field in model._meta.local_concrete_fields:
        if field.name in excluded or getattr(field, "generated", False):
            continue
        value = getattr(instance, field.attname)
        if hasattr(value, "resolve_expression"):
            continue
        values[field.name] = value
    if "pk" not in excluded:
        values["pk"] = instance.pk
    return values


def check_in_python(
    constraint: object, model: type[Model], instance: Model, exclude: Collection[str] | None
) -> bool:
    """Decide ``constraint`` for ``instance`` without the database, as ``constraint.validate``
    would: raise its ValidationError when it is broken. False: not decided here (the caller
    asks Django's check)."""
    if not isinstance(constraint, CheckConstraint) or not isinstance(constraint.condition, Q):
        return False
    excluded = set(exclude or ())
    try:
        result = _evaluate(constraint.condition, _values(model, instance, excluded), excluded)
    except _Excluded:
        return True
    except _Unsupported:
        return False
    if result is False:
        raise ValidationError(
            constraint.get_violation_error_message(), code=constraint.violation_error_code
        )
    return True
