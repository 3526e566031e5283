from __future__ import annotations

import datetime as dt

import pytest

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create, organisations_sync_from_places
from kraftsenter.consultations import services
from kraftsenter.places.models import Municipality


@pytest.fixture
def sami(small_places):
    """Karasjok municipality as authority, Sametinget, a reindeer-herding district, a firm."""
    organisations_sync_from_places()
    orgs = {
        "karasjok": Organisation.objects.get(kind="municipality", municipality__number="5610"),
        "finnmark": Organisation.objects.get(kind="county_municipality", county__number="56"),
        "sametinget": organisation_create(
            actor="t", name="Sametinget", kind=OrganisationKind.SAMETINGET
        ),
        "district": organisation_create(
            actor="t", name="Reinbeitedistrikt 13", kind=OrganisationKind.REINDEER_HERDING_DISTRICT
        ),
        "firm": organisation_create(actor="t", name="Vindkraft AS", kind=OrganisationKind.BUSINESS),
        "state": organisation_create(
            actor="t",
            name="Statsforvalteren i Troms og Finnmark",
            kind=OrganisationKind.STATSFORVALTER,
        ),
    }
    return orgs


@pytest.fixture
def case(sami):
    return services.consultation_create(
        actor="t",
        title="Kommuneplanens samfunnsdel",
        kind="plan",
        plan_kind="community_part",
        authority=sami["karasjok"],
        municipalities=[Municipality.objects.get(number="5610")],
    )


def screen(case, result="required", **answers):
    data = {
        "direct_effect": True,
        "general_matter": False,
        "natural_basis": True,
        "traditional_area": True,
    }
    data.update(answers)
    return services.screening_record(
        actor="t",
        consultation=case,
        expected_version=case.version,
        reasoning="Berører beite.",
        result=result,
        **data,
    )


def codes(info, field):
    """The rule ids of a refusal's errors on one field (stable, unlike translated messages)."""
    return [e.code for e in info.value.error_dict[field]]


def assessments(case):
    """A document of the case holding the Sami parties' assessments (sameloven § 4-7)."""
    return [
        services.document_add(
            actor="t",
            consultation=case,
            title="Distriktets vurderinger",
            url="https://example.no/vurderinger.pdf",
        )
    ]


def in_consultation(case, sami, *, still_possible=False):
    case = screen(case)
    for key in ("sametinget", "district"):
        services.party_add(actor="t", consultation=case, organisation=sami[key])
    case.refresh_from_db()
    case = services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="Varsel om planarbeid",
        response_deadline=dt.date(2026, 4, 1),
    )
    for party in case.parties.all():
        services.party_respond(
            actor="t",
            party=party,
            response="wants",
            responded_on=dt.date(2026, 3, 15),
            agreement_still_possible=still_possible,
        )
    case.refresh_from_db()
    return case
