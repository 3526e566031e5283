"""Writes for agreements: create, update (parties, status), archive, restore and their parts
(adopting decisions, goals, anchors in plans, documents)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core import bounds
from kraftsenter.core.history import plain, record_change, ref, snapshot
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
from kraftsenter.places.models import Municipality

from .. import counties, rules
from ..choices import AgreementStatus
from ..models import (
    Agreement,
    AgreementAnchor,
    AgreementDocument,
    AgreementGoal,
    AgreementParty,
    Plan,
    PlanItem,
)
from ..permissions import AGREEMENT_POLICY
from ._common import check_fields, strip_text, validate, with_changes

AGREEMENT_FIELDS = (
    "title",
    "kind",
    "status",
    "description",
    "lead",
    "partnership",
    "scope_region",
    "period_start",
    "period_end",
    "binding",
    "renewal_milestone",
    "is_example",
)
TEXT_FIELDS = ("title", "description")


@dataclass
class PartyInput:
    """A party and, if known, its adopting decision."""

    organisation: Organisation
    decision_body: str = ""
    decision_date: dt.date | None = None
    decision_reference: str = ""


def as_party_inputs(parties: list[Any]) -> list[PartyInput]:
    return [p if isinstance(p, PartyInput) else PartyInput(p) for p in parties]


def active_party_links(agreement: Agreement) -> list[AgreementParty]:
    links = getattr(agreement, "active_parties", None)
    if links is not None:
        return list(links)
    return list(
        agreement.party_links.filter(archived_at__isnull=True).select_related("organisation")
    )


def agreement_snapshot(agreement: Agreement) -> dict[str, Any]:
    """The agreement's fields with its active parties and their decisions."""
    data = snapshot(agreement)
    data["parties"] = [
        {
            "organisation": ref(link.organisation),
            "decision_body": link.decision_body,
            "decision_date": plain(link.decision_date),
            "decision_reference": link.decision_reference,
        }
        for link in sorted(
            agreement.party_links.filter(archived_at__isnull=True).select_related("organisation"),
            key=lambda x: x.organisation_id,
        )
    ]
    return data


def _status_violations(
    old: str | None, new: str, parties: list[PartyInput]
) -> list[Violation | None]:
    if new != AgreementStatus.ACTIVE or old == AgreementStatus.ACTIVE:
        return []
    undecided = [p.organisation.name for p in parties if p.decision_date is None]
    return [rules.activation_violation(undecided)]


def _decision_violations(parties: list[PartyInput]) -> list[Violation]:
    today = timezone.localdate()
    late = [p.organisation.name for p in parties if p.decision_date and p.decision_date > today]
    if not late:
        return []
    return [
        Violation(
            "decision_date",
            "parties",
            _("An adopting decision cannot be dated in the future: %(names)s.")
            % {"names": ", ".join(late)},
        )
    ]


def _party_value_violations(parties: list[PartyInput]) -> list[Violation]:
    """Each party's adopting decision within the bounds of its fields, under ``parties``."""
    return [
        violation
        for p in parties
        for violation in bounds.part_violations(
            AgreementParty(
                organisation=p.organisation,
                decision_body=(p.decision_body or "").strip(),
                decision_date=p.decision_date,
                decision_reference=(p.decision_reference or "").strip(),
            ),
            ("decision_body", "decision_date", "decision_reference"),
            field="parties",
            name=p.organisation.name,
            exclude=("agreement",),
        )
    ]


def agreement_warnings(agreement: Agreement) -> list[str]:
    """What the parties should look at, without stopping them (not errors)."""
    warning = rules.renewal_warning(
        agreement.period_start, agreement.period_end, agreement.renewal_milestone
    )
    return [warning] if warning else []


