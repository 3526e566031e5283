from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import (
    membership_add,
    organisation_create,
    organisations_sync_from_places,
)
from kraftsenter.cooperations.models import Cooperation
from kraftsenter.cooperations.services import ParticipantInput, cooperation_create


@pytest.fixture
def orgs(small_places):
    """Hamar, Løten (and the other small places) with their county municipalities, and the
    entities Hamar has interests in."""
    organisations_sync_from_places()
    found = {
        o.municipality.number if o.municipality else o.county.number: o
        for o in Organisation.objects.filter(kind__in=["municipality", "county_municipality"])
    }
    for key, name, kind in (
        ("as", "Hamar Bredbånd AS", OrganisationKind.AS),
        ("as2", "Mjøsen Skog AS", OrganisationKind.AS),
        ("kf", "Hamar Eiendom KF", OrganisationKind.BUSINESS),
        ("foundation", "Stiftelsen Domkirkeodden", OrganisationKind.FOUNDATION),
        ("association", "Hamar Næringsforening", OrganisationKind.ASSOCIATION),
    ):
        found[key] = organisation_create(actor="t", name=name, kind=kind)
    return found


def make_cooperation(orgs, name, form, shares, *, status="active", **kw):
    coop = cooperation_create(
        actor="t",
        name=name,
        legal_form=form,
        areas=["other"],
        participants=[
            ParticipantInput(orgs[k], Decimal(v) if v is not None else None)
            for k, v in shares.items()
        ],
        **kw,
    )
    # Test set-up: the status a cooperation reaches through its services in real use.
    Cooperation.objects.filter(pk=coop.pk).update(status=status)
    coop.refresh_from_db()
    return coop


@pytest.fixture
def iks(orgs):
    return make_cooperation(
        orgs,
        "Innlandet Revisjon IKS",
        "iks",
        {"3403": "60", "3412": "40"},
        purpose="Revisjon av kommunene",
    )


@pytest.fixture
def editor(orgs):
    user = get_user_model().objects.create_user("hamar-ed", password="x-long-password-1")
    membership_add(actor="t", organisation=orgs["3403"], user=user, role=Role.EDITOR)
    return user


@pytest.fixture
def member(orgs):
    user = get_user_model().objects.create_user("hamar-m", password="x-long-password-1")
    membership_add(actor="t", organisation=orgs["3403"], user=user, role=Role.MEMBER)
    return user
