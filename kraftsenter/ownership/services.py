"""Writes for the ownership register: one service per change, inside one transaction.

Each service asks the policy (``permissions.py``), checks the hard rules of ``rules.py`` and
the shared bounds all at once (nothing is written when one fails), and writes one history
entry through ``kraftsenter.core.services``. Warnings are not refused: they are computed from
the saved record and shown with it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.rules import Violation, validate
from kraftsenter.core.services import archive_services, check_version, record_create, record_update

from . import rules
from .models import OwnershipInterest, OwnershipStatement
from .permissions import HANDOVER_MESSAGE, INTEREST_POLICY, STATEMENT_POLICY

M = TypeVar("M", bound=models.Model)

INTEREST_FIELDS = (
    "holder",
    "kind",
    "entity",
    "cooperation",
    "share",
    "purpose",
    "management_principles",
    "decision_body",
    "decided_on",
    "case_reference",
    "published",
)
INTEREST_TEXT = ("purpose", "management_principles", "decision_body", "case_reference")
#: Checked by the rules (one interest per entity or cooperation, with the field named); the
#: database constraints check them again when the record is saved.
RULED_BY_SERVICE = ("entity", "cooperation")
STATEMENT_FIELDS = (
    "holder",
    "kind",
    "adopted_on",
    "adopting_body",
    "case_reference",
    "document_url",
    "principles",
    "published",
)
STATEMENT_TEXT = ("case_reference", "document_url", "principles")


def _check_fields(fields: Iterable[str], allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({f: _("This field cannot be set.") for f in unknown})


def _strip(data: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    for name in names:
        if name in data:
            data[name] = (data[name] or "").strip()
    return data


def _with_changes(obj: M, changes: dict[str, Any]) -> M:
    candidate = copy.copy(obj)
    for name, value in changes.items():
        setattr(candidate, name, value)
    return candidate


# --- interests ---------------------------------------------------------------------------------


def interest_violations(interest: OwnershipInterest) -> list[Violation | None]:
    """Every hard rule an interest's values can break (see ``rules.py``)."""
    cooperation = interest.cooperation if interest.cooperation_id else None
    entity = interest.entity if interest.entity_id else None
    same = OwnershipInterest.objects.filter(
        holder_id=interest.holder_id, archived_at__isnull=True
    ).exclude(pk=interest.pk)
    if cooperation is not None:
        exists = same.filter(cooperation=cooperation).exists()
    elif entity is not None:
        exists = same.filter(entity=entity).exists()
    else:
        exists = False
    return [
        *rules.target_violations(interest.kind, entity, cooperation),
        rules.share_violation(interest.kind, interest.share),
        rules.participant_violation(interest.holder_id, cooperation),
        rules.duplicate_violation(interest.kind, exists),
    ]


@transaction.atomic
def interest_create(
    *, actor: Any, holder: Organisation, kind: str, **fields: Any
) -> OwnershipInterest:
    """Register one interest of ``holder`` (a municipality or county municipality)."""
    _check_fields(fields, INTEREST_FIELDS)
    INTEREST_POLICY.require(actor, "create")
    INTEREST_POLICY.require_result(actor, {holder.pk}, str(HANDOVER_MESSAGE))
    interest = OwnershipInterest(holder=holder, kind=kind, **_strip(fields, INTEREST_TEXT))
    validate(interest, interest_violations(interest), exclude=RULED_BY_SERVICE)
    return record_create(interest, actor=actor)


@transaction.atomic
def interest_update(
    *,
    actor: Any,
    interest: OwnershipInterest,
    expected_version: int | None,
    reason: str = "",
    **changes: Any,
) -> OwnershipInterest:
    _check_fields(changes, INTEREST_FIELDS)
    locked = OwnershipInterest.objects.select_for_update().get(pk=interest.pk)
    INTEREST_POLICY.require(actor, "edit", locked)
    check_version(locked, expected_version)
    changes = _strip(changes, INTEREST_TEXT)
    if "holder" in changes and changes["holder"] is not None:
        INTEREST_POLICY.require_result(actor, {changes["holder"].pk}, str(HANDOVER_MESSAGE))
    candidate = _with_changes(locked, changes)
    validate(candidate, interest_violations(candidate), exclude=RULED_BY_SERVICE)
    return record_update(
        locked, actor=actor, changes=changes, expected_version=expected_version, reason=reason
    )


interest_archive, interest_restore = archive_services(
    OwnershipInterest, policy=INTEREST_POLICY, object_name="interest"
)


# --- council documents -------------------------------------------------------------------------


@transaction.atomic
def statement_create(
    *, actor: Any, holder: Organisation, kind: str, **fields: Any
) -> OwnershipStatement:
    """Register an ownership statement or a plan for ownership control as adopted."""
    _check_fields(fields, STATEMENT_FIELDS)
    STATEMENT_POLICY.require(actor, "create")
    STATEMENT_POLICY.require_result(actor, {holder.pk}, str(HANDOVER_MESSAGE))
    statement = OwnershipStatement(holder=holder, kind=kind, **_strip(fields, STATEMENT_TEXT))
    validate(statement)
    return record_create(statement, actor=actor)


@transaction.atomic
def statement_update(
    *,
    actor: Any,
    statement: OwnershipStatement,
    expected_version: int | None,
    reason: str = "",
    **changes: Any,
) -> OwnershipStatement:
    _check_fields(changes, STATEMENT_FIELDS)
    locked = OwnershipStatement.objects.select_for_update().get(pk=statement.pk)
    STATEMENT_POLICY.require(actor, "edit", locked)
    check_version(locked, expected_version)
    changes = _strip(changes, STATEMENT_TEXT)
    if "holder" in changes and changes["holder"] is not None:
        STATEMENT_POLICY.require_result(actor, {changes["holder"].pk}, str(HANDOVER_MESSAGE))
    validate(_with_changes(locked, changes))
    return record_update(
        locked, actor=actor, changes=changes, expected_version=expected_version, reason=reason
    )


statement_archive, statement_restore = archive_services(
    OwnershipStatement, policy=STATEMENT_POLICY, object_name="statement"
)
