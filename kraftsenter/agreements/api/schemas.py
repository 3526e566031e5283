"""API shapes of agreements, commitments and follow-up reports (plans and partnerships:
``plan_schemas.py``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Schema

from .. import services
from ..choices import OPEN_STATUSES


class PartyOut(Schema):
    organisation: int
    name: str
    decision_body: str
    decision_date: dt.date | None
    decision_reference: str


class GoalOut(Schema):
    id: int
    text: str
    sdgs: list[int]
    sdg_targets: list[str]
    local_target: str


class GoalIn(Schema):
    text: str
    sdgs: list[int] = []
    sdg_targets: list[str] = []
    local_target: str = ""


class AnchorOut(Schema):
    id: int
    plan: int
    item: int | None
    note: str

    @staticmethod
    def resolve_plan(obj) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_item(obj) -> int | None:
        return obj.item_id


class AnchorIn(Schema):
    plan: int
    item: int | None = None
    note: str = ""


class DocumentOut(Schema):
    id: int
    title: str
    url: str
    signed_on: dt.date | None


class DocumentIn(Schema):
    title: str
    url: str
    signed_on: dt.date | None = None


class PartyDecisionIn(Schema):
    organisation: int
    decision_date: dt.date
    decision_body: str = ""
    decision_reference: str = ""


class AgreementOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    status: str
    description: str
    lead: int | None
    parties: list[int]
    party_decisions: list[PartyOut]
    partnership: int | None
    scope_region: str | None
    scope_municipalities: list[str]
    period_start: dt.date
    period_end: dt.date
    binding: bool
    renewal_milestone: dt.date | None
    renewal_of: int | None
    renewed_by: int | None
    goals: list[GoalOut]
    anchors: list[AnchorOut]
    documents: list[DocumentOut]
    warnings: list[str]
    is_example: bool
    version: int
    url: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_lead(obj) -> int | None:
        return obj.lead_id

    @staticmethod
    def resolve_parties(obj) -> list[int]:
        return sorted(link.organisation_id for link in services.agreements.active_party_links(obj))

    @staticmethod
    def resolve_party_decisions(obj) -> list[dict]:
        return [
            {
                "organisation": link.organisation_id,
                "name": link.organisation.name,
                "decision_body": link.decision_body,
                "decision_date": link.decision_date,
                "decision_reference": link.decision_reference,
            }
            for link in services.agreements.active_party_links(obj)
        ]

    @staticmethod
    def resolve_partnership(obj) -> int | None:
        return obj.partnership_id

    @staticmethod
    def resolve_scope_region(obj) -> str | None:
        return obj.scope_region.slug if obj.scope_region_id else None

    @staticmethod
    def resolve_scope_municipalities(obj) -> list[str]:
        return sorted(m.number for m in obj.scope_municipalities.all())

    @staticmethod
    def resolve_renewal_of(obj) -> int | None:
        return obj.renewal_of_id

    @staticmethod
    def resolve_renewed_by(obj) -> int | None:
        try:
            return obj.renewal.pk
        except obj._meta.model.renewal.RelatedObjectDoesNotExist:
            return None

    @staticmethod
    def resolve_goals(obj) -> list:
        return list(obj.goals.all())

    @staticmethod
    def resolve_anchors(obj) -> list:
        return list(obj.anchors.all())

    @staticmethod
    def resolve_documents(obj) -> list:
        return list(obj.documents.all())

    @staticmethod
    def resolve_warnings(obj) -> list[str]:
        return services.agreement_warnings(obj)

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class AgreementIn(Schema):
    title: str
    kind: str
    period_start: dt.date
    period_end: dt.date
    parties: list[int]
    lead: int | None = None
    status: str = "draft"
    description: str = ""
    binding: bool = False
    renewal_milestone: dt.date | None = None
    partnership: int | None = None
    scope_region: str | None = None
    scope_municipalities: list[str] = []


class AgreementPatch(Schema):
    version: int
    title: str | None = None
    kind: str | None = None
    status: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    parties: list[int] | None = None
    lead: int | None = None
    description: str | None = None
    binding: bool | None = None
    renewal_milestone: dt.date | None = None
    partnership: int | None = None
    scope_region: str | None = None
    scope_municipalities: list[str] | None = None
    reason: str = ""


class RenewIn(Schema):
    period_start: dt.date
    period_end: dt.date
    title: str = ""
    renewal_milestone: dt.date | None = None
    reason: str = ""


class CommitmentOut(Schema):
    id: int
    agreement: int
    party: int
    description: str
    due_date: dt.date
    budget: Decimal | None
    status: str
    status_reason: str
    overdue: bool
    goal: int | None
    plan_item: int | None
    carried_from: int | None
    is_example: bool
    version: int
    url: str

    @staticmethod
    def resolve_agreement(obj) -> int:
        return obj.agreement_id

    @staticmethod
    def resolve_party(obj) -> int:
        return obj.party_id

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.status in OPEN_STATUSES and obj.due_date < timezone.localdate()

    @staticmethod
    def resolve_goal(obj) -> int | None:
        return obj.goal_id

    @staticmethod
    def resolve_plan_item(obj) -> int | None:
        return obj.plan_item_id

    @staticmethod
    def resolve_carried_from(obj) -> int | None:
        return obj.carried_from_id

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class CommitmentIn(Schema):
    party: int
    description: str
    due_date: dt.date
    budget: Decimal | None = None
    status: str = "not_started"
    status_reason: str = ""
    goal: int | None = None
    plan_item: int | None = None


class CommitmentPatch(Schema):
    version: int
    party: int | None = None
    description: str | None = None
    due_date: dt.date | None = None
    budget: Decimal | None = None
    status: str | None = None
    status_reason: str | None = None
    goal: int | None = None
    plan_item: int | None = None
    reason: str = ""


class EntryOut(Schema):
    commitment: int
    party: int
    status: str
    text: str
    reason: str

    @staticmethod
    def resolve_commitment(obj) -> int:
        return obj.commitment_id

    @staticmethod
    def resolve_party(obj) -> int:
        return obj.commitment.party_id


class ReportOut(Schema):
    id: int
    agreement: int
    period_start: dt.date
    period_end: dt.date
    due_date: dt.date
    completed_on: dt.date | None
    complete: bool
    summary: str
    entries: list[EntryOut]
    missing: list[int]
    is_example: bool
    version: int
    url: str

    @staticmethod
    def resolve_agreement(obj) -> int:
        return obj.agreement_id

    @staticmethod
    def resolve_complete(obj) -> bool:
        return obj.is_complete

    @staticmethod
    def resolve_entries(obj) -> list:
        return list(obj.entries.all())

    @staticmethod
    def resolve_missing(obj) -> list[int]:
        ids = getattr(obj, "missing_ids", None)
        return ids if ids is not None else [c.pk for c in services.report_missing(obj)]

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class ReportIn(Schema):
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    due_date: dt.date | None = None
    summary: str = ""


class EntryIn(Schema):
    commitment: int
    status: str
    text: str = ""
    reason: str = ""


class CompleteIn(Schema):
    version: int
    summary: str = ""
