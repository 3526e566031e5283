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


def _active(orgs, title: str, second: str):
    """An active agreement led by Hamar, with ``second`` as the other party; both adopted."""
    return services.agreement_create(
        actor="t",
        title=title,
        kind="regional_growth",
        period_start=START,
        period_end=END,
        lead=orgs["3403"],
        status="active",
        parties=[
            PartyInput(orgs["3403"], "kommunestyret", dt.date(2023, 12, 14), "23/7"),
            PartyInput(orgs[second], "kommunestyret", dt.date(2023, 12, 15), "23/9"),
        ],
    )


def _renewed(old):
    """The agreement renewed for 2028–2031, "<title> 2028"."""
    return services.agreement_renew(
        actor="t",
        agreement=old,
        period_start=dt.date(2028, 1, 1),
        period_end=dt.date(2031, 12, 31),
        title=f"{old.title} 2028",
    )


def test_a_renewal_and_a_move_keep_the_counties(admin_client, orgs):
    old = _active(orgs, "Hamar og Løten", "3412")
    new = _renewed(old)
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


def _party_counties() -> dict[int, int | None]:
    from kraftsenter.agreements.models import Commitment

    return dict(Commitment.objects.values_list("pk", "party_county_id"))


def _derived_party_counties() -> dict[int, int | None]:
    from kraftsenter.agreements.models import Commitment

    return {c.pk: c.party.county_id for c in Commitment.objects.select_related("party")}


def _commitment_ids(client, county: str) -> set[int]:
    answer = client.get("/api/v1/commitments", {"county": county, "limit": 100})
    assert answer.status_code == 200
    page = client.get(f"/forpliktelser/?county={county}")
    ids = {item["id"] for item in answer.json()["items"]}
    assert page.context["paginator"].count == len(ids)
    return ids


def test_commitments_keep_their_partys_county_through_changes_and_moves(admin_client, orgs):
    """Each commitment keeps its party's county (the list's county filter reads it): set when
    it is made, moved with a new party, left alone by other changes, and moved with an
    organisation that moves to another county, archived commitments too; never in the history
    or the API."""
    from kraftsenter.agreements.models import Commitment
    from kraftsenter.core.models import ChangeRecord

    agreement = _create(orgs, "Innlandet og Alta", ["34", "3403", "3412", "5601"])
    made = {
        key: services.commitment_create(
            actor="t",
            agreement=agreement,
            party=orgs[party],
            description=f"Tiltak {key}",
            due_date=dt.date(2025, 3, 1) + dt.timedelta(days=i),
        )
        for i, (key, party) in enumerate(
            [
                ("county", "34"),
                ("hamar", "3403"),
                ("loten", "3412"),
                ("alta", "5601"),
                ("loten2", "3412"),
            ]
        )
    }
    innlandet, finnmark = County.objects.get(number="34"), County.objects.get(number="56")
    assert _party_counties() == _derived_party_counties()
    assert {made[k].pk for k in ("county", "hamar", "loten", "loten2")} == _commitment_ids(
        admin_client, "34"
    )
    assert _commitment_ids(admin_client, "56") == {made["alta"].pk}

    # The third commitment moves to Alta's party: to Finnmark. A change of status alone
    # leaves the county as it is.
    services.commitment_update(
        actor="t", commitment=made["loten"], expected_version=None, party=orgs["5601"]
    )
    services.commitment_update(
        actor="t", commitment=made["hamar"], expected_version=None, status="at_risk"
    )
    kept = _party_counties()
    assert kept[made["loten"].pk] == finnmark.pk and kept[made["hamar"].pk] == innlandet.pk
    assert kept == _derived_party_counties()
    assert _commitment_ids(admin_client, "56") == {made["alta"].pk, made["loten"].pk}

    # Løten's other commitment is archived; then the reference data moves Løten to Finnmark.
    services.commitment_archive(actor="t", commitment=made["loten2"], expected_version=None)
    loten = Municipality.objects.get(number="3412")
    loten.county = finnmark
    loten.save()
    organisations_sync_from_places()
    assert _party_counties()[made["loten2"].pk] == finnmark.pk
    assert _party_counties() == _derived_party_counties()

    # Derived data: not in a record's history, not in the API.
    for change in ChangeRecord.objects.filter(object_id__in=[str(c.pk) for c in made.values()]):
        assert "party_county" not in (change.before or {})
        assert "party_county" not in (change.after or {})
    detail = admin_client.get(f"/api/v1/commitments/{made['alta'].pk}").json()
    assert "party_county" not in detail and detail["party"] == orgs["5601"].pk

    # Rebuilt from the parties after a bulk load.
    Commitment.objects.update(party_county=None)
    assert counties.PARTY_COUNTIES.rebuild() == len(made)
    assert _party_counties() == _derived_party_counties()


def test_a_renewal_carries_each_commitment_over_with_its_partys_county(admin_client, orgs):
    old = _active(orgs, "Hamar og Alta", "5601")
    for i, party in enumerate(["3403", "5601", "3403"]):
        services.commitment_create(
            actor="t",
            agreement=old,
            party=orgs[party],
            description=f"Tiltak {i}",
            due_date=dt.date(2026, 6, 1) + dt.timedelta(days=i),
        )
    new = _renewed(old)
    copies = new.commitments.all()
    assert len(copies) == 3
    assert _party_counties() == _derived_party_counties()
    innlandet = County.objects.get(number="34")
    assert sorted(c.party_county_id == innlandet.pk for c in copies) == [False, True, True]
    assert {c.pk for c in copies} < _commitment_ids(admin_client, "34") | _commitment_ids(
        admin_client, "56"
    )