def _sync_parties(actor: Any, agreement: Agreement, parties: list[PartyInput]) -> None:
    current = {link.organisation_id: link for link in active_party_links(agreement)}
    wanted = {p.organisation.pk: p for p in parties}
    counties.parties_written(
        agreement.pk,
        [link.organisation for link in current.values()],
        [p.organisation for p in parties],
    )
    for org_id, old_link in current.items():
        if org_id not in wanted:
            record_archive(old_link, actor=actor, history=False)
    for org_id, p in wanted.items():
        link = current.get(org_id)
        values = {
            "decision_body": (p.decision_body or "").strip(),
            "decision_date": p.decision_date,
            "decision_reference": (p.decision_reference or "").strip(),
        }
        if link is None:
            record_create(
                AgreementParty(agreement=agreement, organisation=p.organisation, **values),
                actor=actor,
                history=False,
            )
        else:
            record_update(link, actor=actor, changes=values, expected_version=None, history=False)


def _removed_with_commitments(agreement: Agreement, parties: list[PartyInput]) -> list[Violation]:
    wanted = {p.organisation.pk for p in parties}
    owners = (
        agreement.commitments.filter(archived_at__isnull=True)
        .exclude(party_id__in=wanted)
        .values_list("party__name", flat=True)
        .distinct()
    )
    return [
        Violation(
            "commitment_party",
            "parties",
            _(
                "%(name)s owns commitments under the agreement and stays a party until they are "
                "archived or moved (rule: commitments are owned by parties)."
            )
            % {"name": name},
        )
        for name in owners
    ]


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    title: str,
    kind: str,
    period_start: dt.date,
    period_end: dt.date,
    parties: list[Any],
    lead: Organisation | None = None,
    scope_municipalities: Iterable[Municipality] = (),
    status: str = AgreementStatus.DRAFT,
    **fields: Any,
) -> Agreement:
    check_fields(fields, AGREEMENT_FIELDS)
    inputs = as_party_inputs(parties)
    AGREEMENT_POLICY.require(actor, "create")
    AGREEMENT_POLICY.require_result(
        actor,
        {p.organisation.pk for p in inputs},
        _("You can register only agreements that one of your organisations is a party to."),
    )
    agreement = Agreement(
        title=(title or "").strip(),
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        lead=lead,
        status=status,
        **strip_text(fields, *TEXT_FIELDS),
    )
    orgs = [p.organisation for p in inputs]
    violations = [
        rules.period_violation(period_start, period_end),
        *rules.parties_violations(kind, lead, orgs),
        *_status_violations(None, status, inputs),
        *_decision_violations(inputs),
        *_party_value_violations(inputs),
    ]
    if len({o.pk for o in orgs}) != len(orgs):
        violations.append(
            Violation("parties_once", "parties", _("An organisation is a party only once."))
        )
    validate(agreement, violations)
    agreement.save()
    agreement.scope_municipalities.set(scope_municipalities)
    for p in inputs:
        AgreementParty(
            agreement=agreement,
            organisation=p.organisation,
            decision_body=(p.decision_body or "").strip(),
            decision_date=p.decision_date,
            decision_reference=(p.decision_reference or "").strip(),
        ).save()
    counties.parties_written(agreement.pk, [], [p.organisation for p in inputs])
    record_change(
        actor=actor,
        action="agreement.created",
        target=agreement,
        before=None,
        after=agreement_snapshot(agreement),
    )
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: Any,
    agreement: Agreement,
    expected_version: int | None,
    parties: list[Any] | None = None,
    scope_municipalities: Iterable[Municipality] | None = None,
    reason: str = "",
    **changes: Any,
) -> Agreement:
    check_fields(changes, AGREEMENT_FIELDS)
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    AGREEMENT_POLICY.require(actor, "edit", locked)
    check_version(locked, expected_version)
    check_not_archived(locked)
    changes = strip_text(changes, *TEXT_FIELDS)
    candidate = with_changes(locked, changes)
    current = [
        PartyInput(
            link.organisation, link.decision_body, link.decision_date, link.decision_reference
        )
        for link in active_party_links(locked)
    ]
    if parties is None:
        inputs = current
    else:
        # Organisations given without a decision keep the decision they already have.
        kept = {p.organisation.pk: p for p in current}
        inputs = [
            p if isinstance(p, PartyInput) else kept.get(p.pk, PartyInput(p)) for p in parties
        ]
    orgs = [p.organisation for p in inputs]
    AGREEMENT_POLICY.require_result(
        actor,
        {o.pk for o in orgs},
        _(
            "After this change none of your organisations would be a party to the agreement. "
            "Keep one of them, or ask a site administrator."
        ),
    )
    validate(
        candidate,
        [
            rules.period_violation(candidate.period_start, candidate.period_end),
            *rules.parties_violations(candidate.kind, candidate.lead, orgs),
            *_status_violations(locked.status, candidate.status, inputs),
            *_decision_violations(inputs),
            *_party_value_violations(inputs),
            *(_removed_with_commitments(locked, inputs) if parties is not None else []),
        ],
    )
    before = agreement_snapshot(locked)
    old_status = locked.status
    for field, value in changes.items():
        setattr(locked, field, value)
    if parties is not None:
        _sync_parties(actor, locked, inputs)
    if scope_municipalities is not None:
        locked.scope_municipalities.set(scope_municipalities)
    action = "agreement.updated"
    if locked.status != old_status:
        action = f"agreement.{'activated' if locked.status == 'active' else locked.status}"
    elif parties is not None and not changes:
        action = "agreement.parties_changed"
    commit_change(
        locked, actor=actor, before=before, after=agreement_snapshot, action=action, reason=reason
    )
    return locked


