"""Writes for plans and plan items."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.rules import Violation
from kraftsenter.core.services import (
    archive_services,
    check_version,
    record_archive,
    record_create,
    record_update,
)

from .. import plan_rules
from ..choices import PlanStatus
from ..models import Plan, PlanItem
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
    "sami_language_section",
    "document_url",
    "description",
    "is_example",
)
TEXT_FIELDS = ("title", "document_url", "description")


def plan_violations(plan: Plan, partners: list[Organisation]) -> list[Violation | None]:
    """Every rule of DOMAIN.md §4 that a plan's own values can break."""
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
            plan.kind, plan.status, plan.owner, plan.sami_language_section
        )
        if plan.owner_id
        else None,
        plan_rules.owner_violation(plan.kind, plan.owner, partners) if plan.owner_id else None,
        plan_rules.parent_violation(plan.kind, plan.parent),
        adoption,
    ]


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
    return record_update(
        locked,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        m2m={"partners": wanted} if partners is not None else None,
        reason=reason,
    )


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
