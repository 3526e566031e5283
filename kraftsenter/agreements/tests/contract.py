"""The agreement register's part of the shared register contract (and, in sibling modules,
plans, partnerships and commitments)."""

from __future__ import annotations

import datetime as dt

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.services import organisation_create
from kraftsenter.agreements import services
from kraftsenter.agreements.forms import org_label
from kraftsenter.core.testing import RegisterContract


def second_party():
    return organisation_create(
        actor="t", name="Partnerforeningen", kind=OrganisationKind.ASSOCIATION
    )


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


CONTRACT = RegisterContract(
    name="agreement",
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
)
