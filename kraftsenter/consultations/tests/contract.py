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
from kraftsenter.consultations.models import Consultation
from kraftsenter.consultations.permissions import CONSULTATION_POLICY
from kraftsenter.core.testing import ApiAction, PageAction, RegisterContract
from kraftsenter.places.models import County, Municipality


def karasjok():
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
    return muni


def _make(owner):
    Organisation.objects.filter(pk=owner.pk).update(kind=OrganisationKind.SAMI_ORGANISATION)
    owner.refresh_from_db()
    muni = karasjok()
    authority = Organisation.objects.filter(name="Karasjok kommune").first() or organisation_create(
        actor="t", name="Karasjok kommune", kind=OrganisationKind.MUNICIPALITY, municipality=muni
    )
    case = services.consultation_create(
        actor="t",
        title="Reguleringsplan",
        kind="plan",
        plan_kind="zoning",
        authority=authority,
        municipalities=[muni],
    )
    services.party_add(actor="t", consultation=case, organisation=owner)
    case.refresh_from_db()
    return case


def _page_edit_data(case) -> dict:
    return {
        "title": case.title + " (endret)",
        "kind": case.kind,
        "plan_kind": case.plan_kind,
        "authority": "x",
        "municipalities": "5610",
        "published": "on",
        "version": case.version,
    }


def _fresh(case) -> Consultation:
    return Consultation.objects.get(pk=case.pk)


def screened(case):
    services.screening_record(
        actor="t",
        consultation=case,
        expected_version=None,
        direct_effect=True,
        general_matter=False,
        natural_basis=None,
        traditional_area=None,
        reasoning="Planen kan påvirke reindrift direkte.",
        result="required",
    )
    return _fresh(case)


def notified(case):
    case = screened(case)
    services.notice_send(
        actor="t",
        consultation=case,
        expected_version=None,
        sent_on=dt.date(2024, 2, 1),
        content="Varsel om planarbeid",
        response_deadline=dt.date(2024, 3, 1),
    )
    return _fresh(case)


def with_assessments(case):
    """In consultation, with a document holding the Sami parties' assessments."""
    case = in_consultation(case)
    services.document_add(
        actor="t", consultation=case, title="Vurderinger", url="https://example.no/v.pdf"
    )
    return _fresh(case)


def _assessments(case) -> list[str]:
    return [str(d.pk) for d in case.documents.filter(title="Vurderinger")]


def in_consultation(case):
    case = notified(case)
    for party in case.parties.filter(archived_at__isnull=True):
        services.party_respond(
            actor="t", party=party, response="wants", responded_on=dt.date(2024, 2, 10)
        )
    services.meeting_with_protocol_add(
        actor="t",
        consultation=case,
        held_on=dt.date(2024, 3, 1),
        matter="Planforslaget",
        assessments="Partene er enige om traseen.",
        conclusions="Enighet.",
        agreement="reached",
    )
    return _fresh(case)


NEW_PARTY = "Reinbeitedistrikt 16 Mágeruo"


def with_sami_party(case):
    Organisation.objects.get_or_create(
        name=NEW_PARTY, defaults={"kind": OrganisationKind.REINDEER_HERDING_DISTRICT}
    )
    return case


def _party(case):
    return case.parties.get(archived_at__isnull=True)


def authority_steps(roles) -> dict[str, PageAction]:
    """The steps only the consulting authority takes, for a contract whose ``roles`` are the
    authority's (site admins only when the owner is a party)."""
    return {
        "screen": PageAction(
            url=lambda c: f"/konsultasjoner/{c.pk}/vurdering/",
            data=lambda c: {
                "direct_effect": "true",
                "general_matter": "false",
                "reasoning": "Kan påvirke reindrift direkte.",
                "result": "required",
                "version": c.version,
            },
            roles=roles,
        ),
        "add_party": PageAction(
            url=lambda c: f"/konsultasjoner/{c.pk}/parter/ny/",
            data=lambda c: {"organisation": NEW_PARTY},
            roles=roles,
            prepare=with_sami_party,
        ),
        "notify": PageAction(
            url=lambda c: f"/konsultasjoner/{c.pk}/varsel/",
            data=lambda c: {
                "sent_on": "2024-02-01",
                "content": "Varsel om planarbeid",
                "response_deadline": "2024-03-01",
                "version": c.version,
            },
            roles=roles,
            prepare=screened,
        ),
        "move_on": PageAction(
            url=lambda c: f"/konsultasjoner/{c.pk}/uten-konsultasjon/",
            data=lambda c: {"moved_on": "2024-03-05", "version": c.version},
            roles=roles,
            prepare=notified,
        ),
        "conclude": PageAction(
            url=lambda c: f"/konsultasjoner/{c.pk}/avslutt/",
            data=lambda c: {
                "concluded_on": "2024-04-01",
                "agreement_reached": "yes",
                "version": c.version,
            },
            roles=roles,
            prepare=in_consultation,
        ),
        "decide": PageAction(
            url=lambda c: f"/konsultasjoner/{c.pk}/vedtak/",
            data=lambda c: {
                "decided_on": "2024-05-01",
                "summary": "Planen er vedtatt.",
                "assessment_documents": _assessments(c),
                "version": c.version,
            },
            roles=roles,
            prepare=with_assessments,
        ),
    }


