"""API for the cooperation register: /api/v1/cooperations, their participants, agreement
versions and council decisions, bodies and their members, documents, the import of a
spreadsheet, and a municipality's cooperations.

Every change goes through the same service and the same named policy action as its page
(``permissions.py``); this module only turns public identifiers (organisation numbers, codes)
into objects and back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ValidationError
from django.db import router as db_router
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BaseModel, Field

from kraftsenter.actors.api import OrganisationRef, resolve_organisation
from kraftsenter.actors.models import Organisation
from kraftsenter.core import prepared
from kraftsenter.core.api import (
    RESPONSES,
    CodeList,
    CodeOf,
    ErrorOut,
    PageQuery,
    StrictSchema,
    absolute_url,
    add_record_routes,
    apply_filters,
    auth_user,
    created,
    error_response,
    expected_version,
    filter_query_schema,
    page_response,
    page_schema,
    paginate,
    record_headers,
    require_user,
)
from kraftsenter.core.bounds import (
    BoundedDate,
    CodeText,
    LineText,
    NameText,
    PlainText,
    ReasonText,
    ReferenceText,
    Share,
    TitleText,
    UrlText,
    request_example,
)
from kraftsenter.core.imports import ImportFailed
from kraftsenter.places.selectors import municipality_get

from . import rules, selectors, services
from .choices import SHARE_FORMS, Area, Authority, BodyKind, LegalForm, MemberRole
from .choices import Status as CoopStatus
from .filters import CooperationFilter
from .import_views import CooperationImportForm
from .importer import COLUMNS, REQUIRED_COLUMNS, ImportSummary, run_import
from .models import (
    AgreementVersion,
    Body,
    BodyMember,
    Cooperation,
    CouncilDecision,
    Document,
    Participant,
)
from .permissions import COOPERATION_POLICY

router = Router(tags=["cooperations"])

LegalFormCode = Annotated[str, CodeOf(LegalForm)]
AreaCode = Annotated[str, CodeOf(Area)]
StatusCode = Annotated[str, CodeOf(CoopStatus)]
BodyKindCode = Annotated[str, CodeOf(BodyKind)]
MemberRoleCode = Annotated[str, CodeOf(MemberRole)]
AuthorityCode = Annotated[str, CodeOf(Authority)]
#: Every mandatory agreement item of every form; which of them a cooperation's agreement takes
#: depends on its legal form (its ``agreement_items``), and the service refuses the others.
ITEM_CODES = sorted({i.code for items in rules.MANDATORY_ITEMS.values() for i in items})
ItemCode = Annotated[str, CodeList(ITEM_CODES)]

# --- output ------------------------------------------------------------------------------------


# A pydantic model, not a ninja ``Schema``: it is validated from the plain dicts
# ``_participants_of`` gives, by pydantic itself; a ``Schema`` runs a Python validator reading
# each field through a getter, which for the some 500 participants of a list page was a third
# of the answer's time. (No docstring: it would become the OpenAPI description.)
class CooperationParticipantOut(BaseModel):
    organisation: int = Field(description="The organisation's id.")
    organisation_number: str = Field(description="The organisation's organisation number.")
    name: str
    ownership_share: Decimal | None = Field(
        None, description="Per cent; only for forms with shares (IPR, KO, IKS)."
    )
    liability_share: Decimal | None = Field(
        None, description="Per cent, where it differs from the ownership share."
    )
    joined_on: dt.date | None = None


def _participants_of(obj: Cooperation) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] | None = getattr(obj, "participant_rows", None)
    if rows is not None:  # selectors.attach_participant_rows (the lists), shares as here
        return rows
    with_shares = obj.legal_form in SHARE_FORMS
    parts: list[Participant] | None = getattr(obj, "active_participants", None)
    if parts is None:
        parts = list(
            obj.participants.filter(archived_at__isnull=True).select_related("organisation")
        )
    return [
        {
            "organisation": p.organisation_id,
            "organisation_number": p.organisation.organisation_number,
            "name": p.organisation.name,
            "ownership_share": p.ownership_share if with_shares else None,
            "liability_share": p.liability_share if with_shares else None,
            "joined_on": p.joined_on,
        }
        for p in parts
    ]


class CooperationOut(Schema):
    id: int
    name: str
    legal_form: LegalFormCode
    legal_form_label: str
    legal_basis: str = Field(description="For another form: the legal basis it rests on.")
    legal_person: bool = Field(description="Whether it is a separate legal person.")
    organisation_number: str
    areas: list[AreaCode]
    status: StatusCode
    status_label: str
    purpose: str
    authority: list[AuthorityCode] = Field(
        description="The kinds of authority the participants delegated to it."
    )
    authority_description: str = Field(description="The delegated authority, described.")
    daily_manager: str = Field(description="The daily manager (daglig leder), by name.")
    host: int | None = Field(description="The host or office municipality's organisation id.")
    archive_custodian: int | None = Field(
        description="The organisation id of the participant that keeps the archives."
    )
    start_date: dt.date | None
    end_date: dt.date | None = Field(description="The date it was dissolved.")
    withdrawal_terms: str
    withdrawal_notice_months: int | None = Field(
        description="The notice period the agreement sets, where it differs from the statute's."
    )
    dissolution_terms: str
    reporting_duties: str
    statsforvalter_notified_on: dt.date | None = Field(
        description="Host-municipality cooperation: when the host told the statsforvalter (the "
        "ministry, between county municipalities) that it was set up: a follow-up after "
        "activation (kommuneloven § 20-4 fifth paragraph)."
    )
    participants: list[CooperationParticipantOut]
    published: bool
    archived: bool
    version: int
    url: str = Field(description="The cooperation's page.")

    @staticmethod
    def resolve_legal_form_label(obj: Cooperation) -> str:
        return str(obj.get_legal_form_display())

    @staticmethod
    def resolve_status_label(obj: Cooperation) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_areas(obj: Cooperation) -> list[str]:
        codes: list[str] | None = getattr(obj, "listed_areas", None)  # a list's (_page_response)
        if codes is not None:
            return codes
        return [a.area for a in obj.area_links.all()]

    @staticmethod
    def resolve_authority(obj: Cooperation) -> list[str]:
        return list(obj.authority or [])

    @staticmethod
    def resolve_host(obj: Cooperation) -> int | None:
        return obj.host_id

    @staticmethod
    def resolve_archive_custodian(obj: Cooperation) -> int | None:
        return obj.archive_custodian_id

    @staticmethod
    def resolve_participants(obj: Cooperation) -> list[dict[str, Any]]:
        return _participants_of(obj)

    @staticmethod
    def resolve_archived(obj: Cooperation) -> bool:
        return obj.is_archived

    @staticmethod
    def resolve_url(obj: Cooperation, context: Any) -> str:
        return absolute_url(obj, context)


def _page_response(request: HttpRequest, page: dict[str, Any]) -> Any:
    """A page of cooperations answered as ``page_schema(CooperationOut)`` (dumped directly,
    :func:`~kraftsenter.core.api.page_response`), its participants and areas read for the
    whole page as plain values (two queries; a participant and its organisation as model
    instances, 500 on a page, were most of its Python)."""
    cooperations = page["items"]
    selectors.attach_participant_rows(cooperations)
    areas = selectors.page_areas([c.pk for c in cooperations])
    for cooperation in cooperations:
        cooperation.listed_areas = areas.get(cooperation.pk, [])
    return page_response(request, page, CooperationOut)


class CooperationCouncilDecisionOut(Schema):
    id: int
    agreement_version: int = Field(description="The agreement version's id.")
    organisation: int = Field(description="The participant's organisation id.")
    organisation_number: str
    organisation_name: str
    decided_on: dt.date
    body: str = Field(description="Who decided (kommunestyret, fylkestinget …).")
    case_reference: str
    version: int

    @staticmethod
    def resolve_agreement_version(obj: CouncilDecision) -> int:
        return obj.agreement_version_id

    @staticmethod
    def resolve_organisation(obj: CouncilDecision) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_organisation_number(obj: CouncilDecision) -> str:
        return obj.organisation.organisation_number

    @staticmethod
    def resolve_organisation_name(obj: CouncilDecision) -> str:
        return obj.organisation.name


class CooperationAgreementVersionOut(Schema):
    id: int
    number: int = Field(description="1 for the first agreement, then 2, 3 …")
    summary: str = Field(description="What changed from the previous version.")
    items_covered: list[ItemCode] = Field(
        description="The mandatory items of the form this version of the agreement covers."
    )
    items_changed: list[ItemCode] = Field(
        description="The mandatory items this version changes: every participant's council "
        "must adopt it again."
    )
    document_url: str
    adopted_by_representantskap_on: dt.date | None
    decisions: list[CooperationCouncilDecisionOut] = Field(
        description="The participants' council decisions adopting this version."
    )
    version: int = Field(description="The record's version (its ETag), not the agreement's.")

    @staticmethod
    def resolve_decisions(obj: AgreementVersion) -> list[CouncilDecision]:
        return list(obj.decisions.all())


class CooperationBodyMemberOut(Schema):
    id: int
    body: int = Field(description="The body's id.")
    person_name: str
    role: MemberRoleCode
    role_label: str
    organisation: int | None = Field(description="Appointed by / represents: organisation id.")
    term_start: dt.date | None
    term_end: dt.date | None
    archived: bool = Field(description="An ended membership is kept, archived.")
    version: int

    @staticmethod
    def resolve_body(obj: BodyMember) -> int:
        return obj.body_id

    @staticmethod
    def resolve_role_label(obj: BodyMember) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_organisation(obj: BodyMember) -> int | None:
        return obj.organisation_id

    @staticmethod
    def resolve_archived(obj: BodyMember) -> bool:
        return obj.is_archived


class CooperationBodyOut(Schema):
    id: int
    kind: BodyKindCode
    kind_label: str
    name: str
    members: list[CooperationBodyMemberOut] = Field(description="The current members.")
    version: int

    @staticmethod
    def resolve_kind_label(obj: Body) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_members(obj: Body) -> list[BodyMember]:
        return list(obj.members.all())


class CooperationDocumentOut(Schema):
    id: int
    title: str
    url: str = Field(description="The document's address.")
    version: int


class CooperationAgreementItemOut(Schema):
    code: ItemCode
    label: str


class CooperationViolationOut(Schema):
    rule: str
    field: str
    message: str
    source: str = Field(description="The statute and section, where the rule is law.")


class CooperationWithdrawalNoticeOut(Schema):
    months: int | None = Field(
        description="The notice period that applies, in months (null: the agreement says)."
    )
    statutory_months: int | None = Field(description="The statute's period (null: none).")
    may_deviate: bool = Field(description="Whether the agreement may set another period.")
    source: str = Field(description="The statute, section and paragraph.")
    text: str = Field(description="The notice period in words, with its source.")


class CooperationWithdrawalOut(Schema):
    organisation: int = Field(description="The organisation's id.")
    name: str
    joined_on: dt.date | None
    withdrawal_registered_on: dt.date = Field(description="When the withdrawal was recorded.")


class CooperationDetailOut(CooperationOut):
    """One cooperation with all its parts."""

    agreement_versions: list[CooperationAgreementVersionOut] = Field(description="Newest first.")
    bodies: list[CooperationBodyOut]
    documents: list[CooperationDocumentOut]
    agreement_items: list[CooperationAgreementItemOut] = Field(
        description="The mandatory agreement items of the cooperation's legal form: the codes "
        "`items_covered` and `items_changed` of its agreement versions take."
    )
    activation_problems: list[CooperationViolationOut] = Field(
        description="What stops the cooperation from being active, each with its legal source "
        "(empty when it may be activated)."
    )
    missing: list[CooperationViolationOut] = Field(
        description="What is missing or should be checked, without stopping activation: "
        "follow-ups such as the notice to the statsforvalter, the bodies (representantskap, "
        "board, joint committee), registration in Foretaksregisteret, names from before 1 July "
        "2024 — each with its legal source."
    )
    withdrawal_notice: CooperationWithdrawalNoticeOut | None = Field(
        description="The notice period for a participant's withdrawal (null for forms where "
        "no statute sets one)."
    )
    withdrawals: list[CooperationWithdrawalOut] = Field(
        description="Participants that withdrew, latest first (the notice period above applies "
        "to each)."
    )

    @staticmethod
    def resolve_agreement_versions(obj: Cooperation) -> list[AgreementVersion]:
        return list(obj.agreement_versions.all())

    @staticmethod
    def resolve_bodies(obj: Cooperation) -> list[Body]:
        return list(obj.bodies.all())

    @staticmethod
    def resolve_documents(obj: Cooperation) -> list[Document]:
        return list(obj.documents.all())

    @staticmethod
    def resolve_agreement_items(obj: Cooperation) -> list[dict[str, str]]:
        return [
            {"code": i.code, "label": str(i.label)} for i in rules.mandatory_items(obj.legal_form)
        ]

    @staticmethod
    def resolve_activation_problems(obj: Cooperation) -> list[dict[str, str]]:
        return [
            {"rule": v.rule, "field": v.field, "message": str(v.message), "source": v.source}
            for v in services.activation_problems(obj)
        ]

    @staticmethod
    def resolve_missing(obj: Cooperation) -> list[dict[str, str]]:
        return [
            {"rule": v.rule, "field": v.field, "message": str(v.message), "source": v.source}
            for v in services.missing_items(obj)
        ]

    @staticmethod
    def resolve_withdrawal_notice(obj: Cooperation) -> dict[str, Any] | None:
        notice = rules.withdrawal_notice(obj.legal_form, obj.withdrawal_notice_months)
        return None if notice is None else dataclasses.asdict(notice)

    @staticmethod
    def resolve_withdrawals(obj: Cooperation) -> list[dict[str, Any]]:
        return [
            {
                "organisation": p.organisation_id,
                "name": p.organisation.name,
                "joined_on": p.joined_on,
                "withdrawal_registered_on": timezone.localdate(p.archived_at),
            }
            for p in selectors.withdrawn_participants(obj)
            if p.archived_at is not None
        ]


# --- input -------------------------------------------------------------------------------------


class CooperationParticipantIn(StrictSchema):
    model_config = request_example(
        {"organisation": 12, "ownership_share": 40, "joined_on": "2019-01-01"}
    )

    organisation: OrganisationRef
    ownership_share: Share | None = Field(
        None, description="Per cent (IPR, KO, IKS: the shares add up to 100)."
    )
    liability_share: Share | None = Field(
        None, description="Per cent, only where it differs from the ownership share."
    )
    joined_on: BoundedDate | None = None


HOST = Field(
    None,
    description="The host or office municipality (one of the participants): id or "
    "organisation number.",
)
CUSTODIAN = Field(None, description="The organisation that keeps the archives: id or number.")
AUTHORITY_TEXT = (
    "The kinds of authority the participants delegated (an IPR or KO: individual "
    "decisions only on internal matters and grant schemes, kommuneloven §§ 18-1, 19-1 second "
    "paragraph; an administrative host cooperation: no matters of principal importance, "
    "§ 20-2 first paragraph)."
)
AUTHORITY: Any = Field([], description=AUTHORITY_TEXT)
NOTICE = Field(
    None,
    description="Months of notice for a withdrawal, only where the agreement sets another "
    "period than the statute's (host cooperation and IKS one year, plan cooperation three "
    "months).",
)
NoticeMonths = Annotated[int, Field(ge=0, le=120)]


class CooperationIn(StrictSchema):
    model_config = request_example(
        {
            "name": "Hamarregionen interkommunalt politisk råd",
            "legal_form": "ipr",
            "areas": ["regional_policy", "business"],
            "participants": [
                {"organisation": 12, "ownership_share": 40},
                {"organisation": 13, "ownership_share": 30},
                {"organisation": 14, "ownership_share": 15},
                {"organisation": 15, "ownership_share": 15},
            ],
            "purpose": "Felles regional utvikling og interessepolitikk for Hamar, Løten, "
            "Ringsaker og Stange.",
            "host": 12,
            "start_date": "2020-01-01",
            "status": "planned",
            "withdrawal_terms": "Uttreden med ett års skriftlig varsel.",
            "dissolution_terms": "Oppløses når alle deltakerne vedtar det.",
        }
    )

    name: TitleText
    legal_form: LegalFormCode
    areas: list[AreaCode]
    participants: list[CooperationParticipantIn] = Field(
        description="The participants (for most forms at least two municipalities or county "
        "municipalities; one of them must be an organisation you act for)."
    )
    legal_basis: LineText = ""
    legal_person: bool | None = Field(
        None,
        description="Whether it is a separate legal person: by default true for an IKS "
        "(always one), else false.",
    )
    organisation_number: CodeText = Field("", description="Nine digits (MOD11 checked).")
    purpose: PlainText = ""
    authority: list[AuthorityCode] = AUTHORITY
    authority_description: PlainText = ""
    daily_manager: NameText = ""
    host: OrganisationRef | None = HOST
    archive_custodian: OrganisationRef | None = CUSTODIAN
    start_date: BoundedDate | None = None
    end_date: BoundedDate | None = Field(None, description="Only for a dissolved cooperation.")
    status: StatusCode = Field(
        "planned", description="Active needs the agreement and every council's decision."
    )
    withdrawal_terms: PlainText = ""
    withdrawal_notice_months: NoticeMonths | None = NOTICE
    dissolution_terms: PlainText = ""
    reporting_duties: PlainText = ""
    statsforvalter_notified_on: BoundedDate | None = None
    published: bool = True


class CooperationPatch(StrictSchema):
    model_config = request_example(
        {
            "version": 4,
            "reporting_duties": "Årsmelding til kommunestyrene innen 1. mai.",
            "reason": "Vedtatt i representantskapet 12. mars.",
        }
    )

    version: int | None = Field(None, description="The version you saw (or send If-Match).")
    name: TitleText | None = None
    legal_form: LegalFormCode | None = None
    areas: list[AreaCode] | None = None
    participants: list[CooperationParticipantIn] | None = Field(
        None,
        description="The whole participant set (as `PUT …/participants`): missing ones withdraw.",
    )
    legal_basis: LineText | None = None
    legal_person: bool | None = None
    organisation_number: CodeText | None = None
    purpose: PlainText | None = None
    authority: list[AuthorityCode] | None = Field(None, description=AUTHORITY_TEXT)
    authority_description: PlainText | None = None
    daily_manager: NameText | None = None
    host: OrganisationRef | None = HOST
    archive_custodian: OrganisationRef | None = CUSTODIAN
    start_date: BoundedDate | None = None
    end_date: BoundedDate | None = None
    status: StatusCode | None = None
    withdrawal_terms: PlainText | None = None
    withdrawal_notice_months: NoticeMonths | None = NOTICE
    dissolution_terms: PlainText | None = None
    reporting_duties: PlainText | None = None
    statsforvalter_notified_on: BoundedDate | None = None
    published: bool | None = None
    reason: ReasonText = Field("", description="Why, for the history.")


class CooperationParticipantsIn(StrictSchema):
    model_config = request_example(
        {
            "participants": [
                {"organisation": 12, "ownership_share": 40},
                {"organisation": 13, "ownership_share": 35},
                {"organisation": 14, "ownership_share": 25},
            ],
            "version": 4,
            "reason": "Stange kommune trådte ut 31. desember.",
        }
    )

    participants: list[CooperationParticipantIn] = Field(
        description="The whole participant set after the change: new organisations join, "
        "missing ones withdraw, the others get the shares and dates given."
    )
    version: int | None = Field(None, description="The version you saw (or send If-Match).")
    reason: ReasonText = Field("", description="Why, for the history.")


class CooperationAgreementVersionIn(StrictSchema):
    model_config = request_example(
        {
            "summary": "Ny fordeling av eierandeler etter at Stange trådte ut.",
            "items_covered": ["name", "legal_person", "representatives", "shares"],
            "items_changed": ["shares"],
            "document_url": "https://www.hamar.kommune.no/",
        }
    )

    summary: PlainText = Field(
        "",
        description="What changed from the previous version (required from version 2 unless "
        "`items_changed` says it).",
    )
    items_covered: list[ItemCode] = Field(
        [], description="Mandatory items of the form the agreement covers."
    )
    items_changed: list[ItemCode] = Field(
        [], description="Mandatory items this version changes from the previous one."
    )
    document_url: UrlText = Field("", description="Link to the signed agreement.")
    adopted_by_representantskap_on: BoundedDate | None = Field(
        None,
        description="IPR, KO and IKS: for changes to other items only (at least 2/3 of the "
        "votes cast). A host-municipality cooperation has no representantskap (refused).",
    )


class CooperationCouncilDecisionIn(StrictSchema):
    model_config = request_example(
        {
            "organisation": 12,
            "decided_on": "2024-01-10",
            "body": "kommunestyret",
            "case_reference": "24/123",
        }
    )

    organisation: OrganisationRef = Field(
        description="The participant whose council decided: id or organisation number."
    )
    decided_on: BoundedDate
    body: NameText = Field(
        "",
        description="Who decided; empty: the participant's council (kommunestyret or "
        "fylkestinget), or for a participant that is an IKS its representantskap (IKS-loven "
        "§ 4 first paragraph).",
    )
    case_reference: ReferenceText = ""


class CooperationBodyIn(StrictSchema):
    model_config = request_example({"kind": "representantskap", "name": "Representantskapet"})

    kind: BodyKindCode
    name: NameText = ""


class CooperationBodyMemberIn(StrictSchema):
    model_config = request_example(
        {
            "person_name": "Kari Nordmann",
            "role": "chair",
            "organisation": 12,
            "term_start": "2023-10-15",
            "term_end": "2027-10-14",
        }
    )

    person_name: NameText
    role: MemberRoleCode = "member"
    organisation: OrganisationRef | None = Field(
        None, description="Appointed by / represents: id or organisation number."
    )
    term_start: BoundedDate | None = None
    term_end: BoundedDate | None = None


class CooperationMemberEndIn(StrictSchema):
    model_config = request_example({"reason": "Fratrådt etter valget."})

    reason: ReasonText = Field("", description="Why, for the history.")


class CooperationDocumentIn(StrictSchema):
    model_config = request_example(
        {"title": "Samarbeidsavtale 2024", "url": "https://www.hamar.kommune.no/"}
    )

    title: TitleText
    url: UrlText = Field(description="The document's address.")


# --- helpers -----------------------------------------------------------------------------------


def _required_organisation(value: int | str, field: str) -> Organisation:
    """An organisation that must be named (an empty value is refused, not taken as none)."""
    organisation = resolve_organisation(value, field)
    if organisation is None:
        raise ValidationError({field: _("This field is required.")})
    return organisation


def _reference_key(value: Any) -> tuple[str, Any] | None:
    """How ``resolve_organisation`` reads a reference: ``("pk", id)`` for an id (a number, or
    up to eight digits), ``("number", text)`` for a nine-digit organisation number; ``None``
    for anything else (left to it, for its message)."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    text = str(value).replace(" ", "")
    if isinstance(value, int) or (text.isascii() and text.isdigit() and len(text) < 9):
        return ("pk", int(text))
    if len(text) == 9 and text.isascii() and text.isdigit():
        return ("number", text)
    return None


