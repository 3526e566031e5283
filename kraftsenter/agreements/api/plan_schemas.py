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
    sami_language_area: bool = Field(description="The owner is in the Sami language area.")
    sami_language_section: bool
    deadlines: list[DeadlineOut] = Field(
        description="The statutory deadlines of DOMAIN.md §4 computed from the plan's dates."
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
    def resolve_sami_language_area(obj: Any) -> bool:
        return planning.in_sami_language_area(obj.owner)

    @staticmethod
    def resolve_deadlines(obj: Any) -> list[dict[str, Any]]:
        return [d.__dict__ for d in planning.plan_deadlines(obj, timezone.localdate())]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(getattr(obj, "active_items", obj.items.filter(archived_at__isnull=True)))

    @staticmethod
    def resolve_archived(obj: Any) -> bool:
        return bool(obj.is_archived)

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return absolute_url(obj, context)


class PlanIn(StrictSchema):
    title: str = Field(min_length=1, max_length=250, examples=["Planstrategi for Hamar 2024–2027"])
    kind: PlanKindCode = Field(examples=["municipal_planning_strategy"])
    owner: OrganisationRef
    partners: list[OrganisationRef] = Field(
        [], description="Other municipalities (inter-municipal plan), by id or organisation number."
    )
    parent: int | None = Field(None, description="The id of the plan this is part of.")
    based_on: int | None = Field(None, description="The id of the plan this follows up.")
    election_year: int | None = Field(None, description=ELECTION_YEAR, examples=[2023])
    constituted_on: dt.date | None = Field(None, description="When the council was constituted.")
    status: PlanStatusCode = "preparation"
    deadline: dt.date | None = Field(None, description="Planned adoption.")
    proposal_published_on: dt.date | None = None
    hearing_start: dt.date | None = None
    hearing_end: dt.date | None = None
    programme_hearing_start: dt.date | None = None
    programme_hearing_end: dt.date | None = None
    adopted_on: dt.date | None = None
    sami_language_section: bool = Field(
        False, description="The planning strategy has a Sami language section."
    )
    document_url: str = ""
    description: str = ""


class PlanPatch(StrictSchema):
    version: int | None = version_field()
    title: str | None = Field(None, min_length=1, max_length=250)
    kind: PlanKindCode | None = None
    owner: OrganisationRef | None = None
    partners: list[OrganisationRef] | None = Field(
        None, description="The whole list; `null` is refused."
    )
    parent: int | None = Field(None, description="A plan's id; `null` for none.")
    based_on: int | None = Field(None, description="A plan's id; `null` for none.")
    election_year: int | None = Field(None, description=ELECTION_YEAR)
    constituted_on: dt.date | None = None
    status: PlanStatusCode | None = None
    deadline: dt.date | None = None
    proposal_published_on: dt.date | None = None
    hearing_start: dt.date | None = None
    hearing_end: dt.date | None = None
    programme_hearing_start: dt.date | None = None
    programme_hearing_end: dt.date | None = None
    adopted_on: dt.date | None = None
    sami_language_section: bool | None = None
    document_url: str | None = None
    description: str | None = None
    reason: str = reason_field()


class PlanItemIn(StrictSchema):
    title: str = Field(min_length=1, max_length=300, examples=["Revidere arealdelen"])
    code: str = Field("", max_length=20, description="The item's number in the plan.")
    description: str = ""
    responsible: OrganisationRef | None = Field(
        None, description="The responsible organisation, by id or organisation number."
    )
    budget: Decimal | None = Field(None, description="NOK.")
    follows_up: int | None = Field(
        None, description="The id of an item of a higher-level plan it follows up."
    )


class MeetingOut(Schema):
    id: int
    held_on: dt.date
    title: str
    agenda: str
    minutes: str
    minutes_url: str
    version: int


class MeetingIn(StrictSchema):
    held_on: dt.date
    title: str = Field(min_length=1, max_length=250, examples=["Partnerskapsmøte"])
    agenda: str = ""
    minutes: str = ""
    minutes_url: str = Field("", description="A link to the minutes.")


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
    decided_on: dt.date
    text: str = Field(min_length=1, description="What was agreed.")
    agreed_by: list[OrganisationRef] = Field(
        min_length=1,
        description="The members (or the lead) that agreed, by id or organisation number.",
    )
    meeting: int | None = Field(None, description="The id of one of the partnership's meetings.")
    follow_up: str = ""
    due_date: dt.date | None = Field(None, description="Follow up by; not before the decision.")


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
    name: str = Field(min_length=1, max_length=250, examples=["Regionalt partnerskap Innlandet"])
    lead: OrganisationRef
    members: list[OrganisationRef] = Field([], description="By id or organisation number.")
    purpose: str = ""
    priorities: list[str] = Field([], examples=[["Grønn omstilling", "Kompetanse"]])


class PartnershipPatch(StrictSchema):
    version: int | None = version_field()
    name: str | None = Field(None, min_length=1, max_length=250)
    lead: OrganisationRef | None = None
    members: list[OrganisationRef] | None = Field(
        None, description="The whole list; `null` is refused."
    )
    purpose: str | None = None
    priorities: list[str] | None = Field(None, description="The whole list; `null` is refused.")
    reason: str = reason_field()
