"""Check constraints decided in Python (core.checks) decide as the database does.

Every check constraint of every model is tried with values around its boundaries (missing,
equal, smaller, larger, the empty text, the one choice a rule names), and the answer in Python
is compared with Django's own check, which asks the database (SQLite here, PostgreSQL in CI).
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CheckConstraint, F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan

from kraftsenter.agreements.models import ReportEntry
from kraftsenter.core.checks import check_in_python

pytestmark = pytest.mark.django_db


def _names(condition: Q) -> set[str]:
    names: set[str] = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _names(child)
        else:
            key, value = child
            names.add(key.split("__")[0])
            if isinstance(value, F):
                names.add(value.name)
    return names


def _candidates(field: models.Field, condition: Q) -> list:
    literals = [v for v in _literals(condition) if isinstance(v, str)]
    if isinstance(field, models.ForeignKey):
        values: list = [1]
    elif isinstance(field, models.DateTimeField):
        values = [dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
    elif isinstance(field, models.DateField):
        values = [dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2026, 1, 1)]
    elif isinstance(field, models.DecimalField):
        values = [Decimal(0), Decimal(1), Decimal("999.5"), Decimal(1000), Decimal(1001)]
    elif isinstance(field, models.IntegerField | models.FloatField):
        values = [0, 1, 6, 7, 1000, 1001]
    elif isinstance(field, models.CharField | models.TextField):
        values = ["", "x", *literals]
    elif isinstance(field, models.BooleanField):
        values = [True, False]
    else:  # pragma: no cover - a new kind of field: extend the candidates
        raise AssertionError(f"no candidate values for {field!r}")
    return ([None] if field.null else []) + values


def _literals(condition: Q) -> list:
    found: list = []
    for child in condition.children:
        if isinstance(child, Q):
            found += _literals(child)
        elif not isinstance(child[1], F):
            found.append(child[1])
    return found


def _decision(decide) -> bool:
    try:
        decide()
    except ValidationError:
        return False
    return True


def _cooperation():
    return apps.get_model("cooperations", "Cooperation")


def _municipality():
    return apps.get_model("places", "Municipality")


CONSTRAINTS = [
    (model, constraint)
    for model in apps.get_models()
    for constraint in model._meta.constraints
    if isinstance(constraint, CheckConstraint)
] + [
    # Conditions without the guards the project's have: NULL compared, NOT of unknown, None.
    (_cooperation(), CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="t1")),
    (_cooperation(), CheckConstraint(condition=~Q(end_date__lt=F("start_date")), name="t2")),
    (_cooperation(), CheckConstraint(condition=Q(end_date=None) | Q(start_date=None), name="t3")),
    (
        _municipality(),
        CheckConstraint(condition=Q(centrality_class__gt=1, centrality_class__lt=6), name="t4"),
    ),
    (
        _municipality(),
        CheckConstraint(condition=Q(centrality_class=3) | ~Q(centrality_class=3), name="t5"),
    ),
    (
        _municipality(),
        CheckConstraint(
            condition=~(Q(centrality_class__gte=6) & Q(centrality_index__lte=1)), name="t6"
        ),
    ),
]


@pytest.mark.parametrize(
    "model,constraint", CONSTRAINTS, ids=[c.name for _m, c in CONSTRAINTS] or None
)
def test_every_check_constraint_is_decided_in_python_as_the_database_decides(model, constraint):
    names = sorted(_names(constraint.condition))
    fields = [model._meta.get_field(name) for name in names]
    tried = 0
    for combination in itertools.product(*(_candidates(f, constraint.condition) for f in fields)):
        instance = model()
        for field, value in zip(fields, combination, strict=True):
            setattr(instance, field.attname, value)
        try:
            decided = check_in_python(constraint, model, instance, None)
            in_python = True
        except ValidationError:
            decided, in_python = True, False
        assert decided, "every constraint here is decided in Python, not left to the database"
        in_database = _decision(
            lambda instance=instance: constraint.validate(model, instance, using="default")
        )
        assert in_python == in_database, (
            constraint.name,
            dict(zip(names, combination, strict=True)),
        )
        tried += 1
    assert tried >= 2


def test_a_violation_says_what_djangos_check_says():
    entry = ReportEntry(status="dropped", reason="")
    constraint = next(
        c for c in ReportEntry._meta.constraints if c.name == "report_entry_dropped_has_reason"
    )
    with pytest.raises(ValidationError) as in_python:
        check_in_python(constraint, ReportEntry, entry, None)
    with pytest.raises(ValidationError) as in_database:
        constraint.validate(ReportEntry, entry, using="default")
    assert in_python.value.messages == in_database.value.messages
    assert in_python.value.error_list[0].code == in_database.value.error_list[0].code
    # A full_clean reports it once, in the same place as before.
    with pytest.raises(ValidationError) as cleaned:
        entry.validate_constraints()
    assert cleaned.value.messages == in_database.value.messages


def test_an_excluded_field_skips_the_check_as_django_does():
    entry = ReportEntry(status="dropped", reason="")
    constraint = next(c for c in ReportEntry._meta.constraints if isinstance(c, CheckConstraint))
    assert check_in_python(constraint, ReportEntry, entry, {"reason"}) is True
    constraint.validate(ReportEntry, entry, exclude={"reason"}, using="default")  # no error


@pytest.mark.parametrize(
    "condition",
    [
        Q(text__startswith="a"),  # a lookup not decided here
        Q(GreaterThan(Length("text"), 0)),  # an expression
        Q(report__period_start__isnull=False),  # a related record's field
        Q(text=F("reason")) ^ Q(status="done"),  # XOR
    ],
)
def test_other_conditions_are_left_to_the_database(condition):
    constraint = CheckConstraint(condition=condition, name="t")
    entry = ReportEntry(status="done", text="b", reason="")
    assert check_in_python(constraint, ReportEntry, entry, None) is False


def test_values_sql_could_compare_otherwise_are_left_to_the_database():
    constraint = CheckConstraint(condition=Q(text__gt=1), name="t")
    assert check_in_python(constraint, ReportEntry, ReportEntry(text="2"), None) is False