def _active_by_id(ids: tuple[int, ...]) -> Any:
    return Organisation.objects.filter(archived_at__isnull=True, pk__in=ids)


def _active_by_number(numbers: tuple[str, ...]) -> Any:
    return Organisation.objects.filter(archived_at__isnull=True, organisation_number__in=numbers)


def _active_by_id_or_number(ids: tuple[int, ...], numbers: tuple[str, ...]) -> Any:
    return Organisation.objects.filter(archived_at__isnull=True).filter(
        Q(pk__in=ids) | Q(organisation_number__in=numbers)
    )


def _known_organisations(values: list[Any]) -> dict[tuple[str, Any], Organisation]:
    """The active organisations these references name, in one query (by id and by number).

    The query's statement is kept per number of ids and numbers (:mod:`kraftsenter.core.
    prepared`): building it was a tenth of a cooperation's registration or change with 15
    participants, inside the request every SQLite write waits for (issue 14)."""
    keys = [k for k in map(_reference_key, values) if k is not None]
    ids = tuple(sorted({v for kind, v in keys if kind == "pk"}))
    numbers = tuple(sorted({v for kind, v in keys if kind == "number"}))
    if not keys:
        return {}
    alias = db_router.db_for_read(Organisation)
    if not numbers:
        read = prepared.instances(
            "api_organisations_by_id", alias, Organisation, _active_by_id, ids
        )
    elif not ids:
        read = prepared.instances(
            "api_organisations_by_number", alias, Organisation, _active_by_number, numbers
        )
    else:
        read = prepared.instances(
            "api_organisations_by_id_or_number",
            alias,
            Organisation,
            _active_by_id_or_number,
            ids,
            numbers,
        )
    found: dict[tuple[str, Any], Organisation] = {}
    for organisation in read:
        if organisation.pk in ids:
            found[("pk", organisation.pk)] = organisation
        if organisation.organisation_number in numbers:
            found[("number", organisation.organisation_number)] = organisation
    return found


