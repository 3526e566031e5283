"""API: /api/v1/plans (with their items: add_item) and /api/v1/partnerships (with their
meetings and decisions: add_meeting, record_decision), each with the shared record routes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from kraftsenter.core.api import (
    RESPONSES,
    ErrorOut,
    PageQuery,
    add_record_routes,
    apply_filters,
    auth_user,
    created,
    filter_query_schema,
    page_response,
    page_schema,
    paginate,
    record_headers,
    require_user,
)

from .. import selectors, services
from ..filters import PartnershipFilter, PlanFilter
from ..models import Partnership, Plan, PlanItem
from ..permissions import PARTNERSHIP_POLICY, PLAN_POLICY
from . import _refs
from .plan_schemas import (
    DecisionIn,
    DecisionOut,
    MeetingIn,
    MeetingOut,
    PartnershipIn,
    PartnershipOut,
    PartnershipPatch,
    PlanAdoptionIn,
    PlanIn,
    PlanItemIn,
    PlanItemOut,
    PlanOut,
    PlanPatch,
)

router = Router(tags=["plans and partnerships"])
PLAN_RULES = (
    "The statutory deadlines (`deadlines`) are computed from the plan's dates (pbl. §§ 7-1, 7-2, "
    "8-1, 8-3, 9-3, 10-1, 11-1, 11-2, 11-4, 11-13, 11-14). A deadline passed or a hearing too "
    "short is not refused: it is saved with the plan as a warning (`warnings`: code, field, "
    "message, legal source). Impossible data (a period that ends before it starts, a hearing "
    "or a proposal after the adoption) is 422 with the rule id as the error `code` and the "
    "field it concerns; nothing is written."
)
if TYPE_CHECKING:
    PlanQuery = PageQuery
    PartnershipQuery = PageQuery
else:
    PlanQuery = filter_query_schema(PlanFilter, "PlanQuery")
    PartnershipQuery = filter_query_schema(PartnershipFilter, "PartnershipQuery")

_plans = Plan.objects.filter(archived_at__isnull=True)
PLAN_REFS: dict[str, Callable[[Any], Any]] = {
    "owner": _refs.required_organisation("owner"),
    "partners": _refs.organisations("partners"),
    "parent": lambda pk: _refs.one(_plans, pk, "parent"),
    "based_on": lambda pk: _refs.one(_plans, pk, "based_on"),
}


@router.get(
    "/plans",
    response={200: page_schema(PlanOut), 422: ErrorOut},
    summary="List plans",
    description="Filters as on the page (`q`, `kind`, `status`, `county`, …), with `ordering` "
    "and `updated_after`. " + PLAN_RULES,
    operation_id="list_plans",
)
def list_plans(request: HttpRequest, params: Query[PlanQuery]) -> Any:
    qs = apply_filters(
        request, PlanFilter, selectors.plan_list(user=auth_user(request), detail=True)
    )
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    return page_response(request, page, PlanOut)


@router.post(
    "/plans",
    response={201: PlanOut, **RESPONSES},
    summary="Register a plan",
    description="A plan or planning strategy of *plan- og bygningsloven*, owned by an "
    "organisation the caller edits for (by id or organisation number). " + PLAN_RULES,
    operation_id="create_plan",
)
def create_plan(request: HttpRequest, payload: PlanIn, response: HttpResponse) -> Status:
    user = require_user(request)
    data = _refs.resolve(payload.dict(), PLAN_REFS)
    plan = services.plan_create(actor=user, **data)
    return created(request, response, selectors.plan_get(user=user, pk=plan.pk))


def _update_plan(
    *, user: Any, record: Plan, data: dict[str, Any], expected_version: int, reason: str
) -> None:
    data = _refs.resolve(_refs.refuse_null(data, Plan), PLAN_REFS)
    services.plan_update(
        actor=user, plan=record, expected_version=expected_version, reason=reason, **data
    )


add_record_routes(
    router,
    path="/plans",
    noun="plan",
    label="a plan",
    schema=PlanOut,
    get=selectors.plan_get,
    object_name="plan",
    patch=(PlanPatch, _update_plan),
    archive=services.plan_archive,
    restore=services.plan_restore,
    patch_description="Send only the fields to change and the version (in the body or as "
    "`If-Match`). " + PLAN_RULES,
)


@router.post(
    "/plans/{id}/items",
    response={201: PlanItemOut, **RESPONSES},
    summary="Add an item to a plan",
    description="An action programme measure, an action part line or another item; it may "
    "follow up an item of another, higher-level plan (rule `item_follows_other_plan`).",
    operation_id="add_plan_item",
)
def add_plan_item(
    request: HttpRequest, id: int, payload: PlanItemIn, response: HttpResponse
) -> Status:
    user = require_user(request)
    plan = selectors.plan_get(user=user, pk=id)
    PLAN_POLICY.require(user, "add_item", plan)
    data = _refs.resolve(
        payload.dict(),
        {
            "responsible": _refs.organisation("responsible"),
            "follows_up": lambda pk: _refs.one(
                PlanItem.objects.filter(archived_at__isnull=True), pk, "follows_up"
            ),
        },
    )
    item = services.plan_item_add(actor=user, plan=plan, **data)
    return created(request, response, item)


@router.post(
    "/plans/{id}/adoptions",
    response={200: PlanOut, **RESPONSES},
    summary="Record a council's adoption of an inter-municipal plan",
    description="Each council adopts an inter-municipal plan for its own area (pbl. § 9-3 third "
    "paragraph): the date and case reference for one participant (the owner or another "
    "municipality, by id or organisation number). Recording it again replaces it. Refused "
    "(`adoption_participant`, `adoption_date`) for an organisation that does not take part, a "
    "plan with a single participant, or a date in the future. Returns the plan with its "
    "refreshed `warnings`.",
    operation_id="record_plan_adoption",
)
def record_plan_adoption(
    request: HttpRequest, id: int, payload: PlanAdoptionIn, response: HttpResponse
) -> Any:
    user = require_user(request)
    plan = selectors.plan_get(user=user, pk=id)
    PLAN_POLICY.require(user, "record_adoption", plan)
    data = payload.dict()
    organisation = _refs.required_organisation("organisation")(data.pop("organisation"))
    services.plan_adoption_record(actor=user, plan=plan, organisation=organisation, **data)
    fresh = selectors.plan_get(user=user, pk=id)
    record_headers(response, fresh)
    return fresh


# --- partnerships ------------------------------------------------------------------------------

PARTNERSHIP_REFS: dict[str, Callable[[Any], Any]] = {
    "lead": _refs.required_organisation("lead"),
    "members": _refs.organisations("members"),
    "priorities": lambda lines: "\n".join(line.strip() for line in lines if line.strip()),
}


@router.get(
    "/partnerships",
    response={200: page_schema(PartnershipOut), 422: ErrorOut},
    summary="List partnerships",
    description="Filters as on the page, with `ordering` and `updated_after`.",
    operation_id="list_partnerships",
)
def list_partnerships(request: HttpRequest, params: Query[PartnershipQuery]) -> Any:
    qs = apply_filters(
        request, PartnershipFilter, selectors.partnership_list(user=auth_user(request), detail=True)
    )
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    return page_response(request, page, PartnershipOut)


@router.post(
    "/partnerships",
    response={201: PartnershipOut, **RESPONSES},
    summary="Register a partnership",
    description="A regional partnership that one of the caller's organisations leads or joins "
    "(organisations by id or organisation number).",
    operation_id="create_partnership",
)
def create_partnership(
    request: HttpRequest, payload: PartnershipIn, response: HttpResponse
) -> Status:
    user = require_user(request)
    data = _refs.resolve(payload.dict(), PARTNERSHIP_REFS)
    partnership = services.partnership_create(actor=user, **data)
    return created(request, response, selectors.partnership_get(user=user, pk=partnership.pk))


def _update_partnership(
    *, user: Any, record: Partnership, data: dict[str, Any], expected_version: int, reason: str
) -> None:
    data = _refs.resolve(_refs.refuse_null(data, Partnership), PARTNERSHIP_REFS)
    services.partnership_update(
        actor=user, partnership=record, expected_version=expected_version, reason=reason, **data
    )


add_record_routes(
    router,
    path="/partnerships",
    noun="partnership",
    label="a partnership",
    schema=PartnershipOut,
    get=selectors.partnership_get,
    object_name="partnership",
    patch=(PartnershipPatch, _update_partnership),
    archive=services.partnership_archive,
    restore=services.partnership_restore,
)


def _partnership_for(request: HttpRequest, id: int, action: str) -> tuple[Any, Partnership]:
    user = require_user(request)
    partnership = selectors.partnership_get(user=user, pk=id)
    PARTNERSHIP_POLICY.require(user, action, partnership)
    return user, partnership


@router.post(
    "/partnerships/{id}/meetings",
    response={201: MeetingOut, **RESPONSES},
    summary="Add a meeting to a partnership",
    description="The date, title, agenda and minutes (or a link to them) of a meeting.",
    operation_id="add_partnership_meeting",
)
def add_meeting(
    request: HttpRequest, id: int, payload: MeetingIn, response: HttpResponse
) -> Status:
    user, partnership = _partnership_for(request, id, "add_meeting")
    meeting = services.meeting_add(actor=user, partnership=partnership, **payload.dict())
    return created(request, response, meeting)


@router.post(
    "/partnerships/{id}/decisions",
    response={201: DecisionOut, **RESPONSES},
    summary="Record a decision of a partnership",
    description="What the partnership agreed and which members agreed to it (rule "
    "`decision_members`), optionally at one of its meetings and with a follow-up.",
    operation_id="record_partnership_decision",
)
def add_decision(
    request: HttpRequest, id: int, payload: DecisionIn, response: HttpResponse
) -> Status:
    user, partnership = _partnership_for(request, id, "record_decision")
    data = _refs.resolve(
        payload.dict(),
        {
            "agreed_by": _refs.organisations("agreed_by"),
            "meeting": lambda pk: _refs.one(partnership.meetings.all(), pk, "meeting"),
        },
    )
    decision = services.decision_record(actor=user, partnership=partnership, **data)
    return created(request, response, decision)
