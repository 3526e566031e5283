"""Writes for commitments: what a party promised under an agreement, and its status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.services import (
    check_version,
    record_archive,
    record_create,
    record_restore,
    record_update,
)

from .. import permissions, rules
from ..models import Agreement, AgreementGoal, Commitment
from ..rules import Violation
from ._common import check_fields, require_allowed, require_editor_of, validate, with_changes

COMMITMENT_FIELDS = (
    "party",
    "description",
    "due_date",
    "budget",
    "status",
    "status_reason",
    "goal",
    "plan_item",
    "is_example",
)


def commitment_violations(commitment: Commitment, agreement: Agreement) -> list[Violation | None]:
    out: list[Violation | None] = [
        rules.commitment_party_violation(
            commitment.party, permissions.agreement_party_ids(agreement)
        )
        if commitment.party_id
        else None,
        rules.dropped_reason_violation(
            commitment.status, commitment.status_reason, "status_reason"
        ),
    ]
    goal: AgreementGoal | None = commitment.goal
    if goal is not None and goal.agreement_id != agreement.pk:
        out.append(
            Violation(
                "commitment_goal",
                "goal",
                _("The goal belongs to another agreement (rule: traceable anchoring)."),
            )
        )
    return out


def _editors_of(agreement: Agreement, party: Organisation) -> set[int]:
    return {party.pk, *([agreement.lead_id] if agreement.lead_id else [])}


@transaction.atomic
def commitment_create(
    *,
    actor: Any,
    agreement: Agreement,
    party: Organisation,
    description: str,
    due_date: dt.date,
    budget: Decimal | None = None,
    **fields: Any,
) -> Commitment:
    """A commitment; editors of the owning party or of the agreement's lead party add it."""
    check_fields(fields, COMMITMENT_FIELDS)
    require_editor_of(
        actor,
        _editors_of(agreement, party),
        _("Only editors of the owning party or of the lead party may add this commitment."),
    )
    if agreement.is_archived:
        raise ValidationError(_("An archived record cannot be changed. Restore it first."))
    fields["status_reason"] = (fields.get("status_reason") or "").strip()
    commitment = Commitment(
        agreement=agreement,
        party=party,
        description=(description or "").strip(),
        due_date=due_date,
        budget=budget,
        **fields,
    )
    validate(commitment, commitment_violations(commitment, agreement))
    return record_create(commitment, actor=actor, parent=agreement)


@transaction.atomic
def commitment_update(
    *,
    actor: Any,
    commitment: Commitment,
    expected_version: int | None,
    reason: str = "",
    action: str | None = None,
    **changes: Any,
) -> Commitment:
    check_fields(changes, COMMITMENT_FIELDS)
    locked = (
        Commitment.objects.select_for_update().select_related("agreement").get(pk=commitment.pk)
    )
    require_allowed(
        actor,
        lambda user: permissions.can_edit_commitment(user, locked),
        _("Only editors of the owning party or of the lead party may change this commitment."),
    )
    check_version(locked, expected_version)
    if "party" in changes and changes["party"].pk != locked.party_id:
        require_editor_of(
            actor,
            _editors_of(locked.agreement, changes["party"]),
            _("Only editors of the new owning party or of the lead party may move it there."),
        )
    if "status_reason" in changes:
        changes["status_reason"] = (changes["status_reason"] or "").strip()
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
    candidate = with_changes(locked, changes)
    validate(candidate, commitment_violations(candidate, locked.agreement))
    return record_update(
        locked,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        reason=reason,
        parent=locked.agreement,
        action=action,
    )


@transaction.atomic
def commitment_archive(
    *, actor: Any, commitment: Commitment, expected_version: int | None = None, reason: str = ""
) -> Commitment:
    locked = (
        Commitment.objects.select_for_update().select_related("agreement").get(pk=commitment.pk)
    )
    require_allowed(
        actor,
        lambda user: permissions.COMMITMENT_POLICY.can_archive(user, locked),
        _("Only editors of the owning party or of the lead party may archive this commitment."),
    )
    return record_archive(locked, actor=actor, expected_version=expected_version, reason=reason)


@transaction.atomic
def commitment_restore(
    *, actor: Any, commitment: Commitment, expected_version: int | None = None, reason: str = ""
) -> Commitment:
    locked = (
        Commitment.objects.select_for_update().select_related("agreement").get(pk=commitment.pk)
    )
    require_allowed(
        actor,
        lambda user: permissions.COMMITMENT_POLICY.can_archive(user, locked),
        _("Only editors of the owning party or of the lead party may restore this commitment."),
    )
    return record_restore(locked, actor=actor, expected_version=expected_version, reason=reason)
