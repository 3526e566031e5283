"""API shapes of plans and partnerships."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Schema

from .. import planning


class DeadlineOut(Schema):
    code: str
    label: str
    due: dt.date | None
    done: dt.date | None
    status: str
    source: str


class PlanItemOut(Schema):
    id: int
    code: str
    title: str
    description: str
    responsible: int | None
    budget: Decimal | None
    follows_up: int | None
    is_example: bool

    @staticmethod
    def resolve_responsible(obj) -> int | None:
        return obj.responsible_id

    @staticmethod
    def resolve_follows_up(obj) -> int | None:
        return obj.follows_up_id


class PlanOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    owner: int
    partners: list[int]
    parent: int | None
    based_on: int | None
    election_year: int | None
    constituted_on: dt.date | None
    status: str
    deadline: dt.date | None
    proposal_published_on: dt.date | None
    hearing_start: dt.date | None
    hearing_end: dt.date | None
    programme_hearing_start: dt.date | None
    programme_hearing_end: dt.date | None
    adopted_on: dt.date | None
    sami_language_area: bool
    sami_language_section: bool
    deadlines: list[DeadlineOut]
    items: list[PlanItemOut]
    document_url: str
    description: str
    is_example: bool
    version: int
    url: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_owner(obj) -> int:
        return obj.owner_id

    @staticmethod
    def resolve_partners(obj) -> list[int]:
        return sorted(p.pk for p in obj.partners.all())

    @staticmethod
    def resolve_parent(obj) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_based_on(obj) -> int | None:
        return obj.based_on_id

    @staticmethod
    def resolve_sami_language_area(obj) -> bool:
        return planning.in_sami_language_area(obj.owner)

    @staticmethod
    def resolve_deadlines(obj) -> list[dict]:
        return [d.__dict__ for d in planning.plan_deadlines(obj, timezone.localdate())]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(getattr(obj, "active_items", obj.items.filter(archived_at__isnull=True)))

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class PlanIn(Schema):
    title: str
    kind: str
    owner: int
    partners: list[int] = []
    parent: int | None = None
    based_on: int | None = None
    election_year: int | None = None
    constituted_on: dt.date | None = None
    status: str = "preparation"
    deadline: dt.date | None = None
    proposal_published_on: dt.date | None = None
    hearing_start: dt.date | None = None
    hearing_end: dt.date | None = None
    programme_hearing_start: dt.date | None = None
    programme_hearing_end: dt.date | None = None
    adopted_on: dt.date | None = None
    sami_language_section: bool = False
    document_url: str = ""
    description: str = ""


class PlanPatch(Schema):
    version: int
    title: str | None = None
    kind: str | None = None
    owner: int | None = None
    partners: list[int] | None = None
    parent: int | None = None
    based_on: int | None = None
    election_year: int | None = None
    constituted_on: dt.date | None = None
    status: str | None = None
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
    reason: str = ""


class PlanItemIn(Schema):
    title: str
    code: str = ""
    description: str = ""
    responsible: int | None = None
    budget: Decimal | None = None
    follows_up: int | None = None


class MeetingOut(Schema):
    id: int
    held_on: dt.date
    title: str
    agenda: str
    minutes: str
    minutes_url: str


class MeetingIn(Schema):
    held_on: dt.date
    title: str
    agenda: str = ""
    minutes: str = ""
    minutes_url: str = ""


class DecisionOut(Schema):
    id: int
    meeting: int | None
    decided_on: dt.date
    text: str
    agreed_by: list[int]
    follow_up: str
    due_date: dt.date | None

    @staticmethod
    def resolve_meeting(obj) -> int | None:
        return obj.meeting_id

    @staticmethod
    def resolve_agreed_by(obj) -> list[int]:
        return sorted(o.pk for o in obj.agreed_by.all())


class DecisionIn(Schema):
    decided_on: dt.date
    text: str
    agreed_by: list[int]
    meeting: int | None = None
    follow_up: str = ""
    due_date: dt.date | None = None


class PartnershipOut(Schema):
    id: int
    name: str
    lead: int
    members: list[int]
    county: str | None
    region: str | None
    purpose: str
    priorities: list[str]
    meetings: list[MeetingOut]
    decisions: list[DecisionOut]
    is_example: bool
    version: int
    url: str

    @staticmethod
    def resolve_lead(obj) -> int:
        return obj.lead_id

    @staticmethod
    def resolve_members(obj) -> list[int]:
        return sorted(m.pk for m in obj.members.all())

    @staticmethod
    def resolve_county(obj) -> str | None:
        return obj.county.number if obj.county_id else None

    @staticmethod
    def resolve_region(obj) -> str | None:
        return obj.region.slug if obj.region_id else None

    @staticmethod
    def resolve_priorities(obj) -> list[str]:
        return obj.priority_list

    @staticmethod
    def resolve_meetings(obj) -> list:
        return list(obj.meetings.all())

    @staticmethod
    def resolve_decisions(obj) -> list:
        return list(obj.decisions.all())

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class PartnershipIn(Schema):
    name: str
    lead: int
    members: list[int] = []
    purpose: str = ""
    priorities: list[str] = []


class PartnershipPatch(Schema):
    version: int
    name: str | None = None
    lead: int | None = None
    members: list[int] | None = None
    purpose: str | None = None
    priorities: list[str] | None = None
    reason: str = ""