def _participants(
    items: list[dict[str, Any]], known: dict[tuple[str, Any], Organisation] | None = None
) -> list[services.ParticipantInput]:
    """The participant set as sent, each organisation by id or organisation number; every
    unknown one is named (``participants.1.organisation``). Duplicates are kept for the
    service to refuse.

    The organisations are looked up in one query, not one per participant (``known``, where
    the caller looked them up already); a reference not found there goes through
    ``resolve_organisation`` (the API's one reading of a reference), which gives its
    message."""
    if known is None:
        known = _known_organisations([item["organisation"] for item in items])
    out: list[services.ParticipantInput] = []
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        field = f"participants.{index}.organisation"
        key = _reference_key(item["organisation"])
        organisation = known.get(key) if key is not None else None
        if organisation is None:
            try:
                organisation = _required_organisation(item["organisation"], field)
            except ValidationError as exc:
                errors.update(exc.message_dict)
                continue
        out.append(
            services.ParticipantInput(
                organisation,
                item.get("ownership_share"),
                item.get("liability_share"),
                item.get("joined_on"),
            )
        )
    if errors:
        raise ValidationError(errors)
    return out


def _references(data: dict[str, Any]) -> dict[str, Any]:
    """Turn organisation references (ids or numbers) into organisations. The participants'
    are looked up in one query; a host or archive custodian named by the id of one of them
    is taken from it (one query less: the host is a participant), any other through
    ``resolve_organisation``."""
    items = data.get("participants")
    known = _known_organisations([i["organisation"] for i in items]) if items is not None else {}
    for field in ("host", "archive_custodian"):
        if field in data:
            key = _reference_key(data[field])
            found = known.get(key) if key is not None and key[0] == "pk" else None
            data[field] = found or resolve_organisation(data[field], field)
    if items is not None:
        data["participants"] = _participants(items, known)
    return data


