"""API shapes of agreements, commitments and follow-up reports (plans and partnerships:
``plan_schemas.py``).

Request bodies are strict (an unknown field is refused); coded fields are enums generated from
the model choices; organisations are given by id or organisation number.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from kraftsenter.actors.api import OrganisationRef
from kraftsenter.core.api import CodeOf, StrictSchema, absolute_url
from kraftsenter.core.bounds import (
    Amount,
    BoundedDate,
    CodeText,
    LineText,
    LongText,
    NameText,
    PlainText,
    ReasonText,
    RecordId,
    ReferenceText,
    TitleText,
    UrlText,
    request_example,
)
from kraftsenter.core.links import url_maker

from .. import services
from ..choices import OPEN_STATUSES, AgreementKind, AgreementStatus, CommitmentStatus

AgreementKindCode = Annotated[str, CodeOf(AgreementKind)]
AgreementStatusCode = Annotated[str, CodeOf(AgreementStatus)]
CommitmentStatusCode = Annotated[str, CodeOf(CommitmentStatus)]


def version_field() -> Any:
    return Field(
        None, description="The version the change is based on (or send it as `If-Match`).", ge=1
    )


def reason_field() -> Any:
    return Field("", description="Why, for the history (optional).")


SDGS = "UN Sustainable Development Goals, by number (1–17)."
SDG_TARGETS = "SDG targets as written on un.org (`11.3`, `11.a`); each belongs to one of `sdgs`."


def _parts(obj: Any, prefetched: str, manager: str) -> list[Any]:
    """The parts a list prefetched as ``prefetched`` (selectors.agreement_list), else the
    related manager's (prefetched or read now)."""
    found = getattr(obj, prefetched, None)
    return list(found) if found is not None else list(getattr(obj, manager).all())


class _PartOut(Schema):
    @staticmethod
    def resolve_archived(obj: Any) -> bool:
        return bool(obj.is_archived)


class PartyOut(Schema):
    organisation: int = Field(description="The party's organisation id.")
    organisation_number: str = Field(description="The party's organisation number, if any.")
    name: str
    decision_body: str = Field(description="The body that adopted the agreement.")
    decision_date: dt.date | None = Field(description="When the party adopted it.")
    decision_reference: str = Field(description="The party's case reference.")


class GoalOut(_PartOut):
    id: int
    text: str
    sdgs: list[int] = Field(description=SDGS)
    sdg_targets: list[str] = Field(description=SDG_TARGETS)
    local_target: str = Field(description="The parties' own target.")
    archived: bool
    version: int


class GoalIn(StrictSchema):
    model_config = request_example(
        {
            "text": "Flere arbeidsplasser i regionsentrene",
            "sdgs": [8, 11],
            "sdg_targets": ["8.3", "11.a"],
            "local_target": "500 nye arbeidsplasser innen 2027",
        }
    )

    text: PlainText = Field(min_length=1)
    sdgs: list[int] = Field([], description=SDGS)
    sdg_targets: list[CodeText] = Field([], description=SDG_TARGETS)
    local_target: PlainText = Field("", description="The parties' own target.")


class GoalPatch(StrictSchema):
    model_config = request_example(
        {
            "version": 2,
            "local_target": "600 nye arbeidsplasser innen 2027",
            "reason": "Justert etter midtveisevalueringen.",
        }
    )

    version: int | None = version_field()
    text: PlainText | None = Field(None, min_length=1)
    sdgs: list[int] | None = Field(None, description=SDGS + " The whole list; `null` is refused.")
    sdg_targets: list[CodeText] | None = Field(
        None, description=SDG_TARGETS + " The whole list; `null` is refused."
    )
    local_target: PlainText | None = Field(None, description="The parties' own target.")
    reason: ReasonText = reason_field()


class AnchorOut(_PartOut):
    id: int
    plan: int = Field(description="The plan's id.")
    item: int | None = Field(description="The plan item's id, if the anchoring names one.")
    note: str
    archived: bool
    version: int

    @staticmethod
    def resolve_plan(obj: Any) -> int:
        return int(obj.plan_id)

    @staticmethod
    def resolve_item(obj: Any) -> int | None:
        return obj.item_id


class AnchorIn(StrictSchema):
    model_config = request_example(
        {"plan": 7, "item": 31, "note": "Tiltak 2.1 i handlingsprogrammet for næringsutvikling"}
    )

    plan: RecordId = Field(description="The id of the plan the agreement is anchored in.")
    item: RecordId | None = Field(None, description="The id of an item of that plan.")
    note: LineText = ""


