"""The agreement register's part of the shared register contract (and, in sibling modules,
plans, partnerships and commitments)."""

from __future__ import annotations

import datetime as dt

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create
from kraftsenter.agreements import services
from kraftsenter.agreements.forms import org_label
from kraftsenter.agreements.models import Agreement, Plan
from kraftsenter.agreements.permissions import AGREEMENT_POLICY
from kraftsenter.core.testing import ApiAction, Handover, PageAction, RegisterContract


def association(name: str) -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    return found or organisation_create(actor="t", name=name, kind=OrganisationKind.ASSOCIATION)


def second_party():
    return association("Partnerforeningen")


def make_agreement(owner):
    """A draft partnership agreement between ``owner`` (lead) and a second organisation."""
    return services.agreement_create(
        actor="t",
        title="Partnerskapsavtale for sentrumsutvikling",
        kind="partnership",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2027, 12, 31),
        lead=owner,
        parties=[owner, second_party()],
    )


def _page_edit_data(agreement) -> dict:
    title = agreement.title + " (endret)"
    return {
        "name": title,  # the shared stale-version test looks for this input in the page
        "title": title,
        "kind": agreement.kind,
        "status": agreement.status,
        "lead": org_label(agreement.lead),
        "period_start": agreement.period_start.isoformat(),
        "period_end": agreement.period_end.isoformat(),
        "description": "Endret formål",
        "version": agreement.version,
    }


def _without_lead(agreement):
    # The lead must be a party: without one, handing the parties over is otherwise valid.
    return services.agreement_update(
        actor="t", agreement=agreement, expected_version=agreement.version, lead=None
    )


def _fresh(agreement) -> Agreement:
    return Agreement.objects.get(pk=agreement.pk)


def _with_third_party(agreement):
    association("Tredjeforeningen")
    return agreement


def _with_plan(agreement):
    services.plan_create(
        actor="t",
        title="Regional plan for sentrumsutvikling",
        kind="other",
        owner=agreement.lead,
        election_year=2023,
    )
    return agreement


def _with_report(agreement):
    services.report_create(actor="t", agreement=agreement)
    return agreement


def _active(agreement):
    for link in agreement.party_links.filter(archived_at__isnull=True):
        services.party_decision_record(
            actor="t",
            agreement=agreement,
            organisation=link.organisation,
            decision_date=dt.date(2023, 12, 1),
            decision_body="styret",
        )
    agreement = _fresh(agreement)
    services.agreement_update(
        actor="t", agreement=agreement, expected_version=agreement.version, status="active"
    )
    return _fresh(agreement)


def _report_url(agreement) -> str:
    report = agreement.reports.get()
    return f"/avtaler/{agreement.pk}/rapporter/{report.pk}/ferdig/"


def _with_goal(agreement):
    services.goal_add(actor="t", agreement=agreement, text="Mer liv i sentrum", sdgs=[11])
    return agreement


def _with_anchor(agreement):
    _with_plan(agreement)
    plan = Plan.objects.filter(owner=agreement.lead_id).latest("pk")
    services.anchor_add(actor="t", agreement=agreement, plan=plan)
    return agreement


def _with_document(agreement):
    services.document_add(
        actor="t", agreement=agreement, title="Signert avtale", url="https://example.no/a.pdf"
    )
    return agreement


def _goal(agreement):
    return agreement.goals.filter(archived_at__isnull=True).latest("pk")


def _anchor(agreement):
    return agreement.anchors.filter(archived_at__isnull=True).latest("pk")


def _document(agreement):
    return agreement.documents.filter(archived_at__isnull=True).latest("pk")


def _api(agreement) -> str:
    return f"/api/v1/agreements/{agreement.pk}"


def _new_plan(agreement) -> int:
    return Plan.objects.filter(owner=agreement.lead_id).latest("pk").pk


AGREEMENT_ACTIONS = {
    "set_parties": PageAction(
        url=lambda a: f"/avtaler/{a.pk}/parter/",
        data=lambda a: {
            "parties": "Eierforeningen\nPartnerforeningen\nTredjeforeningen",
            "version": a.version,
        },
        prepare=_with_third_party,
    ),
    "record_decision": PageAction(
        url=lambda a: f"/avtaler/{a.pk}/vedtak/ny/",
        data=lambda a: {
            "organisation": a.lead_id,
            "decision_body": "styret",
            "decision_date": "2024-01-10",
        },
    ),
    "add_goal": PageAction(
        url=lambda a: f"/avtaler/{a.pk}/mal/ny/", data=lambda a: {"text": "Mer liv i sentrum"}
    ),
    "edit_goal": PageAction(
        url=lambda a: f"/avtaler/{a.pk}/mal/{_goal(a).pk}/endre/",
        data=lambda a: {
            "text": "Mer liv og flere arbeidsplasser i sentrum",
            "sdgs": ["8", "11"],
            "sdg_targets": "11.3",
            "version": _goal(a).version,
        },
        prepare=_with_goal,
    ),
    "remove_goal": PageAction(
        url=lambda a: f"/avtaler/{a.pk}/mal/{_goal(a).pk}/fjern/",
        data=lambda a: {},
        prepare=_with_goal,
    ),
    "add_anchor": PageAction(
        url=lambda a: f"/avtaler/{a.pk}/forankring/ny/",
        data=lambda a: {"plan": _new_plan(a)},
        prepare=_with_plan,
    ),
    "remove_anchor": PageAction(
        url=lambda a: f"/avtaler/{a.pk}/forankring/{_anchor(a).pk}/fjern/",
        data=lambda a: {},
        prepare=_with_anchor,
    ),
    "add_document": PageAction(
        url=lambda a: f"/avtaler/{a.pk}/dokumenter/ny/",
        data=lambda a: {"title": "Signert avtale", "url": "https://example.no/avtale.pdf"},
    ),
    "remove_document": PageAction(
        url=lambda a: f"/avtaler/{a.pk}/dokumenter/{_document(a).pk}/fjern/",
        data=lambda a: {},
        prepare=_with_document,
    ),
    "add_commitment": PageAction(
        url=lambda a: f"/avtaler/{a.pk}/forpliktelser/ny/",
        data=lambda a: {
            "party": a.lead_id,
            "description": "Arrangere et bymøte",
            "due_date": "2025-06-01",
            "status": "not_started",
        },
    ),
    "add_report": PageAction(url=lambda a: f"/avtaler/{a.pk}/rapporter/ny/", data=lambda a: {}),
    "complete_report": PageAction(
        url=_report_url,
        data=lambda a: {"version": a.reports.get().version},
        prepare=_with_report,
    ),
    "renew": PageAction(
        url=lambda a: f"/avtaler/{a.pk}/forny/",
        data=lambda a: {
            "title": "Fornyet avtale",
            "period_start": "2028-01-01",
            "period_end": "2031-12-31",
        },
        prepare=_active,
    ),
}


