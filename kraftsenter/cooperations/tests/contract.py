"""The cooperation register's part of the shared register contract."""

from __future__ import annotations

import datetime as dt

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.services import organisation_create
from kraftsenter.cooperations import services
from kraftsenter.core.testing import RegisterContract
from kraftsenter.places.models import County, Municipality


def _municipal_partners():
    county, _ = County.objects.get_or_create(
        number="34",
        defaults={"name": "Innlandet", "name_nb": "Innlandet", "valid_from": dt.date(2024, 1, 1)},
    )
    partners = []
    for number, name in (("3403", "Hamar"), ("3412", "Løten")):
        muni, _ = Municipality.objects.get_or_create(
            number=number,
            defaults={
                "name": name,
                "name_nb": name,
                "county": county,
                "valid_from": dt.date(2024, 1, 1),
            },
        )
        partners.append(
            organisation_create(
                actor="t",
                name=f"{name} kommune",
                kind=OrganisationKind.MUNICIPALITY,
                municipality=muni,
            )
        )
    return partners


def _make(owner):
    partners = _municipal_partners()
    return services.cooperation_create(
        actor="t",
        name="Innlandet kulturforening",
        legal_form="association",
        areas=["culture"],
        participants=[services.ParticipantInput(o) for o in (owner, *partners)],
    )


def _page_edit_data(coop) -> dict:
    return {
        "name": coop.name + " (endret)",
        "legal_form": coop.legal_form,
        "areas": ["culture"],
        "status": coop.status,
        "published": "on",
        "version": coop.version,
    }


CONTRACT = RegisterContract(
    name="cooperation",
    make=_make,
    update=lambda actor, coop: services.cooperation_update(
        actor=actor, cooperation=coop, expected_version=coop.version, purpose="Kultur"
    ),
    archive=lambda actor, coop: services.cooperation_archive(actor=actor, cooperation=coop),
    detail_url=lambda coop: f"/samarbeid/{coop.pk}/",
    edit_url=lambda coop: f"/samarbeid/{coop.pk}/endre/",
    archive_url=lambda coop: f"/samarbeid/{coop.pk}/arkiver/",
    api_url=lambda coop: f"/api/v1/cooperations/{coop.pk}",
    page_edit_data=_page_edit_data,
    api_patch=lambda coop: {"version": coop.version, "purpose": "Endret formål"},
)
