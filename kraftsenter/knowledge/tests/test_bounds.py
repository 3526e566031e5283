"""Bounds of green-transition scenarios (docs/bounds.md): the extreme valid value of every field
never breaks a page or the API; a value out of bounds is refused on the page, in the API and by
the service, naming the field, with nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.services import membership_add, organisation_create
from kraftsenter.core import bounds
from kraftsenter.core.tests.extremes import crawl, long_text, store_extremes
from kraftsenter.knowledge.models import MAX_SECTORS, SECTOR_LENGTH, EmissionFigure, Scenario
from kraftsenter.knowledge.services import scenario_create
from kraftsenter.places.models import Municipality
from kraftsenter.places.services import region_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(small_places):
    munis = {m.number: m for m in Municipality.objects.all()}
    EmissionFigure.objects.bulk_create(
        [
            EmissionFigure(
                municipality=munis[n], year=2015, sector=sector, source="Alle", tonnes_co2e=t
            )
            for n in ("3403", "3412")
            for sector, t in (("Veitrafikk", 50_000), ("Jordbruk", 10_000))
        ]
    )
    return region_create(
        actor="t", name="Hamarregionen", centre=munis["3403"], hinterland=[munis["3412"]]
    )


@pytest.fixture
def editor(region):
    org = organisation_create(actor="t", name="Hamar kommune", kind=OrganisationKind.ASSOCIATION)
    user = get_user_model().objects.create_user("h", password="x-long-password-1")
    membership_add(actor="t", organisation=org, user=user, role=Role.EDITOR)
    _token, text = token_create(actor="t", user=user, name="t", days=1)
    user.auth = {"Authorization": f"Bearer {text}"}
    user.org = org
    return user


@pytest.mark.parametrize("high", [False, True], ids=["earliest", "latest"])
def test_extreme_values_of_every_field_render_on_every_page_and_api(client, region, editor, high):
    scenario = scenario_create(
        actor="t",
        name="Hamarregionen 2030",
        region=region,
        owner=editor.org,
        base_year=2015,
        target_cut_percent=Decimal(55),
        measures={"Veitrafikk": 40},
    )
    # The years are tied (the target after the base); the measures hold the most sectors with
    # the longest names, each with the extreme cut.
    sectors = {"Veitrafikk": 100 if high else 0}
    sectors |= {f"{i:02d} " + long_text(SECTOR_LENGTH - 3): 50.5 for i in range(MAX_SECTORS - 1)}
    # A measure names a sector of the place's emission figures, so the figures name them too.
    EmissionFigure.objects.bulk_create(
        EmissionFigure(
            municipality=municipality, year=2015, sector=name, source="Alle", tonnes_co2e=1
        )
        for name in sectors
        if name != "Veitrafikk"
        for municipality in (region.centre, *region.hinterland.all())
    )
    store_extremes(
        scenario,
        high=high,
        base_year=2099 if high else 1900,
        target_year=2100 if high else 1901,
        measures=sectors,
    )
    assert len(Scenario.objects.get().description) == bounds.TEXT_LENGTH
    seeds = [
        "/kunnskap/scenarier/",
        f"/kunnskap/scenarier/?region={region.slug}",
        f"/kunnskap/scenarier/{scenario.pk}/",
        "/api/v1/scenarios",
        f"/api/v1/scenarios/{scenario.pk}",
        f"/api/v1/scenarios/{scenario.pk}/history",
        "/api/v1/changes",
    ]
    assert crawl(client, seeds)[f"/kunnskap/scenarier/{scenario.pk}/"] == 200
    client.force_login(editor)
    assert crawl(client, seeds)[f"/kunnskap/scenarier/{scenario.pk}/endre/"] == 200


# --- out of bounds: refused, naming the field, nothing written --------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("base_year", 1899),
        ("target_year", 2101),
        ("target_cut_percent", "100.1"),
        ("name", "x" * (bounds.NAME_LENGTH + 1)),
        ("measures", {"Veitrafikk": 101}),
        ("measures", {"x" * (SECTOR_LENGTH + 1): 10}),
        ("measures", {f"sektor {i}": 1 for i in range(MAX_SECTORS + 1)}),
    ],
)
def test_api_scenario_create_out_of_bounds_is_422_naming_the_field(
    client, region, editor, field, value
):
    body = {
        "name": "Hamarregionen 2030",
        "region": region.slug,
        "owner": editor.org.pk,
        "base_year": 2015,
        "target_cut_percent": 55,
        field: value,
    }
    response = client.post(
        "/api/v1/scenarios", body, content_type="application/json", headers=editor.auth
    )
    assert response.status_code == 422
    assert {e["field"].split(".")[0] for e in response.json()["errors"]} == {field}
    assert not Scenario.objects.exists()


def test_page_scenario_target_year_out_of_range_is_refused_on_its_field(client, region, editor):
    client.force_login(editor)
    response = client.post(
        f"/kunnskap/scenarier/ny/?region={region.slug}",
        {
            "name": "Plan A",
            "owner": editor.org.name,
            "base_year": "2015",
            "target_year": "2101",
            "target_cut_percent": "55",
            "description": "x" * (bounds.TEXT_LENGTH + 1),
        },
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"target_year", "description"}
    assert not Scenario.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("base_year", 1899),
        ("target_year", 2101),
        ("description", long_text(bounds.TEXT_LENGTH + 1)),
        ("measures", {"x" * (SECTOR_LENGTH + 1): 10}),
        ("measures", {f"sektor {i}": 1 for i in range(MAX_SECTORS + 1)}),
    ],
)
def test_service_scenario_create_out_of_bounds_is_refused(region, field, value):
    data = {
        "name": "X",
        "region": region,
        "base_year": 2015,
        "target_year": 2030,
        "target_cut_percent": Decimal(50),
        field: value,
    }
    with pytest.raises(ValidationError) as refused:
        scenario_create(actor="t", **data)
    assert field in refused.value.message_dict
    assert not Scenario.objects.exists()