def _cooperation_for(request: HttpRequest, id: int, action: str) -> tuple[Any, Cooperation]:
    """The caller and the cooperation (404 if they may not see it, 403 if they may not take
    the action)."""
    user = require_user(request)
    cooperation = selectors.cooperation_get(user=user, pk=id)
    COOPERATION_POLICY.require(user, action, cooperation)
    return user, cooperation


ACTIVE_DECISIONS = Prefetch(
    "decisions",
    queryset=CouncilDecision.objects.filter(archived_at__isnull=True).select_related(
        "organisation"
    ),
)
ACTIVE_MEMBERS = Prefetch("members", queryset=BodyMember.objects.filter(archived_at__isnull=True))


def _version_of(cooperation: Cooperation, version_id: int) -> AgreementVersion:
    return get_object_or_404(
        AgreementVersion.objects.filter(archived_at__isnull=True).prefetch_related(
            ACTIVE_DECISIONS
        ),
        pk=version_id,
        cooperation=cooperation,
    )


def _body_of(cooperation: Cooperation, body_id: int) -> Body:
    return get_object_or_404(
        Body.objects.filter(archived_at__isnull=True).prefetch_related(ACTIVE_MEMBERS),
        pk=body_id,
        cooperation=cooperation,
    )


if TYPE_CHECKING:
    CooperationQuery = PageQuery
