"""API: /api/v1/commitments (filters: party, agreement, status, due_before, due_after, county)
and /api/v1/agreements/{id}/commitments (add_commitment), with the shared record routes.

A commitment's report in a follow-up (the commitment policy's ``report``) is
``POST /api/v1/agreements/{id}/reports/{report_id}/entries`` (``agreements.py``).
"""

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
    require_user,
)

from .. import selectors, services
from ..filters import CommitmentFilter
from ..models import AgreementGoal, Commitment, PlanItem
from ..permissions import AGREEMENT_POLICY
from . import _refs
from .schemas import CommitmentIn, CommitmentOut, CommitmentPatch

router = Router(tags=["commitments"])
RULES = (
    "`party` must be a party to the agreement (rule `commitment_party`); `dropped` needs "
    "`status_reason` (rule `dropped_reason`); `goal` is a goal of the same agreement (rule "
    "`commitment_goal`). Rule violations are 422 with the rule id as the error `code`."
)
if TYPE_CHECKING:
    CommitmentQuery = PageQuery
else:
    CommitmentQuery = filter_query_schema(CommitmentFilter, "CommitmentQuery")

REFS: dict[str, Callable[[Any], Any]] = {
    "party": _refs.required_organisation("party"),
    "goal": lambda pk: _refs.one(
        AgreementGoal.objects.filter(archived_at__isnull=True), pk, "goal"
    ),
    "plan_item": lambda pk: _refs.one(
        PlanItem.objects.filter(archived_at__isnull=True), pk, "plan_item"
    ),
}


@router.get(
    "/commitments",
    response={200: page_schema(CommitmentOut), 422: ErrorOut},
    summary="List commitments",
    description="Filters as on the page: `party`, `agreement`, `status`, `due_before`, "
    "`due_after`, `county`; with `ordering` and `updated_after`.",
    operation_id="list_commitments",
)
def list_commitments(request: HttpRequest, params: Query[CommitmentQuery]) -> Any:
    qs = apply_filters(
        request,
        CommitmentFilter,
        base_for=lambda who: selectors.commitment_list(user=who, plain=True),
        user=auth_user(request),
        key="api:commitments",
    )
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    return page_response(request, page, CommitmentOut)


@router.get(
    "/agreements/{id}/commitments",
    response={200: page_schema(CommitmentOut), 404: ErrorOut, 422: ErrorOut},
    summary="The commitments of an agreement",
    description="The same filters as `GET /commitments`.",
    operation_id="list_agreement_commitments",
)
def agreement_commitments(request: HttpRequest, id: int, params: Query[CommitmentQuery]) -> Any:
    agreement = selectors.agreement_keys(user=auth_user(request), pk=id)
    qs = apply_filters(
        request,
        CommitmentFilter,
        base_for=lambda who, agreement: selectors.commitment_list(user=who, plain=True).filter(
            agreement_id=agreement
        ),
        user=auth_user(request),
        base_args=(agreement.pk,),
        key="api:agreement-commitments",
    )
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    return page_response(request, page, CommitmentOut)


@router.post(
    "/agreements/{id}/commitments",
    response={201: CommitmentOut, **RESPONSES},
    summary="Add a commitment to an agreement",
    description="Editors of a party add commitments for their own organisation; editors of the "
    "lead party for every party. `Location` names the commitment. " + RULES,
    operation_id="add_agreement_commitment",
)
def create_commitment(
    request: HttpRequest, id: int, payload: CommitmentIn, response: HttpResponse
) -> Status:
    user = require_user(request)
    agreement = selectors.agreement_get(user=user, pk=id)
    AGREEMENT_POLICY.require(user, "add_commitment", agreement)
    data = _refs.resolve(payload.dict(), REFS)
    commitment = services.commitment_create(actor=user, agreement=agreement, **data)
    return created(
        request,
        response,
        selectors.commitment_get(user=user, pk=commitment.pk),
        path=f"{_refs.api_root(request)}/commitments/{commitment.pk}",
    )


def _update(
    *, user: Any, record: Commitment, data: dict[str, Any], expected_version: int, reason: str
) -> None:
    data = _refs.resolve(_refs.refuse_null(data, Commitment), REFS)
    services.commitment_update(
        actor=user, commitment=record, expected_version=expected_version, reason=reason, **data
    )


add_record_routes(
    router,
    path="/commitments",
    noun="commitment",
    label="a commitment",
    schema=CommitmentOut,
    get=selectors.commitment_get,
    object_name="commitment",
    patch=(CommitmentPatch, _update),
    archive=services.commitment_archive,
    restore=services.commitment_restore,
    patch_description="Send only the fields to change and the version (in the body or as "
    "`If-Match`). Editors of the owning party and of the lead party change it. " + RULES,
)
