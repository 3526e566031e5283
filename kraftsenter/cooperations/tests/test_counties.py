"""The county filter reads the counties kept for each cooperation (cooperations/counties.py):
they follow the participants as they are added and withdrawn, and the organisations when one
moves to another county, so the register finds what its participants say."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kraftsenter.actors.services import organisations_sync_from_places
from kraftsenter.cooperations import counties, services
from kraftsenter.cooperations.models import CooperationCounty, Participant
from kraftsenter.cooperations.services import ParticipantInput
from kraftsenter.places.models import County, Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    return client


def _names(client, county: str, *, page: bool = False) -> set[str]:
    if page:
        response = client.get(f"/samarbeid/?county={county}")
        assert response.status_code == 200
        return {c.name for c in response.context["page_obj"].object_list}
    response = client.get(f"/api/v1/cooperations?county={county}")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"])
    return {item["name"] for item in body["items"]}


def _derived() -> set[tuple[int, int]]:
    """The pairs as the participants give them, worked out here without the module."""
    return {
        (p.cooperation_id, p.organisation.county_id)
        for p in Participant.objects.filter(archived_at__isnull=True).select_related("organisation")
        if p.organisation.county_id is not None
    }


def _kept() -> set[tuple[int, int]]:
    return set(CooperationCounty.objects.values_list("cooperation_id", "county_id"))


def test_participants_added_and_withdrawn_move_the_cooperation_between_counties(
    admin_client, orgs, ipr_data
):
    coop = services.cooperation_create(actor="t", **ipr_data)  # Hamar and Løten: Innlandet
    other = services.cooperation_create(
        actor="t",
        **{
            **ipr_data,
            "name": "Vest-Finnmark IPR",
            "participants": [
                ParticipantInput(orgs["5601"], Decimal("50")),
                ParticipantInput(orgs["5610"], Decimal("50")),
            ],
        },
    )
    assert _names(admin_client, "34") == {coop.name}
    assert _names(admin_client, "56") == {other.name}
    # A second and a third participant, in Finnmark: the cooperation is in both counties.
    coop = services.cooperation_update(
        actor="t",
        cooperation=coop,
        expected_version=coop.version,
        participants=[
            ParticipantInput(orgs["3403"], Decimal("40")),
            ParticipantInput(orgs["3412"], Decimal("20")),
            ParticipantInput(orgs["5601"], Decimal("20")),
            ParticipantInput(orgs["5610"], Decimal("20")),
        ],
    )
    assert _names(admin_client, "34") == {coop.name}
    assert _names(admin_client, "56") == {coop.name, other.name}
    assert _names(admin_client, "56", page=True) == {coop.name, other.name}
    # Innlandet's two withdraw: it is Finnmark's only.
    coop = services.cooperation_update(
        actor="t",
        cooperation=coop,
        expected_version=coop.version,
        participants=[
            ParticipantInput(orgs["5601"], Decimal("50")),
            ParticipantInput(orgs["5610"], Decimal("50")),
        ],
    )
    assert _names(admin_client, "34") == set()
    assert _names(admin_client, "34", page=True) == set()
    assert _names(admin_client, "56") == {coop.name, other.name}
    # New shares for the same participants write no county pairs.
    kept = list(CooperationCounty.objects.order_by("pk").values_list("pk", flat=True))
    services.cooperation_update(
        actor="t",
        cooperation=coop,
        expected_version=coop.version,
        participants=[
            ParticipantInput(orgs["5601"], Decimal("70")),
            ParticipantInput(orgs["5610"], Decimal("30")),
        ],
    )
    assert list(CooperationCounty.objects.order_by("pk").values_list("pk", flat=True)) == kept
    assert _kept() == _derived()


def test_a_municipality_moved_to_another_county_takes_its_cooperations_along(
    admin_client, orgs, ipr_data
):
    coop = services.cooperation_create(actor="t", **ipr_data)  # Hamar and Løten
    alone = services.cooperation_create(
        actor="t",
        **{
            **ipr_data,
            "name": "Løten og Hamar IPR",
            "participants": [
                ParticipantInput(orgs["3412"], Decimal("50")),
                ParticipantInput(orgs["3403"], Decimal("50")),
            ],
        },
    )
    # The reference data moves Løten to Finnmark; the organisations follow their municipality.
    loten = Municipality.objects.get(number="3412")
    loten.county = County.objects.get(number="56")
    loten.save()
    organisations_sync_from_places()
    orgs["3412"].refresh_from_db()
    assert orgs["3412"].county.number == "56"
    assert _names(admin_client, "56") == {coop.name, alone.name}
    assert _names(admin_client, "34") == {coop.name, alone.name}  # Hamar is still there
    assert _kept() == _derived()


def test_rebuild_gives_what_the_services_kept(orgs, ipr_data):
    services.cooperation_create(actor="t", **ipr_data)
    services.cooperation_create(
        actor="t",
        **{
            **ipr_data,
            "name": "Tre fylker IPR",
            "participants": [
                ParticipantInput(orgs["3403"], Decimal("34")),
                ParticipantInput(orgs["5601"], Decimal("33")),
                ParticipantInput(orgs["5610"], Decimal("33")),
            ],
        },
    )
    kept = _kept()
    assert kept == _derived() and len(kept) == 3
    CooperationCounty.objects.all().delete()
    assert counties.rebuild() == 3
    assert _kept() == kept
    # A refresh of cooperations whose pairs are right writes nothing, and one of a pair lost
    # puts it back.
    lost = CooperationCounty.objects.order_by("pk").first()
    assert lost is not None
    lost.delete()
    counties.refresh(cooperation_id for cooperation_id, _county in kept)
    assert _kept() == kept


def test_pairs_written_again_are_kept_once(orgs, ipr_data):
    """A write that finds a pair already there (kept by a refresh in between) leaves it."""
    coop = services.cooperation_create(actor="t", **ipr_data)
    before = _kept()
    counties.participants_written(coop.pk, [], [orgs["3403"], orgs["5601"]])
    assert CooperationCounty.objects.filter(cooperation=coop).count() == 2
    assert _kept() == before | {(coop.pk, orgs["5601"].county_id)}