class DocumentOut(_PartOut):
    id: int
    title: str
    url: str = Field(description="Where the document is.")
    signed_on: dt.date | None
    archived: bool
    version: int


class DocumentIn(StrictSchema):
    model_config = request_example(
        {
            "title": "Signert regionvekstavtale for Hamarregionen",
            "url": "https://www.innlandetfylke.no/",
            "signed_on": "2024-06-20",
        }
    )

    title: TitleText = Field(min_length=1)
    url: UrlText = Field(description="Where the document is (http or https).")
    signed_on: BoundedDate | None = None


class RemoveIn(StrictSchema):
    """Remove a part: optionally the version you saw (or `If-Match`) and a reason."""

    model_config = request_example({"version": 2, "reason": "Målet er slått sammen med mål 1."})

    version: int | None = Field(
        None, description="The part's version you saw (or send `If-Match`); optional.", ge=1
    )
    reason: ReasonText = reason_field()


class PartyDecisionIn(StrictSchema):
    model_config = request_example(
        {
            "organisation": "920717152",
            "decision_date": "2024-06-18",
            "decision_body": "fylkestinget",
            "decision_reference": "24/1234",
        }
    )

    organisation: OrganisationRef
    decision_date: BoundedDate = Field(description="When the party adopted the agreement.")
    decision_body: NameText = Field(min_length=1, description="Who adopted it.")
    decision_reference: ReferenceText = ""


class PartiesIn(StrictSchema):
    model_config = request_example(
        {
            "parties": ["920717152", 12, 13, 14, 15],
            "version": 3,
            "reason": "Stange kommune blir med fra 2025.",
        }
    )

    parties: list[OrganisationRef] = Field(
        description="Every party, by id or organisation number. A party that stays keeps its "
        "adopting decision; a party that owns commitments cannot be left out."
    )
    version: int | None = version_field()
    reason: ReasonText = reason_field()


class AgreementOut(Schema):
    id: int
    title: str
    kind: AgreementKindCode
    kind_label: str
    status: AgreementStatusCode
    description: str
    lead: int | None = Field(description="The lead party's organisation id.")
    parties: list[int] = Field(description="The parties' organisation ids.")
    party_decisions: list[PartyOut]
    partnership: int | None
    scope_region: str | None = Field(description="The region covered (its slug).")
    scope_municipalities: list[str] = Field(description="Municipalities covered (numbers).")
    period_start: dt.date
    period_end: dt.date
    binding: bool
    renewal_milestone: dt.date | None
    renewal_of: int | None = Field(description="The agreement this one renews.")
    renewed_by: int | None = Field(description="The agreement that renews this one.")
    goals: list[GoalOut]
    anchors: list[AnchorOut]
    documents: list[DocumentOut]
    warnings: list[str] = Field(description="What the parties should look at (not errors).")
    is_example: bool
    archived: bool
    version: int
    url: str = Field(description="The agreement's page.")

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_lead(obj: Any) -> int | None:
        return obj.lead_id

    @staticmethod
    def resolve_parties(obj: Any) -> list[int]:
        return sorted(link.organisation_id for link in services.agreements.active_party_links(obj))

    @staticmethod
    def resolve_party_decisions(obj: Any) -> list[dict[str, Any]]:
        return [
            {
                "organisation": link.organisation_id,
                "organisation_number": link.organisation.organisation_number,
                "name": link.organisation.name,
                "decision_body": link.decision_body,
                "decision_date": link.decision_date,
                "decision_reference": link.decision_reference,
            }
            for link in services.agreements.active_party_links(obj)
        ]

    @staticmethod
    def resolve_partnership(obj: Any) -> int | None:
        return obj.partnership_id

    @staticmethod
    def resolve_scope_region(obj: Any) -> str | None:
        return obj.scope_region.slug if obj.scope_region_id else None

    @staticmethod
    def resolve_scope_municipalities(obj: Any) -> list[str]:
        return sorted(
            m.number for m in _parts(obj, "scope_municipality_list", "scope_municipalities")
        )

    @staticmethod
    def resolve_renewal_of(obj: Any) -> int | None:
        return obj.renewal_of_id

    @staticmethod
    def resolve_renewed_by(obj: Any) -> int | None:
        try:
            return int(obj.renewal.pk)
        except obj._meta.model.renewal.RelatedObjectDoesNotExist:
            return None

    @staticmethod
    def resolve_goals(obj: Any) -> list[Any]:
        return _parts(obj, "active_goals", "goals")

    @staticmethod
    def resolve_anchors(obj: Any) -> list[Any]:
        return _parts(obj, "active_anchors", "anchors")

    @staticmethod
    def resolve_documents(obj: Any) -> list[Any]:
        return _parts(obj, "active_documents", "documents")

    @staticmethod
    def resolve_warnings(obj: Any) -> list[str]:
        return services.agreement_warnings(obj)

    @staticmethod
    def resolve_archived(obj: Any) -> bool:
        return bool(obj.is_archived)

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return absolute_url(obj, context)


