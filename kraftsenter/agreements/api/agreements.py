"""API: /api/v1/agreements, with one operation per named action of the agreement policy
(parties, adopting decisions, goals, anchors in plans, documents, renewal) and the follow-up
reports under /api/v1/agreements/{id}/reports.

Every write calls the same service as the page; the policy's named action is asked first, as
the page does, and the service asks again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from kraftsenter.core.api import (
    RESPONSES,
    ChangeRecordOut,
    ErrorOut,
    PageQuery,
    add_record_routes,
    apply_filters,
    auth_user,
    created,
    expected_version,
    filter_query_schema,
    history_response,
    if_match_version,
    not_modified,
    page_response,
    page_schema,
    paginate,
    record_headers,
    require_user,
)

from .. import selectors, services
from ..filters import AgreementFilter
from ..models import (
    Agreement,
    AgreementAnchor,
    AgreementDocument,
    AgreementGoal,
    FollowUpReport,
    Partnership,
    Plan,
    PlanItem,
)
from ..permissions import AGREEMENT_POLICY
from . import _refs
from .schemas import (
    AgreementIn,
    AgreementOut,
    AgreementPatch,
    AnchorIn,
    AnchorOut,
    CompleteIn,
    DocumentIn,
    DocumentOut,
    EntryIn,
    GoalIn,
    GoalOut,
    GoalPatch,
    PartiesIn,
    PartyDecisionIn,
    RemoveIn,
    RenewIn,
    ReportIn,
    ReportOut,
)

router = Router(tags=["agreements"])
RULES = (
    "Rule violations are 422 with the rule id as the error `code` and the field it concerns; "
    "nothing is written."
)
if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from ..selectors import WithParties

    AgreementQuery = PageQuery
else:
    AgreementQuery = filter_query_schema(AgreementFilter, "AgreementQuery")

REFS: dict[str, Callable[[Any], Any]] = {
    "parties": _refs.organisations("parties"),
    "lead": _refs.organisation("lead"),
    "partnership": lambda pk: _refs.one(
        Partnership.objects.filter(archived_at__isnull=True), pk, "partnership"
    ),
    "scope_region": _refs.region,
    "scope_municipalities": _refs.municipalities,
}


def _detail(user: Any, pk: int) -> WithAnnotations[Agreement, WithParties]:
    return selectors.agreement_get(user=user, pk=pk)


def _agreement_for(request: HttpRequest, id: int, action: str) -> tuple[Any, Agreement]:
    """The caller (401 when anonymous), the agreement (404 when not visible), and the policy's
    answer for the named action (403), as the page asks it."""
    user = require_user(request)
    agreement = _detail(user, id)
    AGREEMENT_POLICY.require(user, action, agreement)
    return user, agreement


@router.get(
    "/agreements",
    response={200: page_schema(AgreementOut), 422: ErrorOut},
    summary="List agreements",
    description="Filters as on the page (`q`, `kind`, `status`, `party`, `county`, …), with "
    "`ordering` and `updated_after`.",
    operation_id="list_agreements",
)
def list_agreements(request: HttpRequest, params: Query[AgreementQuery]) -> Any:
    qs = apply_filters(
        request, AgreementFilter, selectors.agreement_list(user=auth_user(request), detail=True)
    )
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    return page_response(request, page, AgreementOut)


@router.post(
    "/agreements",
    response={201: AgreementOut, **RESPONSES},
    summary="Register an agreement",
    description="One of the caller's organisations must be a party. Parties are given by id or "
    "organisation number, with at least two; `active` needs every party's adopting decision "
    "(record them with `POST /agreements/{id}/decisions`). " + RULES,
    operation_id="create_agreement",
)
def create_agreement(request: HttpRequest, payload: AgreementIn, response: HttpResponse) -> Status:
    user = require_user(request)
    data = _refs.resolve(payload.dict(), REFS)
    agreement = services.agreement_create(actor=user, **data)
    return created(request, response, _detail(user, agreement.pk))


def _update(
    *, user: Any, record: Agreement, data: dict[str, Any], expected_version: int, reason: str
) -> None:
    data = _refs.resolve(_refs.refuse_null(data, Agreement), REFS)
    services.agreement_update(
        actor=user, agreement=record, expected_version=expected_version, reason=reason, **data
    )


add_record_routes(
    router,
    path="/agreements",
    noun="agreement",
    label="an agreement",
    schema=AgreementOut,
    get=selectors.agreement_get,
    object_name="agreement",
    patch=(AgreementPatch, _update),
    archive=services.agreement_archive,
    restore=services.agreement_restore,
    read_description="One agreement with its parties and their adopting decisions, goals, "
    "anchors in plans and documents; `ETag` is its version.",
    patch_description="Send only the fields to change and the version (in the body or as "
    "`If-Match`). Parties that stay keep their adopting decisions. " + RULES,
)


# --- parties and their adopting decisions (set_parties, record_decision) -----------------------


@router.put(
    "/agreements/{id}/parties",
    response={200: AgreementOut, **RESPONSES},
    summary="Set the parties of an agreement",
    description="The whole list of parties, by id or organisation number, as on the page "
    "*Parties*. A party that stays keeps its adopting decision; a party that owns commitments "
    "cannot be left out; one of the caller's organisations stays a party. Send the version "
    "(body or `If-Match`). " + RULES,
    operation_id="set_agreement_parties",
)
def set_parties(request: HttpRequest, id: int, payload: PartiesIn, response: HttpResponse) -> Any:
    user, agreement = _agreement_for(request, id, "set_parties")
    services.agreement_update(
        actor=user,
        agreement=agreement,
        expected_version=expected_version(request, payload.version),
        reason=payload.reason,
        parties=_refs.organisations("parties")(payload.parties),
    )
    fresh = _detail(user, id)
    record_headers(response, fresh)
    return fresh


@router.post(
    "/agreements/{id}/decisions",
    response={200: AgreementOut, **RESPONSES},
    summary="Record a party's adopting decision",
    description="The body that adopted the agreement, the date and the case reference, for one "
    "party (by id or organisation number). Recording it again replaces it. A decision cannot be "
    "dated in the future. " + RULES,
    operation_id="record_agreement_party_decision",
)
def record_party_decision(
    request: HttpRequest, id: int, payload: PartyDecisionIn, response: HttpResponse
) -> Any:
    user, agreement = _agreement_for(request, id, "record_decision")
    data = payload.dict()
    organisation = _refs.required_organisation("organisation")(data.pop("organisation"))
    services.party_decision_record(
        actor=user, agreement=agreement, organisation=organisation, **data
    )
    fresh = _detail(user, id)
    record_headers(response, fresh)
    return fresh


# --- goals (add_goal, edit_goal, remove_goal) --------------------------------------------------


def _goal(agreement: Agreement, goal_id: int) -> AgreementGoal:
    return get_object_or_404(AgreementGoal.objects.active(), pk=goal_id, agreement=agreement)


@router.post(
    "/agreements/{id}/goals",
    response={201: GoalOut, **RESPONSES},
    summary="Add a goal to an agreement",
    description="A goal, optionally tagged with UN Sustainable Development Goals and their "
    "targets, and the parties' own target. " + RULES,
    operation_id="add_agreement_goal",
)
def add_goal(request: HttpRequest, id: int, payload: GoalIn, response: HttpResponse) -> Status:
    user, agreement = _agreement_for(request, id, "add_goal")
    goal = services.goal_add(actor=user, agreement=agreement, **payload.dict())
    return created(request, response, goal)


@router.patch(
    "/agreements/{id}/goals/{goal_id}",
    response={200: GoalOut, **RESPONSES},
    summary="Change a goal of an agreement",
    description="Send only the fields to change and the goal's version (in the body or as "
    "`If-Match`; its `ETag`). Lists are replaced whole. " + RULES,
    operation_id="update_agreement_goal",
)
def update_goal(
    request: HttpRequest, id: int, goal_id: int, payload: GoalPatch, response: HttpResponse
) -> Any:
    user, agreement = _agreement_for(request, id, "edit_goal")
    goal = _goal(agreement, goal_id)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    reason = data.pop("reason", "") or ""
    goal = services.goal_update(
        actor=user,
        goal=goal,
        expected_version=version,
        reason=reason,
        **_refs.refuse_null(data, AgreementGoal),
    )
    record_headers(response, goal)
    return goal


def _removal_version(request: HttpRequest, payload: RemoveIn) -> int | None:
    header = if_match_version(request)
    return header if header is not None else payload.version


@router.post(
    "/agreements/{id}/goals/{goal_id}/remove",
    response={200: GoalOut, **RESPONSES},
    summary="Remove a goal from an agreement",
    description="The goal is archived, not deleted, and stays in the history. A goal that "
    "active commitments follow up stays until they are moved or archived (rule "
    "`goal_in_use`).",
    operation_id="remove_agreement_goal",
)
def remove_goal(request: HttpRequest, id: int, goal_id: int, payload: RemoveIn) -> Any:
    user, agreement = _agreement_for(request, id, "remove_goal")
    return services.goal_archive(
        actor=user,
        goal=_goal(agreement, goal_id),
        expected_version=_removal_version(request, payload),
        reason=payload.reason,
    )


# --- anchors in plans (add_anchor, remove_anchor) ----------------------------------------------


@router.post(
    "/agreements/{id}/anchors",
    response={201: AnchorOut, **RESPONSES},
    summary="Anchor an agreement in a plan",
    description="A plan, and if given one of its items (rule `anchor_item_in_plan`). " + RULES,
    operation_id="add_agreement_anchor",
)
def add_anchor(request: HttpRequest, id: int, payload: AnchorIn, response: HttpResponse) -> Status:
    user, agreement = _agreement_for(request, id, "add_anchor")
    data = _refs.resolve(
        payload.dict(),
        {
            "plan": lambda pk: _refs.one(Plan.objects.filter(archived_at__isnull=True), pk, "plan"),
            "item": lambda pk: _refs.one(
                PlanItem.objects.filter(archived_at__isnull=True), pk, "item"
            ),
        },
    )
    anchor = services.anchor_add(actor=user, agreement=agreement, **data)
    return created(request, response, anchor)


@router.post(
    "/agreements/{id}/anchors/{anchor_id}/remove",
    response={200: AnchorOut, **RESPONSES},
    summary="Remove an anchoring in a plan",
    description="The anchoring is archived, not deleted, and stays in the history.",
    operation_id="remove_agreement_anchor",
)
def remove_anchor(request: HttpRequest, id: int, anchor_id: int, payload: RemoveIn) -> Any:
    user, agreement = _agreement_for(request, id, "remove_anchor")
    anchor = get_object_or_404(AgreementAnchor.objects.active(), pk=anchor_id, agreement=agreement)
    return services.anchor_archive(
        actor=user,
        anchor=anchor,
        expected_version=_removal_version(request, payload),
        reason=payload.reason,
    )


# --- documents (add_document, remove_document) -------------------------------------------------


@router.post(
    "/agreements/{id}/documents",
    response={201: DocumentOut, **RESPONSES},
    summary="Add a signed document to an agreement",
    description="A link to the document, with its title and the date it was signed.",
    operation_id="add_agreement_document",
)
def add_document(
    request: HttpRequest, id: int, payload: DocumentIn, response: HttpResponse
) -> Status:
    user, agreement = _agreement_for(request, id, "add_document")
    document = services.document_add(actor=user, agreement=agreement, **payload.dict())
    return created(request, response, document)


@router.post(
    "/agreements/{id}/documents/{document_id}/remove",
    response={200: DocumentOut, **RESPONSES},
    summary="Remove a document from an agreement",
    description="The document link is archived, not deleted, and stays in the history.",
    operation_id="remove_agreement_document",
)
def remove_document(request: HttpRequest, id: int, document_id: int, payload: RemoveIn) -> Any:
    user, agreement = _agreement_for(request, id, "remove_document")
    document = get_object_or_404(
        AgreementDocument.objects.active(), pk=document_id, agreement=agreement
    )
    return services.document_archive(
        actor=user,
        document=document,
        expected_version=_removal_version(request, payload),
        reason=payload.reason,
    )


# --- renewal (renew) ---------------------------------------------------------------------------


@router.post(
    "/agreements/{id}/renew",
    response={201: AgreementOut, **RESPONSES},
    summary="Renew an active agreement",
    description="A new draft agreement linked to this one, with the same parties (their "
    "adopting decisions still to come), scope, goals and anchors, and the open commitments "
    "carried over. The old agreement is not changed. `Location` names the new agreement. " + RULES,
    operation_id="renew_agreement",
)
def renew_agreement(
    request: HttpRequest, id: int, payload: RenewIn, response: HttpResponse
) -> Status:
    user, agreement = _agreement_for(request, id, "renew")
    new = services.agreement_renew(actor=user, agreement=agreement, **payload.dict())
    where = f"{_refs.api_root(request)}/agreements/{new.pk}"
    return created(request, response, _detail(user, new.pk), path=where)


# --- follow-up reports (add_report, complete_report; entries: the commitments' report) ---------


def _with_missing(agreement: Agreement, reports: list[FollowUpReport]) -> list[FollowUpReport]:
    """Set ``missing_ids`` on each report from one read of the agreement's commitments."""
    ids = [c.pk for c in agreement.commitments.all()]
    for report in reports:
        reported = {e.commitment_id for e in report.entries.all()}
        setattr(report, "missing_ids", [pk for pk in ids if pk not in reported])  # noqa: B010
    return reports


