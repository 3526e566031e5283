"""Writes for commitments: what a party promised under an agreement, and its status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.rules import Violation
from kraftsenter.core.services import (
    archive_services,
    check_not_archived,
    check_version,
    record_create,
    record_update,
)

from .. import permissions, rules
from ..models import Agreement, AgreementGoal, Commitment
from ..permissions import AGREEMENT_POLICY, COMMITMENT_POLICY
from ._common import check_fields, validate, with_changes

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
    AGREEMENT_POLICY.require(actor, "add_commitment", agreement)
    COMMITMENT_POLICY.require_result(
        actor,
        _editors_of(agreement, party),
        _("Only editors of the owning party or of the lead party may add this commitment."),
    )
    check_not_archived(agreement)
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
    COMMITMENT_POLICY.require(actor, "edit", locked)
    check_version(locked, expected_version)
    if "party" in changes and changes["party"].pk != locked.party_id:
        COMMITMENT_POLICY.require_result(
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


commitment_archive, commitment_restore = archive_services(
    Commitment,
    policy=COMMITMENT_POLICY,
    object_name="commitment",
    parent=lambda c: c.agreement,
    related=("agreement",),
)
