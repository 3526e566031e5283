"""The commitment register's part of the shared register contract: the owning party's editors
change and archive a commitment (the lead party's editors too, tested in test_permissions)."""

from __future__ import annotations

import datetime as dt

from kraftsenter.agreements import services
from kraftsenter.agreements.permissions import COMMITMENT_POLICY
from kraftsenter.agreements.tests.contract import make_agreement
from kraftsenter.core.testing import ApiAction, PageAction, RegisterContract


def _make(owner):
    agreement = make_agreement(owner)
    return services.commitment_create(
        actor="t",
        agreement=agreement,
        party=owner,
        description="Arrangere årlig næringskonferanse",
        due_date=dt.date(2025, 10, 1),
    )


def _page_edit_data(commitment) -> dict:
    text = commitment.description + " (endret)"
    return {
        "name": text,  # the shared stale-version test looks for this input in the page
        "party": commitment.party_id,
        "description": text,
        "due_date": commitment.due_date.isoformat(),
        "status": "in_progress",
        "version": commitment.version,
    }


def _with_report(commitment):
    services.report_create(actor="t", agreement=commitment.agreement)
    return commitment


def _report_url(commitment) -> str:
    report = commitment.agreement.reports.get()
    return f"/avtaler/{commitment.agreement_id}/rapporter/{report.pk}/"


CONTRACT = RegisterContract(
    name="commitment",
    policy=COMMITMENT_POLICY,
    api_invalid_patch=lambda c: {"version": c.version, "status": "dropped", "status_reason": ""},
    actions={
        "report": PageAction(
            url=_report_url,
            data=lambda c: {"commitment": c.pk, "status": "in_progress", "text": "I rute"},
            prepare=_with_report,
        ),
    },
    api_actions={
        "report": ApiAction(
            method="post",
            url=lambda c: (
                f"/api/v1/agreements/{c.agreement_id}/reports/{c.agreement.reports.get().pk}"
                "/entries"
            ),
            body=lambda c: {"commitment": c.pk, "status": "in_progress", "text": "I rute"},
            prepare=_with_report,
        ),
    },
    make=_make,
    update=lambda actor, c: services.commitment_update(
        actor=actor, commitment=c, expected_version=c.version, status="in_progress"
    ),
    archive=lambda actor, c: services.commitment_archive(actor=actor, commitment=c),
    detail_url=lambda c: f"/forpliktelser/{c.pk}/",
    edit_url=lambda c: f"/forpliktelser/{c.pk}/endre/",
    archive_url=lambda c: f"/forpliktelser/{c.pk}/arkiver/",
    api_url=lambda c: f"/api/v1/commitments/{c.pk}",
    page_edit_data=_page_edit_data,
    api_patch=lambda c: {"version": c.version, "status": "at_risk"},
    archive_roles=("editor", "org_admin", "site_admin"),
    no_handover="a commitment is owned by its party and by the agreement's lead; its party can "
    "only be another party of the agreement, so the lead always keeps it (the agreement's "
    "parties are handed over only as the agreement contract tests)",
)
