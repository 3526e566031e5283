"""API for consultations with Sami interests: /api/v1/consultations and every step of a case.

One operation per named action of the policy (``permissions.py``), each calling the same
service as its page, so the same rules and permissions apply:

==================  ==========================================================
named action        operation
==================  ==========================================================
screen              ``POST /consultations/{id}/screening``
add_party           ``POST /consultations/{id}/parties``
answer              ``POST /consultations/{id}/parties/{party_id}/answer``
notify              ``POST /consultations/{id}/notice``
add_information     ``POST /consultations/{id}/information``
add_document        ``POST /consultations/{id}/documents``
add_protocol        ``POST /consultations/{id}/meetings`` (a meeting with its protocol)
move_on             ``POST /consultations/{id}/without-consultation``
conclude            ``POST /consultations/{id}/conclusion``
decide              ``POST /consultations/{id}/decision``
edit, archive, …    the shared record routes (``core.api.add_record_routes``)
==================  ==========================================================

A meeting and its protocol are one record pair written by one service
(``services.meeting_with_protocol_add``): a meeting never exists without its protocol, so the
protocol is not posted to an existing meeting; ``POST /meetings`` creates both, and the protocol
is then read at ``/meetings/{meeting_id}/protocol``.

Exempt material (information, documents, protocols) is shown only to those
``selectors.visible_items`` lets see it; to anyone else it does not exist: it is left out of
lists and its address answers 404, with no count or hint.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from kraftsenter.actors.api import OrganisationRef, resolve_organisation, resolve_organisations
from kraftsenter.actors.models import Organisation
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
    LongText,
    NameText,
    PlainText,
    ReasonText,
    TitleText,
    UrlText,
    request_example,
)
from kraftsenter.places.models import Municipality

from . import rules, selectors, services
from .choices import (
    Access,
    Agreement,
    AuthorityLevel,
    ExemptionBasis,
    MatterKind,
    Origin,
    PlanKind,
    Response,
    SamiLanguage,
    ScreeningResult,
)
from .choices import Status as CaseStatus
from .filters import ConsultationFilter
from .models import Consultation, Document, InformationEntry, Party, Protocol
from .permissions import CONSULTATION_POLICY

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from .selectors import WithParties

router = Router(tags=["consultations"])

MatterKindCode = Annotated[str, CodeOf(MatterKind)]
LevelCode = Annotated[str, CodeOf(AuthorityLevel)]
StatusCode = Annotated[str, CodeOf(CaseStatus)]
ScreeningCode = Annotated[str, CodeOf(ScreeningResult)]
ResponseCode = Annotated[str, CodeOf(Response)]
AgreementCode = Annotated[str, CodeOf(Agreement)]
AccessCode = Annotated[str, CodeOf(Access)]
ExemptionCode = Annotated[str, CodeOf(ExemptionBasis)]
SamiLanguageCode = Annotated[str, CodeOf(SamiLanguage)]
PlanKindCode = Annotated[str, CodeOf(PlanKind)]
OriginCode = Annotated[str, CodeOf(Origin)]

#: The field descriptions the input and output share.
VERSION = "The version of the case you saw (or send If-Match with its ETag)."
ACCESS = "`public`, or `exempt` from public access (then give `exemption_basis`)."
EXEMPTION_BASIS = (
    "The legal basis for exemption; only with `access: exempt`. Only a basis that can apply "
    "(offentleglova): `offl_13` always; `offl_14` only for an `internal` document, `offl_15` "
    "only for an `obtained` one (for municipalities and county municipalities both limited by "
    "§ 16); `offl_19` only for a state body's material exchanged in the consultation, never in "
    "a general hearing (§ 19 second sentence); `other` needs `exemption_note`."
)
ORIGIN = (
    "How it came about: `consultation` (sent to or received from the parties), "
    "`general_hearing`, `internal` (made by the authority for its own internal preparation, "
    "not sent out) or `obtained` (obtained for internal preparation); the last two are "
    "shared with no party. Decides which exemptions can apply."
)
SHARED_WITH = (
    "The parties it was shared with, by organisation id or organisation number; empty: all "
    "parties. Exempt material is shown only to the authority and these parties."
)


def _blank_to_none(value: str) -> str | None:
    return value or None


# --- output -----------------------------------------------------------------------------------


class ConsultationOrganisationOut(Schema):
    """An organisation in a consultation, by its public identifiers."""

    id: int
    organisation_number: str = Field(description="Nine digits; empty when it has none.")
    name: str


class ConsultationPartyOut(Schema):
    """A Sami party and its answer to the notice (sameloven §§ 4-2 and 4-5)."""

    id: int = Field(description="The party's id in this case (`party_id`).")
    organisation: ConsultationOrganisationOut
    response: ResponseCode
    responded_on: dt.date | None
    agreement_still_possible: bool = Field(
        description="The party considers agreement still possible (sameloven § 4-6)."
    )
    version: int


class ConsultationPartyDetailOut(ConsultationPartyOut):
    note: str | None = Field(
        description="The note with the answer: for those who may record answers (editors of "
        "the authority and of the parties); null for others."
    )

    @staticmethod
    def resolve_note(obj: Party, context: Any) -> str | None:
        request = (context or {}).get("request")
        user = auth_user(request) if request is not None else None
        if CONSULTATION_POLICY.can(user, "answer", obj.consultation):
            return obj.note
        return None


class ConsultationWarningOut(Schema):
    """A warning on the case: the rule, the field, a message and its legal source."""

    rule: str
    field: str
    message: str
    source: str


class ConsultationOut(Schema):
    id: int
    title: str
    description: str
    kind: MatterKindCode
    authority: int = Field(description="The consulting authority's organisation id.")
    authority_organisation_number: str
    authority_name: str
    level: LevelCode
    delegated_authority: str = Field(
        description="For a statsforetak or private body (`level: state_delegated`): the "
        "authority it exercises on behalf of the state (sameloven § 4-3 letter b)."
    )
    plan_kind: PlanKindCode | None = Field(description="For a plan: its kind; null otherwise.")
    status: StatusCode
    concerns: str = Field(description="What it concerns: a plan, agreement, project …")
    published: bool = Field(description="In the public register.")
    parties: list[int] = Field(description="The parties' organisation ids.")
    party_answers: list[ConsultationPartyOut] = Field(
        description="The parties with their answers; `party_id` is each one's `id`."
    )
    municipalities: list[str] = Field(description="Municipality numbers.")
    direct_effect: bool | None = Field(description="Screening: may affect Sami interests directly.")
    general_matter: bool | None = Field(description="Screening: a general matter.")
    natural_basis: bool | None = Field(
        description="Screening: concerns the natural basis of Sami culture."
    )
    traditional_area: bool | None = Field(description="Screening: in a traditional Sami area.")
    land_use_plan_objection: bool | None = Field(
        description="Derived from `plan_kind`: a land-use plan Sametinget can object to (pbl. "
        "§ 5-4), so Sametinget takes part through the plan process, not as a party (sameloven "
        "§ 4-1 fourth paragraph)."
    )
    screening_reasoning: str
    screening_result: ScreeningCode | None = Field(description="null until screened.")
    notice_sent_on: dt.date | None
    notice_content: str
    response_deadline: dt.date | None
    concluded_on: dt.date | None
    conclusion_reason: str = Field(
        description="Why the consultation ended while a party saw agreement as possible."
    )
    decision_on: dt.date | None
    decision_summary: str
    sami_assessments_attached: bool = Field(
        description="The Sami parties' assessments follow the case to the final decision: "
        "true when documents holding them are named."
    )
    assessment_documents: list[int] = Field(
        description="The ids of the case's documents holding the Sami parties' assessments "
        "that follow the case to the final decision (sameloven § 4-7 second paragraph); only "
        "those the caller may see."
    )
    warnings: list[ConsultationWarningOut] = Field(
        description="What the authority should look at, with the legal source: not errors."
    )
    decision_before_conclusion: bool = Field(
        description="The final decision was recorded before the consultation was concluded "
        "(sameloven § 4-9)."
    )
    archived: bool
    version: int
    url: str = Field(description="The case's page.")

    @staticmethod
    def resolve_authority(obj: Consultation) -> int:
        return obj.authority_id

    @staticmethod
    def resolve_authority_organisation_number(obj: Consultation) -> str:
        return obj.authority.organisation_number

    @staticmethod
    def resolve_authority_name(obj: Consultation) -> str:
        return obj.authority.name

    @staticmethod
    def resolve_parties(obj: WithAnnotations[Consultation, WithParties]) -> list[int]:
        return [p.organisation_id for p in obj.active_parties]

    @staticmethod
    def resolve_party_answers(obj: WithAnnotations[Consultation, WithParties]) -> list[Party]:
        return list(obj.active_parties)

    @staticmethod
    def resolve_municipalities(obj: Consultation) -> list[str]:
        return [m.number for m in obj.municipalities.all()]

    @staticmethod
    def resolve_screening_result(obj: Consultation) -> str | None:
        return _blank_to_none(obj.screening_result)

    @staticmethod
    def resolve_plan_kind(obj: Consultation) -> str | None:
        return _blank_to_none(obj.plan_kind)

    @staticmethod
    def resolve_assessment_documents(obj: Consultation, context: Any) -> list[int]:
        ids = [d.pk for d in obj.assessment_documents.all()]
        if not ids:
            return []
        request = (context or {}).get("request")
        user = auth_user(request) if request is not None else None
        visible = {d.pk for d in selectors.visible_items(user=user, consultation=obj)["documents"]}
        return [pk for pk in ids if pk in visible]

    @staticmethod
    def resolve_warnings(obj: WithAnnotations[Consultation, WithParties]) -> list[Any]:
        return rules.case_warnings(obj, obj.active_parties)

    @staticmethod
    def resolve_archived(obj: Consultation) -> bool:
        return obj.is_archived

    @staticmethod
    def resolve_url(obj: Consultation, context: Any) -> str:
        return absolute_url(obj, context)


class _ExemptOut(Schema):
    """The resolver the outputs of public-or-exempt material share."""

    @staticmethod
    def resolve_exemption_basis(obj: Any) -> str | None:
        return _blank_to_none(obj.exemption_basis)


class ConsultationInformationOut(_ExemptOut):
    """One entry of the information log (sameloven § 4-6)."""

    id: int
    shared_on: dt.date
    content: str = Field(description="What was shared.")
    origin: OriginCode = Field(description="`consultation` or `general_hearing`.")
    shared_with: list[ConsultationOrganisationOut] = Field(description="Empty: all parties.")
    access: AccessCode
    exemption_basis: ExemptionCode | None = Field(description="null when public.")
    exemption_note: str
    version: int

    @staticmethod
    def resolve_shared_with(obj: InformationEntry) -> list[Organisation]:
        return list(obj.shared_with.all())


class ConsultationDocumentOut(_ExemptOut):
    id: int
    title: str
    url: str = Field(description="The document's address.")
    origin: OriginCode = Field(description=ORIGIN)
    shared_with: list[ConsultationOrganisationOut] = Field(description="Empty: all parties.")
    access: AccessCode
    exemption_basis: ExemptionCode | None = Field(description="null when public.")
    exemption_note: str
    version: int

    @staticmethod
    def resolve_shared_with(obj: Document) -> list[Organisation]:
        return list(obj.shared_with.all())


class ConsultationProtocolOut(_ExemptOut):
    """A meeting and its protocol (sameloven § 4-7)."""

    id: int = Field(description="The protocol's id.")
    meeting: int = Field(description="The meeting's id (`meeting_id`).")
    meeting_on: dt.date = Field(description="The date of the meeting.")
    place: str
    participants: str
    matter: str
    assessments: str
    conclusions: str
    agreement: AgreementCode
    sami_language: SamiLanguageCode | None = Field(
        description="The Sami language of the parallel text; null when there is none."
    )
    matter_sami: str
    assessments_sami: str
    conclusions_sami: str
    access: AccessCode
    exemption_basis: ExemptionCode | None = Field(description="null when public.")
    exemption_note: str
    version: int
    url: str = Field(description="The printable protocol, for both parties to sign.")

    @staticmethod
    def resolve_meeting(obj: Protocol) -> int:
        return obj.meeting_id

    @staticmethod
    def resolve_meeting_on(obj: Protocol) -> dt.date:
        return obj.meeting.held_on

    @staticmethod
    def resolve_place(obj: Protocol) -> str:
        return obj.meeting.place

    @staticmethod
    def resolve_participants(obj: Protocol) -> str:
        return obj.meeting.participants

    @staticmethod
    def resolve_sami_language(obj: Protocol) -> str | None:
        return _blank_to_none(obj.sami_language)

    @staticmethod
    def resolve_url(obj: Protocol, context: Any) -> str:
        return absolute_url(obj, context)


# --- input ------------------------------------------------------------------------------------


class ConsultationIn(StrictSchema):
    model_config = request_example(
        {
            "title": "Kommuneplanens arealdel for Karasjok 2026–2038",
            "kind": "plan",
            "plan_kind": "area_part",
            "authority": 87,
            "description": "Revisjon av arealdelen, med nye områder for hyttebygging.",
            "concerns": "Kommuneplanens arealdel",
            "municipalities": ["5610"],
            "published": True,
        }
    )

    title: TitleText
    kind: MatterKindCode
    plan_kind: PlanKindCode | None = Field(
        None,
        description="Required for a plan: decides whether Sametinget can object to it (pbl. "
        "§ 5-4) and so takes part through the plan process (sameloven § 4-1 fourth paragraph).",
    )
    authority: OrganisationRef = Field(
        description="The consulting authority you are an editor of: a state body, a county "
        "municipality or municipality, or a statsforetak or private body exercising authority "
        "on behalf of the state: its id or organisation number."
    )
    level: LevelCode | None = Field(
        None,
        description="null: follows the authority. `state_delegated` for a statsforetak or "
        "private body exercising authority on behalf of the state (sameloven § 4-3 letter b); "
        "a state body registered as a state agency may choose it when it is a statsforetak.",
    )
    delegated_authority: LineText = Field(
        "",
        description="Required with `state_delegated`: the authority exercised on behalf of "
        "the state.",
    )
    description: PlainText = ""
    concerns: LineText = Field("", description="A plan, agreement, project …")
    municipalities: list[CodeText] = Field(
        [], description="The municipalities concerned, by municipality number."
    )
    published: bool = Field(True, description="In the public register.")


class ConsultationPatch(StrictSchema):
    model_config = request_example(
        {
            "version": 2,
            "municipalities": ["5610", "5612"],
            "reason": "Planen berører også beiteområder i Porsanger.",
        }
    )

    version: int | None = Field(None, description=VERSION)
    title: TitleText | None = None
    kind: MatterKindCode | None = None
    plan_kind: PlanKindCode | None = Field(
        None, description="For a plan; left out: unchanged (cleared when the kind is not plan)."
    )
    delegated_authority: LineText | None = Field(
        None, description="For `level: state_delegated`: the authority exercised."
    )
    description: PlainText | None = None
    concerns: LineText | None = None
    municipalities: list[CodeText] | None = Field(
        None,
        description="The municipalities concerned, by number: the whole list (`[]` for none).",
    )
    published: bool | None = None
    reason: ReasonText = Field("", description="Why, for the history.")


class ConsultationScreeningIn(StrictSchema):
    """The screening of the duty to consult (sameloven § 4-1): the answers and the result."""

    model_config = request_example(
        {
            "version": 1,
            "direct_effect": True,
            "general_matter": False,
            "natural_basis": True,
            "traditional_area": True,
            "screening_reasoning": "Planen legger ut nye hytteområder i vår- og høstbeiter "
            "for rein, og kan påvirke reindriften direkte.",
            "screening_result": "required",
        }
    )

    version: int | None = Field(None, description=VERSION)
    direct_effect: bool | None = Field(
        None, description="May the matter affect Sami interests directly? null: not answered."
    )
    general_matter: bool | None = Field(
        None, description="Is it a general matter that affects everyone in society alike?"
    )
    natural_basis: bool | None = Field(
        None, description="Does it concern the natural basis of Sami culture?"
    )
    traditional_area: bool | None = Field(
        None, description="Is the measure planned in a traditional Sami area?"
    )
    screening_reasoning: PlainText = Field(description="Which answers led to the result.")
    screening_result: ScreeningCode


class ConsultationPartyIn(StrictSchema):
    model_config = request_example({"organisation": "974760347"})

    organisation: OrganisationRef = Field(
        description="Sametinget, a reindeer-herding district, a siida or another Sami "
        "organisation: its id or organisation number."
    )


class ConsultationAnswerIn(StrictSchema):
    """A party's answer to the notice (sameloven § 4-5)."""

    model_config = request_example(
        {
            "response": "wants",
            "responded_on": "2026-03-20",
            "agreement_still_possible": True,
            "note": "Sametinget ber om konsultasjon om hytteområdene ved Iešjávri.",
        }
    )

    response: ResponseCode
    responded_on: BoundedDate | None = Field(
        None,
        description="The date of the answer; required unless `pending`, not before the notice.",
    )
    agreement_still_possible: bool = Field(
        False, description="The party considers agreement still possible (sameloven § 4-6)."
    )
    note: PlainText = ""


