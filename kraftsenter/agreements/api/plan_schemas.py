"""API shapes of plans and partnerships.

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
from kraftsenter.core.api import CodeList, CodeOf, StrictSchema, absolute_url
from kraftsenter.core.bounds import (
    Amount,
    BoundedDate,
    LineText,
    LongText,
    PlainText,
    ReasonText,
    RecordId,
    ReferenceText,
    TitleText,
    UrlText,
    Year,
    request_example,
)
from kraftsenter.places.selectors import sami_area

from .. import planning
from ..choices import PlanKind, PlanStatus
from .schemas import reason_field, version_field

PlanKindCode = Annotated[str, CodeOf(PlanKind)]
PlanStatusCode = Annotated[str, CodeOf(PlanStatus)]
DeadlineCode = Annotated[
    str,
    CodeList(["adoption", "proposal_public", "annual_revision", "hearing", "programme_hearing"]),
]
DeadlineStatus = Annotated[str, CodeList(["met", "late", "overdue", "due", "upcoming", "unknown"])]
ELECTION_YEAR = "The election year that starts the council's period (2023 for 2023–2027)."


class DeadlineOut(Schema):
    code: DeadlineCode = Field(description="Which statutory deadline.")
    label: str
    due: dt.date | None = Field(description="The deadline (for a hearing: its earliest end).")
    done: dt.date | None = Field(description="When it was met, if it was.")
    status: DeadlineStatus = Field(
        description="`met`, `late`, `overdue`, `due` (within 60 days), `upcoming` or `unknown` "
        "(a date the deadline depends on is missing)."
    )
    source: str = Field(description="The legal source (`pbl. § 10-1`).")


class PlanWarningOut(Schema):
    code: str = Field(
        description="The rule: `constitution_late`, `strategy_adopted_late`, "
        "`strategy_planned_late`, `strategy_proposal_public`, `action_part_proposal_public`, "
        "`hearing_six_weeks`, `planning_programme` or `participant_adoption`."
    )
    field: str = Field(description="The field it is about.")
    message: str = Field(description="What is wrong, in plain language, with its source.")
    source: str = Field(
        description="The legal source, cited as in Norwegian law (`pbl. § 11-14 første ledd`)."
    )


class PlanAdoptionOut(Schema):
    organisation: int = Field(description="The participant's organisation id.")
    adopted_on: dt.date = Field(description="When its council adopted the plan for its area.")
    reference: str = Field(description="The case reference.")

    @staticmethod
    def resolve_organisation(obj: Any) -> int:
        return int(obj.organisation_id)


class PlanItemOut(Schema):
    id: int
    code: str = Field(description="The item's number in the plan.")
    title: str
    description: str
    responsible: int | None = Field(description="The responsible organisation's id.")
    budget: Decimal | None = Field(description="NOK.")
    follows_up: int | None = Field(description="The id of the higher-level plan's item.")
    is_example: bool
    version: int

    @staticmethod
    def resolve_responsible(obj: Any) -> int | None:
        return obj.responsible_id

    @staticmethod
    def resolve_follows_up(obj: Any) -> int | None:
        return obj.follows_up_id


class PlanOut(Schema):
    id: int
    title: str
    kind: PlanKindCode
    kind_label: str
    owner: int = Field(description="The owner's organisation id.")
    partners: list[int] = Field(description="Other municipalities (inter-municipal plan).")
    parent: int | None = Field(description="The plan this is part of.")
    based_on: int | None = Field(description="The plan this follows up.")
    election_year: int | None = Field(description=ELECTION_YEAR)
    constituted_on: dt.date | None
    status: PlanStatusCode
    deadline: dt.date | None = Field(description="Planned adoption.")
    proposal_published_on: dt.date | None
    hearing_start: dt.date | None
    hearing_end: dt.date | None
    programme_hearing_start: dt.date | None
    programme_hearing_end: dt.date | None
    adopted_on: dt.date | None
    revised_on: dt.date | None = Field(
        description="An action part or programme: its last yearly revision."
    )
    sami_language_area: bool = Field(description="The owner is in the Sami language area.")
    sami_language_section: bool
    deadlines: list[DeadlineOut] = Field(
        description="The statutory deadlines of plan- og bygningsloven computed from the plan's "
        "dates today (`overdue`: the deadline has passed; `due`: it is approaching)."
    )
    warnings: list[PlanWarningOut] = Field(
        description="The law's deadlines and duties the plan's dates break, saved with the plan "
        "(never refused: the register records what happened)."
    )
    adoptions: list[PlanAdoptionOut] = Field(
        description="An inter-municipal plan: each participant's council's own adoption "
        "(pbl. § 9-3 third paragraph)."
    )
    items: list[PlanItemOut]
    document_url: str
    description: str
    is_example: bool
    archived: bool
    version: int
    url: str = Field(description="The plan's page.")

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_owner(obj: Any) -> int:
        return int(obj.owner_id)

    @staticmethod
    def resolve_partners(obj: Any) -> list[int]:
        return sorted(p.pk for p in obj.partners.all())

    @staticmethod
    def resolve_parent(obj: Any) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_based_on(obj: Any) -> int | None:
        return obj.based_on_id

    @staticmethod
    def resolve_sami_language_area(obj: Any, context: Any) -> bool:
        # The dated area is read once per request, not once per plan of a list.
        request = (context or {}).get("request")
        area = getattr(request, "_ks_sami_area", None)
        if area is None:
            area = sami_area()
            if request is not None:
                request._ks_sami_area = area
        return planning.in_sami_language_area(obj.owner, area=area)

    @staticmethod
    def resolve_deadlines(obj: Any) -> list[dict[str, Any]]:
        return [d.__dict__ for d in planning.plan_deadlines(obj, timezone.localdate())]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(getattr(obj, "active_items", obj.items.filter(archived_at__isnull=True)))

    @staticmethod
    def resolve_warnings(obj: Any) -> list[dict[str, Any]]:
        return list(obj.warnings or [])

    @staticmethod
    def resolve_adoptions(obj: Any) -> list[Any]:
        found = getattr(obj, "active_adoptions", None)
        return list(found if found is not None else obj.adoptions.filter(archived_at__isnull=True))

    @staticmethod
    def resolve_archived(obj: Any) -> bool:
        return bool(obj.is_archived)

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return absolute_url(obj, context)


class PlanIn(StrictSchema):
    model_config = request_example(
        {
            "title": "Planstrategi for Hamar kommune 2024–2027",
            "kind": "municipal_planning_strategy",
            "owner": 12,
            "election_year": 2023,
            "constituted_on": "2023-10-19",
            "status": "hearing",
            "deadline": "2024-10-17",
            "proposal_published_on": "2024-05-02",
            "hearing_start": "2024-05-02",
            "hearing_end": "2024-06-14",
            "document_url": "https://www.hamar.kommune.no/",
            "description": "Hvilke planer kommunen skal revidere i valgperioden.",
        }
    )

    title: TitleText = Field(min_length=1)
    kind: PlanKindCode
    owner: OrganisationRef
    partners: list[OrganisationRef] = Field(
        [], description="Other municipalities (inter-municipal plan), by id or organisation number."
    )
    parent: RecordId | None = Field(None, description="The id of the plan this is part of.")
    based_on: RecordId | None = Field(None, description="The id of the plan this follows up.")
    election_year: Year | None = Field(None, description=ELECTION_YEAR)
    constituted_on: BoundedDate | None = Field(
        None, description="When the council was constituted."
    )
    status: PlanStatusCode = "preparation"
    deadline: BoundedDate | None = Field(None, description="Planned adoption.")
    proposal_published_on: BoundedDate | None = None
    hearing_start: BoundedDate | None = None
    hearing_end: BoundedDate | None = None
    programme_hearing_start: BoundedDate | None = None
    programme_hearing_end: BoundedDate | None = None
    adopted_on: BoundedDate | None = None
    revised_on: BoundedDate | None = Field(
        None, description="An action part or programme: its last yearly revision."
    )
    sami_language_section: bool = Field(
        False, description="The planning strategy has a Sami language section."
    )
    document_url: UrlText = ""
    description: PlainText = ""


class PlanPatch(StrictSchema):
    model_config = request_example(
        {
            "version": 3,
            "status": "adopted",
            "adopted_on": "2024-10-17",
            "reason": "Vedtatt i kommunestyret.",
        }
    )

    version: int | None = version_field()
    title: TitleText | None = Field(None, min_length=1)
    kind: PlanKindCode | None = None
    owner: OrganisationRef | None = None
    partners: list[OrganisationRef] | None = Field(
        None, description="The whole list; `null` is refused."
    )
    parent: RecordId | None = Field(None, description="A plan's id; `null` for none.")
    based_on: RecordId | None = Field(None, description="A plan's id; `null` for none.")
    election_year: Year | None = Field(None, description=ELECTION_YEAR)
    constituted_on: BoundedDate | None = None
    status: PlanStatusCode | None = None
    deadline: BoundedDate | None = None
    proposal_published_on: BoundedDate | None = None
    hearing_start: BoundedDate | None = None
    hearing_end: BoundedDate | None = None
    programme_hearing_start: BoundedDate | None = None
    programme_hearing_end: BoundedDate | None = None
    adopted_on: BoundedDate | None = None
    revised_on: BoundedDate | None = None
    sami_language_section: bool | None = None
    document_url: UrlText | None = None
    description: PlainText | None = None
    reason: ReasonText = reason_field()


class PlanItemIn(StrictSchema):
    model_config = request_example(
        {
            "title": "Revidere kommuneplanens arealdel",
            "code": "2.1",
            "description": "Oppstart høsten 2025, vedtak innen utgangen av 2026.",
            "responsible": 12,
            "budget": 1500000,
        }
    )

    title: LineText = Field(min_length=1)
    code: Annotated[str, Field(max_length=20)] = Field(
        "", description="The item's number in the plan."
    )
    description: PlainText = ""
    responsible: OrganisationRef | None = Field(
        None, description="The responsible organisation, by id or organisation number."
    )
    budget: Amount | None = Field(None, description="NOK.")
    follows_up: RecordId | None = Field(
        None, description="The id of an item of a higher-level plan it follows up."
    )


class PlanAdoptionIn(StrictSchema):
    model_config = request_example(
        {"organisation": 13, "adopted_on": "2025-06-19", "reference": "24/1187"}
    )

    organisation: OrganisationRef = Field(
        description="The participant (owner or other municipality), by id or organisation number."
    )
    adopted_on: BoundedDate = Field(
        description="When its council adopted the plan for its own area; not in the future."
    )
    reference: ReferenceText = Field("", description="The case reference.")


class MeetingOut(Schema):
    id: int
    held_on: dt.date
    title: str
    agenda: str
    minutes: str
    minutes_url: str
    version: int


class MeetingIn(StrictSchema):
    model_config = request_example(
        {
            "held_on": "2025-02-12",
            "title": "Partnerskapsmøte februar",
            "agenda": "1. Regionvekstavtalen\n2. Kompetanseløftet",
            "minutes": "Partnerskapet sluttet seg til forslaget til prioriteringer.",
            "minutes_url": "https://www.innlandetfylke.no/",
        }
    )

    held_on: BoundedDate
    title: TitleText = Field(min_length=1)
    agenda: PlainText = ""
    minutes: LongText = ""
    minutes_url: UrlText = Field("", description="A link to the minutes.")


class DecisionOut(Schema):
    id: int
    meeting: int | None
    decided_on: dt.date
    text: str
    agreed_by: list[int] = Field(description="The organisation ids of the members that agreed.")
    follow_up: str
    due_date: dt.date | None
    version: int

    @staticmethod
    def resolve_meeting(obj: Any) -> int | None:
        return obj.meeting_id

    @staticmethod
    def resolve_agreed_by(obj: Any) -> list[int]:
        return sorted(o.pk for o in obj.agreed_by.all())


class DecisionIn(StrictSchema):
    model_config = request_example(
        {
            "decided_on": "2025-02-12",
            "text": "Partnerskapet prioriterer kompetanse og grønn omstilling i 2025.",
            "agreed_by": ["920717152", 12],
            "follow_up": "Fylkeskommunen legger fram en handlingsplan.",
            "due_date": "2025-06-01",
        }
    )

    decided_on: BoundedDate
    text: PlainText = Field(min_length=1, description="What was agreed.")
    agreed_by: list[OrganisationRef] = Field(
        min_length=1,
        description="The members (or the lead) that agreed, by id or organisation number.",
    )
    meeting: RecordId | None = Field(
        None, description="The id of one of the partnership's meetings."
    )
    follow_up: PlainText = ""
    due_date: BoundedDate | None = Field(None, description="Follow up by; not before the decision.")


class PartnershipOut(Schema):
    id: int
    name: str
    lead: int = Field(description="The lead organisation's id.")
    members: list[int] = Field(description="The members' organisation ids.")
    county: str | None = Field(description="County number.")
    region: str | None = Field(description="Region slug.")
    purpose: str
    priorities: list[str]
    meetings: list[MeetingOut]
    decisions: list[DecisionOut]
    is_example: bool
    archived: bool
    version: int
    url: str = Field(description="The partnership's page.")

    @staticmethod
    def resolve_lead(obj: Any) -> int:
        return int(obj.lead_id)

    @staticmethod
    def resolve_members(obj: Any) -> list[int]:
        return sorted(m.pk for m in obj.members.all())

    @staticmethod
    def resolve_county(obj: Any) -> str | None:
        return obj.county.number if obj.county_id else None

    @staticmethod
    def resolve_region(obj: Any) -> str | None:
        return obj.region.slug if obj.region_id else None

    @staticmethod
    def resolve_priorities(obj: Any) -> list[str]:
        return list(obj.priority_list)

    @staticmethod
    def resolve_meetings(obj: Any) -> list[Any]:
        return list(obj.meetings.all())

    @staticmethod
    def resolve_decisions(obj: Any) -> list[Any]:
        return list(obj.decisions.all())

    @staticmethod
    def resolve_archived(obj: Any) -> bool:
        return bool(obj.is_archived)

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return absolute_url(obj, context)


class PartnershipIn(StrictSchema):
    model_config = request_example(
        {
            "name": "Regionalt partnerskap Innlandet",
            "lead": "920717152",
            "members": [12, "974761645"],
            "purpose": "Samordne innsatsen for regional utvikling i Innlandet.",
            "priorities": ["Grønn omstilling", "Kompetanse"],
        }
    )

    name: TitleText = Field(min_length=1)
    lead: OrganisationRef
    members: list[OrganisationRef] = Field([], description="By id or organisation number.")
    purpose: PlainText = ""
    priorities: list[LineText] = Field([], description="One line each.")


class PartnershipPatch(StrictSchema):
    model_config = request_example(
        {
            "version": 2,
            "priorities": ["Grønn omstilling", "Kompetanse", "Bolig"],
            "reason": "Vedtatt på partnerskapsmøtet i februar.",
        }
    )

    version: int | None = version_field()
    name: TitleText | None = Field(None, min_length=1)
    lead: OrganisationRef | None = None
    members: list[OrganisationRef] | None = Field(
        None, description="The whole list; `null` is refused."
    )
    purpose: PlainText | None = None
    priorities: list[LineText] | None = Field(
        None, description="One line each: the whole list; `null` is refused."
    )
    reason: ReasonText = reason_field()
