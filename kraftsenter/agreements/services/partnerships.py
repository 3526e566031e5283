"""Writes for regional partnerships, their meetings and their decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.rules import Violation
from kraftsenter.core.services import (
    archive_services,
    check_version,
    record_create,
    record_update,
)

from .. import rules
from ..models import Partnership, PartnershipDecision, PartnershipMeeting
from ..permissions import PARTNERSHIP_POLICY
from ._common import check_fields, strip_text, validate, with_changes

PARTNERSHIP_FIELDS = ("name", "lead", "county", "region", "purpose", "priorities", "is_example")
TEXT_FIELDS = ("name", "purpose", "priorities")


@transaction.atomic
def partnership_create(
    *,
    actor: Any,
    name: str,
    lead: Organisation,
    members: Iterable[Organisation] = (),
    **fields: Any,
) -> Partnership:
    check_fields(fields, PARTNERSHIP_FIELDS)
    members = [m for m in members if m.pk != lead.pk]
    PARTNERSHIP_POLICY.require(actor, "create")
    PARTNERSHIP_POLICY.require_result(
        actor,
        {lead.pk, *(m.pk for m in members)},
        _("You can register only partnerships that one of your organisations leads or joins."),
    )
    partnership = Partnership(name=name, lead=lead, **strip_text(fields, *TEXT_FIELDS))
    partnership.name = (partnership.name or "").strip()
    validate(partnership, [])
    return record_create(partnership, actor=actor, m2m={"members": members})


@transaction.atomic
def partnership_update(
    *,
    actor: Any,
    partnership: Partnership,
    expected_version: int | None,
    members: Iterable[Organisation] | None = None,
    reason: str = "",
    **changes: Any,
) -> Partnership:
    check_fields(changes, PARTNERSHIP_FIELDS)
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    PARTNERSHIP_POLICY.require(actor, "edit", locked)
    check_version(locked, expected_version)
    changes = strip_text(changes, *TEXT_FIELDS)
    candidate = with_changes(locked, changes)
    validate(candidate, [])
    wanted = (
        [m for m in members if m.pk != candidate.lead_id]
        if members is not None
        else [m for m in locked.members.all() if m.pk != candidate.lead_id]
    )
    PARTNERSHIP_POLICY.require_result(
        actor,
        {candidate.lead_id, *(m.pk for m in wanted)},
        _(
            "After this change none of your organisations would lead or be a member of the "
            "partnership."
        ),
    )
    m2m = {"members": wanted} if members is not None else None
    return record_update(
        locked,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        m2m=m2m,
        reason=reason,
    )


partnership_archive, partnership_restore = archive_services(
    Partnership, policy=PARTNERSHIP_POLICY, object_name="partnership"
)


@transaction.atomic
def meeting_add(
    *,
    actor: Any,
    partnership: Partnership,
    held_on: dt.date,
    title: str,
    agenda: str = "",
    minutes: str = "",
    minutes_url: str = "",
) -> PartnershipMeeting:
    PARTNERSHIP_POLICY.require(actor, "add_meeting", partnership)
    meeting = PartnershipMeeting(
        partnership=partnership,
        held_on=held_on,
        title=(title or "").strip(),
        agenda=(agenda or "").strip(),
        minutes=(minutes or "").strip(),
        minutes_url=minutes_url or "",
    )
    validate(meeting, [])
    return record_create(meeting, actor=actor, parent=partnership)


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    partnership: Partnership,
    decided_on: dt.date,
    text: str,
    agreed_by: list[Organisation],
    meeting: PartnershipMeeting | None = None,
    follow_up: str = "",
    due_date: dt.date | None = None,
) -> PartnershipDecision:
    """What the partnership agreed and which members agreed to it."""
    PARTNERSHIP_POLICY.require(actor, "record_decision", partnership)
    member_ids = {partnership.lead_id, *partnership.members.values_list("pk", flat=True)}
    violations: list[Violation | None] = [rules.decision_members_violation(agreed_by, member_ids)]
    if meeting is not None and meeting.partnership_id != partnership.pk:
        violations.append(
            Violation(
                "decision_meeting",
                "meeting",
                _("The meeting belongs to another partnership (rule: decisions by members)."),
            )
        )
    if due_date is not None and due_date < decided_on:
        violations.append(
            Violation(
                "period_order",
                "due_date",
                _("The follow-up date comes before the decision (rule: an end follows its start)."),
            )
        )
    decision = PartnershipDecision(
        partnership=partnership,
        meeting=meeting,
        decided_on=decided_on,
        text=(text or "").strip(),
        follow_up=(follow_up or "").strip(),
        due_date=due_date,
    )
    validate(decision, violations)
    return record_create(decision, actor=actor, m2m={"agreed_by": agreed_by}, parent=partnership)
