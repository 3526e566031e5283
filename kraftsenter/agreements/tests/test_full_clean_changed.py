"""``core.rules.full_clean_changed`` (what ``record_update`` checks a changed record with):
the same errors as ``full_clean``, without the queries a field that did not change cannot
fail (its foreign key's row exists; a check constraint over unchanged fields held)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.agreements.models import Commitment
from kraftsenter.core.rules import full_clean_changed

pytestmark = pytest.mark.django_db


def _errors(check) -> dict | None:
    try:
        check()
    except ValidationError as exc:
        return {k: [e.message for e in v] for k, v in exc.error_dict.items()}
    return None


@pytest.mark.parametrize(
    "changes",
    [
        {"description": ""},  # a required field
        {"status": "dropped"},  # the check constraint (dropped needs a reason) and clean()
        {"status": "dropped", "status_reason": "Lagt ned"},  # fine
        {"status": "nonsense"},  # not a choice
        {"budget": -5},
        {"party_id": 99_999_999},  # a changed foreign key to no row
        {"description": "x" * 100_000, "status": "dropped"},
    ],
)
def test_the_same_errors_as_full_clean(commitment, changes):
    fresh = Commitment.objects.get(pk=commitment.pk)
    for name, value in changes.items():
        setattr(fresh, name, value)
    changed = {name.removesuffix("_id") for name in changes}
    assert _errors(lambda: full_clean_changed(fresh, changed)) == _errors(fresh.full_clean)


def test_unchanged_foreign_keys_and_constraints_cost_no_query(commitment):
    fresh = Commitment.objects.get(pk=commitment.pk)
    fresh.description = "Ny tekst"
    with CaptureQueriesContext(connection) as full:
        fresh.full_clean()
    with CaptureQueriesContext(connection) as changed:
        full_clean_changed(fresh, {"description"})
    assert len(full) >= 2  # agreement and party exist (constraints: core.checks, no query)
    assert len(changed) == 0
    # A changed status is checked against the constraint over it, in Python (core.checks).
    fresh.status = "dropped"
    with CaptureQueriesContext(connection) as status:
        errors = _errors(lambda: full_clean_changed(fresh, {"status"}))
    assert errors is not None and errors == _errors(fresh.full_clean)
    assert not any("_check" in q["sql"] for q in status.captured_queries)


def test_record_create_does_not_check_again_what_validate_passed(commitment):
    from kraftsenter.core.rules import validate
    from kraftsenter.core.services import record_create

    def fresh() -> Commitment:
        # The agreement and party by key, not as instances read before (``loaded_relations``):
        # whether ``full_clean`` runs shows in their existence queries.
        return Commitment(
            agreement_id=commitment.agreement_id,
            party_id=commitment.party_id,
            description="Ny forpliktelse",
            due_date=commitment.due_date,
        )

    checked = fresh()
    validate(checked)
    with CaptureQueriesContext(connection) as queries:
        record_create(checked, actor="test")
    assert not any('SELECT 1 AS "a"' in q["sql"] for q in queries.captured_queries)

    unchecked = fresh()
    with CaptureQueriesContext(connection) as queries:
        record_create(unchecked, actor="test")
    assert any('SELECT 1 AS "a"' in q["sql"] for q in queries.captured_queries)

    # Changed after it passed: checked again, and refused.
    changed = fresh()
    validate(changed)
    changed.description = ""
    with pytest.raises(ValidationError) as refused:
        record_create(changed, actor="test")
    assert "description" in refused.value.error_dict
    assert changed.pk is None