else:
    CooperationQuery = filter_query_schema(CooperationFilter, "CooperationQuery")


# --- the register ------------------------------------------------------------------------------


@router.get(
    "/cooperations",
    response={200: page_schema(CooperationOut), 422: ErrorOut},
    summary="List inter-municipal cooperations",
    description="Filters as on the page: `q` (name or organisation number), `form`, `area`, "
    "`status`, `county`, `municipality`. Each item has its participants; read one cooperation "
    "for its agreement versions, bodies and documents.",
    operation_id="list_cooperations",
)
def list_cooperations(request: HttpRequest, params: Query[CooperationQuery]) -> Any:
    qs = apply_filters(
        request,
        CooperationFilter,
        base_for=_listed,
        user=auth_user(request),
        key="api:cooperations",
    )
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    return _page_response(request, page)


def _listed(who: Any) -> Any:
    """The cooperations ``who`` may see, for the API's lists: their areas come with the
    participants, as plain values (:func:`_page_response`)."""
    return selectors.cooperation_list(user=who, with_participants=False).prefetch_related(None)


def _listed_of(who: Any, organisation_ids: tuple[int, ...]) -> Any:
    """:func:`_listed`, those in which one of these organisations takes part."""
    return selectors.cooperations_of_organisation(
        user=who, organisation_ids=list(organisation_ids), with_participants=False
    ).prefetch_related(None)