def _report(user: Any, agreement_id: int, report_id: int, with_entries: bool = True) -> Any:
    return selectors.report_for_api(
        user=user, agreement_pk=agreement_id, pk=report_id, with_entries=with_entries
    )


@router.get(
    "/agreements/{id}/reports",
    response={200: page_schema(ReportOut), 404: ErrorOut, 422: ErrorOut},
    summary="The follow-up reports of an agreement",
    description="Each report with every party's reported status and the commitments still "
    "without one (`missing`).",
    operation_id="list_agreement_reports",
)
def list_reports(request: HttpRequest, id: int, params: Query[PageQuery]) -> Any:
    agreement = _detail(auth_user(request), id)
    reports = list(selectors.report_list(user=auth_user(request), agreement=agreement))
    page = paginate(
        request, _with_missing(agreement, reports), page=params.page, page_size=params.page_size
    )
    return page_response(request, page, ReportOut)


@router.post(
    "/agreements/{id}/reports",
    response={201: ReportOut, **RESPONSES},
    summary="Start a follow-up report",
    description="Without dates, the year after the latest report (within the agreement's "
    "period), due 60 days after it ends. Reports do not overlap. " + RULES,
    operation_id="create_agreement_report",
)
def create_report(
    request: HttpRequest, id: int, payload: ReportIn, response: HttpResponse
) -> Status:
    user = require_user(request)
    agreement = selectors.agreement_for_change(user=user, pk=id)
    AGREEMENT_POLICY.require(user, "add_report", agreement)
    report = services.report_create(actor=user, agreement=agreement, **payload.dict())
    return created(request, response, _report(user, id, report.pk))


