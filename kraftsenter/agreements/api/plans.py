"""API: /api/v1/plans and /api/v1/partnerships, each with history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja import Query, Router, Status

from kraftsenter.actors.models import Organisation
from kraftsenter.core.api import (
    ErrorOut,
    PageQuery,
    add_record_routes,
    apply_filters,
    auth_user,
    filter_query_schema,
    page_schema,
    paginate,
    require_user,
)

from .. import selectors, services
from ..choices import PlanKind, PlanStatus
from ..filters import PartnershipFilter, PlanFilter
from ..models import Plan, PlanItem
from . import _refs
from .plan_schemas import (
    DecisionIn,
    MeetingIn,
    PartnershipIn,
    PartnershipOut,
    PartnershipPatch,
    PlanIn,
    PlanItemIn,
    PlanItemOut,
    PlanOut,
    PlanPatch,
)

router = Router(tags=["plans and partnerships"])
RESPONSES = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
PLAN_CODES = (
    "Kinds (`kind`): "
    + ", ".join(f"`{v}`" for v in PlanKind.values)
    + ". Status: "
    + ", ".join(f"`{v}`" for v in PlanStatus.values)
    + ". `deadlines` are computed from DOMAIN.md §4 (pbl. §§ 4-1, 7-1, 7-2, 8-1, 8-3, 10-1, "
    "11-4); rule violations are 422 with the rule id as the error `code`."
)
if TYPE_CHECKING:
    PlanQuery = PageQuery
else:
    PlanQuery = filter_query_schema(PlanFilter, "PlanQuery")
if TYPE_CHECKING:
    PartnershipQuery = PageQuery
else:
    PartnershipQuery = filter_query_schema(PartnershipFilter, "PartnershipQuery")

_plans = Plan.objects.filter(archived_at__isnull=True)
PLAN_REFS = {
    "owner": lambda pk: _refs.organisations([pk], "owner")[0],
    "partners": lambda ids: _refs.organisations(ids, "partners"),
    "parent": lambda pk: _refs.one(_plans, pk, "parent"),
    "based_on": lambda pk: _refs.one(_plans, pk, "based_on"),
}


@router.get("/plans", response={200: page_schema(PlanOut), 422: ErrorOut}, description=PLAN_CODES)
def list_plans(request: HttpRequest, params: Query[PlanQuery]):
    qs = apply_filters(
        request, PlanFilter, selectors.plan_list(user=auth_user(request), detail=True)
    )
    return paginate(request, qs, page=params.page, page_size=params.page_size)


@router.post("/plans", response={201: PlanOut, **RESPONSES}, description=PLAN_CODES)
def create_plan(request: HttpRequest, payload: PlanIn):
    user = require_user(request)
    data = _refs.resolve(payload.dict(), PLAN_REFS)
    plan = services.plan_create(actor=user, **data)
    return Status(201, selectors.plan_get(user=user, pk=plan.pk))


@router.get("/plans/{plan_id}", response={200: PlanOut, 404: ErrorOut})
def get_plan(request: HttpRequest, plan_id: int):
    return selectors.plan_get(user=auth_user(request), pk=plan_id)


@router.patch("/plans/{plan_id}", response={200: PlanOut, **RESPONSES}, description=PLAN_CODES)
def update_plan(request: HttpRequest, plan_id: int, payload: PlanPatch):
    user = require_user(request)
    plan = selectors.plan_get(user=user, pk=plan_id)
    data = _refs.resolve(payload.dict(exclude_unset=True), PLAN_REFS)
    version, reason = data.pop("version"), data.pop("reason", "")
    services.plan_update(actor=user, plan=plan, expected_version=version, reason=reason, **data)
    return selectors.plan_get(user=user, pk=plan_id)


@router.post("/plans/{plan_id}/items", response={201: PlanItemOut, **RESPONSES})
def add_plan_item(request: HttpRequest, plan_id: int, payload: PlanItemIn):
    user = require_user(request)
    plan = selectors.plan_get(user=user, pk=plan_id)
    data = _refs.resolve(
        payload.dict(),
        {
            "responsible": lambda pk: _refs.one(Organisation.objects, pk, "responsible"),
            "follows_up": lambda pk: _refs.one(
                PlanItem.objects.filter(archived_at__isnull=True), pk, "follows_up"
            ),
        },
    )
    return Status(201, services.plan_item_add(actor=user, plan=plan, **data))


# --- partnerships ------------------------------------------------------------------------------

PARTNERSHIP_REFS = {
    "lead": lambda pk: _refs.organisations([pk], "lead")[0],
    "members": lambda ids: _refs.organisations(ids, "members"),
    "priorities": lambda lines: "\n".join(line.strip() for line in lines if line.strip()),
}


@router.get("/partnerships", response={200: page_schema(PartnershipOut), 422: ErrorOut})
def list_partnerships(request: HttpRequest, params: Query[PartnershipQuery]):
    qs = apply_filters(
        request, PartnershipFilter, selectors.partnership_list(user=auth_user(request), detail=True)
    )
    return paginate(request, qs, page=params.page, page_size=params.page_size)


@router.post("/partnerships", response={201: PartnershipOut, **RESPONSES})
def create_partnership(request: HttpRequest, payload: PartnershipIn):
    user = require_user(request)
    data = _refs.resolve(payload.dict(), PARTNERSHIP_REFS)
    partnership = services.partnership_create(actor=user, **data)
    return Status(201, selectors.partnership_get(user=user, pk=partnership.pk))


@router.get("/partnerships/{partnership_id}", response={200: PartnershipOut, 404: ErrorOut})
def get_partnership(request: HttpRequest, partnership_id: int):
    return selectors.partnership_get(user=auth_user(request), pk=partnership_id)


@router.patch("/partnerships/{partnership_id}", response={200: PartnershipOut, **RESPONSES})
def update_partnership(request: HttpRequest, partnership_id: int, payload: PartnershipPatch):
    user = require_user(request)
    partnership = selectors.partnership_get(user=user, pk=partnership_id)
    data = _refs.resolve(payload.dict(exclude_unset=True), PARTNERSHIP_REFS)
    version, reason = data.pop("version"), data.pop("reason", "")
    services.partnership_update(
        actor=user, partnership=partnership, expected_version=version, reason=reason, **data
    )
    return selectors.partnership_get(user=user, pk=partnership_id)


@router.post("/partnerships/{partnership_id}/meetings", response={201: PartnershipOut, **RESPONSES})
def add_meeting(request: HttpRequest, partnership_id: int, payload: MeetingIn):
    user = require_user(request)
    partnership = selectors.partnership_get(user=user, pk=partnership_id)
    services.meeting_add(actor=user, partnership=partnership, **payload.dict())
    return Status(201, selectors.partnership_get(user=user, pk=partnership_id))


@router.post(
    "/partnerships/{partnership_id}/decisions", response={201: PartnershipOut, **RESPONSES}
)
def add_decision(request: HttpRequest, partnership_id: int, payload: DecisionIn):
    user = require_user(request)
    partnership = selectors.partnership_get(user=user, pk=partnership_id)
    data = _refs.resolve(
        payload.dict(),
        {
            "agreed_by": lambda ids: _refs.organisations(ids, "agreed_by"),
            "meeting": lambda pk: _refs.one(partnership.meetings.all(), pk, "meeting"),
        },
    )
    services.decision_record(actor=user, partnership=partnership, **data)
    return Status(201, selectors.partnership_get(user=user, pk=partnership_id))


add_record_routes(
    router,
    path="/plans",
    noun="plan",
    label="a plan",
    schema=PlanOut,
    get=selectors.plan_get,
    object_name="plan",
    archive=services.plan_archive,
    restore=services.plan_restore,
)
add_record_routes(
    router,
    path="/partnerships",
    noun="partnership",
    label="a partnership",
    schema=PartnershipOut,
    get=selectors.partnership_get,
    object_name="partnership",
    archive=services.partnership_archive,
    restore=services.partnership_restore,
)
