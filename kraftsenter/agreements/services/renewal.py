"""Renewing an agreement: a new agreement linked to the old one, with the open commitments
carried over. Nothing of the old agreement (its fields, version, commitments) is changed."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext as _

from kraftsenter.core.history import record_change, snapshot

from .. import counties, rules
from ..choices import OPEN_STATUSES, AgreementStatus
from ..models import Agreement, AgreementAnchor, AgreementGoal, AgreementParty, Commitment
from ..permissions import AGREEMENT_POLICY
from ._common import validate
from .agreements import active_party_links, agreement_snapshot


@transaction.atomic
def agreement_renew(
    *,
    actor: Any,
    agreement: Agreement,
    period_start: dt.date,
    period_end: dt.date,
    title: str = "",
    renewal_milestone: dt.date | None = None,
    reason: str = "",
) -> Agreement:
    """The new agreement is a draft with the same parties (their adopting decisions still to
    come), scope, goals and anchors; open commitments are copied and linked to the originals."""
    old = Agreement.objects.select_for_update().get(pk=agreement.pk)
    AGREEMENT_POLICY.require(actor, "renew", old)
    # A flag the renewal rules read (with getattr); not a field of the agreement.
    cast(Any, old).has_renewal = Agreement.objects.filter(renewal_of=old).exists()
    new = Agreement(
        title=(title or "").strip() or old.title,
        kind=old.kind,
        status=AgreementStatus.DRAFT,
        description=old.description,
        lead_id=old.lead_id,
        partnership_id=old.partnership_id,
        scope_region_id=old.scope_region_id,
        period_start=period_start,
        period_end=period_end,
        binding=old.binding,
        renewal_milestone=renewal_milestone,
        renewal_of=old,
        is_example=old.is_example,
    )
    validate(new, rules.renewal_violations(old, period_start, period_end), exclude=("renewal_of",))
    new.save()
    new.scope_municipalities.set(old.scope_municipalities.all())
    parties = active_party_links(old)
    for link in parties:
        AgreementParty(agreement=new, organisation_id=link.organisation_id).save()
    counties.parties_written(new.pk, [], [link.organisation for link in parties])
    goals: dict[int, AgreementGoal] = {}
    for goal in old.goals.filter(archived_at__isnull=True):
        goals[goal.pk] = AgreementGoal.objects.create(
            agreement=new,
            text=goal.text,
            sdgs=goal.sdgs,
            sdg_targets=goal.sdg_targets,
            local_target=goal.local_target,
            position=goal.position,
        )
    for anchor in old.anchors.filter(archived_at__isnull=True):
        AgreementAnchor.objects.create(
            agreement=new, plan_id=anchor.plan_id, item_id=anchor.item_id, note=anchor.note
        )
    record_change(
        actor=actor,
        action="agreement.renewed",
        target=new,
        before=None,
        after=agreement_snapshot(new),
        parent=old,
        reason=reason or _("Renewal of “%(title)s”") % {"title": old.title},
    )
    # With their parties: a copy's save takes its party's county from it (no query each).
    open_commitments = (
        old.commitments.filter(archived_at__isnull=True, status__in=OPEN_STATUSES)
        .select_related("party")
        .order_by("due_date", "pk")
    )
    for commitment in open_commitments:
        copy = Commitment.objects.create(
            agreement=new,
            party=commitment.party,
            description=commitment.description,
            due_date=commitment.due_date,
            budget=commitment.budget,
            status=commitment.status,
            status_reason=commitment.status_reason,
            goal=goals.get(commitment.goal_id) if commitment.goal_id is not None else None,
            plan_item_id=commitment.plan_item_id,
            carried_from=commitment,
            is_example=commitment.is_example,
        )
        record_change(
            actor=actor,
            action="commitment.carried_over",
            target=copy,
            before=None,
            after=snapshot(copy),
            parent=new,
        )
    return new
