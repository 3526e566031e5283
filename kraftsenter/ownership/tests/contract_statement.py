"""The register of council documents on ownership: its part of the shared register contract."""

from __future__ import annotations

import datetime as dt

from kraftsenter.actors.forms import organisation_label
from kraftsenter.core.testing import Handover, RegisterContract
from kraftsenter.ownership import services
from kraftsenter.ownership.permissions import STATEMENT_POLICY


def _make(owner):
    return services.statement_create(
        actor="t",
        holder=owner,
        kind="ownership_statement",
        adopted_on=dt.date(2024, 6, 20),
        case_reference="24/567",
        principles="Kommunen følger anbefalingene fra KS om eierstyring.",
    )


def _page_edit_data(statement) -> dict:
    return {
        "holder": organisation_label(statement.holder),
        "kind": statement.kind,
        "adopted_on": "2024-06-20",
        "adopting_body": "council",
        "case_reference": "24/568",
        "document_url": "",
        "principles": statement.principles + " Styrene skal ha relevant kompetanse.",
        "published": "on",
        "version": statement.version,
    }


CONTRACT = RegisterContract(
    name="ownership_statement",
    policy=STATEMENT_POLICY,
    make=_make,
    update=lambda actor, s: services.statement_update(
        actor=actor, statement=s, expected_version=s.version, case_reference="24/999"
    ),
    archive=lambda actor, s: services.statement_archive(actor=actor, statement=s),
    detail_url=lambda s: f"/eierskap/meldinger/{s.pk}/",
    edit_url=lambda s: f"/eierskap/meldinger/{s.pk}/endre/",
    archive_url=lambda s: f"/eierskap/meldinger/{s.pk}/arkiver/",
    api_url=lambda s: f"/api/v1/ownership-statements/{s.pk}",
    page_edit_data=_page_edit_data,
    api_patch=lambda s: {"version": s.version, "case_reference": "24/570"},
    # An adoption date outside the shared bounds (docs/bounds.md) is refused.
    api_invalid_patch=lambda s: {"version": s.version, "adopted_on": "2101-01-01"},
    text_field="principles",
    handovers={
        "holder_to_another": Handover(
            "patch",
            lambda s: f"/api/v1/ownership-statements/{s.pk}",
            lambda s, other: {"version": s.version, "holder": other.pk},
        ),
    },
)