agreement_archive, agreement_restore = archive_services(
    Agreement, policy=AGREEMENT_POLICY, object_name="agreement"
)


@transaction.atomic
def party_decision_record(
    *,
    actor: Any,
    agreement: Agreement,
    organisation: Organisation,
    decision_date: dt.date,
    decision_body: str = "",
    decision_reference: str = "",
) -> AgreementParty:
    """A party's adopting decision: body, date and case reference. It is a change to the
    agreement (whose history holds every party's decision)."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    AGREEMENT_POLICY.require(actor, "record_decision", locked)
    check_not_archived(locked)
    link = locked.party_links.filter(organisation=organisation, archived_at__isnull=True).first()
    if link is None:
        raise_violations(
            [
                Violation(
                    "decision_party",
                    "organisation",
                    _("%(name)s is not a party to the agreement.") % {"name": organisation.name},
                )
            ]
        )
    assert link is not None  # else raise_violations raised
    raise_violations(_decision_violations([PartyInput(organisation, "", decision_date)]))
    before = agreement_snapshot(locked)
    record_update(
        link,
        actor=actor,
        expected_version=None,
        history=False,
        changes={
            "decision_date": decision_date,
            "decision_body": (decision_body or "").strip(),
            "decision_reference": (decision_reference or "").strip(),
        },
    )
    commit_change(
        locked,
        actor=actor,
        before=before,
        after=agreement_snapshot,
        action="agreement.decision_recorded",
    )
    return link


def _sdg_codes(sdgs: Iterable[Any] | None) -> list[Any]:
    """The goals once each, in order (anything not a whole number last, for the rule)."""
    return sorted(
        set(sdgs or []), key=lambda g: (not isinstance(g, int), g if isinstance(g, int) else 0)
    )


def _sdg_targets(targets: Iterable[str] | None) -> list[str]:
    return sorted({t.strip() for t in (targets or []) if t.strip()})


@transaction.atomic
def goal_add(
    *,
    actor: Any,
    agreement: Agreement,
    text: str,
    sdgs: list[int] | None = None,
    sdg_targets: list[str] | None = None,
    local_target: str = "",
) -> AgreementGoal:
    AGREEMENT_POLICY.require(actor, "add_goal", agreement)
    check_not_archived(agreement)
    goals, targets = _sdg_codes(sdgs), _sdg_targets(sdg_targets)
    position = agreement.goals.count() + 1
    goal = AgreementGoal(
        agreement=agreement,
        text=(text or "").strip(),
        sdgs=goals,
        sdg_targets=targets,
        local_target=(local_target or "").strip(),
        position=position,
    )
    validate(goal, rules.sdg_violations(goals, targets))
    return record_create(goal, actor=actor, parent=agreement)


@transaction.atomic
def anchor_add(
    *, actor: Any, agreement: Agreement, plan: Plan, item: PlanItem | None = None, note: str = ""
) -> AgreementAnchor:
    """Anchor the agreement in a plan, and if given in one of its items."""
    AGREEMENT_POLICY.require(actor, "add_anchor", agreement)
    check_not_archived(agreement)
    anchor = AgreementAnchor(agreement=agreement, plan=plan, item=item, note=(note or "").strip())
    validate(anchor, [rules.anchor_violation(plan, item)])
    return record_create(anchor, actor=actor, parent=agreement)


@transaction.atomic
def document_add(
    *,
    actor: Any,
    agreement: Agreement,
    title: str,
    url: str,
    signed_on: dt.date | None = None,
) -> AgreementDocument:
    AGREEMENT_POLICY.require(actor, "add_document", agreement)
    check_not_archived(agreement)
    document = AgreementDocument(
        agreement=agreement, title=(title or "").strip(), url=url, signed_on=signed_on
    )
    validate(document, [])
    return record_create(document, actor=actor, parent=agreement)


GOAL_FIELDS = ("text", "sdgs", "sdg_targets", "local_target")


@transaction.atomic
def goal_update(
    *,
    actor: Any,
    goal: AgreementGoal,
    expected_version: int | None,
    reason: str = "",
    **changes: Any,
) -> AgreementGoal:
    """Change a goal's text, its SDGs and SDG targets, or the parties' own target. One entry in
    the agreement's history; a change that changes nothing writes nothing."""
    check_fields(changes, GOAL_FIELDS)
    locked = AgreementGoal.objects.select_for_update().select_related("agreement").get(pk=goal.pk)
    agreement = locked.agreement
    AGREEMENT_POLICY.require(actor, "edit_goal", agreement)
    check_version(locked, expected_version)
    check_not_archived(agreement)
    check_not_archived(locked)
    changes = strip_text(changes, "text", "local_target")
    if "sdgs" in changes:
        changes["sdgs"] = _sdg_codes(changes["sdgs"])
    if "sdg_targets" in changes:
        changes["sdg_targets"] = _sdg_targets(changes["sdg_targets"])
    candidate = with_changes(locked, changes)
    validate(candidate, rules.sdg_violations(candidate.sdgs, candidate.sdg_targets))
    return record_update(
        locked,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        reason=reason,
        parent=agreement,
    )


