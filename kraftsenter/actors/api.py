"""API for organisations: /api/v1/organisations (list, create, read, update, archive, history)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

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
from kraftsenter.places.models import County, Municipality

from . import selectors, services
from .choices import OrganisationKind
from .filters import OrganisationFilter
from .models import Organisation

router = Router(tags=["organisations"])

KIND_CODES = ", ".join(f"`{value}` ({label})" for value, label in OrganisationKind.choices)


class OrganisationOut(Schema):
    id: int
    name: str
    organisation_number: str
    kind: str
    kind_label: str
    municipality: str | None
    county: str | None
    website: str
    description: str
    archived: bool
    version: int
    url: str

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_municipality(obj: Organisation) -> str | None:
        return obj.municipality.number if obj.municipality is not None else None

    @staticmethod
    def resolve_county(obj: Organisation) -> str | None:
        return obj.county.number if obj.county is not None else None

    @staticmethod
    def resolve_archived(obj: Organisation) -> bool:
        return obj.is_archived

    @staticmethod
    def resolve_url(obj: Organisation) -> str:
        return obj.get_absolute_url()


class OrganisationIn(Schema):
    name: str
    kind: str
    organisation_number: str = ""
    municipality: str | None = None
    county: str | None = None
    website: str = ""
    description: str = ""


class OrganisationPatch(Schema):
    version: int
    name: str | None = None
    kind: str | None = None
    organisation_number: str | None = None
    municipality: str | None = None
    county: str | None = None
    website: str | None = None
    description: str | None = None
    reason: str = ""


def _places(data: dict) -> dict:
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
)
def list_organisations(request: HttpRequest, params: Query[OrganisationQuery]):
    """Filters as on the page: `q` (name or organisation number), `kind`, `county`,
    `municipality`."""
    qs = apply_filters(
        request, OrganisationFilter, selectors.organisation_list(user=auth_user(request))
    )
    return paginate(request, qs, page=params.page, page_size=params.page_size)


@router.post(
    "/organisations",
    response={201: OrganisationOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Register an organisation",
    description=f"Kinds (`kind`): {KIND_CODES}.",
)
def create_organisation(request: HttpRequest, payload: OrganisationIn):
    user = require_user(request)
    organisation = services.organisation_create(actor=user, **_places(payload.dict()))
    return Status(201, organisation)


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, 404: ErrorOut},
    summary="One organisation",
)
def get_organisation(request: HttpRequest, organisation_id: int):
    return selectors.organisation_get(user=auth_user(request), pk=organisation_id)


@router.patch(
    "/organisations/{organisation_id}",
    response={
        200: OrganisationOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Change an organisation (send the version you based the change on)",
)
def update_organisation(request: HttpRequest, organisation_id: int, payload: OrganisationPatch):
    user = require_user(request)
    organisation = selectors.organisation_get(user=user, pk=organisation_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    reason = data.pop("reason", "")
    return services.organisation_update(
        actor=user,
        organisation=organisation,
        expected_version=version,
        reason=reason,
        **_places(data),
    )


add_record_routes(
    router,
    path="/organisations",
    noun="organisation",
    label="an organisation",
    schema=OrganisationOut,
    get=selectors.organisation_get,
    object_name="organisation",
    archive=services.organisation_archive,
    restore=services.organisation_restore,
)
