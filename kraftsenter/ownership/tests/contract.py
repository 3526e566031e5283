"""The ownership interest register's part of the shared register contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.forms import organisation_label
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create
from kraftsenter.core.testing import Handover, RegisterContract
from kraftsenter.ownership import services
from kraftsenter.ownership.permissions import INTEREST_POLICY


def company() -> Organisation:
    """The company the interest is in (one per test database)."""
    found = Organisation.objects.filter(name="Fjellnett AS").first()
    return found or organisation_create(actor="t", name="Fjellnett AS", kind=OrganisationKind.AS)


def _make(owner):
    return services.interest_create(
        actor="t",
        holder=owner,
        kind="as_partly_owned",
        entity=company(),
        share=Decimal("40"),
        purpose="Sikre bredbånd i hele kommunen.",
        decided_on=dt.date(2021, 6, 17),
        case_reference="21/1234",
    )


def _page_edit_data(interest) -> dict:
    return {
        "holder": organisation_label(interest.holder),
        "kind": interest.kind,
        "entity": organisation_label(interest.entity),
        "share": "45",
        "purpose": interest.purpose + " Og sikre lokale arbeidsplasser.",
        "management_principles": "",
        "decision_body": "kommunestyret",
        "decided_on": "2021-06-17",
        "case_reference": "21/1234",
        "published": "on",
        "version": interest.version,
    }


CONTRACT = RegisterContract(
    name="ownership_interest",
    policy=INTEREST_POLICY,
    make=_make,
    update=lambda actor, i: services.interest_update(
        actor=actor, interest=i, expected_version=i.version, share=Decimal("45")
    ),
    archive=lambda actor, i: services.interest_archive(actor=actor, interest=i),
    detail_url=lambda i: f"/eierskap/interesser/{i.pk}/",
    edit_url=lambda i: f"/eierskap/interesser/{i.pk}/endre/",
    archive_url=lambda i: f"/eierskap/interesser/{i.pk}/arkiver/",
    api_url=lambda i: f"/api/v1/ownership-interests/{i.pk}",
    page_edit_data=_page_edit_data,
    api_patch=lambda i: {"version": i.version, "purpose": "Via API"},
    # A company with other owners too cannot be owned 100 % (rule interest_share_partly_owned).
    api_invalid_patch=lambda i: {"version": i.version, "share": 100},
    text_field="purpose",
    handovers={
        "holder_to_another": Handover(
            "patch",
            lambda i: f"/api/v1/ownership-interests/{i.pk}",
            lambda i, other: {"version": i.version, "holder": other.pk},
        ),
    },
)
