"""The plan register's part of the shared register contract."""

from __future__ import annotations

from kraftsenter.agreements import services
from kraftsenter.agreements.forms import org_label
from kraftsenter.agreements.models import Plan
from kraftsenter.agreements.permissions import PLAN_POLICY
from kraftsenter.agreements.tests.contract import association
from kraftsenter.core.testing import ApiAction, Handover, PageAction, RegisterContract


def _make(owner):
    return services.plan_create(
        actor="t",
        title="Strategi for småbyregionen",
        kind="other",
        owner=owner,
        election_year=2023,
    )


def _with_partner(plan):
    """A plan of several participants: each records its own adoption (pbl. § 9-3)."""
    plan = Plan.objects.get(pk=plan.pk)
    services.plan_update(
        actor="t",
        plan=plan,
        expected_version=plan.version,
        partners=[association("Partnerforeningen")],
    )
    return Plan.objects.get(pk=plan.pk)


def _adoption(plan) -> dict:
    return {"organisation": plan.owner_id, "adopted_on": "2024-06-01", "reference": "24/12"}


def _page_edit_data(plan) -> dict:
    title = plan.title + " (endret)"
    return {
        "name": title,  # the shared stale-version test looks for this input in the page
        "title": title,
        "kind": plan.kind,
        "owner": org_label(plan.owner),
        "election_year": "2023",
        "status": plan.status,
        "version": plan.version,
    }


CONTRACT = RegisterContract(
    name="plan",
    policy=PLAN_POLICY,
    # A municipal planning strategy is adopted in the first year of the period: 2023 is an
    # election year, so its period starts in 2023, and 2019 is outside it.
    api_invalid_patch=lambda p: {"version": p.version, "election_year": 2022},
    actions={
        "add_item": PageAction(
            url=lambda p: f"/planer/{p.pk}/tiltak/ny/", data=lambda p: {"title": "Tiltak 1"}
        ),
        "record_adoption": PageAction(
            url=lambda p: f"/planer/{p.pk}/vedtak/ny/", data=_adoption, prepare=_with_partner
        ),
    },
    api_actions={
        "add_item": ApiAction(
            method="post",
            url=lambda p: f"/api/v1/plans/{p.pk}/items",
            body=lambda p: {"title": "Tiltak 1", "code": "1.1"},
        ),
        "record_adoption": ApiAction(
            method="post",
            url=lambda p: f"/api/v1/plans/{p.pk}/adoptions",
            body=_adoption,
            prepare=_with_partner,
        ),
    },
    make=_make,
    update=lambda actor, p: services.plan_update(
        actor=actor, plan=p, expected_version=p.version, description="Endret"
    ),
    archive=lambda actor, p: services.plan_archive(actor=actor, plan=p),
    detail_url=lambda p: f"/planer/{p.pk}/",
    edit_url=lambda p: f"/planer/{p.pk}/endre/",
    archive_url=lambda p: f"/planer/{p.pk}/arkiver/",
    api_url=lambda p: f"/api/v1/plans/{p.pk}",
    page_edit_data=_page_edit_data,
    api_patch=lambda p: {"version": p.version, "description": "Via API"},
    handovers={
        "owner_to_another": Handover(
            "patch",
            lambda p: f"/api/v1/plans/{p.pk}",
            lambda p, other: {"version": p.version, "owner": other.pk},
        ),
    },
)
