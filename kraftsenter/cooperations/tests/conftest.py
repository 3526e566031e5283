from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create, organisations_sync_from_places


@pytest.fixture
def orgs(small_places):
    """Municipalities Hamar, Løten, Alta, Karasjok, two county municipalities, an IKS, a firm."""
    organisations_sync_from_places()
    found = {
        o.municipality.number if o.municipality else o.county.number: o
        for o in Organisation.objects.filter(kind__in=["municipality", "county_municipality"])
    }
    found["iks"] = organisation_create(
        actor="t", name="Revisjon Innlandet IKS", kind=OrganisationKind.IKS
    )
    found["firm"] = organisation_create(
        actor="t", name="Snøbrøyt AS", kind=OrganisationKind.BUSINESS
    )
    return found


@pytest.fixture
def ipr_data(orgs):
    from kraftsenter.cooperations.services import ParticipantInput

    return {
        "name": "Hamarregionen interkommunalt politisk råd",
        "legal_form": "ipr",
        "areas": ["regional_policy", "business"],
        "participants": [
            ParticipantInput(orgs["3403"], Decimal("60")),
            ParticipantInput(orgs["3412"], Decimal("40")),
        ],
        "start_date": dt.date(2020, 1, 1),
        "purpose": "Regional utvikling",
    }
