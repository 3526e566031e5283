"""API: /api/v1/ownership-interests and /api/v1/ownership-statements, each with list, create
and the shared record routes (read with ETag, PATCH with If-Match, archive, restore, history).

Hard rules answer 422 with the rule id as the error ``code`` and the field it concerns, and
nothing is written; warnings (``warnings``) are returned with the record, each with its legal
source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from kraftsenter.actors.api import OrganisationRef, resolve_organisation
from kraftsenter.cooperations.models import Cooperation
from kraftsenter.core.api import (
    RESPONSES,
    CodeOf,
    ErrorOut,
    PageQuery,
    StrictSchema,
    absolute_url,
    add_record_routes,
    apply_filters,
    auth_user,
    created,
    filter_query_schema,
    page_response,
    page_schema,
    paginate,
    refuse_null,
    require_user,
    resolve_refs,
)
from kraftsenter.core.bounds import (
    BoundedDate,
    NameText,
    PlainText,
    ReasonText,
    RecordId,
    ReferenceText,
    Share,
    UrlText,
    request_example,
)

from . import rules, selectors, services
from .choices import AdoptedBy, InterestKind, StatementKind
from .filters import InterestFilter, StatementFilter
from .models import OwnershipInterest, OwnershipStatement

router = Router(tags=["ownership"])
RULES = (
    "Hard rules (kommuneloven §§ 9-1, 23-6 and 26-1) answer 422 with the rule id as the error "
    "`code` and the field; nothing is written. `warnings` lists what the ownership statement "
    "still lacks, each with its legal source."
)
if TYPE_CHECKING:
    InterestQuery = PageQuery
    StatementQuery = PageQuery
else:
    InterestQuery = filter_query_schema(InterestFilter, "OwnershipInterestQuery")
    StatementQuery = filter_query_schema(StatementFilter, "OwnershipStatementQuery")

InterestKindCode = Annotated[str, CodeOf(InterestKind)]
StatementKindCode = Annotated[str, CodeOf(StatementKind)]
AdoptedByCode = Annotated[str, CodeOf(AdoptedBy)]
VERSION = Field(None, description="The version the change is based on (or send `If-Match`).", ge=1)
REASON = Field("", description="Why, for the history (optional).")


class OwnershipWarningOut(Schema):
    rule: str = Field(description="The rule's id.")
    field: str
    message: str
    source: str = Field(description="The legal source (`kommuneloven § 26-1 andre ledd …`).")


def _warnings(found: list[Any]) -> list[dict[str, str]]:
    return [
        {"rule": v.rule, "field": v.field, "message": v.message, "source": v.source} for v in found
    ]


# --- shared lookups ----------------------------------------------------------------------------


def _organisation(field: str, *, required: bool) -> Callable[[Any], Any]:
    def lookup(value: Any) -> Any:
        found = resolve_organisation(value, field)
        if found is None and required:
            raise ValidationError({field: _("This field is required.")})
        return found

    return lookup


def _cooperation(pk: int | None) -> Cooperation | None:
    if pk is None:
        return None
    found = Cooperation.objects.filter(pk=pk, archived_at__isnull=True).first()
    if found is None:
        raise ValidationError({"cooperation": _("Unknown id: %(id)s.") % {"id": pk}})
    return found


INTEREST_REFS: dict[str, Callable[[Any], Any]] = {
    "holder": _organisation("holder", required=True),
    "entity": _organisation("entity", required=False),
    "cooperation": _cooperation,
}
STATEMENT_REFS: dict[str, Callable[[Any], Any]] = {
    "holder": _organisation("holder", required=True),
}


# --- interests ---------------------------------------------------------------------------------


class OwnershipInterestOut(Schema):
    id: int
    holder: int = Field(description="The holder's organisation id.")
    holder_name: str
    kind: InterestKindCode
    kind_label: str
    group: str = Field(description="The group of kommuneloven § 26-1 second paragraph letter b.")
    entity: int | None = Field(description="The entity's organisation id (not for cooperations).")
    cooperation: int | None = Field(description="The cooperation's id in the cooperation register.")
    entity_name: str
    share: Decimal | None = Field(description="Per cent; for a cooperation see its participants.")
    purpose: str = Field(description="The purpose (kommuneloven § 26-1 second paragraph letter c).")
    management_principles: str
    decision_body: str
    decided_on: dt.date | None
    case_reference: str
    published: bool
    warnings: list[OwnershipWarningOut]
    archived: bool
    version: int
    url: str = Field(description="The interest's page.")

    @staticmethod
    def resolve_holder(obj: Any) -> int:
        return int(obj.holder_id)

    @staticmethod
    def resolve_holder_name(obj: Any) -> str:
        return obj.holder.name

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_entity(obj: Any) -> int | None:
        return obj.entity_id

    @staticmethod
    def resolve_cooperation(obj: Any) -> int | None:
        return obj.cooperation_id

    @staticmethod
    def resolve_warnings(obj: Any) -> list[dict[str, str]]:
        return _warnings(rules.interest_warnings(obj))

    @staticmethod
    def resolve_archived(obj: Any) -> bool:
        return bool(obj.is_archived)

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return absolute_url(obj, context)


class OwnershipInterestIn(StrictSchema):
    model_config = request_example(
        {
            "holder": 12,
            "kind": "as_wholly_owned",
            "entity": 40,
            "share": 100,
            "purpose": "Sikre drift av kommunens bredbåndsnett på like vilkår i hele kommunen.",
            "management_principles": "Styret velges av generalforsamlingen etter innstilling.",
            "decision_body": "kommunestyret",
            "decided_on": "2021-06-17",
            "case_reference": "21/1234",
        }
    )

    holder: OrganisationRef
    kind: InterestKindCode
    entity: OrganisationRef | None = Field(
        None, description="The entity, by id or organisation number (not for cooperations)."
    )
    cooperation: RecordId | None = Field(
        None, description="For kind `cooperation`: the cooperation's id in the register."
    )
    share: Share | None = Field(
        None, description="Per cent (not for KF, foundations, cooperations)."
    )
    purpose: PlainText = Field("", description="The municipality's purpose with the interest.")
    management_principles: PlainText = ""
    decision_body: NameText = "kommunestyret"
    decided_on: BoundedDate | None = None
    case_reference: ReferenceText = ""
    published: bool = True


class OwnershipInterestPatch(StrictSchema):
    model_config = request_example(
        {
            "version": 2,
            "purpose": "Sikre kommunens innflytelse over vannforsyningen.",
            "reason": "Formålet presisert i eierskapsmeldingen.",
        }
    )

    version: int | None = VERSION
    holder: OrganisationRef | None = None
    kind: InterestKindCode | None = None
    entity: OrganisationRef | None = Field(None, description="`null` for none.")
    cooperation: RecordId | None = Field(None, description="`null` for none.")
    share: Share | None = Field(None, description="`null` for none.")
    purpose: PlainText | None = None
    management_principles: PlainText | None = None
    decision_body: NameText | None = None
    decided_on: BoundedDate | None = None
    case_reference: ReferenceText | None = None
    published: bool | None = None
    reason: ReasonText = REASON


@router.get(
    "/ownership-interests",
    response={200: page_schema(OwnershipInterestOut), 422: ErrorOut},
    summary="List ownership interests",
    description="A municipality's or county municipality's interests in companies, enterprises "
    "and other entities (kommuneloven § 26-1), filtered as on the page. " + RULES,
    operation_id="list_ownership_interests",
)
def list_interests(request: HttpRequest, params: Query[InterestQuery]) -> Any:
    qs = apply_filters(request, InterestFilter, selectors.interest_list(user=auth_user(request)))
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    return page_response(request, page, OwnershipInterestOut)


@router.post(
    "/ownership-interests",
    response={201: OwnershipInterestOut, **RESPONSES},
    summary="Register an ownership interest",
    description="An interest of a municipality or county municipality the caller edits for; "
    "an inter-municipal cooperation by its id in the cooperation register (kind "
    "`cooperation`, no entity, no share). " + RULES,
    operation_id="create_ownership_interest",
)
def create_interest(
    request: HttpRequest, payload: OwnershipInterestIn, response: HttpResponse
) -> Status:
    user = require_user(request)
    data = resolve_refs(payload.dict(), INTEREST_REFS)
    interest = services.interest_create(actor=user, **data)
    return created(request, response, selectors.interest_get(user=user, pk=interest.pk))


def _update_interest(
    *,
    user: Any,
    record: OwnershipInterest,
    data: dict[str, Any],
    expected_version: int,
    reason: str,
) -> None:
    data = resolve_refs(refuse_null(data, OwnershipInterest), INTEREST_REFS)
    services.interest_update(
        actor=user, interest=record, expected_version=expected_version, reason=reason, **data
    )


add_record_routes(
    router,
    path="/ownership-interests",
    noun="ownership_interest",
    label="an ownership interest",
    schema=OwnershipInterestOut,
    get=selectors.interest_get,
    object_name="interest",
    patch=(OwnershipInterestPatch, _update_interest),
    archive=services.interest_archive,
    restore=services.interest_restore,
    patch_description="Send only the fields to change and the version (in the body or as "
    "`If-Match`). " + RULES,
)


# --- council documents -------------------------------------------------------------------------


class OwnershipStatementOut(Schema):
    id: int
    holder: int = Field(description="The municipality's or county municipality's id.")
    holder_name: str
    kind: StatementKindCode
    kind_label: str
    adopted_on: dt.date
    adopting_body: AdoptedByCode
    case_reference: str
    document_url: str
    principles: str = Field(
        description="Principles (kommuneloven § 26-1 second paragraph letter a)."
    )
    published: bool
    warnings: list[OwnershipWarningOut]
    archived: bool
    version: int
    url: str = Field(description="The document's page.")

    @staticmethod
    def resolve_holder(obj: Any) -> int:
        return int(obj.holder_id)

    @staticmethod
    def resolve_holder_name(obj: Any) -> str:
        return obj.holder.name

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_warnings(obj: Any) -> list[dict[str, str]]:
        return _warnings(rules.statement_warnings(obj))

    @staticmethod
    def resolve_archived(obj: Any) -> bool:
        return bool(obj.is_archived)

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return absolute_url(obj, context)


class OwnershipStatementIn(StrictSchema):
    model_config = request_example(
        {
            "holder": 12,
            "kind": "ownership_statement",
            "adopted_on": "2024-06-20",
            "adopting_body": "council",
            "case_reference": "24/567",
            "document_url": "https://www.hamar.kommune.no/",
            "principles": "Kommunen følger KS' anbefalinger om eierstyring.",
        }
    )

    holder: OrganisationRef
    kind: StatementKindCode = "ownership_statement"
    adopted_on: BoundedDate
    adopting_body: AdoptedByCode = "council"
    case_reference: ReferenceText = ""
    document_url: UrlText = ""
    principles: PlainText = ""
    published: bool = True


class OwnershipStatementPatch(StrictSchema):
    model_config = request_example(
        {"version": 2, "case_reference": "24/568", "reason": "Rettet saksnummer."}
    )

    version: int | None = VERSION
    holder: OrganisationRef | None = None
    kind: StatementKindCode | None = None
    adopted_on: BoundedDate | None = None
    adopting_body: AdoptedByCode | None = None
    case_reference: ReferenceText | None = None
    document_url: UrlText | None = None
    principles: PlainText | None = None
    published: bool | None = None
    reason: ReasonText = REASON


@router.get(
    "/ownership-statements",
    response={200: page_schema(OwnershipStatementOut), 422: ErrorOut},
    summary="List council documents on ownership",
    description="Ownership statements (kommuneloven § 26-1) and plans for ownership control "
    "(§ 23-4), filtered as on the page.",
    operation_id="list_ownership_statements",
)
def list_statements(request: HttpRequest, params: Query[StatementQuery]) -> Any:
    qs = apply_filters(request, StatementFilter, selectors.statement_list(user=auth_user(request)))
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    return page_response(request, page, OwnershipStatementOut)


@router.post(
    "/ownership-statements",
    response={201: OwnershipStatementOut, **RESPONSES},
    summary="Register a council document on ownership",
    description="An ownership statement or a plan for ownership control as adopted, for a "
    "municipality or county municipality the caller edits for. Adopted by another body than "
    "the council, it is saved with a warning and does not meet the deadline.",
    operation_id="create_ownership_statement",
)
def create_statement(
    request: HttpRequest, payload: OwnershipStatementIn, response: HttpResponse
) -> Status:
    user = require_user(request)
    data = resolve_refs(payload.dict(), STATEMENT_REFS)
    statement = services.statement_create(actor=user, **data)
    return created(request, response, selectors.statement_get(user=user, pk=statement.pk))


def _update_statement(
    *,
    user: Any,
    record: OwnershipStatement,
    data: dict[str, Any],
    expected_version: int,
    reason: str,
) -> None:
    data = resolve_refs(refuse_null(data, OwnershipStatement), STATEMENT_REFS)
    services.statement_update(
        actor=user, statement=record, expected_version=expected_version, reason=reason, **data
    )


add_record_routes(
    router,
    path="/ownership-statements",
    noun="ownership_statement",
    label="a council document on ownership",
    schema=OwnershipStatementOut,
    get=selectors.statement_get,
    object_name="statement",
    patch=(OwnershipStatementPatch, _update_statement),
    archive=services.statement_archive,
    restore=services.statement_restore,
)