class ConsultationNoticeIn(StrictSchema):
    """The notice to the parties (sameloven § 4-5)."""

    model_config = request_example(
        {
            "version": 2,
            "notice_sent_on": "2026-03-01",
            "notice_content": "Varsel om oppstart av revisjon av kommuneplanens arealdel, med "
            "invitasjon til konsultasjoner.",
            "response_deadline": "2026-04-01",
        }
    )

    version: int | None = Field(None, description=VERSION)
    notice_sent_on: BoundedDate
    notice_content: LongText = Field(description="What the notice said.")
    response_deadline: BoundedDate = Field(
        description="The deadline for answers in this case (the law asks for a reasonable "
        "time); not before the notice."
    )


class ConsultationInformationIn(StrictSchema):
    """Information shared with the parties (sameloven § 4-6)."""

    model_config = request_example(
        {
            "shared_on": "2026-03-05",
            "content": "Kart over foreslåtte hytteområder og beiteområdene de berører.",
            "shared_with": ["974760347"],
            "access": "public",
        }
    )

    shared_on: BoundedDate
    content: LongText = Field(description="What was shared.")
    shared_with: list[OrganisationRef] = Field([], description=SHARED_WITH)
    origin: OriginCode = Field(
        "consultation",
        description="`consultation`, or `general_hearing` when shared as part of a general "
        "hearing (then offentleglova § 19 cannot apply, § 19 second sentence).",
    )
    access: AccessCode = Field("public", description=ACCESS)
    exemption_basis: ExemptionCode | None = Field(None, description=EXEMPTION_BASIS)
    exemption_note: NameText = Field("", description="The other legal basis.")


