"""API: /api/v1/agreements (with parties' decisions, goals, anchors, documents, renewal and
history) and /api/v1/agreements/{id}/reports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from kraftsenter.core.api import (
    ChangeRecordOut,
    ErrorOut,
    PageQuery,
    add_record_routes,
    apply_filters,
    auth_user,
    filter_query_schema,
    history_response,
    page_schema,
    paginate,
    require_user,
)

from .. import selectors, services
from ..choices import AgreementKind, AgreementStatus
from ..filters import AgreementFilter
from ..models import Agreement, Commitment, Partnership, Plan, PlanItem
from . import _refs
from .schemas import (
    AgreementIn,
    AgreementOut,
    AgreementPatch,
    AnchorIn,
    CompleteIn,
    DocumentIn,
    EntryIn,
    GoalIn,
    PartyDecisionIn,
    RenewIn,
    ReportIn,
    ReportOut,
)

router = Router(tags=["agreements"])
RESPONSES = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
CODES = (
    "Kinds (`kind`): "
    + ", ".join(f"`{v}`" for v in AgreementKind.values)
    + ". Status: "
    + ", ".join(f"`{v}`" for v in AgreementStatus.values)
    + ". `parties` are organisation ids. Rule violations are 422 with the rule id as the error "
    "`code` and the field it concerns."
)
if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from ..selectors import WithParties

    AgreementQuery = PageQuery
else:
    AgreementQuery = filter_query_schema(AgreementFilter, "AgreementQuery")

REFS = {
    "parties": lambda ids: _refs.organisations(ids, "parties"),
    "lead": lambda pk: _refs.organisations([pk], "lead")[0] if pk is not None else None,
    "partnership": lambda pk: _refs.one(
        Partnership.objects.filter(archived_at__isnull=True), pk, "partnership"
    ),
    "scope_region": _refs.region,
    "scope_municipalities": _refs.municipalities,
}


def _detail(user: Any, pk: int) -> WithAnnotations[Agreement, WithParties]:
    return selectors.agreement_get(user=user, pk=pk)


@router.get(
    "/agreements", response={200: page_schema(AgreementOut), 422: ErrorOut}, description=CODES
)
def list_agreements(request: HttpRequest, params: Query[AgreementQuery]):
    qs = apply_filters(
        request, AgreementFilter, selectors.agreement_list(user=auth_user(request), detail=True)
    )
    return paginate(request, qs, page=params.page, page_size=params.page_size)


@router.post("/agreements", response={201: AgreementOut, **RESPONSES}, description=CODES)
def create_agreement(request: HttpRequest, payload: AgreementIn):
    user = require_user(request)
    data = _refs.resolve(payload.dict(), REFS)
    agreement = services.agreement_create(actor=user, **data)
    return Status(201, _detail(user, agreement.pk))


@router.get("/agreements/{agreement_id}", response={200: AgreementOut, 404: ErrorOut})
def get_agreement(request: HttpRequest, agreement_id: int):
    return _detail(auth_user(request), agreement_id)


@router.patch(
    "/agreements/{agreement_id}", response={200: AgreementOut, **RESPONSES}, description=CODES
)
def update_agreement(request: HttpRequest, agreement_id: int, payload: AgreementPatch):
    """Change an agreement (send the version you based the change on). Parties that stay keep
    their adopting decisions."""
    user = require_user(request)
    agreement = _detail(user, agreement_id)
    data = _refs.resolve(payload.dict(exclude_unset=True), REFS)
    version, reason = data.pop("version"), data.pop("reason", "")
    if "parties" in data:
        keep = {link.organisation_id: link for link in agreement.active_parties}
        data["parties"] = [
            services.PartyInput(
                org,
                keep[org.pk].decision_body if org.pk in keep else "",
                keep[org.pk].decision_date if org.pk in keep else None,
                keep[org.pk].decision_reference if org.pk in keep else "",
            )
            for org in data["parties"]
        ]
    services.agreement_update(
        actor=user, agreement=agreement, expected_version=version, reason=reason, **data
    )
    return _detail(user, agreement_id)


@router.post(
    "/agreements/{agreement_id}/renew",
    response={201: AgreementOut, **RESPONSES},
    summary="Renew an active agreement: a new linked agreement with the open commitments",
)
def renew_agreement(request: HttpRequest, agreement_id: int, payload: RenewIn):
    user = require_user(request)
    new = services.agreement_renew(
        actor=user, agreement=_detail(user, agreement_id), **payload.dict()
    )
    return Status(201, _detail(user, new.pk))


@router.post("/agreements/{agreement_id}/decisions", response={200: AgreementOut, **RESPONSES})
def record_party_decision(request: HttpRequest, agreement_id: int, payload: PartyDecisionIn):
    """A party's adopting decision (body, date, case reference)."""
    user = require_user(request)
    data = payload.dict()
    organisation = _refs.organisations([data.pop("organisation")], "organisation")[0]
    services.party_decision_record(
        actor=user, agreement=_detail(user, agreement_id), organisation=organisation, **data
    )
    return _detail(user, agreement_id)


