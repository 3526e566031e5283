"""The consultation register's part of the shared register contract.

The contract's owning organisation takes part as a Sami party (the authority is a
municipality): party editors may edit the case; only the authority archives it.
"""

from __future__ import annotations

import datetime as dt

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create
from kraftsenter.consultations import services
from kraftsenter.core.testing import RegisterContract
from kraftsenter.places.models import County, Municipality


def _make(owner):
    Organisation.objects.filter(pk=owner.pk).update(kind=OrganisationKind.SAMI_ORGANISATION)
    owner.refresh_from_db()
    county, _ = County.objects.get_or_create(
        number="56",
        defaults={"name": "Finnmark", "name_nb": "Finnmark", "valid_from": dt.date(2024, 1, 1)},
    )
    muni, _ = Municipality.objects.get_or_create(
        number="5610",
        defaults={
            "name": "Kárášjohka - Karasjok",
            "name_nb": "Karasjok",
            "county": county,
            "sami_language_area": True,
            "valid_from": dt.date(2024, 1, 1),
        },
    )
    authority = organisation_create(
        actor="t", name="Karasjok kommune", kind=OrganisationKind.MUNICIPALITY, municipality=muni
    )
    case = services.consultation_create(
        actor="t", title="Reguleringsplan", kind="plan", authority=authority, municipalities=[muni]
    )
    services.party_add(actor="t", consultation=case, organisation=owner)
    case.refresh_from_db()
    return case


def _page_edit_data(case) -> dict:
    return {
        "title": case.title + " (endret)",
        "kind": case.kind,
        "authority": "x",
        "municipalities": "5610",
        "published": "on",
        "version": case.version,
    }


CONTRACT = RegisterContract(
    name="consultation",
    make=_make,
    update=lambda actor, c: services.consultation_update(
        actor=actor, consultation=c, expected_version=c.version, description="Endret"
    ),
    archive=lambda actor, c: services.consultation_archive(actor=actor, consultation=c),
    detail_url=lambda c: f"/konsultasjoner/{c.pk}/",
    edit_url=lambda c: f"/konsultasjoner/{c.pk}/endre/",
    archive_url=lambda c: f"/konsultasjoner/{c.pk}/arkiver/",
    api_url=lambda c: f"/api/v1/consultations/{c.pk}",
    page_edit_data=_page_edit_data,
    api_patch=lambda c: {"version": c.version, "description": "Via API"},
    archive_roles=("site_admin",),
    archiver="site_admin",
    text_field="title",
)