class ConsultationDocumentIn(StrictSchema):
    model_config = request_example(
        {
            "title": "Planforslag med konsekvensutredning",
            "url": "https://www.karasjok.kommune.no/",
            "origin": "internal",
            "access": "exempt",
            "exemption_basis": "offl_14",
        }
    )

    title: TitleText
    url: UrlText = Field(description="The document's address (https).")
    origin: OriginCode = Field("consultation", description=ORIGIN)
    shared_with: list[OrganisationRef] = Field([], description=SHARED_WITH)
    access: AccessCode = Field("public", description=ACCESS)
    exemption_basis: ExemptionCode | None = Field(None, description=EXEMPTION_BASIS)
    exemption_note: NameText = Field("", description="The other legal basis.")


class ConsultationMeetingIn(StrictSchema):
    """A consultation meeting and its protocol (sameloven § 4-7), written together."""

    model_config = request_example(
        {
            "held_on": "2026-04-02",
            "place": "Sametingets lokaler i Kárášjohka",
            "participants": "Karasjok kommune: ordfører og planleggingssjef. "
            "Sametinget: rådgivere fra plan- og miljøavdelingen.",
            "matter": "Nye hytteområder i kommuneplanens arealdel.",
            "assessments": "Sametinget mener to av områdene ligger i viktige vårbeiter. "
            "Kommunen vil vurdere å ta dem ut.",
            "conclusions": "Partene er enige om å ta ut område H3 og H5.",
            "agreement": "partly",
            "access": "public",
        }
    )

    held_on: BoundedDate = Field(description="The meeting's date.")
    place: NameText = ""
    participants: PlainText = ""
    matter: LongText = Field(description="What the matter is.")
    assessments: LongText = Field(description="The parties' assessments and positions.")
    conclusions: LongText
    agreement: AgreementCode = Field(description="Whether agreement was reached.")
    sami_language: SamiLanguageCode | None = Field(
        None, description="The Sami language of the parallel text (required with one)."
    )
    matter_sami: LongText = ""
    assessments_sami: LongText = ""
    conclusions_sami: LongText = ""
    access: AccessCode = Field("public", description=ACCESS)
    exemption_basis: ExemptionCode | None = Field(None, description=EXEMPTION_BASIS)
    exemption_note: NameText = Field("", description="The other legal basis.")


