"""API for green-transition scenarios: /api/v1/scenarios."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from kraftsenter.actors.api import OrganisationRef, resolve_organisation
from kraftsenter.core.api import (
    RESPONSES,
    ErrorOut,
    PageQuery,
    StrictSchema,
    absolute_url,
    add_record_routes,
    auth_user,
    created,
    page_response,
    page_schema,
    paginate,
    require_user,
)
from kraftsenter.core.bounds import (
    CodeText,
    NameText,
    PlainText,
    ReasonText,
    Year,
    percent_checks,
    request_example,
)
from kraftsenter.places.models import Municipality, Region

from . import scenarios, selectors, services
from .models import MAX_SECTORS, SECTOR_LENGTH, Scenario

router = Router(tags=["scenarios"])


class SectorOut(Schema):
    sector: str
    base: float = Field(description="Emissions in the base year (t CO2e).")
    latest: float = Field(description="Emissions in the latest year, where the cut applies.")
    cut_percent: float = Field(description="The cut the measures give, applied to `latest`.")
    projected: float = Field(description="Expected by the target year: latest × (1 − cut).")


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
    region: str | None = Field(description="The region's short name (slug), if a region.")
    municipality: str | None = Field(description="The municipality number, if a municipality.")
    owner: dict[str, Any] | None = Field(
        description="The owning organisation: id, organisation number and name."
    )
    base_year: int
    target_year: int
    target_cut_percent: Decimal
    measures: dict[str, float] = Field(description="Cut by the target year per sector, in %.")
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
    def resolve_owner(obj: Scenario) -> dict[str, Any] | None:
        return obj.owner.history_ref() if obj.owner is not None else None

    @staticmethod
    def resolve_url(obj: Scenario, context: Any) -> str:
        return absolute_url(obj, context)

    @staticmethod
    def resolve_result(obj: Scenario) -> dict[str, Any]:
        result = scenarios.compute(obj)
        return {**result.__dict__, "sectors": [s.__dict__ for s in result.sectors]}


#: A sector's name (as in the emission figures) and its cut by the target year, in %.
SectorName = Annotated[str, Field(max_length=SECTOR_LENGTH)]
SectorCut = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
MEASURES = "Cut by the target year per sector, in % (0–100), by the sectors' names."


class ScenarioIn(StrictSchema):
    model_config = request_example(
        {
            "name": "Hamarregionen mot 2030",
            "region": "hamarregionen",
            "owner": 12,
            "base_year": 2019,
            "target_year": 2030,
            "target_cut_percent": 55,
            "measures": {"Veitrafikk": 40, "Jordbruk": 10},
            "description": "Utslippskutt i tråd med klimaplanen for regionen.",
        }
    )

    name: NameText
    region: CodeText | None = Field(None, description="The region's short name (slug).")
    municipality: CodeText | None = Field(None, description="A municipality number instead.")
    owner: OrganisationRef
    base_year: Year
    target_year: Year = 2030
    target_cut_percent: Annotated[Decimal, percent_checks(5, 1)]
    measures: dict[SectorName, SectorCut] = Field(
        default_factory=dict, max_length=MAX_SECTORS, description=MEASURES
    )
    description: PlainText = ""


class ScenarioPatch(StrictSchema):
    model_config = request_example(
        {
            "version": 2,
            "target_cut_percent": 60,
            "reason": "Nytt mål i regional klimaplan.",
        }
    )

    version: int | None = Field(None, description="The version you saw (or send If-Match).")
    name: NameText | None = None
    owner: OrganisationRef | None = None
    base_year: Year | None = None
    target_year: Year | None = None
    target_cut_percent: Annotated[Decimal, percent_checks(5, 1)] | None = None
    measures: dict[SectorName, SectorCut] | None = Field(
        None, max_length=MAX_SECTORS, description=MEASURES
    )
    description: PlainText | None = None
    reason: ReasonText = ""


def _place(data: dict[str, Any]) -> dict[str, Any]:
    errors = {}
    slug = data.get("region")
    data["region"] = Region.objects.active().filter(slug=slug).first() if slug else None
    if slug and data["region"] is None:
        errors["region"] = _("Unknown region: %(slug)s.") % {"slug": slug}
    number = data.get("municipality")
    data["municipality"] = Municipality.objects.filter(number=number).first() if number else None
    if number and data["municipality"] is None:
        errors["municipality"] = _("Unknown municipality number %(number)s.") % {"number": number}
    if errors:
        raise ValidationError(errors)
    return data


class ScenarioQuery(PageQuery):
    region: str | None = Field(None, description="The region's short name (slug).")
    municipality: str | None = Field(None, description="A municipality number.")


@router.get(
    "/scenarios",
    response={200: page_schema(ScenarioOut), 404: ErrorOut, 422: ErrorOut},
    summary="List scenarios",
    description="Scenarios of a region (`region`, its slug) or municipality (`municipality`).",
    operation_id="list_scenarios",
)
def list_scenarios(request: HttpRequest, params: Query[ScenarioQuery]) -> Any:
    place = _place({"region": params.region, "municipality": params.municipality})
    qs = selectors.scenario_list(
        user=auth_user(request), region=place["region"], municipality=place["municipality"]
    )
    page = paginate(request, qs, page=params.page, page_size=params.page_size)
    return page_response(request, page, ScenarioOut)


@router.post(
    "/scenarios",
    response={201: ScenarioOut, **RESPONSES},
    summary="Save a scenario",
    description="For a region or a municipality, owned by one of the caller's organisations. "
    "The base year must have emission figures for the place.",
    operation_id="create_scenario",
)
def create_scenario(request: HttpRequest, payload: ScenarioIn, response: HttpResponse) -> Any:
    user = require_user(request)
    data = _place(payload.dict())
    data["owner"] = resolve_organisation(data["owner"], "owner")
    scenario = services.scenario_create(actor=user, **data)
    return created(request, response, selectors.scenario_get(user=user, pk=scenario.pk))


def _update(*, user: Any, record: Scenario, data: dict[str, Any], **kwargs: Any) -> None:
    if "owner" in data:
        data["owner"] = resolve_organisation(data["owner"], "owner")
    services.scenario_update(actor=user, scenario=record, **kwargs, **data)


add_record_routes(
    router,
    path="/scenarios",
    noun="scenario",
    label="a scenario",
    schema=ScenarioOut,
    get=selectors.scenario_get,
    object_name="scenario",
    patch=(ScenarioPatch, _update),
    archive=services.scenario_archive,
    restore=services.scenario_restore,
    read_description="One scenario with its computed pathway and gap to the target; `ETag` "
    "is its version.",
)
