"""API for the cooperation register: /api/v1/cooperations and a municipality's cooperations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

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
from kraftsenter.places.selectors import municipality_get

from . import selectors, services
from .choices import SHARE_FORMS, Area, LegalForm
from .choices import Status as CoopStatus
from .filters import CooperationFilter
from .models import Cooperation

router = Router(tags=["cooperations"])

CODES = (
    "Legal forms (`legal_form`): "
    + ", ".join(f"`{v}`" for v in LegalForm.values)
    + ". Areas (`areas`): "
    + ", ".join(f"`{v}`" for v in Area.values)
    + ". Status: "
    + ", ".join(f"`{v}`" for v in CoopStatus.values)
    + "."
)


class ParticipantOut(Schema):
    organisation: int
    name: str
    ownership_share: Decimal | None = None
    liability_share: Decimal | None = None


class CooperationOut(Schema):
    id: int
    name: str
    legal_form: str
    legal_form_label: str
    legal_person: bool
    organisation_number: str
    areas: list[str]
    status: str
    purpose: str
    host: int | None
    start_date: dt.date | None
    end_date: dt.date | None
    participants: list[ParticipantOut]
    published: bool
    version: int
    url: str

    @staticmethod
    def resolve_legal_form_label(obj: Cooperation) -> str:
        return str(obj.get_legal_form_display())

    @staticmethod
    def resolve_areas(obj: Cooperation) -> list[str]:
        return [a.area for a in obj.area_links.all()]

    @staticmethod
    def resolve_host(obj: Cooperation) -> int | None:
        return obj.host_id

    @staticmethod
    def resolve_participants(obj: Cooperation) -> list[dict]:
        parts = getattr(obj, "active_participants", None)
        if parts is None:
            parts = list(
                obj.participants.filter(archived_at__isnull=True).select_related("organisation")
            )
        with_shares = obj.legal_form in SHARE_FORMS
        return [
            {
                "organisation": p.organisation_id,
                "name": p.organisation.name,
                "ownership_share": p.ownership_share if with_shares else None,
                "liability_share": p.liability_share if with_shares else None,
            }
            for p in parts
        ]

    @staticmethod
    def resolve_url(obj: Cooperation) -> str:
        return obj.get_absolute_url()


class ParticipantIn(Schema):
    organisation: int
    ownership_share: Decimal | None = None
    liability_share: Decimal | None = None
    joined_on: dt.date | None = None


class CooperationIn(Schema):
    name: str
    legal_form: str
    areas: list[str]
    participants: list[ParticipantIn]
    legal_basis: str = ""
    legal_person: bool = False
    organisation_number: str = ""
    purpose: str = ""
    host: int | None = None
    start_date: dt.date | None = None
    withdrawal_terms: str = ""
    dissolution_terms: str = ""
    reporting_duties: str = ""
    statsforvalter_notified_on: dt.date | None = None
    published: bool = True


class CooperationPatch(Schema):
    version: int
    name: str | None = None
    legal_form: str | None = None
    areas: list[str] | None = None
    participants: list[ParticipantIn] | None = None
    legal_basis: str | None = None
    legal_person: bool | None = None
    organisation_number: str | None = None
    purpose: str | None = None
    host: int | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: str | None = None
    withdrawal_terms: str | None = None
    dissolution_terms: str | None = None
    reporting_duties: str | None = None
    statsforvalter_notified_on: dt.date | None = None
    published: bool | None = None
    reason: str = ""


def _organisations(ids: list[int], field: str) -> dict[int, Organisation]:
    found = Organisation.objects.in_bulk(ids)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {field: _("Unknown organisation id(s): %(ids)s.") % {"ids": ", ".join(missing)}}
        )
    return found


def _participants(items: list[ParticipantIn]) -> list[services.ParticipantInput]:
    orgs = _organisations([p.organisation for p in items], "participants")
    return [
        services.ParticipantInput(
            orgs[p.organisation], p.ownership_share, p.liability_share, p.joined_on
        )
        for p in items
    ]


def _host(data: dict) -> dict:
    if data.get("host") is not None:
        data["host"] = _organisations([data["host"]], "host")[data["host"]]
    return data


if TYPE_CHECKING:
    CooperationQuery = PageQuery
else:
    CooperationQuery = filter_query_schema(CooperationFilter, "CooperationQuery")
RESPONSES = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get(
    "/cooperations",
    response={200: page_schema(CooperationOut), 422: ErrorOut},
    summary="List inter-municipal cooperations",
    description=CODES,
)
def list_cooperations(request: HttpRequest, params: Query[CooperationQuery]):
    qs = apply_filters(
        request, CooperationFilter, selectors.cooperation_list(user=auth_user(request))
    )
    return paginate(request, qs, page=params.page, page_size=params.page_size)


@router.post(
    "/cooperations",
    response={201: CooperationOut, **RESPONSES},
    summary="Register a cooperation",
    description=CODES,
)
def create_cooperation(request: HttpRequest, payload: CooperationIn):
    user = require_user(request)
    data = _host(payload.dict())
    participants = _participants(payload.participants)
    data.pop("participants")
    coop = services.cooperation_create(actor=user, participants=participants, **data)
    return Status(201, selectors.cooperation_get(user=user, pk=coop.pk))


@router.get(
    "/cooperations/{cooperation_id}",
    response={200: CooperationOut, 404: ErrorOut},
    summary="One cooperation",
)
def get_cooperation(request: HttpRequest, cooperation_id: int):
    return selectors.cooperation_get(user=auth_user(request), pk=cooperation_id)


@router.patch(
    "/cooperations/{cooperation_id}",
    response={200: CooperationOut, **RESPONSES},
    summary="Change a cooperation (send the version you based the change on)",
    description=CODES,
)
def update_cooperation(request: HttpRequest, cooperation_id: int, payload: CooperationPatch):
    user = require_user(request)
    coop = selectors.cooperation_get(user=user, pk=cooperation_id)
    data = payload.dict(exclude_unset=True)
    version, reason = data.pop("version"), data.pop("reason", "")
    if data.get("participants") is not None:
        data["participants"] = _participants(payload.participants or [])
    services.cooperation_update(
        actor=user, cooperation=coop, expected_version=version, reason=reason, **_host(data)
    )
    return selectors.cooperation_get(user=user, pk=cooperation_id)


add_record_routes(
    router,
    path="/cooperations",
    noun="cooperation",
    label="a cooperation",
    schema=CooperationOut,
    get=selectors.cooperation_get,
    object_name="cooperation",
    archive=services.cooperation_archive,
    restore=services.cooperation_restore,
)


@router.get(
    "/municipalities/{number}/cooperations",
    response={200: page_schema(CooperationOut), 404: ErrorOut, 422: ErrorOut},
    summary="The cooperations a municipality takes part in",
)
def municipality_cooperations(request: HttpRequest, number: str, params: Query[CooperationQuery]):
    municipality = municipality_get(number=number)
    org_ids = list(
        Organisation.objects.filter(kind="municipality", municipality=municipality).values_list(
            "pk", flat=True
        )
    )
    qs = selectors.cooperations_of_organisation(user=auth_user(request), organisation_ids=org_ids)
    qs = apply_filters(request, CooperationFilter, qs)
    return paginate(request, qs, page=params.page, page_size=params.page_size)