class AgreementIn(StrictSchema):
    model_config = request_example(
        {
            "title": "Regionvekstavtale for Hamarregionen 2024–2027",
            "kind": "regional_growth",
            "period_start": "2024-01-01",
            "period_end": "2027-12-31",
            "parties": ["920717152", 12, 13, 14, 15],
            "lead": "920717152",
            "status": "draft",
            "description": "Flere arbeidsplasser og bedre kompetansetilbud i regionen.",
            "renewal_milestone": "2027-06-30",
            "scope_municipalities": ["3403", "3411", "3412", "3413"],
        }
    )

    title: TitleText = Field(min_length=1)
    kind: AgreementKindCode
    period_start: BoundedDate
    period_end: BoundedDate
    parties: list[OrganisationRef] = Field(
        description="At least two parties, by id or organisation number."
    )
    lead: OrganisationRef | None = Field(None, description="The lead party (one of `parties`).")
    status: AgreementStatusCode = Field(
        "draft", description="`active` needs every party's adopting decision."
    )
    description: PlainText = Field("", description="The agreement's purpose.")
    binding: bool = Field(False, description="Legally or economically binding.")
    renewal_milestone: BoundedDate | None = Field(
        None, description="When the parties decide on renewal."
    )
    partnership: RecordId | None = Field(None, description="The id of the partnership behind it.")
    scope_region: CodeText | None = Field(None, description="The region covered, by slug.")
    scope_municipalities: list[CodeText] = Field(
        [], description="Municipalities covered, by number."
    )


class AgreementPatch(StrictSchema):
    model_config = request_example(
        {
            "version": 5,
            "period_end": "2028-12-31",
            "reason": "Partene forlenget avtalen med ett år.",
        }
    )

    version: int | None = version_field()
    title: TitleText | None = Field(None, min_length=1)
    kind: AgreementKindCode | None = None
    status: AgreementStatusCode | None = Field(
        None, description="`active` needs every party's adopting decision."
    )
    period_start: BoundedDate | None = None
    period_end: BoundedDate | None = None
    parties: list[OrganisationRef] | None = Field(
        None,
        description="Every party (the whole list; `null` is refused). A party that stays keeps "
        "its adopting decision. Also `PUT /agreements/{id}/parties`.",
    )
    lead: OrganisationRef | None = Field(None, description="The lead party; `null` for none.")
    description: PlainText | None = None
    binding: bool | None = None
    renewal_milestone: BoundedDate | None = None
    partnership: RecordId | None = Field(None, description="The partnership's id; `null` for none.")
    scope_region: CodeText | None = Field(None, description="A region's slug; `null` for none.")
    scope_municipalities: list[CodeText] | None = Field(
        None, description="Municipality numbers (the whole list; `null` is refused)."
    )
    reason: ReasonText = reason_field()


class RenewIn(StrictSchema):
    model_config = request_example(
        {
            "period_start": "2028-01-01",
            "period_end": "2031-12-31",
            "title": "Regionvekstavtale for Hamarregionen 2028–2031",
            "renewal_milestone": "2031-06-30",
            "reason": "Videreført etter ny regional planstrategi.",
        }
    )

    period_start: BoundedDate = Field(description="The new period; it follows the old one.")
    period_end: BoundedDate
    title: TitleText = Field("", description="Empty: the old agreement's title.")
    renewal_milestone: BoundedDate | None = None
    reason: ReasonText = reason_field()


class CommitmentOut(Schema):
    id: int
    agreement: int
    party: int = Field(description="The owning party's organisation id.")
    description: str
    due_date: dt.date
    budget: Decimal | None = Field(description="NOK.")
    status: CommitmentStatusCode
    status_reason: str
    overdue: bool
    goal: int | None = Field(description="The id of the agreement goal it follows up.")
    plan_item: int | None = Field(description="The id of the plan item it follows up.")
    carried_from: int | None = Field(description="The commitment of the renewed agreement.")
    is_example: bool
    archived: bool
    version: int
    url: str = Field(description="The commitment's page.")

    @staticmethod
    def resolve_agreement(obj: Any) -> int:
        return int(obj.agreement_id)

    @staticmethod
    def resolve_party(obj: Any) -> int:
        return int(obj.party_id)

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj.status in OPEN_STATUSES and obj.due_date < timezone.localdate())

    @staticmethod
    def resolve_goal(obj: Any) -> int | None:
        return obj.goal_id

    @staticmethod
    def resolve_plan_item(obj: Any) -> int | None:
        return obj.plan_item_id

    @staticmethod
    def resolve_carried_from(obj: Any) -> int | None:
        return obj.carried_from_id

    @staticmethod
    def resolve_archived(obj: Any) -> bool:
        return bool(obj.is_archived)

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        # The page's address without a reverse per row (a list has 50 of them).
        url = url_maker("agreements:commitment-detail")(obj.pk)
        request = (context or {}).get("request")
        return request.build_absolute_uri(url) if request is not None else url