@router.get(
    "/agreements/{id}/reports/{report_id}",
    response={200: ReportOut, 304: None, 404: ErrorOut},
    summary="Read a follow-up report",
    description="With `ETag` (its version) for `If-None-Match` and `If-Match`.",
    operation_id="get_agreement_report",
)
def get_report(request: HttpRequest, id: int, report_id: int, response: HttpResponse) -> Any:
    report = _report(auth_user(request), id, report_id)
    unchanged = not_modified(request, report)
    if unchanged is not None:
        return unchanged
    record_headers(response, report)
    return report


@router.post(
    "/agreements/{id}/reports/{report_id}/entries",
    response={200: ReportOut, **RESPONSES},
    summary="Report on a commitment in a follow-up report",
    description="The owning party (or the lead party) reports the status of one commitment, "
    "with a short text; the commitment's status follows. Reporting again replaces the entry. "
    "`dropped` needs a `reason`; a completed report is closed. " + RULES,
    operation_id="report_on_commitment",
)
def report_entry(
    request: HttpRequest, id: int, report_id: int, payload: EntryIn, response: HttpResponse
) -> Any:
    user = require_user(request)
    report = _report(user, id, report_id, with_entries=False)
    # The service reads (and locks) the commitment by its id; an unknown one is a 422 there.
    entry = services.report_entry_record(actor=user, report=report, **payload.dict())
    # The agreement as found above, and the report as the service read it (locked): an entry
    # changes neither them nor who may see them.
    fresh = selectors.report_for_api(
        user=user, agreement_pk=id, pk=report_id, agreement=report.agreement, report=entry.report
    )
    record_headers(response, fresh)
    return fresh


