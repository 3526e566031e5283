"""The scenario register's part of the shared register contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kraftsenter.core.testing import Handover, RegisterContract
from kraftsenter.knowledge import services
from kraftsenter.knowledge.models import EmissionFigure
from kraftsenter.knowledge.permissions import SCENARIO_POLICY
from kraftsenter.places.models import County, Municipality


def _make(owner):
    county, _ = County.objects.get_or_create(
        number="40",
        defaults={"name": "Telemark", "name_nb": "Telemark", "valid_from": dt.date(2024, 1, 1)},
    )
    muni, _ = Municipality.objects.get_or_create(
        number="4001",
        defaults={
            "name": "Porsgrunn",
            "name_nb": "Porsgrunn",
            "county": county,
            "valid_from": dt.date(2024, 1, 1),
        },
    )
    EmissionFigure.objects.get_or_create(
        municipality=muni,
        year=2020,
        sector="Industri",
        source="Alle",
        defaults={"tonnes_co2e": 1000.0},
    )
    return services.scenario_create(
        actor="t",
        name="Porsgrunn 2030",
        municipality=muni,
        owner=owner,
        base_year=2020,
        target_cut_percent=Decimal("50"),
    )


def _page_edit_data(scenario) -> dict:
    return {
        "name": scenario.name + " (endret)",
        "owner": scenario.owner.name,
        "base_year": "2020",
        "target_year": "2030",
        "target_cut_percent": "60",
        "version": scenario.version,
    }


CONTRACT = RegisterContract(
    name="scenario",
    policy=SCENARIO_POLICY,
    # There are emission figures for 2020 only: another base year is refused.
    api_invalid_patch=lambda s: {"version": s.version, "base_year": 1990},
    make=_make,
    update=lambda actor, s: services.scenario_update(
        actor=actor, scenario=s, expected_version=s.version, description="Endret"
    ),
    archive=lambda actor, s: services.scenario_archive(actor=actor, scenario=s),
    detail_url=lambda s: f"/kunnskap/scenarier/{s.pk}/",
    edit_url=lambda s: f"/kunnskap/scenarier/{s.pk}/endre/",
    archive_url=lambda s: f"/kunnskap/scenarier/{s.pk}/arkiver/",
    api_url=lambda s: f"/api/v1/scenarios/{s.pk}",
    page_edit_data=_page_edit_data,
    api_patch=lambda s: {"version": s.version, "description": "Via API"},
    archive_roles=("editor", "org_admin", "site_admin"),
    handovers={
        "owner_to_another": Handover(
            "patch",
            lambda s: f"/api/v1/scenarios/{s.pk}",
            lambda s, other: {"version": s.version, "owner": other.pk},
        ),
    },
)