class CommitmentIn(StrictSchema):
    model_config = request_example(
        {
            "party": 12,
            "description": "Bygge ut ladeinfrastruktur i Hamar sentrum",
            "due_date": "2025-12-31",
            "budget": 250000,
            "status": "not_started",
            "goal": 41,
        }
    )

    party: OrganisationRef = Field(description="The owning party (one of the agreement's).")
    description: PlainText = Field(min_length=1)
    due_date: BoundedDate
    budget: Amount | None = Field(None, description="NOK.")
    status: CommitmentStatusCode = "not_started"
    status_reason: PlainText = Field("", description="Needed when `status` is `dropped`.")
    goal: RecordId | None = Field(None, description="The id of a goal of the same agreement.")
    plan_item: RecordId | None = Field(None, description="The id of a plan item it follows up.")


class CommitmentPatch(StrictSchema):
    model_config = request_example(
        {
            "version": 4,
            "status": "at_risk",
            "reason": "Anbudet må lyses ut på nytt.",
        }
    )

    version: int | None = version_field()
    party: OrganisationRef | None = Field(None, description="The owning party.")
    description: PlainText | None = Field(None, min_length=1)
    due_date: BoundedDate | None = None
    budget: Amount | None = Field(None, description="NOK; `null` for none.")
    status: CommitmentStatusCode | None = None
    status_reason: PlainText | None = Field(None, description="Needed when `status` is `dropped`.")
    goal: RecordId | None = Field(
        None, description="A goal of the same agreement; `null` for none."
    )
    plan_item: RecordId | None = Field(None, description="A plan item; `null` for none.")
    reason: ReasonText = reason_field()


class EntryOut(Schema):
    commitment: int
    party: int = Field(description="The owning party's organisation id.")
    status: CommitmentStatusCode
    text: str
    reason: str

    @staticmethod
    def resolve_commitment(obj: Any) -> int:
        return int(obj.commitment_id)

    @staticmethod
    def resolve_party(obj: Any) -> int:
        return int(obj.commitment.party_id)


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
    missing: list[int] = Field(description="Ids of the commitments without a status yet.")
    is_example: bool
    version: int
    url: str = Field(description="The report's page.")

    @staticmethod
    def resolve_agreement(obj: Any) -> int:
        return int(obj.agreement_id)

    @staticmethod
    def resolve_complete(obj: Any) -> bool:
        return bool(obj.is_complete)

    @staticmethod
    def resolve_entries(obj: Any) -> list[Any]:
        return list(obj.entries.all())

    @staticmethod
    def resolve_missing(obj: Any) -> list[int]:
        ids = getattr(obj, "missing_ids", None)
        return ids if ids is not None else [c.pk for c in services.report_missing(obj)]

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return absolute_url(obj, context)


class ReportIn(StrictSchema):
    model_config = request_example(
        {
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "due_date": "2025-03-01",
            "summary": "",
        }
    )

    period_start: BoundedDate | None = Field(
        None, description="Empty: the year after the latest report (within the period)."
    )
    period_end: BoundedDate | None = Field(None, description="Empty: a year after the start.")
    due_date: BoundedDate | None = Field(None, description="Empty: 60 days after the period.")
    summary: LongText = ""


class EntryIn(StrictSchema):
    model_config = request_example(
        {"commitment": 57, "status": "in_progress", "text": "Anbudet er lyst ut."}
    )

    commitment: RecordId = Field(description="The id of a commitment of the agreement.")
    status: CommitmentStatusCode
    text: PlainText = Field("", description="A short report.")
    reason: PlainText = Field("", description="Needed when `status` is `dropped`.")


class CompleteIn(StrictSchema):
    model_config = request_example(
        {
            "version": 3,
            "summary": "Seks av åtte forpliktelser er i rute; to er forsinket.",
        }
    )

    version: int | None = Field(
        None, description="The report's version you saw (or send `If-Match`).", ge=1
    )
    summary: LongText = ""