class ConsultationConclusionIn(StrictSchema):
    """The end of the consultation (sameloven §§ 4-6 and 4-7)."""

    model_config = request_example(
        {
            "version": 5,
            "concluded_on": "2026-05-01",
            "agreement_reached": False,
            "conclusion_reason": "Kommunestyret må behandle planen før rulleringsfristen.",
        }
    )

    version: int | None = Field(None, description=VERSION)
    concluded_on: BoundedDate
    agreement_reached: bool = Field(
        description="Concluded with agreement; the last protocol must say the same."
    )
    conclusion_reason: PlainText = Field(
        "",
        description="Required when a party considers agreement still possible: why the "
        "consultation ends anyway.",
    )


class ConsultationDecisionIn(StrictSchema):
    """The authority's final decision (sameloven §§ 4-7 and 4-9)."""

    model_config = request_example(
        {
            "version": 6,
            "decision_on": "2026-06-18",
            "decision_summary": "Kommunestyret vedtok arealdelen uten område H3 og H5.",
            "assessment_documents": [41],
        }
    )

    version: int | None = Field(None, description=VERSION)
    decision_on: BoundedDate
    decision_summary: LongText
    assessment_documents: list[int] = Field(
        [],
        description="The ids of the case's documents holding the Sami parties' assessments, "
        "which follow the case to the decision (sameloven § 4-7 second paragraph); at least "
        "one when a party wanted consultation.",
    )


