"""The cooperation register's part of the shared register contract."""

from __future__ import annotations

import datetime as dt

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create
from kraftsenter.cooperations import services
from kraftsenter.cooperations.permissions import COOPERATION_POLICY
from kraftsenter.core.testing import ApiAction, Handover, PageAction, RegisterContract
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
        found = Organisation.objects.filter(kind="municipality", municipality=muni).first()
        partners.append(
            found
            or organisation_create(
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
        "authority": ["tasks"],
        "daily_manager": "Dag Leder",
        "status": coop.status,
        "published": "on",
        "version": coop.version,
    }


def _participants_data(coop) -> dict:
    data = {
        "p-TOTAL_FORMS": "3",
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "1000",
        "version": coop.version,
    }
    for n, part in enumerate(coop.participants.filter(archived_at__isnull=True)):
        org = part.organisation
        data[f"p-{n}-organisation"] = org.municipality.number if org.municipality_id else org.name
        data[f"p-{n}-joined_on"] = "2021-01-01"  # the change: the date each joined
    return data


def _with_version(coop):
    services.agreement_version_add(actor="t", cooperation=coop, summary="Avtale")
    return coop


def _with_body(coop):
    services.body_add(actor="t", cooperation=coop, kind="board", name="Styret")
    return coop


def _with_member(coop):
    body = services.body_add(actor="t", cooperation=coop, kind="board", name="Styret")
    services.body_member_add(actor="t", body=body, person_name="Kari Styre", role="member")
    return coop


def _member_url(coop) -> str:
    from kraftsenter.cooperations.models import BodyMember

    member = BodyMember.objects.get(body__cooperation=coop)
    return f"/samarbeid/{coop.pk}/organer/medlem/{member.pk}/avslutt/"


def _invalid_patch(coop) -> dict:
    """Valid participants with new dates and no area: the service refuses it as a whole (the
    dates must not be saved either). An unknown area code would be refused by the schema
    already, before the service."""
    return {
        "version": coop.version,
        "participants": [
            {"organisation": p.organisation_id, "joined_on": "2022-02-02"}
            for p in coop.participants.filter(archived_at__isnull=True)
        ],
        "areas": [],
    }


def _api(coop, rest: str = "") -> str:
    return f"/api/v1/cooperations/{coop.pk}{rest}"


def _api_participants_body(coop) -> dict:
    """The same change as the page's: every participant kept, with the date each joined."""
    return {
        "version": coop.version,
        "participants": [
            {"organisation": p.organisation_id, "joined_on": "2021-01-01"}
            for p in coop.participants.filter(archived_at__isnull=True)
        ],
    }


def _api_member_url(coop) -> str:
    from kraftsenter.cooperations.models import BodyMember

    member = BodyMember.objects.get(body__cooperation=coop)
    return _api(coop, f"/bodies/{member.body_id}/members/{member.pk}/end")


CONTRACT = RegisterContract(
    name="cooperation",
    policy=COOPERATION_POLICY,
    api_invalid_patch=_invalid_patch,
    actions={
        "set_participants": PageAction(
            url=lambda c: f"/samarbeid/{c.pk}/deltakere/", data=_participants_data
        ),
        "add_agreement_version": PageAction(
            url=lambda c: f"/samarbeid/{c.pk}/avtale/ny/",
            data=lambda c: {"summary": "Første avtale", "document_url": "https://example.no/a"},
        ),
        "record_decision": PageAction(
            url=lambda c: f"/samarbeid/{c.pk}/vedtak/ny/",
            data=lambda c: {
                "agreement_version": c.agreement_versions.get().pk,
                "organisation": c.participants.order_by("pk").first().organisation_id,
                "decided_on": "2024-01-10",
                "body": "kommunestyret",
            },
            prepare=_with_version,
        ),
        "add_body": PageAction(
            url=lambda c: f"/samarbeid/{c.pk}/organer/ny/",
            data=lambda c: {"kind": "board", "name": "Styret"},
        ),
        "add_body_member": PageAction(
            url=lambda c: f"/samarbeid/{c.pk}/organer/medlem/ny/",
            data=lambda c: {
                "body": c.bodies.get().pk,
                "person_name": "Ola Styre",
                "role": "member",
            },
            prepare=_with_body,
        ),
        "end_body_member": PageAction(url=_member_url, data=lambda c: {}, prepare=_with_member),
        "add_document": PageAction(
            url=lambda c: f"/samarbeid/{c.pk}/dokumenter/ny/",
            data=lambda c: {"title": "Vedtekter", "url": "https://example.no/v.pdf"},
        ),
    },
    not_on_pages={"import": "creates cooperations from a file: tested in test_importer.py"},
    api_actions={
        "set_participants": ApiAction(
            method="put", url=lambda c: _api(c, "/participants"), body=_api_participants_body
        ),
        "add_agreement_version": ApiAction(
            method="post",
            url=lambda c: _api(c, "/agreement-versions"),
            body=lambda c: {"summary": "Første avtale", "document_url": "https://example.no/a"},
        ),
        "record_decision": ApiAction(
            method="post",
            url=lambda c: _api(c, f"/agreement-versions/{c.agreement_versions.get().pk}/decisions"),
            body=lambda c: {
                "organisation": c.participants.order_by("pk").first().organisation_id,
                "decided_on": "2024-01-10",
                "body": "kommunestyret",
            },
            prepare=_with_version,
        ),
        "add_body": ApiAction(
            method="post",
            url=lambda c: _api(c, "/bodies"),
            body=lambda c: {"kind": "board", "name": "Styret"},
        ),
        "add_body_member": ApiAction(
            method="post",
            url=lambda c: _api(c, f"/bodies/{c.bodies.get().pk}/members"),
            body=lambda c: {"person_name": "Ola Styre", "role": "member"},
            prepare=_with_body,
        ),
        "end_body_member": ApiAction(
            method="post", url=_api_member_url, body=lambda c: {}, prepare=_with_member
        ),
        "add_document": ApiAction(
            method="post",
            url=lambda c: _api(c, "/documents"),
            body=lambda c: {"title": "Vedtekter", "url": "https://example.no/v.pdf"},
        ),
    },
    not_in_api={
        "import": "has its operation, POST /api/v1/cooperations/import (a multipart upload with "
        "dry_run), but the shared matrix can drive neither a multipart body nor an action that "
        "creates new records instead of changing this one: its roles, dry run, problems and "
        "refusals are tested in test_api.py",
    },
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
    handovers={
        "participants_without_owner": Handover(
            "put",
            lambda c: f"/api/v1/cooperations/{c.pk}/participants",
            lambda c, other: {
                "version": c.version,
                "participants": [{"organisation": o.pk} for o in (other, *_municipal_partners())],
            },
        ),
    },
)
