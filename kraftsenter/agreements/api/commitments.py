"""API: /api/v1/commitments (filters: party, agreement, status, due_before, due_after, county)
and /api/v1/agreements/{id}/commitments, with history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja import Query, Router, Status

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
from ..choices import CommitmentStatus
from ..filters import CommitmentFilter
from ..models import AgreementGoal, PlanItem
from . import _refs
from .schemas import CommitmentIn, CommitmentOut, CommitmentPatch

router = Router(tags=["commitments"])
RESPONSES = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
CODES = (
    "Status: "
    + ", ".join(f"`{v}`" for v in CommitmentStatus.values)
    + ". `party` is the owning party's organisation id and must be a party to the agreement "
    "(rule `commitment_party`); `dropped` needs `status_reason` (rule `dropped_reason`)."
)
if TYPE_CHECKING:
    CommitmentQuery = PageQuery
else:
    CommitmentQuery = filter_query_schema(CommitmentFilter, "CommitmentQuery")


def _refs_for(agreement_id: int) -> dict:
    return {
        "party": lambda pk: _refs.organisations([pk], "party")[0],
        "goal": lambda pk: _refs.one(
            AgreementGoal.objects.filter(archived_at__isnull=True), pk, "goal"
        ),
        "plan_item": lambda pk: _refs.one(
            PlanItem.objects.filter(archived_at__isnull=True), pk, "plan_item"
        ),
    }


@router.get(
    "/commitments", response={200: page_schema(CommitmentOut), 422: ErrorOut}, description=CODES
)
def list_commitments(request: HttpRequest, params: Query[CommitmentQuery]):
    qs = apply_filters(
        request, CommitmentFilter, selectors.commitment_list(user=auth_user(request))
    )
    return paginate(request, qs, page=params.page, page_size=params.page_size)


@router.get(
    "/agreements/{agreement_id}/commitments",
    response={200: page_schema(CommitmentOut), 404: ErrorOut, 422: ErrorOut},
    description=CODES,
)
def agreement_commitments(
    request: HttpRequest,
    agreement_id: int,
    params: Query[CommitmentQuery],
):
    agreement = selectors.agreement_get(user=auth_user(request), pk=agreement_id)
    qs = selectors.commitment_list(user=auth_user(request)).filter(agreement=agreement)
    qs = apply_filters(request, CommitmentFilter, qs)
    return paginate(request, qs, page=params.page, page_size=params.page_size)


@router.post(
    "/agreements/{agreement_id}/commitments",
    response={201: CommitmentOut, **RESPONSES},
    description=CODES,
)
def create_commitment(request: HttpRequest, agreement_id: int, payload: CommitmentIn):
    user = require_user(request)
    agreement = selectors.agreement_get(user=user, pk=agreement_id)
    data = _refs.resolve(payload.dict(), _refs_for(agreement_id))
    commitment = services.commitment_create(actor=user, agreement=agreement, **data)
    return Status(201, selectors.commitment_get(user=user, pk=commitment.pk))


@router.get("/commitments/{commitment_id}", response={200: CommitmentOut, 404: ErrorOut})
def get_commitment(request: HttpRequest, commitment_id: int):
    return selectors.commitment_get(user=auth_user(request), pk=commitment_id)


@router.patch(
    "/commitments/{commitment_id}", response={200: CommitmentOut, **RESPONSES}, description=CODES
)
def update_commitment(request: HttpRequest, commitment_id: int, payload: CommitmentPatch):
    user = require_user(request)
    commitment = selectors.commitment_get(user=user, pk=commitment_id)
    data = _refs.resolve(payload.dict(exclude_unset=True), _refs_for(commitment.agreement_id))
    version, reason = data.pop("version"), data.pop("reason", "")
    services.commitment_update(
        actor=user, commitment=commitment, expected_version=version, reason=reason, **data
    )
    return selectors.commitment_get(user=user, pk=commitment_id)


add_record_routes(
    router,
    path="/commitments",
    noun="commitment",
    label="a commitment",
    schema=CommitmentOut,
    get=selectors.commitment_get,
    object_name="commitment",
    archive=services.commitment_archive,
    restore=services.commitment_restore,
)