class ConsultationMoveOnIn(StrictSchema):
    """Moving on without consultation (sameloven § 4-5 second paragraph)."""

    model_config = request_example({"version": 4, "moved_on": "2026-04-02"})

    version: int | None = Field(None, description=VERSION)
    moved_on: BoundedDate = Field(
        description="The date the case moves on: after the deadline for answers unless every "
        "party declined; not before the notice."
    )


# --- helpers ----------------------------------------------------------------------------------


def _municipalities(numbers: list[str], field: str) -> list[Municipality]:
    found = list(Municipality.objects.filter(number__in=numbers))
    missing = sorted(set(numbers) - {m.number for m in found})
    if missing:
        raise ValidationError(
            {field: _("Unknown municipality number %(number)s.") % {"number": ", ".join(missing)}}
        )
    return found


def _organisation(value: int | str, field: str) -> Organisation:
    """The organisation a required reference names (422 naming the field when none)."""
    found = resolve_organisation(value, field)
    if found is None:
        raise ValidationError({field: _("This field is required.")})
    return found


def _case_for(request: HttpRequest, id: int, action: str) -> tuple[Any, Consultation]:
    """The caller and the case, when the policy lets the caller take ``action`` on it (404 for
    a case they may not see, 403 for a step they may not take)."""
    user = require_user(request)
    case = selectors.consultation_get(user=user, pk=id)
    CONSULTATION_POLICY.require(user, action, case)
    return user, case


def _case_after(request: HttpRequest, response: HttpResponse, id: int) -> Consultation:
    """The case as it is after a step, with its ETag."""
    case = selectors.consultation_get(user=auth_user(request), pk=id)
    record_headers(response, case)
    return case


def _exempt(
    payload: ConsultationInformationIn | ConsultationDocumentIn | ConsultationMeetingIn,
) -> dict[str, Any]:
    data = {
        "access": payload.access,
        "exemption_basis": payload.exemption_basis or "",
        "exemption_note": payload.exemption_note,
    }
    if not isinstance(payload, ConsultationMeetingIn):
        data["origin"] = payload.origin
    return data


def _visible_one(items: list[Any], pk: int) -> Any:
    for item in items:
        if item.pk == pk:
            return item
    raise Http404


# --- the case ---------------------------------------------------------------------------------


if TYPE_CHECKING:
    ConsultationQuery = PageQuery
else:
    ConsultationQuery = filter_query_schema(ConsultationFilter, "ConsultationQuery")


@router.get(
    "/consultations",
    response={200: page_schema(ConsultationOut), 422: ErrorOut},
    summary="List consultations with Sami interests",
    description="The public register, and the unpublished cases of the caller's organisations. "
    "Filters as on the page: `authority` and `party` (organisation id or organisation "
    "number), `level`, `municipality` (number), `status`.",
    operation_id="list_consultations",
)
def list_consultations(request: HttpRequest, params: Query[ConsultationQuery]) -> Any:
    qs = apply_filters(
        request, ConsultationFilter, selectors.consultation_list(user=auth_user(request))
    )
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    return page_response(request, page, ConsultationOut)


@router.post(
    "/consultations",
    response={201: ConsultationOut, **RESPONSES},
    summary="Register a case that may affect Sami interests",
    description="For an authority the caller is an editor of: a state body, county "
    "municipality or municipality, or a statsforetak or private body exercising authority on "
    "behalf of the state (sameloven § 4-3 letter b, with `delegated_authority`). The case "
    "starts in screening; its level follows the authority. A plan needs its `plan_kind`.",
    operation_id="create_consultation",
)
def create_consultation(
    request: HttpRequest, payload: ConsultationIn, response: HttpResponse
) -> Status:
    user = require_user(request)
    data = payload.dict()
    authority = _organisation(data.pop("authority"), "authority")
    municipalities = _municipalities(data.pop("municipalities"), "municipalities")
    data["level"] = data["level"] or ""
    data["plan_kind"] = data["plan_kind"] or ""
    case = services.consultation_create(
        actor=user, authority=authority, municipalities=municipalities, **data
    )
    return created(request, response, selectors.consultation_get(user=user, pk=case.pk))


