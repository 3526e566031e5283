"""API for green-transition scenarios: /api/v1/scenarios."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kraftsenter.actors.models import Organisation
from kraftsenter.core.api import (
    ErrorOut,
    add_record_routes,
    auth_user,
    page_schema,
    paginate,
    require_user,
)
from kraftsenter.places.models import Municipality, Region

from . import scenarios, selectors, services
from .models import Scenario

router = Router(tags=["scenarios"])
RESPONSES = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class SectorOut(Schema):
    sector: str
    base: float
    cut_percent: float
    projected: float


class ResultOut(Schema):
    base_total: float | None
    target_total: float | None
    projected_total: float | None
    gap: float | None
    latest_year: int | None
    sectors: list[SectorOut]
    history: list[tuple[int, float]]
    source: str


class ScenarioOut(Schema):
    id: int
    name: str
    region: str | None
    municipality: str | None
    owner: int | None
    base_year: int
    target_year: int
    target_cut_percent: Decimal
    measures: dict
    description: str
    version: int
    url: str
    result: ResultOut

    @staticmethod
    def resolve_region(obj: Scenario) -> str | None:
        return obj.region.slug if obj.region is not None else None

    @staticmethod
    def resolve_municipality(obj: Scenario) -> str | None:
        return obj.municipality.number if obj.municipality is not None else None

    @staticmethod
    def resolve_owner(obj: Scenario) -> int | None:
        return obj.owner_id

    @staticmethod
    def resolve_url(obj: Scenario) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_result(obj: Scenario) -> dict:
        result = scenarios.compute(obj)
        return {**result.__dict__, "sectors": [s.__dict__ for s in result.sectors]}


class ScenarioIn(Schema):
    name: str
    region: str | None = None
    municipality: str | None = None
    owner: int | None = None
    base_year: int
    target_year: int = 2030
    target_cut_percent: Decimal
    measures: dict[str, float] = {}
    description: str = ""


class ScenarioPatch(Schema):
    version: int
    name: str | None = None
    owner: int | None = None
    base_year: int | None = None
    target_year: int | None = None
    target_cut_percent: Decimal | None = None
    measures: dict[str, float] | None = None
    description: str | None = None
    reason: str = ""


def _resolve(data: dict) -> dict:
    errors = {}
    if data.get("region"):
        data["region"] = Region.objects.active().filter(slug=data["region"]).first()
        if data["region"] is None:
            errors["region"] = _("Unknown region.")
    else:
        data["region"] = None
    if data.get("municipality"):
        number = data["municipality"]
        data["municipality"] = Municipality.objects.filter(number=number).first()
        if data["municipality"] is None:
            errors["municipality"] = _("Unknown municipality number %(number)s.") % {
                "number": number
            }
    elif "municipality" in data:
        data["municipality"] = None
    if data.get("owner") is not None:
        data["owner"] = Organisation.objects.filter(pk=data["owner"]).first()
        if data["owner"] is None:
            errors["owner"] = _("Unknown organisation id(s): %(ids)s.") % {"ids": "?"}
    if errors:
        raise ValidationError(errors)
    return data


@router.get("/scenarios", response=page_schema(ScenarioOut), summary="List scenarios")
def list_scenarios(
    request: HttpRequest,
    region: str | None = None,
    municipality: str | None = None,
    page: int = 1,
    page_size: int = 50,
):
    qs = selectors.scenario_list(
        user=auth_user(request),
        region=Region.objects.filter(slug=region).first() if region else None,
        municipality=Municipality.objects.filter(number=municipality).first()
        if municipality
        else None,
    )
    return paginate(request, qs, page=page, page_size=min(page_size, 200))


@router.post("/scenarios", response={201: ScenarioOut, **RESPONSES}, summary="Save a scenario")
def create_scenario(request: HttpRequest, payload: ScenarioIn):
    user = require_user(request)
    scenario = services.scenario_create(actor=user, **_resolve(payload.dict()))
    return Status(201, selectors.scenario_get(user=user, pk=scenario.pk))


@router.get(
    "/scenarios/{scenario_id}",
    response={200: ScenarioOut, 404: ErrorOut},
    summary="One scenario with its computed pathway",
)
def get_scenario(request: HttpRequest, scenario_id: int):
    return selectors.scenario_get(user=auth_user(request), pk=scenario_id)


@router.patch(
    "/scenarios/{scenario_id}",
    response={200: ScenarioOut, **RESPONSES},
    summary="Change a scenario (send the version you based the change on)",
)
def update_scenario(request: HttpRequest, scenario_id: int, payload: ScenarioPatch):
    user = require_user(request)
    scenario = selectors.scenario_get(user=user, pk=scenario_id)
    data = payload.dict(exclude_unset=True)
    version, reason = data.pop("version"), data.pop("reason", "")
    if "owner" in data:
        data = _resolve({"owner": data.pop("owner"), **data})
        data.pop("region", None)
    services.scenario_update(
        actor=user, scenario=scenario, expected_version=version, reason=reason, **data
    )
    return selectors.scenario_get(user=user, pk=scenario_id)


add_record_routes(
    router,
    path="/scenarios",
    noun="scenario",
    label="a scenario",
    schema=ScenarioOut,
    get=selectors.scenario_get,
    object_name="scenario",
    archive=services.scenario_archive,
    restore=services.scenario_restore,
)
