"""Forms that handle several participants, versions or bodies work for every item."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.actors.choices import Role
from kraftsenter.actors.services import membership_add
from kraftsenter.cooperations import services
from kraftsenter.cooperations.models import BodyMember, CouncilDecision
from kraftsenter.cooperations.services import ParticipantInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(orgs):
    user = get_user_model().objects.create_user("hamar-red", password="x-long-password-1")
    membership_add(actor="t", organisation=orgs["3403"], user=user, role=Role.EDITOR)
    return user


@pytest.fixture
def coop(orgs):
    """An IPR of Hamar, Løten and Innlandet county municipality, with two agreement versions."""
    coop = services.cooperation_create(
        actor="t",
        name="Hamarregionen interkommunalt politisk råd",
        legal_form="ipr",
        areas=["regional_policy"],
        participants=[
            ParticipantInput(orgs["3403"], Decimal("40")),
            ParticipantInput(orgs["3412"], Decimal("30")),
            ParticipantInput(orgs["34"], Decimal("30")),
        ],
        start_date=dt.date(2020, 1, 1),
    )
    services.agreement_version_add(actor="t", cooperation=coop, summary="Første avtale")
    services.agreement_version_add(actor="t", cooperation=coop, summary="Endret")
    return coop


def test_council_decision_page_records_each_of_three_participants(client, coop, orgs, editor):
    client.force_login(editor)
    version = coop.agreement_versions.get(number=1)
    for number in ("3403", "3412", "34"):
        response = client.post(
            f"/samarbeid/{coop.pk}/vedtak/ny/",
            {
                "agreement_version": version.pk,
                "organisation": orgs[number].pk,
                "decided_on": "2020-01-01",
                "body": "kommunestyret",
            },
        )
        assert response.status_code == 302, response.content.decode()[:500]
    assert CouncilDecision.objects.filter(agreement_version=version).count() == 3


def test_council_decision_page_takes_the_second_agreement_version(client, coop, orgs, editor):
    client.force_login(editor)
    second = coop.agreement_versions.get(number=2)
    response = client.post(
        f"/samarbeid/{coop.pk}/vedtak/ny/",
        {
            "agreement_version": second.pk,
            "organisation": orgs["3412"].pk,
            "decided_on": "2021-01-01",
            "body": "kommunestyret",
        },
    )
    assert response.status_code == 302
    assert CouncilDecision.objects.get().agreement_version == second


def test_council_decision_page_refuses_an_unknown_participant_with_a_message(
    client, coop, orgs, editor
):
    client.force_login(editor)
    response = client.post(
        f"/samarbeid/{coop.pk}/vedtak/ny/",
        {
            "agreement_version": coop.agreement_versions.get(number=1).pk,
            "organisation": orgs["5601"].pk,
            "decided_on": "2020-01-01",
            "body": "kommunestyret",
        },
    )
    assert response.status_code == 422
    assert not CouncilDecision.objects.exists()


def test_body_member_page_adds_members_to_two_bodies(client, coop, orgs, editor):
    client.force_login(editor)
    council = services.body_add(actor="t", cooperation=coop, kind="representantskap")
    board = services.body_add(actor="t", cooperation=coop, kind="board")
    for body, name in ((council, "Kari Nordmann"), (board, "Ola Nordmann"), (board, "Per Hansen")):
        response = client.post(
            f"/samarbeid/{coop.pk}/organer/medlem/ny/",
            {"body": body.pk, "person_name": name, "role": "member", "organisation": "3403"},
        )
        assert response.status_code == 302, response.content.decode()[:500]
    assert sorted(m.person_name for m in BodyMember.objects.filter(body=board)) == [
        "Ola Nordmann",
        "Per Hansen",
    ]
    assert BodyMember.objects.filter(body=council).count() == 1
