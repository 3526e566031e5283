"""Green-transition scenarios: pathway arithmetic, rules, pages and API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.services import membership_add, organisation_create
from kraftsenter.knowledge.models import EmissionFigure, Scenario
from kraftsenter.knowledge.scenarios import compute
from kraftsenter.knowledge.services import OWNER_MESSAGE, scenario_create
from kraftsenter.places.models import Municipality

pytestmark = pytest.mark.django_db

FIGURES = {  # (municipality, year): {sector: tonnes}
    ("3403", 2015): {"Veitrafikk": 60_000, "Jordbruk": 20_000},
    ("3412", 2015): {"Veitrafikk": 15_000, "Jordbruk": 5_000},
    ("3403", 2022): {"Veitrafikk": 50_000, "Jordbruk": 18_000},
    ("3412", 2022): {"Veitrafikk": 12_000, "Jordbruk": 5_000},
    ("5601", 2022): {"Veitrafikk": 30_000},
}


@pytest.fixture
def emissions(small_places):
    munis = {m.number: m for m in Municipality.objects.all()}
    EmissionFigure.objects.bulk_create(
        [
            EmissionFigure(
                municipality=munis[n], year=y, sector=sector, source="Alle", tonnes_co2e=t
            )
            for (n, y), sectors in FIGURES.items()
            for sector, t in sectors.items()
        ]
    )
    return munis


@pytest.fixture
def region(emissions):
    from kraftsenter.places.services import region_create

    return region_create(
        actor=None, name="Hamarregionen", centre=emissions["3403"], hinterland=[emissions["3412"]]
    )


def test_scenario_pathway_target_and_gap(region):
    scenario = scenario_create(
        actor="t",
        name="Hamarregionen 55 %",
        region=region,
        base_year=2015,
        target_year=2030,
        target_cut_percent=Decimal("55"),
        measures={"Veitrafikk": 50, "Jordbruk": 10},
    )
    result = compute(scenario)
    assert result.base_total == 100_000
    assert result.target_total == pytest.approx(45_000)
    # 2022: road 62 000 → −50 % = 31 000; farming 23 000 → −10 % = 20 700
    assert result.projected_total == pytest.approx(51_700)
    assert result.gap == pytest.approx(6_700)
    assert result.pathway[0] == (2022, pytest.approx(85_000), pytest.approx(45_000))
    assert result.pathway[-1][0] == 2030
    assert [y for y, _ in result.history] == [2015, 2022]


def test_scenario_base_year_without_data_is_refused_with_years(region):
    with pytest.raises(ValidationError) as info:
        scenario_create(
            actor="t", name="X", region=region, base_year=1990, target_cut_percent=Decimal("50")
        )
    assert "2015" in info.value.message_dict["base_year"][0]
    assert Scenario.objects.count() == 0


def test_scenario_base_year_missing_for_one_member_is_refused(emissions):
    from kraftsenter.places.services import region_create

    region = region_create(
        actor=None, name="Alta", centre=emissions["5601"], hinterland=[emissions["5610"]]
    )
    with pytest.raises(ValidationError):
        scenario_create(
            actor="t", name="X", region=region, base_year=2022, target_cut_percent=Decimal("50")
        )


@pytest.mark.parametrize(
    "field,value",
    [
        ("target_year", 2010),
        ("target_cut_percent", Decimal(120)),
        ("measures", {"Veitrafikk": 150}),
    ],
)
def test_scenario_invalid_values_are_refused(region, field, value):
    data = {
        "name": "X",
        "region": region,
        "base_year": 2015,
        "target_year": 2030,
        "target_cut_percent": Decimal(50),
        "measures": {},
    }
    data[field] = value
    with pytest.raises(ValidationError) as info:
        scenario_create(actor="t", **data)
    assert field in info.value.message_dict


def test_scenario_owner_must_be_own_organisation(region, django_user_model):
    mine = organisation_create(actor="t", name="Min", kind=OrganisationKind.ASSOCIATION)
    other = organisation_create(actor="t", name="Annen", kind=OrganisationKind.ASSOCIATION)
    user = django_user_model.objects.create_user("u", password="x-long-password-1")
    membership_add(actor="t", organisation=mine, user=user, role=Role.EDITOR)
    with pytest.raises(PermissionDenied, match=str(OWNER_MESSAGE)):
        scenario_create(
            actor=user,
            name="X",
            region=region,
            owner=other,
            base_year=2015,
            target_cut_percent=Decimal(50),
        )
    assert (
        scenario_create(
            actor=user,
            name="X",
            region=region,
            owner=mine,
            base_year=2015,
            target_cut_percent=Decimal(50),
        ).owner
        == mine
    )


def test_scenario_pages_create_and_compare(client, region, django_user_model):
    org = organisation_create(
        actor="t",
        name="Hamar kommune",
        kind=OrganisationKind.MUNICIPALITY,
        municipality=region.centre,
    )
    user = get_user_model().objects.create_user("h", password="x-long-password-1")
    membership_add(actor="t", organisation=org, user=user, role=Role.EDITOR)
    client.force_login(user)
    form = client.get(f"/kunnskap/scenarier/ny/?region={region.slug}").content.decode()
    assert "Veitrafikk" in form and "Jordbruk" in form
    response = client.post(
        f"/kunnskap/scenarier/ny/?region={region.slug}",
        {
            "name": "Plan A",
            "owner": "3403",
            "base_year": "2015",
            "target_year": "2030",
            "target_cut_percent": "55",
            "measure_0": "10",
            "measure_1": "50",
        },
    )
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and scenario.measures == {
        "Jordbruk": 10.0,
        "Veitrafikk": 50.0,
    }
    detail = client.get(scenario.get_absolute_url()).content.decode()
    assert 'class="ks-chart"' in detail and "Miljødirektoratet" in detail
    compared = client.get(f"/kunnskap/scenarier/?region={region.slug}").content.decode()
    assert "Plan A" in compared and "ks-gap-over" in compared


def test_scenario_api_returns_result_and_history(client, region):
    scenario = scenario_create(
        actor="t",
        name="API",
        region=region,
        base_year=2015,
        target_cut_percent=Decimal("55"),
        measures={"Veitrafikk": 50},
    )
    body = client.get(f"/api/v1/scenarios/{scenario.pk}").json()
    assert body["region"] == region.slug and body["result"]["base_total"] == 100_000
    assert {"id", "version", "measures"} <= set(body)
    assert client.get(f"/api/v1/scenarios/{scenario.pk}/history").json()["count"] == 1


def test_scenario_api_create_without_auth_is_401(client, region):
    response = client.post(
        "/api/v1/scenarios",
        {
            "name": "X",
            "region": region.slug,
            "owner": 1,
            "base_year": 2015,
            "target_cut_percent": 50,
        },
        content_type="application/json",
    )
    assert response.status_code == 401


def test_scenario_api_archive_and_restore_keep_history(client, region, django_user_model):
    admin = django_user_model.objects.create_user(
        "site", password="x-long-password-1", is_superuser=True
    )
    scenario = scenario_create(
        actor="t", name="Arkiv", region=region, base_year=2015, target_cut_percent=Decimal("50")
    )
    client.force_login(admin)
    url = f"/api/v1/scenarios/{scenario.pk}"
    assert (
        client.post(f"{url}/archive", {"version": 1}, content_type="application/json").json()[
            "version"
        ]
        == 2
    )
    assert (
        client.post(f"{url}/restore", {"version": 2}, content_type="application/json").json()[
            "version"
        ]
        == 3
    )
    actions = [i["action"] for i in client.get(f"{url}/history").json()["items"]]
    assert actions == ["scenario.restored", "scenario.archived", "scenario.created"]


def test_sector_table_applies_the_cut_to_the_latest_year_it_shows(client, region):
    # Farming: 25 000 t in the base year 2015, 23 000 t in 2022. A 10 % cut must read as a cut
    # of the figure beside it (2022), never as a change from the base year.
    scenario = scenario_create(
        actor="t",
        name="Sektorer",
        region=region,
        base_year=2015,
        target_cut_percent=Decimal("55"),
        measures={"Veitrafikk": 50, "Jordbruk": 10},
    )
    lines = {line.sector: line for line in compute(scenario).sectors}
    assert lines["Jordbruk"].latest == 23_000 and lines["Jordbruk"].base == 25_000
    assert lines["Jordbruk"].projected == pytest.approx(20_700)
    page = client.get(scenario.get_absolute_url()).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    jordbruk = next(r for r in rows.split("<tr>") if "Jordbruk" in r)
    assert "23" in jordbruk and "20" in jordbruk and "25" not in jordbruk
    assert "2022" in page.split("<table")[1].split("</thead>")[0]  # the column names the year
    api = client.get(f"/api/v1/scenarios/{scenario.pk}").json()["result"]["sectors"]
    farming = next(s for s in api if s["sector"] == "Jordbruk")
    assert (farming["base"], farming["latest"]) == (25_000, 23_000)


def test_unknown_sector_is_refused_everywhere_and_nothing_is_written(client, region, admin_user):
    with pytest.raises(ValidationError) as info, translation.override("en"):
        scenario_create(
            actor="t",
            name="Feil",
            region=region,
            base_year=2015,
            target_cut_percent=Decimal(50),
            measures={"Veitrafikk": 10, "Vegtrafikk": 40},
        )
    message = info.value.message_dict["measures"][0]
    assert message.endswith("“Vegtrafikk”; the sectors are: Jordbruk, Veitrafikk.")
    owner = organisation_create(actor="t", name="Hamar kommune", kind=OrganisationKind.ASSOCIATION)
    client.force_login(admin_user)
    response = client.post(
        "/api/v1/scenarios",
        {
            "name": "Feil",
            "region": region.slug,
            "owner": owner.pk,
            "base_year": 2015,
            "target_cut_percent": 50,
            "measures": {"Vegtrafikk": 40},
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["measures"]
    assert Scenario.objects.count() == 0