@router.post(
    "/cooperations",
    response={201: CooperationDetailOut, **RESPONSES},
    summary="Register a cooperation",
    description="With its participants and areas, checked against the rules of the legal form "
    "(kommuneloven chapters 17 to 20, IKS-loven); a broken rule is 422 naming the field and "
    "the rule's legal source. One of the participants must be an organisation you act for.",
    operation_id="create_cooperation",
)
def create_cooperation(
    request: HttpRequest, payload: CooperationIn, response: HttpResponse
) -> Status:
    user = require_user(request)
    # Only what was sent: the service's defaults apply to the rest (an IKS is a legal person).
    data = _references(payload.dict(exclude_unset=True))
    coop = services.cooperation_create(actor=user, **data)
    answer = selectors.cooperation_answer(coop, new=True)
    return created(request, response, answer, schema=CooperationDetailOut)


# --- import (import) ---------------------------------------------------------------------------
# Before the record routes: ``/cooperations/{id}`` would otherwise take ``/cooperations/import``.


class ImportedCooperationOut(Schema):
    line: int = Field(description="The cooperation's first line in the file.")
    name: str
    legal_form: LegalFormCode
    legal_form_label: str
    status: StatusCode
    status_label: str
    participants: list[str] = Field(description="The participants' names.")
    agreement_items: int | None = Field(
        description="Mandatory items agreement version 1 covers; null: no agreement registered."
    )
    decisions: int = Field(description="Council decisions registered.")
    id: int | None = Field(description="The new cooperation's id; null in a dry run.")
    url: str | None = Field(description="The new cooperation's page; null in a dry run.")


class CooperationImportSummaryOut(Schema):
    source: str = Field(description="The file's name.")
    dry_run: bool = Field(description="True: nothing was saved.")
    count: int
    cooperations: list[ImportedCooperationOut]


class CooperationImportProblemOut(Schema):
    source: str
    line: int | None = Field(description="The line of the file; null for the whole file.")
    column: str = Field(description="The column, as in the file's header; empty for a row.")
    message: str


class CooperationImportErrorOut(ErrorOut):
    """422 for a file with problems: every problem, with its line and column."""

    problems: list[CooperationImportProblemOut] = []


def _summary(request: HttpRequest, summary: ImportSummary) -> dict[str, Any]:
    items = []
    for result in summary.cooperations:
        url = None
        if result.pk is not None:
            url = request.build_absolute_uri(
                reverse("cooperations:cooperation-detail", args=[result.pk])
            )
        items.append(
            {
                "line": result.line,
                "name": result.name,
                "legal_form": result.legal_form,
                "legal_form_label": result.legal_form_label,
                "status": result.status,
                "status_label": result.status_label,
                "participants": result.participants,
                "agreement_items": result.agreement_items,
                "decisions": result.decisions,
                "id": result.pk,
                "url": url,
            }
        )
    return {
        "source": summary.source,
        "dry_run": summary.dry_run,
        "count": summary.count,
        "cooperations": items,
    }


@router.post(
    "/cooperations/import",
    response={
        200: CooperationImportSummaryOut,
        201: CooperationImportSummaryOut,
        401: ErrorOut,
        403: ErrorOut,
        422: CooperationImportErrorOut,
    },
    summary="Import cooperations from a spreadsheet",
    description="A CSV (UTF-8, comma or semicolon) or XLSX file (first sheet), at most 5 MB, "
    "sent as `multipart/form-data` in the field `file`: one row per cooperation and "
    "participant, in the layout of docs/cooperation-import.md (columns "
    + ", ".join(f"`{c}`" for c in COLUMNS)
    + "; required: "
    + ", ".join(f"`{c}`" for c in REQUIRED_COLUMNS)
    + "). Every row is checked against the rules of its legal form, through the same services "
    "as the pages; nothing is saved unless the whole file is valid.\n\n"
    "`dry_run` (default **true**) only checks the file and answers 200 with what would be "
    "registered; `dry_run=false` registers it and answers 201. A file with problems answers "
    "422 with every problem (`problems`: line, column, message). You may only register "
    "cooperations one of your organisations takes part in.",
    operation_id="import_cooperations",
    # The file's contents stand in the example as its name.
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "examples": [{"file": "samarbeid-hamarregionen.csv", "dry_run": True}]
                    }
                }
            }
        }
    },
)
def import_cooperations(
    request: HttpRequest,
    file: Annotated[
        UploadedFile | None,
        File(None, description="The .csv or .xlsx file (required), at most 5 MB."),
    ] = None,
    dry_run: Annotated[
        bool,
        Form(True, description="True (the default): only check the file, save nothing."),
    ] = True,
) -> Any:
    # ``file`` is required: the form says so under the field ``file`` (after the permission
    # check), where ninja would name it ``file.file``.
    user = require_user(request)
    COOPERATION_POLICY.require(user, "import")
    form = CooperationImportForm(data={"dry_run": dry_run}, files={"file": file})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    upload = form.cleaned_data["file"]
    try:
        summary = run_import(
            upload,
            filename=Path(upload.name).name,
            actor=user,
            dry_run=form.cleaned_data["dry_run"],
        )
    except ImportFailed as exc:
        problems = [
            {"source": p.source, "line": p.line, "column": p.field, "message": p.message}
            for p in exc.problems
        ]
        return error_response(
            request,
            status=422,
            code="validation_error",
            # The import page's words (and translation).
            message=ngettext(
                "The file has %(counter)s problem. Nothing was saved.",
                "The file has %(counter)s problems. Nothing was saved.",
                len(problems),
            )
            % {"counter": len(problems)},
            errors=[
                {"field": "file", "message": str(p), "code": "import_problem"} for p in exc.problems
            ],
            problems=problems,
        )
    return Status(200 if summary.dry_run else 201, _summary(request, summary))