def _update(
    *, user: Any, record: Consultation, data: dict[str, Any], **kwargs: Any
) -> Consultation:
    if "municipalities" in data:
        numbers = data.pop("municipalities")
        if numbers is not None:
            data["municipalities"] = _municipalities(numbers, "municipalities")
    return services.consultation_update(actor=user, consultation=record, **kwargs, **data)


add_record_routes(
    router,
    path="/consultations",
    noun="consultation",
    label="a consultation case",
    schema=ConsultationOut,
    get=selectors.consultation_get,
    object_name="consultation",
    patch=(ConsultationPatch, _update),
    archive=services.consultation_archive,
    restore=services.consultation_restore,
    read_description="One case with its screening, parties and their answers, notice, "
    "conclusion and final decision; `ETag` is its version. The information log, documents and "
    "protocols are read at their own addresses.",
    patch_description="Change the case's description: title, kind, description, what it "
    "concerns, the municipalities, whether it is in the public register (editors of the "
    "authority or of a party). The steps of the case have operations of their own. Send the "
    "version the change is based on (in the body or as `If-Match`); unknown fields are refused.",
)


# --- screening (screen) -----------------------------------------------------------------------


@router.post(
    "/consultations/{id}/screening",
    response={200: ConsultationOut, **RESPONSES},
    summary="Record the screening of the duty to consult",
    description="Named action `screen`, the consulting authority's editors only. The answers "
    "and the reasoning (sameloven § 4-1); `not_required` closes the case as not required. "
    "While no notice is sent, a new screening replaces the last one.",
    operation_id="screen_consultation",
)
def screen_consultation(
    request: HttpRequest, id: int, payload: ConsultationScreeningIn, response: HttpResponse
) -> Any:
    user, case = _case_for(request, id, "screen")
    services.screening_record(
        actor=user,
        consultation=case,
        expected_version=expected_version(request, payload.version),
        direct_effect=payload.direct_effect,
        general_matter=payload.general_matter,
        natural_basis=payload.natural_basis,
        traditional_area=payload.traditional_area,
        reasoning=payload.screening_reasoning,
        result=payload.screening_result,
    )
    return _case_after(request, response, id)


# --- parties (add_party) and their answers (answer) -------------------------------------------


@router.get(
    "/consultations/{id}/parties",
    response={200: list[ConsultationPartyDetailOut], 404: ErrorOut},
    summary="The parties of a case and their answers",
    description="Each Sami party with its answer to the notice; `id` is the `party_id` of "
    "the answer operation.",
    operation_id="list_consultation_parties",
)
def list_parties(request: HttpRequest, id: int) -> Any:
    case = selectors.consultation_get(user=auth_user(request), pk=id)
    return list(selectors.party_list(consultation=case))


@router.get(
    "/consultations/{id}/parties/{party_id}",
    response={200: ConsultationPartyDetailOut, 404: ErrorOut},
    summary="One party of a case and its answer",
    description="With `ETag` (the party's version).",
    operation_id="get_consultation_party",
)
def get_party(request: HttpRequest, id: int, party_id: int, response: HttpResponse) -> Any:
    case = selectors.consultation_get(user=auth_user(request), pk=id)
    party = selectors.party_get(consultation=case, pk=party_id)
    record_headers(response, party)
    return party


@router.post(
    "/consultations/{id}/parties",
    response={201: ConsultationPartyDetailOut, **RESPONSES},
    summary="Add a Sami party to a case",
    description="Named action `add_party`, the consulting authority's editors only. "
    "Sametinget, a reindeer-herding district, a siida or another Sami organisation "
    "(sameloven § 4-2), by id or organisation number. The case's history keeps the parties.",
    operation_id="add_consultation_party",
)
def add_party(
    request: HttpRequest, id: int, payload: ConsultationPartyIn, response: HttpResponse
) -> Any:
    user, case = _case_for(request, id, "add_party")
    organisation = _organisation(payload.organisation, "organisation")
    party = services.party_add(actor=user, consultation=case, organisation=organisation)
    return created(request, response, selectors.party_get(consultation=case, pk=party.pk))


@router.post(
    "/consultations/{id}/parties/{party_id}/answer",
    response={200: ConsultationOut, **RESPONSES},
    summary="Record a party's answer to the notice",
    description="Named action `answer`: editors of the authority or of a party. Not before "
    "the notice, nor dated before it (sameloven § 4-5). When a party wants consultation, the "
    "case moves into consultation in the same change. Returns the case.",
    operation_id="answer_consultation_party",
)
def answer(
    request: HttpRequest,
    id: int,
    party_id: int,
    payload: ConsultationAnswerIn,
    response: HttpResponse,
) -> Any:
    user, case = _case_for(request, id, "answer")
    services.party_respond(
        actor=user,
        party=selectors.party_get(consultation=case, pk=party_id),
        response=payload.response,
        responded_on=payload.responded_on,
        agreement_still_possible=payload.agreement_still_possible,
        note=payload.note,
    )
    return _case_after(request, response, id)