def shared_steps() -> dict[str, PageAction]:
    """Steps the authority's and the parties' editors take."""
    return {
        "answer": PageAction(
            url=lambda c: f"/konsultasjoner/{c.pk}/parter/{_party(c).pk}/svar/",
            data=lambda c: {"response": "wants", "responded_on": "2024-02-10"},
            prepare=notified,
        ),
        "add_information": PageAction(
            url=lambda c: f"/konsultasjoner/{c.pk}/informasjon/ny/",
            data=lambda c: {"shared_on": "2024-02-01", "content": "Kart", "access": "public"},
        ),
        "add_document": PageAction(
            url=lambda c: f"/konsultasjoner/{c.pk}/dokumenter/ny/",
            data=lambda c: {
                "title": "Planforslag",
                "url": "https://example.no/p.pdf",
                "access": "public",
            },
        ),
        "add_protocol": PageAction(
            url=lambda c: f"/konsultasjoner/{c.pk}/protokoller/ny/",
            data=lambda c: {
                "held_on": "2024-03-01",
                "matter": "Planforslaget",
                "assessments": "Vurdert",
                "conclusions": "Enige",
                "agreement": "reached",
                "access": "public",
            },
        ),
    }


API = "/api/v1/consultations"


def api_authority_steps(roles) -> dict[str, ApiAction]:
    """The authority's steps through the API: the same preparations and roles as the pages."""
    return {
        "screen": ApiAction(
            method="post",
            url=lambda c: f"{API}/{c.pk}/screening",
            body=lambda c: {
                "direct_effect": True,
                "general_matter": False,
                "screening_reasoning": "Kan påvirke reindrift direkte.",
                "screening_result": "required",
                "version": c.version,
            },
            roles=roles,
        ),
        "add_party": ApiAction(
            method="post",
            url=lambda c: f"{API}/{c.pk}/parties",
            body=lambda c: {"organisation": Organisation.objects.get(name=NEW_PARTY).pk},
            roles=roles,
            prepare=with_sami_party,
        ),
        "notify": ApiAction(
            method="post",
            url=lambda c: f"{API}/{c.pk}/notice",
            body=lambda c: {
                "notice_sent_on": "2024-02-01",
                "notice_content": "Varsel om planarbeid",
                "response_deadline": "2024-03-01",
                "version": c.version,
            },
            roles=roles,
            prepare=screened,
        ),
        "move_on": ApiAction(
            method="post",
            url=lambda c: f"{API}/{c.pk}/without-consultation",
            body=lambda c: {"moved_on": "2024-03-05", "version": c.version},
            roles=roles,
            prepare=notified,
        ),
        "conclude": ApiAction(
            method="post",
            url=lambda c: f"{API}/{c.pk}/conclusion",
            body=lambda c: {
                "concluded_on": "2024-04-01",
                "agreement_reached": True,
                "version": c.version,
            },
            roles=roles,
            prepare=in_consultation,
        ),
        "decide": ApiAction(
            method="post",
            url=lambda c: f"{API}/{c.pk}/decision",
            body=lambda c: {
                "decision_on": "2024-05-01",
                "decision_summary": "Planen er vedtatt.",
                "assessment_documents": [int(pk) for pk in _assessments(c)],
                "version": c.version,
            },
            roles=roles,
            prepare=with_assessments,
        ),
    }


def api_shared_steps() -> dict[str, ApiAction]:
    """The steps of the authority's and the parties' editors through the API."""
    return {
        "answer": ApiAction(
            method="post",
            url=lambda c: f"{API}/{c.pk}/parties/{_party(c).pk}/answer",
            body=lambda c: {"response": "wants", "responded_on": "2024-02-10"},
            prepare=notified,
        ),
        "add_information": ApiAction(
            method="post",
            url=lambda c: f"{API}/{c.pk}/information",
            body=lambda c: {"shared_on": "2024-02-01", "content": "Kart", "access": "public"},
        ),
        "add_document": ApiAction(
            method="post",
            url=lambda c: f"{API}/{c.pk}/documents",
            body=lambda c: {
                "title": "Planforslag",
                "url": "https://example.no/p.pdf",
                "access": "public",
            },
        ),
        "add_protocol": ApiAction(
            method="post",
            url=lambda c: f"{API}/{c.pk}/meetings",
            body=lambda c: {
                "held_on": "2024-03-01",
                "matter": "Planforslaget",
                "assessments": "Vurdert",
                "conclusions": "Enige",
                "agreement": "reached",
                "access": "public",
            },
        ),
    }


CONTRACT = RegisterContract(
    name="consultation",
    policy=CONSULTATION_POLICY,
    api_invalid_patch=lambda c: {"version": c.version, "title": ""},
    actions={**authority_steps(("site_admin",)), **shared_steps()},
    api_actions={**api_authority_steps(("site_admin",)), **api_shared_steps()},
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
    no_handover="the consulting authority is set when the case is registered and never "
    "changed; registering a case for another authority is refused (test_api.py)",
)
