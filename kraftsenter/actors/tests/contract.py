"""The organisation register's part of the shared register contract."""

from __future__ import annotations

from kraftsenter.actors import services
from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.core.testing import RegisterContract


def _make(owner):
    # An organisation owns its own record: the contract's owner *is* the record.
    return owner


def _page_edit_data(org) -> dict:
    return {
        "name": org.name + " (endret)",
        "kind": org.kind,
        "organisation_number": org.organisation_number,
        "municipality": org.municipality.number if org.municipality else "",
        "county": org.county.number if org.county else "",
        "website": "https://example.no",
        "description": "Ny **beskrivelse**",
        "version": org.version,
    }


CONTRACT = RegisterContract(
    name="organisation",
    make=_make,
    update=lambda actor, org: services.organisation_update(
        actor=actor, organisation=org, expected_version=org.version, website="https://a.no"
    ),
    archive=lambda actor, org: services.organisation_archive(actor=actor, organisation=org),
    detail_url=lambda org: f"/organisasjoner/{org.pk}/",
    edit_url=lambda org: f"/organisasjoner/{org.pk}/endre/",
    archive_url=lambda org: f"/organisasjoner/{org.pk}/arkiver/",
    api_url=lambda org: f"/api/v1/organisations/{org.pk}",
    page_edit_data=_page_edit_data,
    api_patch=lambda org: {"version": org.version, "website": "https://b.no"},
)

KIND = OrganisationKind.ASSOCIATION