# --- notice (notify) --------------------------------------------------------------------------


@router.post(
    "/consultations/{id}/notice",
    response={200: ConsultationOut, **RESPONSES},
    summary="Record the notice to the parties",
    description="Named action `notify`, the consulting authority's editors only. After a "
    "screening that found consultation required or uncertain, to the parties added "
    "(sameloven § 4-5), with a response deadline for this case.",
    operation_id="notify_consultation_parties",
)
def notify(
    request: HttpRequest, id: int, payload: ConsultationNoticeIn, response: HttpResponse
) -> Any:
    user, case = _case_for(request, id, "notify")
    services.notice_send(
        actor=user,
        consultation=case,
        expected_version=expected_version(request, payload.version),
        sent_on=payload.notice_sent_on,
        content=payload.notice_content,
        response_deadline=payload.response_deadline,
    )
    return _case_after(request, response, id)


# --- information log (add_information) --------------------------------------------------------


@router.get(
    "/consultations/{id}/information",
    response={200: list[ConsultationInformationOut], 404: ErrorOut},
    summary="The information log the caller may see",
    description="What was shared with the parties and when (sameloven § 4-6). Exempt entries "
    "only for the authority and the parties they were shared with.",
    operation_id="list_consultation_information",
)
def list_information(request: HttpRequest, id: int) -> Any:
    user = auth_user(request)
    case = selectors.consultation_get(user=user, pk=id)
    return selectors.visible_items(user=user, consultation=case)["information"]


@router.get(
    "/consultations/{id}/information/{entry_id}",
    response={200: ConsultationInformationOut, 404: ErrorOut},
    summary="One entry of the information log",
    description="404 for an exempt entry the caller may not see.",
    operation_id="get_consultation_information_entry",
)
def get_information(request: HttpRequest, id: int, entry_id: int, response: HttpResponse) -> Any:
    user = auth_user(request)
    case = selectors.consultation_get(user=user, pk=id)
    entry = _visible_one(
        selectors.visible_items(user=user, consultation=case)["information"], entry_id
    )
    record_headers(response, entry)
    return entry


@router.post(
    "/consultations/{id}/information",
    response={201: ConsultationInformationOut, **RESPONSES},
    summary="Log information shared with the parties",
    description="Named action `add_information`: editors of the authority or of a party "
    "(sameloven § 4-6: full information at all stages). Shared with some of the parties or, "
    "when `shared_with` is empty, all of them.",
    operation_id="add_consultation_information",
)
def add_information(
    request: HttpRequest, id: int, payload: ConsultationInformationIn, response: HttpResponse
) -> Any:
    user, case = _case_for(request, id, "add_information")
    entry = services.information_add(
        actor=user,
        consultation=case,
        shared_on=payload.shared_on,
        content=payload.content,
        shared_with=resolve_organisations(payload.shared_with, "shared_with"),
        **_exempt(payload),
    )
    return created(request, response, entry)


# --- documents (add_document) -----------------------------------------------------------------


@router.get(
    "/consultations/{id}/documents",
    response={200: list[ConsultationDocumentOut], 404: ErrorOut},
    summary="The documents the caller may see",
    description="Exempt documents only for the authority and the parties they are shared with.",
    operation_id="list_consultation_documents",
)
def list_documents(request: HttpRequest, id: int) -> Any:
    user = auth_user(request)
    case = selectors.consultation_get(user=user, pk=id)
    return selectors.visible_items(user=user, consultation=case)["documents"]


@router.get(
    "/consultations/{id}/documents/{document_id}",
    response={200: ConsultationDocumentOut, 404: ErrorOut},
    summary="One document of a case",
    description="404 for an exempt document the caller may not see.",
    operation_id="get_consultation_document",
)
def get_document(request: HttpRequest, id: int, document_id: int, response: HttpResponse) -> Any:
    user = auth_user(request)
    case = selectors.consultation_get(user=user, pk=id)
    document = _visible_one(
        selectors.visible_items(user=user, consultation=case)["documents"], document_id
    )
    record_headers(response, document)
    return document


@router.post(
    "/consultations/{id}/documents",
    response={201: ConsultationDocumentOut, **RESPONSES},
    summary="Add a document to a case",
    description="Named action `add_document`: editors of the authority or of a party. A link "
    "to the document, public or exempt with its legal basis.",
    operation_id="add_consultation_document",
)
def add_document(
    request: HttpRequest, id: int, payload: ConsultationDocumentIn, response: HttpResponse
) -> Any:
    user, case = _case_for(request, id, "add_document")
    document = services.document_add(
        actor=user,
        consultation=case,
        title=payload.title,
        url=payload.url,
        shared_with=resolve_organisations(payload.shared_with, "shared_with"),
        **_exempt(payload),
    )
    return created(request, response, document)


# --- meetings and protocols (add_protocol) ----------------------------------------------------


@router.get(
    "/consultations/{id}/protocols",
    response={200: list[ConsultationProtocolOut], 404: ErrorOut},
    summary="The meetings' protocols the caller may see",
    description="Each meeting with its protocol (sameloven § 4-7). Exempt protocols only for "
    "the authority and the parties.",
    operation_id="list_consultation_protocols",
)
def list_protocols(request: HttpRequest, id: int) -> Any:
    user = auth_user(request)
    case = selectors.consultation_get(user=user, pk=id)
    return selectors.visible_items(user=user, consultation=case)["protocols"]