@router.post("/agreements/{agreement_id}/goals", response={201: AgreementOut, **RESPONSES})
def add_goal(request: HttpRequest, agreement_id: int, payload: GoalIn):
    user = require_user(request)
    services.goal_add(actor=user, agreement=_detail(user, agreement_id), **payload.dict())
    return Status(201, _detail(user, agreement_id))


@router.post("/agreements/{agreement_id}/anchors", response={201: AgreementOut, **RESPONSES})
def add_anchor(request: HttpRequest, agreement_id: int, payload: AnchorIn):
    user = require_user(request)
    data = _refs.resolve(
        payload.dict(),
        {
            "plan": lambda pk: _refs.one(Plan.objects.filter(archived_at__isnull=True), pk, "plan"),
            "item": lambda pk: _refs.one(
                PlanItem.objects.filter(archived_at__isnull=True), pk, "item"
            ),
        },
    )
    services.anchor_add(actor=user, agreement=_detail(user, agreement_id), **data)
    return Status(201, _detail(user, agreement_id))


@router.post("/agreements/{agreement_id}/documents", response={201: AgreementOut, **RESPONSES})
def add_document(request: HttpRequest, agreement_id: int, payload: DocumentIn):
    user = require_user(request)
    services.document_add(actor=user, agreement=_detail(user, agreement_id), **payload.dict())
    return Status(201, _detail(user, agreement_id))


# --- follow-up reports -------------------------------------------------------------------------


def _with_missing(agreement: Agreement, reports: list) -> list:
    """Set ``missing_ids`` on each report from one read of the agreement's commitments."""
    ids = [c.pk for c in agreement.commitments.all()]
    for report in reports:
        reported = {e.commitment_id for e in report.entries.all()}
        report.missing_ids = [pk for pk in ids if pk not in reported]
    return reports


def _report(user, agreement_id: int, report_id: int):
    report = selectors.report_get(user=user, agreement_pk=agreement_id, pk=report_id)
    return _with_missing(report.agreement, [report])[0]


@router.get(
    "/agreements/{agreement_id}/reports",
    response={200: page_schema(ReportOut), 404: ErrorOut},
)
def list_reports(request: HttpRequest, agreement_id: int, page: int = 1, page_size: int = 50):
    agreement = _detail(auth_user(request), agreement_id)
    reports = list(selectors.report_list(user=auth_user(request), agreement=agreement))
    return paginate(
        request, _with_missing(agreement, reports), page=page, page_size=min(page_size, 200)
    )


@router.post("/agreements/{agreement_id}/reports", response={201: ReportOut, **RESPONSES})
def create_report(request: HttpRequest, agreement_id: int, payload: ReportIn):
    """A follow-up report; without dates, the next year of the agreement period."""
    user = require_user(request)
    report = services.report_create(
        actor=user, agreement=_detail(user, agreement_id), **payload.dict()
    )
    return Status(201, _report(user, agreement_id, report.pk))


@router.get(
    "/agreements/{agreement_id}/reports/{report_id}", response={200: ReportOut, 404: ErrorOut}
)
def get_report(request: HttpRequest, agreement_id: int, report_id: int):
    return _report(auth_user(request), agreement_id, report_id)


@router.post(
    "/agreements/{agreement_id}/reports/{report_id}/entries",
    response={200: ReportOut, **RESPONSES},
)
def report_entry(request: HttpRequest, agreement_id: int, report_id: int, payload: EntryIn):
    """A party reports the status of one of its commitments (with a short text)."""
    user = require_user(request)
    report = _report(user, agreement_id, report_id)
    data = payload.dict()
    commitment = _refs.one(
        Commitment.objects.filter(archived_at__isnull=True).select_related("agreement"),
        data.pop("commitment"),
        "commitment",
    )
    services.report_entry_record(actor=user, report=report, commitment=commitment, **data)
    return _report(user, agreement_id, report_id)


@router.post(
    "/agreements/{agreement_id}/reports/{report_id}/complete",
    response={200: ReportOut, **RESPONSES},
)
def complete_report(request: HttpRequest, agreement_id: int, report_id: int, payload: CompleteIn):
    user = require_user(request)
    report = _report(user, agreement_id, report_id)
    services.report_complete(
        actor=user, report=report, expected_version=payload.version, summary=payload.summary
    )
    return _report(user, agreement_id, report_id)


@router.get(
    "/agreements/{agreement_id}/reports/{report_id}/history",
    response={200: page_schema(ChangeRecordOut), 404: ErrorOut},
)
def report_history(
    request: HttpRequest, agreement_id: int, report_id: int, page: int = 1, page_size: int = 50
):
    report = _report(auth_user(request), agreement_id, report_id)
    return history_response(request, report, page=page, page_size=page_size)


add_record_routes(
    router,
    path="/agreements",
    noun="agreement",
    label="an agreement",
    schema=AgreementOut,
    get=selectors.agreement_get,
    object_name="agreement",
    archive=services.agreement_archive,
    restore=services.agreement_restore,
)