# --- one cooperation ----------------------------------------------------------------------------


def _update(*, user: Any, record: Cooperation, data: dict[str, Any], **kwargs: Any) -> Cooperation:
    """The change, and the answer built on what the service read and wrote (``update_answers``):
    what a GET of it gives, without reading the cooperation, its areas and participants again."""
    changed = services.cooperation_update(
        actor=user, cooperation=record, **kwargs, **_references(data)
    )
    return selectors.cooperation_answer(changed)


add_record_routes(
    router,
    path="/cooperations",
    noun="cooperation",
    label="a cooperation",
    schema=CooperationDetailOut,
    get=selectors.cooperation_get,
    locate=selectors.cooperation_locate,
    object_name="cooperation",
    patch=(CooperationPatch, _update),
    update_answers=True,
    archive=services.cooperation_archive,
    restore=services.cooperation_restore,
    read_description="One cooperation by its id, with its participants, agreement versions and "
    "council decisions, bodies and members, documents, and what stops it from being active. "
    "`ETag` is its version, for `If-None-Match` and `If-Match`.",
    patch_description="Send only the fields to change, and the version the change is based on "
    "(in the body or as `If-Match`). The status moves planned → active → dissolving → "
    "dissolved; activation needs the agreement and every participant's council decision. "
    "Unknown fields are refused; a change that changes nothing writes nothing.",
)


# --- participants (set_participants) -----------------------------------------------------------


@router.put(
    "/cooperations/{id}/participants",
    response={200: CooperationDetailOut, **RESPONSES},
    summary="Set a cooperation's participants",
    description="Replace the participant set as one change: new organisations join, missing "
    "ones withdraw, the others get the shares and dates given. Checked against the rules of "
    "the form (shares add up to 100 % for IPR, KO and IKS); one of your organisations must "
    "still take part. Send the version (in the body or as `If-Match`). The same as `PATCH` "
    "with only `participants`.",
    operation_id="set_cooperation_participants",
)
def set_participants(
    request: HttpRequest, id: int, payload: CooperationParticipantsIn, response: HttpResponse
) -> Any:
    # Found without its parts (the service locks and reads it again) and answered with what
    # the service read and wrote, as the PATCH is.
    user = require_user(request)
    cooperation = selectors.cooperation_locate(user=user, pk=id)
    COOPERATION_POLICY.require(user, "set_participants", cooperation)
    data = payload.dict()
    changed = services.cooperation_set_participants(
        actor=user,
        cooperation=cooperation,
        expected_version=expected_version(request, payload.version),
        participants=_participants(data["participants"]),
        reason=payload.reason,
    )
    fresh = selectors.cooperation_answer(changed)
    record_headers(response, fresh)
    return fresh


# --- agreement versions and council decisions -------------------------------------------------


@router.post(
    "/cooperations/{id}/agreement-versions",
    response={201: CooperationAgreementVersionOut, **RESPONSES},
    summary="Add an agreement version",
    description="Versions are added, never overwritten; the first is number 1. Say which "
    "mandatory items of the form the agreement covers (`agreement_items` of the cooperation "
    "lists them) and, from version 2, which it changes or what changed.",
    operation_id="add_cooperation_agreement_version",
)
def add_agreement_version(
    request: HttpRequest, id: int, payload: CooperationAgreementVersionIn, response: HttpResponse
) -> Status:
    user, cooperation = _cooperation_for(request, id, "add_agreement_version")
    version = services.agreement_version_add(actor=user, cooperation=cooperation, **payload.dict())
    return created(request, response, _version_of(cooperation, version.pk))


@router.get(
    "/cooperations/{id}/agreement-versions/{version_id}",
    response={200: CooperationAgreementVersionOut, 404: ErrorOut},
    summary="Read an agreement version",
    description="One version of the cooperation's agreement, with the council decisions "
    "adopting it.",
    operation_id="get_cooperation_agreement_version",
)
def get_agreement_version(
    request: HttpRequest, id: int, version_id: int, response: HttpResponse
) -> Any:
    cooperation = selectors.cooperation_get(user=auth_user(request), pk=id)
    version = _version_of(cooperation, version_id)
    record_headers(response, version)
    return version


@router.post(
    "/cooperations/{id}/agreement-versions/{version_id}/decisions",
    response={201: CooperationCouncilDecisionOut, **RESPONSES},
    summary="Record a participant's council decision",
    description="A participant's council (kommunestyret, fylkestinget …) adopted this "
    "agreement version. Once per participant and version; not dated in the future.",
    operation_id="record_cooperation_council_decision",
)
def record_decision(
    request: HttpRequest,
    id: int,
    version_id: int,
    payload: CooperationCouncilDecisionIn,
    response: HttpResponse,
) -> Status:
    user, cooperation = _cooperation_for(request, id, "record_decision")
    version = _version_of(cooperation, version_id)
    data = payload.dict()
    data["organisation"] = _required_organisation(data["organisation"], "organisation")
    decision = services.council_decision_record(actor=user, agreement_version=version, **data)
    return created(request, response, decision)


@router.get(
    "/cooperations/{id}/agreement-versions/{version_id}/decisions/{decision_id}",
    response={200: CooperationCouncilDecisionOut, 404: ErrorOut},
    summary="Read a council decision",
    description="One participant's council decision adopting an agreement version.",
    operation_id="get_cooperation_council_decision",
)
def get_decision(
    request: HttpRequest, id: int, version_id: int, decision_id: int, response: HttpResponse
) -> Any:
    cooperation = selectors.cooperation_get(user=auth_user(request), pk=id)
    version = _version_of(cooperation, version_id)
    decision = get_object_or_404(
        CouncilDecision.objects.filter(archived_at__isnull=True).select_related("organisation"),
        pk=decision_id,
        agreement_version=version,
    )
    record_headers(response, decision)
    return decision


