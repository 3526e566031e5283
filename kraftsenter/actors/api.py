"""API for organisations: /api/v1/organisations, their members and contact persons.

The reference implementation of the register kit's API: strict input, codes as enums, one
service per operation, the shared record routes (read with ETag, change with If-Match, archive,
restore, history), one operation per named policy action.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

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
    error_response,
    filter_query_schema,
    page_response,
    page_schema,
    paginate,
    require_user,
)
from kraftsenter.core.bounds import (
    CodeText,
    EmailText,
    LineText,
    NameText,
    PlainText,
    ReasonText,
    RecordId,
    UrlText,
    request_example,
)
from kraftsenter.places.models import County, Municipality

from . import brreg, selectors, services
from .choices import EmployeeAccess, OrganisationKind, RequestStatus, Role
from .filters import OrganisationFilter
from .models import ContactPerson, Membership, MembershipRequest, Organisation
from .permissions import ORGANISATION_POLICY

router = Router(tags=["organisations"])

#: An organisation in API input: its id, or its nine-digit organisation number.
OrganisationRef = Annotated[
    RecordId | CodeText,
    Field(description="The organisation's id, or its nine-digit organisation number."),
]
KindCode = Annotated[str, CodeOf(OrganisationKind)]
RoleCode = Annotated[str, CodeOf(Role)]


def resolve_organisation(value: int | str | None, field: str) -> Organisation | None:
    """The active organisation an API client names by id or organisation number."""
    if value is None or value == "":
        return None
    active = Organisation.objects.filter(archived_at__isnull=True)
    text = str(value).replace(" ", "")
    if isinstance(value, int) or (text.isascii() and text.isdigit() and len(text) < 9):
        found = active.filter(pk=int(text)).first()
    elif re.fullmatch(r"[0-9]{9}", text):
        found = active.filter(organisation_number=text).first()
    else:
        found = None
    if found is None:
        raise ValidationError(
            {
                field: _("Unknown organisation: %(value)s (give its id or organisation number).")
                % {"value": value}
            }
        )
    return found


def resolve_organisations(values: list[int | str], field: str) -> list[Organisation]:
    found = [resolve_organisation(v, field) for v in values]
    return [o for o in dict.fromkeys(found) if o is not None]


_KIND_LABELS = dict(OrganisationKind.choices)


class OrganisationOut(Schema):
    id: int
    name: str
    organisation_number: str
    kind: KindCode
    kind_label: str
    municipality: str | None = Field(description="Home municipality number.")
    county: str | None = Field(description="County number.")
    website: str
    description: str
    address: str
    industry_code: str = Field(description="Standard industrial classification (SN2007).")
    organisation_form: str = Field(description="Enhetsregisteret's organisation-form code.")
    name_se: str = Field(description="The name in Northern Sami ('' if none is registered).")
    name_smj: str = Field(description="The name in Lule Sami.")
    name_sma: str = Field(description="The name in Southern Sami.")
    name_fkv: str = Field(description="The name in Kven.")
    register_checked_on: dt.date | None = Field(
        description="When the organisation was last looked up in Enhetsregisteret."
    )
    register_source: str = Field(description="The address it was looked up at.")
    register_deleted_on: dt.date | None = Field(
        description="Enhetsregisteret's deletion date, as of the last lookup."
    )
    register_bankrupt: bool = Field(description="Bankrupt, as of the last lookup.")
    register_winding_up: bool = Field(description="Being wound up, as of the last lookup.")
    archived: bool
    version: int
    url: str = Field(description="The organisation's page.")

    # A list gives light rows (selectors.organisation_rows): only columns, no model methods.
    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return str(_KIND_LABELS.get(obj.kind, obj.kind))

    # A list carries the numbers as annotations (selectors.organisation_rows); one record
    # has its municipality and county loaded with it.
    @staticmethod
    def resolve_municipality(obj: Organisation) -> str | None:
        number = getattr(obj, "municipality_number", None)
        if number is not None or obj.municipality_id is None:
            return number
        return obj.municipality.number  # type: ignore[union-attr]

    @staticmethod
    def resolve_county(obj: Organisation) -> str | None:
        number = getattr(obj, "county_number", None)
        if number is not None or obj.county_id is None:
            return number
        return obj.county.number  # type: ignore[union-attr]

    @staticmethod
    def resolve_archived(obj: Organisation) -> bool:
        return obj.archived_at is not None

    @staticmethod
    def resolve_url(obj: Organisation, context: Any) -> str:
        url = getattr(obj, "url", None)  # a list's rows carry it (selectors.with_urls)
        if url is None:
            return absolute_url(obj, context)
        request = (context or {}).get("request")
        return request.build_absolute_uri(url) if request is not None else url


class OrganisationIn(StrictSchema):
    model_config = request_example(
        {
            "name": "Høgskolen i Innlandet",
            "kind": "research",
            "county": "34",
            "website": "https://www.inn.no/",
            "description": "Utdanning og forskning i **Innlandet**.\n\n"
            "- Studiesteder i flere byer\n- Samarbeid med kommunene",
        }
    )

    name: NameText
    kind: KindCode
    organisation_number: CodeText = Field("", description="Nine digits (MOD11 checked).")
    municipality: CodeText | None = Field(None, description="Home municipality number.")
    county: CodeText | None = Field(None, description="County number.")
    website: UrlText = ""
    description: PlainText = Field("", description="Markdown.")
    address: LineText = ""
    industry_code: Annotated[str, Field(max_length=10)] = Field(
        "", description="Standard industrial classification (SN2007), e.g. 84.110."
    )
    organisation_form: Annotated[str, Field(max_length=10)] = Field(
        "", description="Enhetsregisteret's organisation-form code, e.g. KOMM, IKS, AS."
    )
    name_se: NameText = Field("", description="The name in Northern Sami, e.g. Sámediggi.")
    name_smj: NameText = Field("", description="The name in Lule Sami.")
    name_sma: NameText = Field("", description="The name in Southern Sami.")
    name_fkv: NameText = Field("", description="The name in Kven.")


class OrganisationPatch(StrictSchema):
    model_config = request_example(
        {
            "version": 3,
            "website": "https://www.innlandetfylke.no/",
            "reason": "Ny adresse til nettstedet.",
        }
    )

    version: int | None = Field(None, description="The version you saw (or send If-Match).")
    name: NameText | None = None
    kind: KindCode | None = None
    organisation_number: CodeText | None = None
    municipality: CodeText | None = None
    county: CodeText | None = None
    website: UrlText | None = None
    description: PlainText | None = Field(None, description="Markdown.")
    address: LineText | None = None
    industry_code: Annotated[str, Field(max_length=10)] | None = None
    organisation_form: Annotated[str, Field(max_length=10)] | None = None
    name_se: NameText | None = None
    name_smj: NameText | None = None
    name_sma: NameText | None = None
    name_fkv: NameText | None = None
    reason: ReasonText = ""


def _places(data: dict[str, Any]) -> dict[str, Any]:
    """Turn municipality/county numbers into places, with a field error for unknown ones."""
    errors = {}
    if "municipality" in data:
        number = data["municipality"]
        data["municipality"] = (
            Municipality.objects.filter(number=number).first() if number else None
        )
        if number and data["municipality"] is None:
            errors["municipality"] = _("Unknown municipality number %(number)s.") % {
                "number": number
            }
    if "county" in data:
        number = data["county"]
        data["county"] = County.objects.filter(number=number).first() if number else None
        if number and data["county"] is None:
            errors["county"] = _("Unknown county number %(county)s.") % {"county": number}
    if errors:
        raise ValidationError(errors)
    return data


if TYPE_CHECKING:
    OrganisationQuery = PageQuery
else:
    OrganisationQuery = filter_query_schema(OrganisationFilter, "OrganisationQuery")


@router.get(
    "/organisations",
    response={200: page_schema(OrganisationOut), 422: ErrorOut},
    summary="List organisations",
    description="Filters as on the page: `q` (name or organisation number), `kind`, `county`, "
    "`municipality`.",
    operation_id="list_organisations",
)
def list_organisations(request: HttpRequest, params: Query[OrganisationQuery]) -> Any:
    qs = apply_filters(
        request,
        OrganisationFilter,
        base_for=lambda who: selectors.organisation_rows(user=who),
        user=auth_user(request),
        key="api:organisations",
    )
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    page["items"] = selectors.with_urls(page["items"])
    return page_response(request, page, OrganisationOut)


@router.post(
    "/organisations",
    response={201: OrganisationOut, **RESPONSES},
    summary="Register an organisation",
    description="Whoever registers it becomes its administrator. Needs the editor role in "
    "some organisation.",
    operation_id="create_organisation",
)
def create_organisation(
    request: HttpRequest, payload: OrganisationIn, response: HttpResponse
) -> Status:
    user = require_user(request)
    organisation = services.organisation_create(actor=user, **_places(payload.dict()))
    return created(request, response, organisation)


class RegisterWarningOut(Schema):
    field: str
    message: str
    source: str = Field(description="The statute and section the warning rests on.")


class OrganisationLookupOut(Schema):
    organisation_number: str
    name: str
    kind: KindCode | None = Field(
        description="The platform's kind for the organisation form, where one fits."
    )
    organisation_form: str = Field(description="Enhetsregisteret's organisation-form code.")
    organisation_form_label: str
    address: str = Field(description="Business address (else postal address), one line.")
    municipality: str | None = Field(description="Municipality number of the address.")
    county: str | None = Field(description="County number of that municipality.")
    industry_code: str
    industry_label: str
    deleted_on: dt.date | None = Field(description="Deleted in Enhetsregisteret on this date.")
    bankrupt: bool
    winding_up: bool
    checked_on: dt.date = Field(description="The day of the lookup.")
    source: str = Field(description="The address the unit was read from.")
    warnings: list[RegisterWarningOut] = Field(
        description="Deleted, bankrupt or being wound up, each with its legal source."
    )


@router.get(
    "/organisations/lookup",
    response={
        200: OrganisationLookupOut,
        401: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        503: ErrorOut,
    },
    summary="Look an organisation up in Enhetsregisteret",
    description="The unit with this organisation number in Enhetsregisteret "
    "(Brønnøysundregistrene), mapped to the platform's fields, as the page's "
    '"Look up in Enhetsregisteret" fills the form: name, kind (where the organisation form '
    "decides it), address, municipality and county, industry code, and warnings when the unit "
    "is deleted, bankrupt or being wound up. Nothing is saved. 422 for a number that is not "
    "nine digits with a valid MOD11 check digit, 404 when the register has no such unit, 503 "
    "(`source_unavailable`) when the register cannot be reached. Needs a logged-in user or "
    "a token.",
    operation_id="lookup_organisation_in_register",
)
def lookup_organisation(
    request: HttpRequest,
    orgnr: Annotated[str, Field(max_length=20, description="Nine digits.")],
) -> Any:
    require_user(request)
    try:
        entry = brreg.lookup_organisation(orgnr)
    except brreg.RegisterNotFound:
        return error_response(
            request,
            status=404,
            code="not_found",
            message=brreg.not_found_message(orgnr.replace(" ", "")),
        )
    except brreg.RegisterUnavailable:
        return error_response(
            request, status=503, code="source_unavailable", message=brreg.unavailable_message()
        )
    municipality = (
        Municipality.objects.filter(number=entry.municipality_number)
        .select_related("county")
        .first()
        if entry.municipality_number
        else None
    )
    return {
        **entry.as_dict(),
        "kind": entry.kind or None,
        "municipality": municipality.number if municipality else None,
        "county": municipality.county.number if municipality else None,
        "deleted_on": entry.deleted_on,
        "checked_on": entry.checked_on,
        "warnings": [
            {"field": w.field, "message": w.message, "source": w.source} for w in entry.warnings()
        ],
    }


def _update(*, user: Any, record: Organisation, data: dict[str, Any], **kwargs: Any) -> None:
    services.organisation_update(actor=user, organisation=record, **kwargs, **_places(data))


add_record_routes(
    router,
    path="/organisations",
    noun="organisation",
    label="an organisation",
    schema=OrganisationOut,
    get=selectors.organisation_get,
    object_name="organisation",
    patch=(OrganisationPatch, _update),
    archive=services.organisation_archive,
    restore=services.organisation_restore,
)


# --- members (action manage_members; the list: view_members) ---------------------------------


class MemberOut(Schema):
    id: int
    username: str
    name: str
    role: RoleCode
    version: int

    @staticmethod
    def resolve_username(obj: Membership) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.user.get_full_name()


class MemberIn(StrictSchema):
    model_config = request_example({"username": "kari.hamar", "role": "editor"})

    username: Annotated[str, Field(max_length=150)] = Field(description="The user's account name.")
    role: RoleCode = "member"


class MemberPatch(StrictSchema):
    model_config = request_example({"role": "admin", "version": 2})

    role: RoleCode
    version: int | None = None


def _organisation_for(request: HttpRequest, organisation_id: int, action: str) -> Any:
    user = require_user(request)
    organisation = selectors.organisation_get(user=user, pk=organisation_id)
    ORGANISATION_POLICY.require(user, action, organisation)
    return user, organisation


def _membership(organisation: Organisation, member_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.active().select_related("user"),
        pk=member_id,
        organisation=organisation,
    )


@router.get(
    "/organisations/{id}/members",
    response={200: list[MemberOut], **RESPONSES},
    summary="The organisation's members and their roles",
    description="For the organisation's members (personal data).",
    operation_id="list_organisation_members",
)
def list_members(request: HttpRequest, id: int) -> Any:
    _user, organisation = _organisation_for(request, id, "view_members")
    return list(selectors.organisation_members(user=_user, organisation=organisation))


@router.post(
    "/organisations/{id}/members",
    response={201: MemberOut, **RESPONSES},
    summary="Add a member",
    description="Administrators of the organisation add members with a role.",
    operation_id="add_organisation_member",
)
def add_member(request: HttpRequest, id: int, payload: MemberIn, response: HttpResponse) -> Any:
    user, organisation = _organisation_for(request, id, "manage_members")
    account = get_user_model().objects.filter(username=payload.username, is_active=True).first()
    if account is None:
        raise ValidationError(
            {
                "username": _("No active account has the user name “%(name)s”.")
                % {"name": payload.username}
            }
        )
    membership = services.membership_add(
        actor=user, organisation=organisation, user=account, role=payload.role
    )
    return created(request, response, membership)


@router.patch(
    "/organisations/{id}/members/{member_id}",
    response={200: MemberOut, **RESPONSES},
    summary="Change a member's role",
    description="Administrators change a member's role; the organisation keeps at least one "
    "administrator. Send `version` (or `If-Match`) to refuse a stale change.",
    operation_id="change_organisation_member_role",
)
def change_member(request: HttpRequest, id: int, member_id: int, payload: MemberPatch) -> Any:
    user, organisation = _organisation_for(request, id, "manage_members")
    return services.membership_change_role(
        actor=user,
        membership=_membership(organisation, member_id),
        role=payload.role,
        expected_version=payload.version,
    )


@router.post(
    "/organisations/{id}/members/{member_id}/end",
    response={200: MemberOut, **RESPONSES},
    summary="End a membership",
    description="The membership is ended (archived), not deleted; the organisation keeps at "
    "least one administrator.",
    operation_id="end_organisation_membership",
)
def end_member(request: HttpRequest, id: int, member_id: int) -> Any:
    user, organisation = _organisation_for(request, id, "manage_members")
    return services.membership_end(actor=user, membership=_membership(organisation, member_id))


# --- employees from Ansattporten (manage_members; docs/login.md) ------------------------------


class EmployeeAccessIn(StrictSchema):
    model_config = request_example({"employee_access": "approval", "version": 3})

    employee_access: Annotated[str, CodeOf(EmployeeAccess)] = Field(
        description="What an employee logging in with Ansattporten for the organisation gets: "
        "none, member, editor, or approval (a request the administrators decide)."
    )
    version: int | None = None


class EmployeeAccessOut(Schema):
    id: int
    employee_access: str
    version: int


class MembershipRequestOut(Schema):
    id: int
    username: str
    name: str
    status: Annotated[str, CodeOf(RequestStatus)]
    created_at: dt.datetime
    version: int

    @staticmethod
    def resolve_username(obj: MembershipRequest) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_name(obj: MembershipRequest) -> str:
        return obj.user.get_full_name()


class RequestApproveIn(StrictSchema):
    model_config = request_example({"role": "member"})

    role: RoleCode = "member"


def _membership_request(organisation: Organisation, request_id: int) -> MembershipRequest:
    return get_object_or_404(
        MembershipRequest.objects.active().select_related("user"),
        pk=request_id,
        organisation=organisation,
    )


@router.put(
    "/organisations/{id}/employee-access",
    response={200: EmployeeAccessOut, **RESPONSES},
    summary="Set what employees from Ansattporten get",
    description="Administrators decide what an employee who logs in with Ansattporten acting "
    "for the organisation gets the first time: nothing, a role, or a request they approve.",
    operation_id="set_organisation_employee_access",
)
def set_employee_access(request: HttpRequest, id: int, payload: EmployeeAccessIn) -> Any:
    user, organisation = _organisation_for(request, id, "manage_members")
    return services.organisation_set_employee_access(
        actor=user,
        organisation=organisation,
        access=payload.employee_access,
        expected_version=payload.version,
    )


@router.get(
    "/organisations/{id}/membership-requests",
    response={200: list[MembershipRequestOut], **RESPONSES},
    summary="Employees waiting for approval",
    description="For the organisation's administrators (personal data).",
    operation_id="list_organisation_membership_requests",
)
def list_membership_requests(request: HttpRequest, id: int) -> Any:
    user, organisation = _organisation_for(request, id, "manage_members")
    return list(selectors.pending_membership_requests(user=user, organisation=organisation))


@router.post(
    "/organisations/{id}/membership-requests/{request_id}/approve",
    response={200: MemberOut, **RESPONSES},
    summary="Approve an employee's request",
    description="The employee becomes a member with the role given.",
    operation_id="approve_organisation_membership_request",
)
def approve_membership_request(
    request: HttpRequest, id: int, request_id: int, payload: RequestApproveIn
) -> Any:
    user, organisation = _organisation_for(request, id, "manage_members")
    return services.membership_request_approve(
        actor=user,
        request_obj=_membership_request(organisation, request_id),
        role=payload.role,
    )


@router.post(
    "/organisations/{id}/membership-requests/{request_id}/refuse",
    response={200: MembershipRequestOut, **RESPONSES},
    summary="Refuse an employee's request",
    description="The employee gets no membership; the request is kept as refused.",
    operation_id="refuse_organisation_membership_request",
)
def refuse_membership_request(request: HttpRequest, id: int, request_id: int) -> Any:
    user, organisation = _organisation_for(request, id, "manage_members")
    return services.membership_request_refuse(
        actor=user, request_obj=_membership_request(organisation, request_id)
    )


# --- contact persons (add_contact, remove_contact) ---------------------------------------------


class ContactOut(Schema):
    id: int
    name: str
    title: str
    work_email: str


class ContactIn(StrictSchema):
    model_config = request_example(
        {
            "name": "Kari Nordmann",
            "title": "Rådgiver for regional utvikling",
            "work_email": "kari.nordmann@example.no",
        }
    )

    name: NameText
    title: NameText = ""
    work_email: EmailText = ""


@router.get(
    "/organisations/{id}/contacts",
    response={200: list[ContactOut], 404: ErrorOut},
    summary="The organisation's contact persons",
    description="Public: the people to contact about the organisation's work, with their work "
    "e-mail.",
    operation_id="list_organisation_contacts",
)
def list_contacts(request: HttpRequest, id: int) -> Any:
    organisation = selectors.organisation_get(user=auth_user(request), pk=id)
    return list(selectors.organisation_contacts(organisation=organisation))


@router.post(
    "/organisations/{id}/contacts",
    response={201: ContactOut, **RESPONSES},
    summary="Add a contact person",
    description="Only what is needed to reach the person in their work.",
    operation_id="add_organisation_contact",
)
def add_contact(request: HttpRequest, id: int, payload: ContactIn, response: HttpResponse) -> Any:
    user, organisation = _organisation_for(request, id, "add_contact")
    person = services.contact_person_add(actor=user, organisation=organisation, **payload.dict())
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{person.pk}")
    return Status(201, person)


@router.post(
    "/organisations/{id}/contacts/{contact_id}/remove",
    response={200: ContactOut, **RESPONSES},
    summary="Remove a contact person",
    description="The contact person is archived, not deleted.",
    operation_id="remove_organisation_contact",
)
def remove_contact(request: HttpRequest, id: int, contact_id: int) -> Any:
    user, organisation = _organisation_for(request, id, "remove_contact")
    person = ContactPerson.objects.active().filter(pk=contact_id, organisation=organisation).first()
    if person is None:
        raise Http404
    return services.contact_person_archive(actor=user, person=person)
