"""The partnership register's part of the shared register contract."""

from __future__ import annotations

from kraftsenter.agreements import services
from kraftsenter.agreements.forms import org_label
from kraftsenter.agreements.permissions import PARTNERSHIP_POLICY
from kraftsenter.agreements.tests.contract import second_party
from kraftsenter.core.testing import ApiAction, Handover, PageAction, RegisterContract


def _make(owner):
    return services.partnership_create(
        actor="t",
        name="Regionalt partnerskap for næringsutvikling",
        lead=owner,
        members=[second_party()],
        purpose="Smart spesialisering",
    )


def _page_edit_data(partnership) -> dict:
    name = partnership.name + " (endret)"
    return {
        "name": name,
        "lead": org_label(partnership.lead),
        "members": "\n".join(org_label(m) for m in partnership.members.all()),
        "purpose": "Endret",
        "priorities": "Grønn omstilling\nKompetanse",
        "version": partnership.version,
    }


CONTRACT = RegisterContract(
    name="partnership",
    policy=PARTNERSHIP_POLICY,
    api_invalid_patch=lambda p: {"version": p.version, "name": ""},
    actions={
        "add_meeting": PageAction(
            url=lambda p: f"/partnerskap/{p.pk}/moter/ny/",
            data=lambda p: {"held_on": "2024-02-01", "title": "Oppstartsmøte"},
        ),
        "record_decision": PageAction(
            url=lambda p: f"/partnerskap/{p.pk}/vedtak/ny/",
            data=lambda p: {"decided_on": "2024-02-01", "text": "Enige", "agreed_by": [p.lead_id]},
        ),
    },
    api_actions={
        "add_meeting": ApiAction(
            method="post",
            url=lambda p: f"/api/v1/partnerships/{p.pk}/meetings",
            body=lambda p: {"held_on": "2024-02-01", "title": "Oppstartsmøte"},
        ),
        "record_decision": ApiAction(
            method="post",
            url=lambda p: f"/api/v1/partnerships/{p.pk}/decisions",
            body=lambda p: {"decided_on": "2024-02-01", "text": "Enige", "agreed_by": [p.lead_id]},
        ),
    },
    make=_make,
    update=lambda actor, p: services.partnership_update(
        actor=actor, partnership=p, expected_version=p.version, purpose="Endret formål"
    ),
    archive=lambda actor, p: services.partnership_archive(actor=actor, partnership=p),
    detail_url=lambda p: f"/partnerskap/{p.pk}/",
    edit_url=lambda p: f"/partnerskap/{p.pk}/endre/",
    archive_url=lambda p: f"/partnerskap/{p.pk}/arkiver/",
    api_url=lambda p: f"/api/v1/partnerships/{p.pk}",
    page_edit_data=_page_edit_data,
    api_patch=lambda p: {"version": p.version, "purpose": "Via API"},
    handovers={
        "lead_and_members_without_owner": Handover(
            "patch",
            lambda p: f"/api/v1/partnerships/{p.pk}",
            lambda p, other: {
                "version": p.version,
                "lead": other.pk,
                "members": [second_party().pk],
            },
        ),
    },
)
