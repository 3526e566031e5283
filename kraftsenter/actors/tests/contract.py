"""The organisation register's part of the shared register contract."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from kraftsenter.actors import services
from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.permissions import ORGANISATION_POLICY
from kraftsenter.core.testing import ApiAction, PageAction, RegisterContract


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


def _with_newcomer(org):
    """A user who is not a member yet (a new one for every role that tries)."""
    org.newcomer = f"nykommer{get_user_model().objects.count()}"
    get_user_model().objects.create_user(org.newcomer, password="x-long-password-1")
    return org


def _with_contact(org):
    services.contact_person_add(actor="t", organisation=org, name="Kari Kontakt")
    return org


def _contact_url(org) -> str:
    person = org.contact_persons.filter(archived_at__isnull=True).latest("pk")
    return f"/organisasjoner/{org.pk}/kontaktpersoner/{person.pk}/fjern/"


CONTRACT = RegisterContract(
    name="organisation",
    policy=ORGANISATION_POLICY,
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
    # The check digit of an organisation number is checked (MOD11).
    api_invalid_patch=lambda org: {"version": org.version, "organisation_number": "974760674"},
    actions={
        "manage_members": PageAction(
            url=lambda org: f"/organisasjoner/{org.pk}/medlemmer/",
            data=lambda org: {"username": org.newcomer, "role": "member"},
            roles=("org_admin", "site_admin"),
            prepare=_with_newcomer,
        ),
        "add_contact": PageAction(
            url=lambda org: f"/organisasjoner/{org.pk}/kontaktpersoner/ny/",
            data=lambda org: {"name": "Ola Kontakt", "title": "Rådgiver"},
        ),
        "remove_contact": PageAction(url=_contact_url, data=lambda org: {}, prepare=_with_contact),
    },
    not_on_pages={"view_members": "a read: the member list on the detail and members pages"},
    api_actions={
        "manage_members": ApiAction(
            method="post",
            url=lambda org: f"/api/v1/organisations/{org.pk}/members",
            body=lambda org: {"username": org.newcomer, "role": "member"},
            roles=("org_admin", "site_admin"),
            prepare=_with_newcomer,
        ),
        "add_contact": ApiAction(
            method="post",
            url=lambda org: f"/api/v1/organisations/{org.pk}/contacts",
            body=lambda org: {"name": "Ola Kontakt", "title": "Rådgiver"},
        ),
        "remove_contact": ApiAction(
            method="post",
            url=lambda org: (
                _contact_url(org)
                .replace("/organisasjoner/", "/api/v1/organisations/")
                .replace("/kontaktpersoner/", "/contacts/")
                .replace("/fjern/", "/remove")
            ),
            body=lambda org: {},
            prepare=_with_contact,
        ),
    },
    not_in_api={"view_members": "a read: GET /api/v1/organisations/{id}/members"},
    no_handover="an organisation is its own owner; who acts for it is its memberships "
    "(manage_members, with the last-administrator rule)",
)

KIND = OrganisationKind.ASSOCIATION