# --- bodies and their members ------------------------------------------------------------------


@router.post(
    "/cooperations/{id}/bodies",
    response={201: CooperationBodyOut, **RESPONSES},
    summary="Add a body",
    description="A body of the cooperation: representantskap, board, joint committee, "
    "steering group …",
    operation_id="add_cooperation_body",
)
def add_body(
    request: HttpRequest, id: int, payload: CooperationBodyIn, response: HttpResponse
) -> Status:
    user, cooperation = _cooperation_for(request, id, "add_body")
    body = services.body_add(actor=user, cooperation=cooperation, **payload.dict())
    return created(request, response, body)


@router.get(
    "/cooperations/{id}/bodies/{body_id}",
    response={200: CooperationBodyOut, 404: ErrorOut},
    summary="Read a body",
    description="One body of the cooperation with its current members.",
    operation_id="get_cooperation_body",
)
def get_body(request: HttpRequest, id: int, body_id: int, response: HttpResponse) -> Any:
    cooperation = selectors.cooperation_get(user=auth_user(request), pk=id)
    body = _body_of(cooperation, body_id)
    record_headers(response, body)
    return body


@router.post(
    "/cooperations/{id}/bodies/{body_id}/members",
    response={201: CooperationBodyMemberOut, **RESPONSES},
    summary="Add a member to a body",
    description="A person in the body for a term, appointed by (or representing) an organisation.",
    operation_id="add_cooperation_body_member",
)
def add_body_member(
    request: HttpRequest,
    id: int,
    body_id: int,
    payload: CooperationBodyMemberIn,
    response: HttpResponse,
) -> Status:
    user, cooperation = _cooperation_for(request, id, "add_body_member")
    body = _body_of(cooperation, body_id)
    data = payload.dict()
    data["organisation"] = resolve_organisation(data["organisation"], "organisation")
    member = services.body_member_add(actor=user, body=body, **data)
    return created(request, response, member)


def _member_of(cooperation: Cooperation, body_id: int, member_id: int, **filters: Any) -> Any:
    return get_object_or_404(
        BodyMember.objects.filter(**filters),
        pk=member_id,
        body_id=body_id,
        body__cooperation=cooperation,
    )


@router.get(
    "/cooperations/{id}/bodies/{body_id}/members/{member_id}",
    response={200: CooperationBodyMemberOut, 404: ErrorOut},
    summary="Read a member of a body",
    description="Also an ended membership (`archived`).",
    operation_id="get_cooperation_body_member",
)
def get_body_member(
    request: HttpRequest, id: int, body_id: int, member_id: int, response: HttpResponse
) -> Any:
    cooperation = selectors.cooperation_get(user=auth_user(request), pk=id)
    member = _member_of(cooperation, body_id, member_id)
    record_headers(response, member)
    return member


@router.post(
    "/cooperations/{id}/bodies/{body_id}/members/{member_id}/end",
    response={200: CooperationBodyMemberOut, **RESPONSES},
    summary="End a membership of a body",
    description="The membership is ended (archived), not deleted; it stays in the history.",
    operation_id="end_cooperation_body_member",
)
def end_body_member(
    request: HttpRequest,
    id: int,
    body_id: int,
    member_id: int,
    payload: CooperationMemberEndIn,
    response: HttpResponse,
) -> Any:
    user, cooperation = _cooperation_for(request, id, "end_body_member")
    member = _member_of(cooperation, body_id, member_id, archived_at__isnull=True)
    ended = services.body_member_end(actor=user, member=member, reason=payload.reason)
    record_headers(response, ended)
    return ended


# --- documents ---------------------------------------------------------------------------------


@router.post(
    "/cooperations/{id}/documents",
    response={201: CooperationDocumentOut, **RESPONSES},
    summary="Add a document",
    description="A link to a document about the cooperation: the agreement, minutes, an "
    "annual report …",
    operation_id="add_cooperation_document",
)
def add_document(
    request: HttpRequest, id: int, payload: CooperationDocumentIn, response: HttpResponse
) -> Status:
    user, cooperation = _cooperation_for(request, id, "add_document")
    document = services.document_add(actor=user, cooperation=cooperation, **payload.dict())
    return created(request, response, document)


@router.get(
    "/cooperations/{id}/documents/{document_id}",
    response={200: CooperationDocumentOut, 404: ErrorOut},
    summary="Read a document link",
    description="One document link of the cooperation.",
    operation_id="get_cooperation_document",
)
def get_document(request: HttpRequest, id: int, document_id: int, response: HttpResponse) -> Any:
    cooperation = selectors.cooperation_get(user=auth_user(request), pk=id)
    document = get_object_or_404(Document, pk=document_id, cooperation=cooperation)
    record_headers(response, document)
    return document


# --- a municipality's cooperations -------------------------------------------------------------


@router.get(
    "/municipalities/{number}/cooperations",
    response={200: page_schema(CooperationOut), 404: ErrorOut, 422: ErrorOut},
    summary="The cooperations a municipality takes part in",
    description="By the municipality's number (`3403`): the cooperations its municipality "
    "organisation takes part in, with the list's filters, `ordering` and `updated_after`.",
    operation_id="list_municipality_cooperations",
)
def municipality_cooperations(
    request: HttpRequest, number: str, params: Query[CooperationQuery]
) -> Any:
    municipality = municipality_get(number=number)

    def municipal(municipality_id: int) -> Any:
        organisations = Organisation.objects.filter(
            kind="municipality", municipality_id=municipality_id
        )
        return organisations.order_by().values_list("pk")

    # Its statement kept (core.prepared), the municipality its parameter.
    alias = db_router.db_for_read(Organisation)
    org_ids = [
        row[0] for row in prepared.values("api_municipal", alias, municipal, municipality.pk)
    ]
    qs = apply_filters(
        request,
        CooperationFilter,
        base_for=_listed_of,
        user=auth_user(request),
        base_args=(tuple(org_ids),),
        key="api:municipality-cooperations",
    )
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    return _page_response(request, page)