@router.post(
    "/agreements/{id}/reports/{report_id}/complete",
    response={200: ReportOut, **RESPONSES},
    summary="Complete a follow-up report",
    description="Only when every commitment has a status in it (rule `report_complete`). Send "
    "the report's version (body or `If-Match`). " + RULES,
    operation_id="complete_agreement_report",
)
def complete_report(
    request: HttpRequest, id: int, report_id: int, payload: CompleteIn, response: HttpResponse
) -> Any:
    user, agreement = _agreement_for(request, id, "complete_report")
    report = _report(user, agreement.pk, report_id, with_entries=False)
    services.report_complete(
        actor=user,
        report=report,
        expected_version=expected_version(request, payload.version),
        summary=payload.summary,
    )
    fresh = _report(user, id, report_id)
    record_headers(response, fresh)
    return fresh


@router.get(
    "/agreements/{id}/reports/{report_id}/history",
    response={200: page_schema(ChangeRecordOut), 404: ErrorOut, 422: ErrorOut},
    summary="The change history of a follow-up report",
    description="Newest first; the full before and after of each change.",
    operation_id="agreement_report_history",
)
def report_history(request: HttpRequest, id: int, report_id: int, params: Query[PageQuery]) -> Any:
    report = _report(auth_user(request), id, report_id, with_entries=False)
    return history_response(request, report, page=params.page, page_size=params.page_size)
