"""Writes for plans, plan items and the participants' adoptions of an inter-municipal plan.

Hard rules (impossible data) refuse the change and write nothing; the law's deadlines and
duties are warnings that the service saves with the plan (``Plan.warnings``), so the register
records what happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.history import plain, ref, snapshot
from kraftsenter.core.rules import Violation, raise_violations
from kraftsenter.core.services import (
    archive_services,
    check_not_archived,
    check_version,
    commit_change,
    record_archive,
    record_create,
    record_update,
)

from .. import plan_rules
from ..choices import PlanStatus
from ..models import Plan, PlanAdoption, PlanItem
from ..permissions import PLAN_POLICY
from ._common import check_fields, strip_text, validate, with_changes

PLAN_FIELDS = (
    "title",
    "kind",
    "owner",
    "parent",
    "based_on",
    "election_year",
    "constituted_on",
    "status",
    "deadline",
    "proposal_published_on",
    "hearing_start",
    "hearing_end",
    "programme_hearing_start",
    "programme_hearing_end",
    "adopted_on",
    "revised_on",
    "sami_language_section",
    "document_url",
    "description",
    "is_example",
)
TEXT_FIELDS = ("title", "document_url", "description")


def plan_violations(plan: Plan, partners: list[Organisation]) -> list[Violation | None]:
    """The hard rules of DOMAIN.md §4 that a plan's own values can break: impossible data."""
    adoption = None
    if plan.status in (PlanStatus.ADOPTED, PlanStatus.SUPERSEDED) and plan.adopted_on is None:
        adoption = Violation(
            "adoption_date", "adopted_on", _("An adopted plan needs its adoption date.")
        )
    return [
        plan_rules.election_year_violation(plan.election_year),
        plan_rules.constitution_violation(plan.election_year, plan.constituted_on),
        plan_rules.strategy_period_violation(plan.kind, plan.election_year),
        plan_rules.plan_deadline_violation(
            plan.kind, plan.election_year, plan.constituted_on, plan.deadline
        ),
        plan_rules.strategy_adoption_violation(
            plan.kind, plan.election_year, plan.constituted_on, plan.adopted_on
        ),
        plan_rules.proposal_violation(plan.kind, plan.proposal_published_on, plan.adopted_on),
        *plan_rules.hearing_violations(plan),
        plan_rules.sami_section_violation(
            plan.kind, plan.status, plan.owner, plan.sami_language_section, plan.adopted_on
        )
        if plan.owner_id
        else None,
        plan_rules.owner_violation(plan.kind, plan.owner, partners) if plan.owner_id else None,
        plan_rules.parent_violation(plan.kind, plan.parent),
        adoption,
    ]


def plan_warnings(
    plan: Plan, partners: list[Organisation], adopted: Iterable[int] = ()
) -> list[Violation]:
    """The law's deadlines and duties the plan's dates break: saved with the plan, never
    refused. ``adopted``: the ids of the participants whose council has adopted the plan."""
    found = [
        plan_rules.constitution_late_warning(plan.election_year, plan.constituted_on),
        plan_rules.strategy_planned_late_warning(
            plan.kind, plan.election_year, plan.constituted_on, plan.deadline
        ),
        plan_rules.strategy_adopted_late_warning(
            plan.kind, plan.election_year, plan.constituted_on, plan.adopted_on
        ),
        plan_rules.proposal_warning(plan.kind, plan.proposal_published_on, plan.adopted_on),
        *plan_rules.hearing_warnings(plan),
        plan_rules.programme_warning(plan),
        plan_rules.participant_adoption_warning(
            plan.kind, plan.status, [plan.owner, *partners], adopted
        )
        if plan.owner_id
        else None,
    ]
    return [w for w in found if w is not None]


def saved_warnings(warnings: Iterable[Violation]) -> list[dict[str, str]]:
    """The warnings as the plan keeps them: code, field, message and legal source."""
    return [
        {"code": w.rule, "field": w.field, "message": str(w.message), "source": w.source}
        for w in warnings
    ]