#: The same actions through the API, with the same preparation and roles as the pages.
AGREEMENT_API_ACTIONS = {
    "set_parties": ApiAction(
        method="put",
        url=lambda a: f"{_api(a)}/parties",
        body=lambda a: {
            "parties": [a.lead_id, second_party().pk, association("Tredjeforeningen").pk],
            "version": a.version,
        },
        prepare=_with_third_party,
    ),
    "record_decision": ApiAction(
        method="post",
        url=lambda a: f"{_api(a)}/decisions",
        body=lambda a: {
            "organisation": a.lead_id,
            "decision_body": "styret",
            "decision_date": "2024-01-10",
        },
    ),
    "add_goal": ApiAction(
        method="post", url=lambda a: f"{_api(a)}/goals", body=lambda a: {"text": "Mer liv"}
    ),
    "edit_goal": ApiAction(
        method="patch",
        url=lambda a: f"{_api(a)}/goals/{_goal(a).pk}",
        body=lambda a: {"text": "Mer liv og arbeid", "sdgs": [8, 11], "version": _goal(a).version},
        prepare=_with_goal,
    ),
    "remove_goal": ApiAction(
        method="post",
        url=lambda a: f"{_api(a)}/goals/{_goal(a).pk}/remove",
        body=lambda a: {},
        prepare=_with_goal,
    ),
    "add_anchor": ApiAction(
        method="post",
        url=lambda a: f"{_api(a)}/anchors",
        body=lambda a: {"plan": _new_plan(a)},
        prepare=_with_plan,
    ),
    "remove_anchor": ApiAction(
        method="post",
        url=lambda a: f"{_api(a)}/anchors/{_anchor(a).pk}/remove",
        body=lambda a: {},
        prepare=_with_anchor,
    ),
    "add_document": ApiAction(
        method="post",
        url=lambda a: f"{_api(a)}/documents",
        body=lambda a: {"title": "Signert avtale", "url": "https://example.no/avtale.pdf"},
    ),
    "remove_document": ApiAction(
        method="post",
        url=lambda a: f"{_api(a)}/documents/{_document(a).pk}/remove",
        body=lambda a: {"reason": "Feil dokument"},
        prepare=_with_document,
    ),
    "add_commitment": ApiAction(
        method="post",
        url=lambda a: f"{_api(a)}/commitments",
        body=lambda a: {
            "party": a.lead_id,
            "description": "Arrangere et bymøte",
            "due_date": "2025-06-01",
            "status": "not_started",
        },
    ),
    "add_report": ApiAction(method="post", url=lambda a: f"{_api(a)}/reports", body=lambda a: {}),
    "complete_report": ApiAction(
        method="post",
        url=lambda a: f"{_api(a)}/reports/{a.reports.get().pk}/complete",
        body=lambda a: {"version": a.reports.get().version},
        prepare=_with_report,
    ),
    "renew": ApiAction(
        method="post",
        url=lambda a: f"{_api(a)}/renew",
        body=lambda a: {
            "title": "Fornyet avtale",
            "period_start": "2028-01-01",
            "period_end": "2031-12-31",
        },
        prepare=_active,
    ),
}


CONTRACT = RegisterContract(
    name="agreement",
    policy=AGREEMENT_POLICY,
    api_invalid_patch=lambda a: {"version": a.version, "period_end": "2020-01-01"},
    actions=AGREEMENT_ACTIONS,
    api_actions=AGREEMENT_API_ACTIONS,
    make=make_agreement,
    update=lambda actor, a: services.agreement_update(
        actor=actor, agreement=a, expected_version=a.version, description="Nytt formål"
    ),
    archive=lambda actor, a: services.agreement_archive(actor=actor, agreement=a),
    detail_url=lambda a: f"/avtaler/{a.pk}/",
    edit_url=lambda a: f"/avtaler/{a.pk}/endre/",
    archive_url=lambda a: f"/avtaler/{a.pk}/arkiver/",
    api_url=lambda a: f"/api/v1/agreements/{a.pk}",
    page_edit_data=_page_edit_data,
    api_patch=lambda a: {"version": a.version, "description": "Endret via API"},
    handovers={
        "parties_without_owner": Handover(
            "put",
            lambda a: f"/api/v1/agreements/{a.pk}/parties",
            lambda a, other: {"version": a.version, "parties": [other.pk, second_party().pk]},
            prepare=_without_lead,
        ),
    },
)
