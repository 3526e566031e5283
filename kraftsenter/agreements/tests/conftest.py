"""Fixtures: the small places (Innlandet: Hamar, Løten; Finnmark: Alta, Karasjok), their
organisations, an inter-municipal council, users with roles, and a draft and an active
agreement between Innlandet county municipality (lead), Hamar and Løten."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import (
    membership_add,
    organisation_create,
    organisations_sync_from_places,
)
from kraftsenter.agreements import services
from kraftsenter.agreements.services import PartyInput

START = dt.date(2024, 1, 1)
END = dt.date(2027, 12, 31)


@pytest.fixture
def orgs(small_places):
    """By municipality or county number; plus "ipr", "state" and "sameting"."""
    organisations_sync_from_places()
    found = {
        o.municipality.number if o.municipality else o.county.number: o
        for o in Organisation.objects.filter(kind__in=["municipality", "county_municipality"])
    }
    found["ipr"] = organisation_create(
        actor="t", name="Hamarregionen IPR", kind=OrganisationKind.IPR
    )
    found["state"] = organisation_create(
        actor="t", name="Innovasjon Norge", kind=OrganisationKind.STATE_FUNDING_AGENCY
    )
    found["sameting"] = organisation_create(
        actor="t", name="Sametinget", kind=OrganisationKind.SAMETINGET
    )
    return found


def make_user(username: str, organisation=None, role: str = Role.EDITOR, **extra):
    user = get_user_model().objects.create_user(
        username, password="x-long-password-1", email=f"{username}@example.invalid", **extra
    )
    if organisation is not None:
        membership_add(actor="t", organisation=organisation, user=user, role=role)
    return user


@pytest.fixture
def users(orgs):
    """Editors of Hamar, Løten and Innlandet (the lead), a member of Hamar, an outsider."""
    return {
        "hamar": make_user("hamar-red", orgs["3403"]),
        "loten": make_user("loten-red", orgs["3412"]),
        "county": make_user("innlandet-red", orgs["34"]),
        "member": make_user("hamar-medlem", orgs["3403"], Role.MEMBER),
        "hamar_admin": make_user("hamar-admin", orgs["3403"], Role.ADMIN),
        "outsider": make_user("alta-red", orgs["5601"]),
    }


def make_commitments(agreement, party, n: int) -> list:
    """``n`` commitments of ``party`` in ``agreement``, due 30 June 2025, through the service."""
    return [
        services.commitment_create(
            actor="t",
            agreement=agreement,
            party=party,
            description=f"Tiltak {i}",
            due_date=dt.date(2025, 6, 30),
        )
        for i in range(n)
    ]


def bearer(user) -> dict:
    _token, text = token_create(actor="t", user=user, name="t", days=1)
    return {"Authorization": f"Bearer {text}"}


@pytest.fixture
def agreement(orgs):
    """A draft regional growth agreement 2024–2027; no decisions yet."""
    return services.agreement_create(
        actor="t",
        title="Regionvekstavtale Hamarregionen",
        kind="regional_growth",
        period_start=START,
        period_end=END,
        lead=orgs["34"],
        parties=[orgs["34"], orgs["3403"], orgs["3412"]],
        description="Samordning mellom sektorer.",
    )


@pytest.fixture
def active_agreement(orgs):
    """An active agreement: every party has adopted it."""
    return services.agreement_create(
        actor="t",
        title="Regionvekstavtale Innlandet sør",
        kind="regional_growth",
        period_start=START,
        period_end=END,
        lead=orgs["34"],
        status="active",
        parties=[
            PartyInput(orgs["34"], "fylkestinget", dt.date(2023, 12, 12), "23/100"),
            PartyInput(orgs["3403"], "kommunestyret", dt.date(2023, 12, 14), "23/7"),
            PartyInput(orgs["3412"], "kommunestyret", dt.date(2023, 12, 15), "23/9"),
        ],
    )


@pytest.fixture
def commitment(active_agreement, orgs):
    return services.commitment_create(
        actor="t",
        agreement=active_agreement,
        party=orgs["3403"],
        description="Bygge ut ladeinfrastruktur i sentrum",
        due_date=dt.date(2025, 6, 30),
    )