@transaction.atomic
def goal_archive(
    *, actor: Any, goal: AgreementGoal, expected_version: int | None = None, reason: str = ""
) -> AgreementGoal:
    """Remove a goal from the agreement: it is archived, never deleted. A goal that active
    commitments follow up stays until they are moved or archived."""
    locked = AgreementGoal.objects.select_for_update().select_related("agreement").get(pk=goal.pk)
    agreement = locked.agreement
    AGREEMENT_POLICY.require(actor, "remove_goal", agreement)
    check_not_archived(agreement)
    followers = [
        f"{c.party.name}: {c}"
        for c in locked.commitments.filter(archived_at__isnull=True).select_related("party")
    ]
    raise_violations([rules.goal_in_use_violation(followers)])
    return record_archive(
        locked, actor=actor, expected_version=expected_version, reason=reason, parent=agreement
    )


@transaction.atomic
def anchor_archive(
    *, actor: Any, anchor: AgreementAnchor, expected_version: int | None = None, reason: str = ""
) -> AgreementAnchor:
    """Remove the agreement's anchoring in a plan: archived, never deleted."""
    locked = (
        AgreementAnchor.objects.select_for_update().select_related("agreement").get(pk=anchor.pk)
    )
    agreement = locked.agreement
    AGREEMENT_POLICY.require(actor, "remove_anchor", agreement)
    check_not_archived(agreement)
    return record_archive(
        locked, actor=actor, expected_version=expected_version, reason=reason, parent=agreement
    )


@transaction.atomic
def document_archive(
    *,
    actor: Any,
    document: AgreementDocument,
    expected_version: int | None = None,
    reason: str = "",
) -> AgreementDocument:
    """Remove a document from the agreement: archived, never deleted."""
    locked = (
        AgreementDocument.objects.select_for_update()
        .select_related("agreement")
        .get(pk=document.pk)
    )
    agreement = locked.agreement
    AGREEMENT_POLICY.require(actor, "remove_document", agreement)
    check_not_archived(agreement)
    return record_archive(
        locked, actor=actor, expected_version=expected_version, reason=reason, parent=agreement
    )