def _adopted_ids(plan: Plan) -> list[int]:
    return list(
        PlanAdoption.objects.filter(plan=plan, archived_at__isnull=True).values_list(
            "organisation_id", flat=True
        )
    )


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan's fields with its participants' adoptions (the history of an adoption)."""
    data = snapshot(plan)
    data["adoptions"] = [
        {
            "organisation": ref(a.organisation),
            "adopted_on": plain(a.adopted_on),
            "reference": a.reference,
        }
        for a in PlanAdoption.objects.filter(plan=plan, archived_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation_id")
    ]
    return data


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    title: str,
    kind: str,
    owner: Organisation,
    partners: Iterable[Organisation] = (),
    **fields: Any,
) -> Plan:
    check_fields(fields, PLAN_FIELDS)
    PLAN_POLICY.require(actor, "create")
    PLAN_POLICY.require_result(
        actor, {owner.pk}, _("You can register plans only for organisations you edit for.")
    )
    partners = [p for p in partners if p.pk != owner.pk]
    plan = Plan(title=title, kind=kind, owner=owner, **strip_text(fields, *TEXT_FIELDS))
    plan.title = (plan.title or "").strip()
    validate(plan, plan_violations(plan, partners))
    plan.warnings = saved_warnings(plan_warnings(plan, partners))
    return record_create(plan, actor=actor, m2m={"partners": partners})


@transaction.atomic
def plan_update(
    *,
    actor: Any,
    plan: Plan,
    expected_version: int | None,
    partners: Iterable[Organisation] | None = None,
    reason: str = "",
    **changes: Any,
) -> Plan:
    check_fields(changes, PLAN_FIELDS)
    locked = Plan.objects.select_for_update().select_related("owner").get(pk=plan.pk)
    PLAN_POLICY.require(actor, "edit", locked)
    check_version(locked, expected_version)
    changes = strip_text(changes, *TEXT_FIELDS)
    if "owner" in changes:
        PLAN_POLICY.require_result(
            actor,
            {changes["owner"].pk},
            _("You can move a plan only to an organisation you edit for."),
        )
    candidate = with_changes(locked, changes)
    wanted = (
        [p for p in partners if p.pk != candidate.owner_id]
        if partners is not None
        else list(locked.partners.all())
    )
    validate(candidate, plan_violations(candidate, wanted))
    changes["warnings"] = saved_warnings(plan_warnings(candidate, wanted, _adopted_ids(locked)))
    return record_update(
        locked,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        m2m={"partners": wanted} if partners is not None else None,
        reason=reason,
    )


@transaction.atomic
def plan_adoption_record(
    *,
    actor: Any,
    plan: Plan,
    organisation: Organisation,
    adopted_on: dt.date,
    reference: str = "",
) -> PlanAdoption:
    """One participant's council adopted the inter-municipal plan for its own area (pbl. § 9-3
    third paragraph). Recording it again replaces the date. It is a change to the plan (whose
    history holds every participant's adoption), and refreshes the plan's warnings."""
    locked = Plan.objects.select_for_update().select_related("owner").get(pk=plan.pk)
    PLAN_POLICY.require(actor, "record_adoption", locked)
    check_not_archived(locked)
    partners = list(locked.partners.all())
    participants = [locked.owner, *partners]
    raise_violations(
        plan_rules.adoption_violations(participants, organisation, adopted_on, timezone.localdate())
    )
    before = plan_snapshot(locked)
    reference = (reference or "").strip()
    adoption = PlanAdoption.objects.filter(plan=locked, organisation=organisation).first()
    if adoption is None:
        adoption = record_create(
            PlanAdoption(
                plan=locked, organisation=organisation, adopted_on=adopted_on, reference=reference
            ),
            actor=actor,
            history=False,
        )
    else:
        adoption = record_update(
            adoption,
            actor=actor,
            expected_version=None,
            history=False,
            changes={"adopted_on": adopted_on, "reference": reference},
        )
    locked.warnings = saved_warnings(plan_warnings(locked, partners, _adopted_ids(locked)))
    commit_change(
        locked,
        actor=actor,
        before=before,
        after=plan_snapshot,
        action="plan.adoption_recorded",
    )
    return adoption


plan_archive, plan_restore = archive_services(Plan, policy=PLAN_POLICY, object_name="plan")


@transaction.atomic
def plan_item_add(
    *,
    actor: Any,
    plan: Plan,
    title: str,
    code: str = "",
    description: str = "",
    responsible: Organisation | None = None,
    budget: Decimal | None = None,
    follows_up: PlanItem | None = None,
    is_example: bool = False,
) -> PlanItem:
    """An item of the plan (an action programme measure, an action part line …)."""
    PLAN_POLICY.require(actor, "add_item", plan)
    violations = []
    if follows_up is not None and follows_up.plan_id == plan.pk:
        violations.append(
            Violation(
                "item_follows_other_plan",
                "follows_up",
                _(
                    "An item follows up an item of another, higher-level plan (rule: traceable "
                    "anchoring)."
                ),
            )
        )
    item = PlanItem(
        plan=plan,
        title=(title or "").strip(),
        code=(code or "").strip(),
        description=(description or "").strip(),
        responsible=responsible,
        budget=budget,
        follows_up=follows_up,
        is_example=is_example,
    )
    validate(item, violations)
    return record_create(item, actor=actor, parent=plan)


@transaction.atomic
def plan_item_archive(*, actor: Any, item: PlanItem, reason: str = "") -> PlanItem:
    locked = PlanItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
    PLAN_POLICY.require(actor, "edit", locked.plan)
    return record_archive(locked, actor=actor, reason=reason, parent=locked.plan)
