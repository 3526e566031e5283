"""The one rules idiom every register uses: a rule returns violations; a service raises them.

A rule is a pure function of plain values. It returns ``None`` (or an empty list) when the
rule holds, and otherwise a :class:`Violation`: a stable rule id (the ``code`` of the API
error), the field it is about, a plain-language message, and the legal source it rests on.
Services collect the violations of every rule they apply and call :func:`raise_violations`
once, before anything is written, so the user sees every problem at once and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import BaseConstraint, CheckConstraint, Model, Q
from django.utils.formats import date_format

#: The field of a violation about the record as a whole (Django's NON_FIELD_ERRORS).
WHOLE_RECORD = "__all__"


@dataclass(frozen=True)
class Violation:
    """A broken rule: its id, the field it is about, a message, and its legal source.

    ``source`` names the statute and section ("kommuneloven § 18-4") where the rule comes
    from law; the message states it too, so that a reader never needs the code to know why.
    """

    rule: str
    field: str
    message: str
    source: str = ""

    def as_error(self) -> ValidationError:
        return ValidationError(self.message, code=self.rule, params=None)


def errors_of(violations: Iterable[Violation | None]) -> dict[str, list[ValidationError]]:
    """The violations as Django's field-keyed errors (codes = rule ids)."""
    errors: dict[str, list[ValidationError]] = {}
    for v in violations:
        if v is not None:
            errors.setdefault(v.field or WHOLE_RECORD, []).append(v.as_error())
    return errors


def raise_violations(violations: Iterable[Violation | None]) -> None:
    """Raise one field-keyed ValidationError if any rule is broken; otherwise return."""
    errors = errors_of(violations)
    if errors:
        raise ValidationError(errors)


def merge_errors(
    first: dict[str, list[ValidationError]], *others: dict[str, list[ValidationError]]
) -> dict[str, list[ValidationError]]:
    """Field errors from several checks in one dict (a rule checked twice is reported once)."""
    merged: dict[str, list[ValidationError]] = {k: list(v) for k, v in first.items()}
    for other in others:
        for field, errs in other.items():
            known = merged.setdefault(field, [])
            codes = {e.code for e in errs if e.code}
            known[:] = [e for e in known if not (e.code and e.code in codes)]
            known.extend(errs)
    return merged


def loaded_relations(obj: Model) -> set[str]:
    """The foreign keys of ``obj`` that hold the instance of their row, read from the database
    (the same key): that the row exists needs no query of its own (the database's foreign key
    keeps it, and nothing is deleted)."""
    found: set[str] = set()
    for field in obj._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one) or not field.is_cached(obj):  # type: ignore[attr-defined]
            continue
        related = field.get_cached_value(obj)  # type: ignore[attr-defined]
        if (
            related is not None
            and not related._state.adding
            and related.pk is not None
            and related.pk == getattr(obj, field.attname)
        ):
            found.add(field.name)
    return found


def full_clean(obj: Model, *, exclude: Iterable[str] = ()) -> None:
    """``obj.full_clean(exclude=exclude)``, in its order and with its errors, without a query
    per foreign key whose row the instance already holds (:func:`loaded_relations`): a new
    cooperation's host asked the database whether the organisation just read exists, inside
    SQLite's write lock (issue 14). ``exclude`` leaves fields out of every check, as
    Django's; the loaded foreign keys only out of the field checks (their constraints run)."""
    _checks(obj, set(exclude), loaded_relations(obj), constraints=True)


def _checks(obj: Model, excluded: set[str], unasked: set[str], *, constraints: bool) -> None:
    """Django's ``full_clean`` steps in its order: the field checks (without ``excluded``
    and ``unasked``), ``clean()``, the unique checks and, with ``constraints``, the
    constraints (without ``excluded`` and the fields that failed); one ValidationError with
    every error."""
    errors: dict[str, Any] = {}
    try:
        obj.clean_fields(exclude=excluded | unasked)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        obj.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    excluded = excluded | {name for name in errors if name != WHOLE_RECORD}
    try:
        obj.validate_unique(exclude=excluded)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if constraints:
        excluded |= {name for name in errors if name != WHOLE_RECORD}
        try:
            obj.validate_constraints(exclude=excluded)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def full_clean_errors(
    obj: Model, *, exclude: Iterable[str] = (), changed: Collection[str] | None = None
) -> dict[str, list[ValidationError]]:
    """The shape errors of one model instance (:func:`full_clean`) as a dict instead of
    raising; with ``changed``, of a record of which only those fields changed
    (:func:`full_clean_changed`)."""
    try:
        if changed is not None:
            full_clean_changed(obj, changed)
        else:
            full_clean(obj, exclude=exclude)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            return {k: list(v) for k, v in exc.error_dict.items()}
        return {WHOLE_RECORD: list(exc.error_list)}
    return {}


def _touches(constraint: BaseConstraint, changed: Collection[str]) -> bool:
    """Whether a change of the fields ``changed`` may break ``constraint``: any constraint
    may, except a check constraint over fields none of which changed."""
    condition = getattr(constraint, "condition", None)
    if not isinstance(constraint, CheckConstraint) or not isinstance(condition, Q):
        return True
    return bool(condition.referenced_base_fields & set(changed))


def full_clean_changed(obj: Model, changed: Collection[str]) -> None:
    """``obj.full_clean()`` for a record of which only the fields ``changed`` changed,
    without the two checks a value that did not change cannot fail and that cost a query
    each: that an unchanged foreign key's row exists (the database's foreign key keeps it,
    and nothing is deleted), and the check constraints over unchanged fields (the database
    checked them when the row was saved). Every field's own checks, ``clean()``, the unique
    checks and the other constraints run as ``full_clean`` runs them, in its order, and the
    errors are the same."""
    changed = set(changed)
    unchanged_relations = {
        f.name for f in obj._meta.concrete_fields if f.is_relation and f.name not in changed
    }
    _checks(
        obj,
        set(),
        unchanged_relations,
        constraints=any(_touches(c, changed) for c in obj._meta.constraints),
    )


def validate(
    obj: Model, violations: Iterable[Violation | None] = (), *, exclude: Iterable[str] = ()
) -> None:
    """Shape checks (``full_clean``) and rules together: one ValidationError with every problem.

    A rule that the model's ``clean()`` checks too is reported once, with the rule's message.
    """
    errors = merge_errors(full_clean_errors(obj, exclude=exclude), errors_of(violations))
    if errors:
        raise ValidationError(errors)
    if not exclude:
        obj._ks_checked = checked_state(obj)  # type: ignore[attr-defined]


def checked_state(obj: Model) -> tuple[Any, ...]:
    """The values ``full_clean`` looked at, to tell whether a record was changed after
    :func:`validate` passed it (``record_create`` does not check it again if not)."""
    return tuple(f.value_from_object(obj) for f in obj._meta.concrete_fields)


def still_checked(obj: Model) -> bool:
    """Whether :func:`validate` passed the record as it is now (no field changed since)."""
    checked = getattr(obj, "_ks_checked", None)
    return checked is not None and checked == checked_state(obj)


def short_date(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")
