"""API for consultations: /api/v1/consultations, protocols and history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.http import HttpRequest
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
from kraftsenter.places.models import Municipality

from . import selectors, services
from .filters import ConsultationFilter
from .models import Consultation

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from .selectors import WithParties

router = Router(tags=["consultations"])
RESPONSES = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ConsultationOut(Schema):
    id: int
    title: str
    kind: str
    authority: int
    level: str
    status: str
    parties: list[int]
    municipalities: list[str]
    screening_result: str
    notice_sent_on: dt.date | None
    response_deadline: dt.date | None
    concluded_on: dt.date | None
    decision_on: dt.date | None
    decision_before_conclusion: bool
    version: int
    url: str

    @staticmethod
    def resolve_authority(obj: Consultation) -> int:
        return obj.authority_id

    @staticmethod
    def resolve_parties(obj: WithAnnotations[Consultation, WithParties]) -> list[int]:
        return [p.organisation_id for p in obj.active_parties]

    @staticmethod
    def resolve_municipalities(obj: Consultation) -> list[str]:
        return [m.number for m in obj.municipalities.all()]

    @staticmethod
    def resolve_url(obj: Consultation) -> str:
        return obj.get_absolute_url()


class ProtocolOut(Schema):
    id: int
    meeting_on: dt.date
    matter: str
    assessments: str
    conclusions: str
    agreement: str
    access: str
    sami_language: str
    matter_sami: str
    assessments_sami: str
    conclusions_sami: str

    @staticmethod
    def resolve_meeting_on(obj) -> dt.date:
        return obj.meeting.held_on


class ConsultationIn(Schema):
    title: str
    kind: str
    authority: int
    description: str = ""
    concerns: str = ""
    municipalities: list[str] = []
    published: bool = True


if TYPE_CHECKING:
    ConsultationQuery = PageQuery
else:
    ConsultationQuery = filter_query_schema(ConsultationFilter, "ConsultationQuery")


@router.get(
    "/consultations",
    response={200: page_schema(ConsultationOut), 422: ErrorOut},
    summary="The public register of consultations with Sami interests",
)
def list_consultations(request: HttpRequest, params: Query[ConsultationQuery]):
    qs = apply_filters(
        request, ConsultationFilter, selectors.consultation_list(user=auth_user(request))
    )
    return paginate(request, qs, page=params.page, page_size=params.page_size)


@router.post(
    "/consultations",
    response={201: ConsultationOut, **RESPONSES},
    summary="Register a case that may affect Sami interests",
)
def create_consultation(request: HttpRequest, payload: ConsultationIn):
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    user = require_user(request)
    data = payload.dict()
    authority = Organisation.objects.filter(pk=data.pop("authority")).first()
    numbers = data.pop("municipalities")
    municipalities = list(Municipality.objects.filter(number__in=numbers))
    errors = {}
    if authority is None:
        errors["authority"] = _("Unknown organisation id(s): %(ids)s.") % {"ids": payload.authority}
    if len(municipalities) != len(set(numbers)):
        errors["municipalities"] = _("Unknown municipality number %(number)s.") % {
            "number": ", ".join(sorted(set(numbers) - {m.number for m in municipalities}))
        }
    if errors:
        raise ValidationError(errors)
    assert authority is not None  # else an error above
    case = services.consultation_create(
        actor=user, authority=authority, municipalities=municipalities, **data
    )
    return Status(201, selectors.consultation_get(user=user, pk=case.pk))


@router.get(
    "/consultations/{consultation_id}",
    response={200: ConsultationOut, 404: ErrorOut},
    summary="One consultation case",
)
def get_consultation(request: HttpRequest, consultation_id: int):
    return selectors.consultation_get(user=auth_user(request), pk=consultation_id)


@router.get(
    "/consultations/{consultation_id}/protocols",
    response={200: list[ProtocolOut], 404: ErrorOut},
    summary="The protocols this caller may see (exempt ones only for the parties)",
)
def consultation_protocols(request: HttpRequest, consultation_id: int):
    case = selectors.consultation_get(user=auth_user(request), pk=consultation_id)
    return selectors.visible_items(user=auth_user(request), consultation=case)["protocols"]


class ConsultationPatch(Schema):
    version: int
    title: str | None = None
    description: str | None = None
    concerns: str | None = None
    published: bool | None = None
    reason: str = ""


@router.patch(
    "/consultations/{consultation_id}",
    response={200: ConsultationOut, **RESPONSES},
    summary="Change a case's description (send the version it is based on)",
)
def update_consultation(request: HttpRequest, consultation_id: int, payload: ConsultationPatch):
    user = require_user(request)
    case = selectors.consultation_get(user=user, pk=consultation_id)
    data = payload.dict(exclude_unset=True)
    version, reason = data.pop("version"), data.pop("reason", "")
    services.consultation_update(
        actor=user, consultation=case, expected_version=version, reason=reason, **data
    )
    return selectors.consultation_get(user=user, pk=consultation_id)


add_record_routes(
    router,
    path="/consultations",
    noun="consultation",
    label="a consultation case",
    schema=ConsultationOut,
    get=selectors.consultation_get,
    object_name="consultation",
    archive=services.consultation_archive,
    restore=services.consultation_restore,
)
