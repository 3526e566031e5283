"""The agreement list's county filter and the county dashboard read the counties kept for each
agreement (agreements/counties.py, actors/county_links.py): they follow the parties as they
are added and removed, a renewal, and an organisation that moves to another county."""

from __future__ import annotations

import datetime as dt

import pytest

from kraftsenter.actors.services import organisations_sync_from_places
from kraftsenter.agreements import counties, dashboards, services
from kraftsenter.agreements.models import AgreementCounty, AgreementParty
from kraftsenter.agreements.services import PartyInput
from kraftsenter.places.models import County, Municipality

from .conftest import END, START

pytestmark = pytest.mark.django_db


def _titles(client, county: str) -> set[str]:
    response = client.get(f"/api/v1/agreements?county={county}")
    assert response.status_code == 200
    page = client.get(f"/avtaler/?county={county}")
    assert page.status_code == 200
    titles = {item["title"] for item in response.json()["items"]}
    assert {a.title for a in page.context["page_obj"].object_list} == titles
    return titles


def _derived() -> set[tuple[int, int]]:
    return {
        (p.agreement_id, p.organisation.county_id)
        for p in AgreementParty.objects.filter(archived_at__isnull=True).select_related(
            "organisation"
        )
        if p.organisation.county_id is not None
    }


def _kept() -> set[tuple[int, int]]:
    return set(AgreementCounty.objects.values_list("agreement_id", "county_id"))


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    return client


def _create(orgs, title: str, numbers: list[str]):
    return services.agreement_create(
        actor="t",
        title=title,
        kind="regional_growth",
        period_start=START,
        period_end=END,
        lead=orgs[numbers[0]],
        parties=[PartyInput(orgs[n]) for n in numbers],
    )


def test_parties_added_and_removed_move_the_agreement_between_counties(admin_client, orgs):
    hamar = _create(orgs, "Hamar og Løten", ["3403", "3412"])
    north = _create(orgs, "Vest-Finnmark", ["5601", "5610"])
    assert _titles(admin_client, "34") == {hamar.title}
    assert _titles(admin_client, "56") == {north.title}
    # A second and a third party in Finnmark: the agreement is in both counties.
    hamar = services.agreement_update(
        actor="t",
        agreement=hamar,
        expected_version=hamar.version,
        parties=[PartyInput(orgs[n]) for n in ["3403", "3412", "5601", "5610"]],
    )
    assert _titles(admin_client, "34") == {hamar.title}
    assert _titles(admin_client, "56") == {hamar.title, north.title}
    # Innlandet's two leave.
    hamar = services.agreement_update(
        actor="t",
        agreement=hamar,
        expected_version=hamar.version,
        lead=orgs["5601"],
        parties=[PartyInput(orgs[n]) for n in ["5601", "5610"]],
    )
    assert _titles(admin_client, "34") == set()
    assert _titles(admin_client, "56") == {hamar.title, north.title}
    # A decision recorded for the same parties writes no pairs.
    kept = list(AgreementCounty.objects.order_by("pk").values_list("pk", flat=True))
    services.agreement_update(
        actor="t",
        agreement=hamar,
        expected_version=hamar.version,
        parties=[
            PartyInput(orgs["5601"], "kommunestyret", dt.date(2024, 2, 1), "24/1"),
            PartyInput(orgs["5610"]),
        ],
    )
    assert list(AgreementCounty.objects.order_by("pk").values_list("pk", flat=True)) == kept
    assert _kept() == _derived()


def test_a_renewal_and_a_move_keep_the_counties(admin_client, orgs):
    old = services.agreement_create(
        actor="t",
        title="Hamar og Løten",
        kind="regional_growth",
        period_start=START,
        period_end=END,
        lead=orgs["3403"],
        status="active",
        parties=[
            PartyInput(orgs["3403"], "kommunestyret", dt.date(2023, 12, 14), "23/7"),
            PartyInput(orgs["3412"], "kommunestyret", dt.date(2023, 12, 15), "23/9"),
        ],
    )
    new = services.agreement_renew(
        actor="t",
        agreement=old,
        period_start=dt.date(2028, 1, 1),
        period_end=dt.date(2031, 12, 31),
        title="Hamar og Løten 2028",
    )
    assert _titles(admin_client, "34") == {old.title, new.title}
    # The reference data moves Løten to Finnmark; its organisation and agreements follow.
    loten = Municipality.objects.get(number="3412")
    loten.county = County.objects.get(number="56")
    loten.save()
    organisations_sync_from_places()
    assert _titles(admin_client, "56") == {old.title, new.title}
    assert _titles(admin_client, "34") == {old.title, new.title}  # Hamar is still there
    assert _kept() == _derived()
    deleted, _kinds = AgreementCounty.objects.all().delete()
    assert deleted == 4
    assert counties.rebuild() == 4 and _kept() == _derived()


def test_the_county_dashboard_counts_the_agreements_kept_for_the_county(orgs, users):
    _create(orgs, "Hamar og Løten", ["3403", "3412"])
    _create(orgs, "Innlandet og Alta", ["34", "5601"])
    _create(orgs, "Vest-Finnmark", ["5601", "5610"])
    innlandet = County.objects.get(number="34")
    data = dashboards.county_dashboard(
        user=users["county"], county=innlandet, today=dt.date(2025, 1, 1)
    )
    assert data.agreement_count == 2
    assert {a.title for a in data.agreements} == {"Hamar og Løten", "Innlandet og Alta"}
