"""The steps that handle several parties work for every party, not only the first."""

from __future__ import annotations

import datetime as dt

import pytest

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.services import organisation_create
from kraftsenter.consultations import services
from kraftsenter.consultations.models import InformationEntry

from .conftest import screen
from .test_views_api import user_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(case, sami):
    """Three Sami parties, notified."""
    case = screen(case)
    siida = organisation_create(actor="t", name="Siida Ávžža", kind=OrganisationKind.SIIDA)
    for org in (sami["sametinget"], sami["district"], siida):
        services.party_add(actor="t", consultation=case, organisation=org)
    case.refresh_from_db()
    return services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="Varsel om planarbeid",
        response_deadline=dt.date(2026, 4, 1),
    )


def test_answer_page_records_the_answer_of_each_of_three_parties(client, notified, sami):
    client.force_login(user_in(sami["karasjok"]))
    parties = list(notified.parties.order_by("pk"))
    assert len(parties) == 3
    for party, answer in zip(parties, ("declines", "wants", "wants"), strict=True):
        response = client.post(
            f"/konsultasjoner/{notified.pk}/parter/{party.pk}/svar/",
            {"response": answer, "responded_on": "2026-03-10"},
        )
        assert response.status_code == 302, response.content.decode()[:500]
    assert [p.response for p in notified.parties.order_by("pk")] == ["declines", "wants", "wants"]
    notified.refresh_from_db()
    assert notified.status == "in_consultation"


def test_information_page_shares_with_the_second_and_third_party(client, notified, sami):
    client.force_login(user_in(sami["karasjok"]))
    second, third = [p.organisation for p in notified.parties.order_by("pk")][1:]
    response = client.post(
        f"/konsultasjoner/{notified.pk}/informasjon/ny/",
        {
            "shared_on": "2026-03-05",
            "content": "Kart over beiteområdene",
            "shared_with": [second.pk, third.pk],
            "access": "exempt",
            "exemption_basis": "offl_13",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    entry = InformationEntry.objects.get()
    assert set(entry.shared_with.all()) == {second, third}


def test_information_page_refuses_an_organisation_that_is_not_a_party(client, notified, sami):
    client.force_login(user_in(sami["karasjok"]))
    response = client.post(
        f"/konsultasjoner/{notified.pk}/informasjon/ny/",
        {"shared_on": "2026-03-05", "content": "Kart", "shared_with": [sami["firm"].pk]},
    )
    assert response.status_code == 422
    assert not InformationEntry.objects.exists()