@router.get(
    "/consultations/{id}/meetings/{meeting_id}/protocol",
    response={200: ConsultationProtocolOut, 404: ErrorOut},
    summary="The protocol of a meeting",
    description="404 for an exempt protocol the caller may not see.",
    operation_id="get_consultation_meeting_protocol",
)
def get_protocol(request: HttpRequest, id: int, meeting_id: int, response: HttpResponse) -> Any:
    user = auth_user(request)
    case = selectors.consultation_get(user=user, pk=id)
    protocols = selectors.visible_items(user=user, consultation=case)["protocols"]
    protocol = next((p for p in protocols if p.meeting_id == meeting_id), None)
    if protocol is None:
        raise Http404
    record_headers(response, protocol)
    return protocol


@router.post(
    "/consultations/{id}/meetings",
    response={201: ConsultationProtocolOut, **RESPONSES},
    summary="Record a consultation meeting with its protocol",
    description="Named action `add_protocol`: editors of the authority or of a party. A "
    "meeting and its protocol are written together, in one change: the protocol states the "
    "matter, the parties' assessments and positions, the conclusions and whether agreement "
    "was reached (sameloven § 4-7), optionally with a parallel text in a Sami language. The "
    "`Location` is the protocol's address, `/meetings/{meeting_id}/protocol`.",
    operation_id="add_consultation_meeting",
)
def add_meeting(
    request: HttpRequest, id: int, payload: ConsultationMeetingIn, response: HttpResponse
) -> Any:
    user, case = _case_for(request, id, "add_protocol")
    data = payload.dict()
    data.update(_exempt(payload))
    data["sami_language"] = payload.sami_language or ""
    protocol = services.meeting_with_protocol_add(actor=user, consultation=case, **data)
    path = f"{request.path.rstrip('/')}/{protocol.meeting_id}/protocol"
    return created(request, response, protocol, path=path)


# --- conclusion (conclude) and final decision (decide) ----------------------------------------


@router.post(
    "/consultations/{id}/conclusion",
    response={200: ConsultationOut, **RESPONSES},
    summary="Conclude the consultation",
    description="Named action `conclude`, the consulting authority's editors only. A case in "
    "consultation, with a protocol whose outcome matches (sameloven § 4-7); when a party "
    "considers agreement still possible, the reason must be given (§ 4-6).",
    operation_id="conclude_consultation",
)
def conclude(
    request: HttpRequest, id: int, payload: ConsultationConclusionIn, response: HttpResponse
) -> Any:
    user, case = _case_for(request, id, "conclude")
    services.consultation_conclude(
        actor=user,
        consultation=case,
        expected_version=expected_version(request, payload.version),
        concluded_on=payload.concluded_on,
        agreement_reached=payload.agreement_reached,
        reason=payload.conclusion_reason,
    )
    return _case_after(request, response, id)


@router.post(
    "/consultations/{id}/decision",
    response={200: ConsultationOut, **RESPONSES},
    summary="Record the authority's final decision",
    description="Named action `decide`, the consulting authority's editors only. When a party "
    "wanted consultation, name the case's documents holding the Sami parties' assessments: "
    "they follow the case to the decision (sameloven § 4-7 second paragraph); a decision "
    "before the conclusion is flagged (`decision_before_conclusion`, § 4-9).",
    operation_id="decide_consultation",
)
def decide(
    request: HttpRequest, id: int, payload: ConsultationDecisionIn, response: HttpResponse
) -> Any:
    user, case = _case_for(request, id, "decide")
    services.decision_record(
        actor=user,
        consultation=case,
        expected_version=expected_version(request, payload.version),
        decided_on=payload.decision_on,
        summary=payload.decision_summary,
        assessment_documents=_documents(request, case, payload.assessment_documents),
    )
    return _case_after(request, response, id)


def _documents(request: HttpRequest, case: Consultation, ids: list[int]) -> list[Document]:
    """The case's documents the caller may see, by id (422 naming the unknown ones)."""
    visible = {
        d.pk: d
        for d in selectors.visible_items(user=auth_user(request), consultation=case)["documents"]
    }
    unknown = [str(pk) for pk in ids if pk not in visible]
    if unknown:
        raise ValidationError(
            {
                "assessment_documents": _("Not a document of this case: %(ids)s.")
                % {"ids": ", ".join(unknown)}
            }
        )
    return [visible[pk] for pk in ids]


# --- moving on without consultation (move_on) -------------------------------------------------


@router.post(
    "/consultations/{id}/without-consultation",
    response={200: ConsultationOut, **RESPONSES},
    summary="Move on without consultation",
    description="Named action `move_on`, the consulting authority's editors only. A notified "
    "case where every party declined, or did not answer by `response_deadline`, moves on "
    "without consultation (sameloven § 4-5 second paragraph): status `no_consultation`, and "
    "the parties without an answer are recorded as `no_answer` in the same change.",
    operation_id="move_on_without_consultation",
)
def move_on(
    request: HttpRequest, id: int, payload: ConsultationMoveOnIn, response: HttpResponse
) -> Any:
    user, case = _case_for(request, id, "move_on")
    services.consultation_move_on(
        actor=user,
        consultation=case,
        expected_version=expected_version(request, payload.version),
        moved_on=payload.moved_on,
    )
    return _case_after(request, response, id)
