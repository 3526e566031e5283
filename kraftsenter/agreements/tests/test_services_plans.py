"""Plan and partnership services: rules enforced with nothing written, history, permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kraftsenter.agreements import services
from kraftsenter.agreements.models import Partnership, PartnershipDecision, Plan, PlanItem
from kraftsenter.core.exceptions import ConflictError
from kraftsenter.core.history import history_for

pytestmark = pytest.mark.django_db
D = dt.date


def codes(exc: ValidationError) -> dict[str, set[str]]:
    return {f: {e.code for e in errs} for f, errs in exc.error_dict.items()}


def strategy(orgs, **kw):
    data = dict(
        actor="t",
        title="Kommunal planstrategi Hamar 2024–2027",
        kind="municipal_planning_strategy",
        owner=orgs["3403"],
        election_year=2023,
        constituted_on=D(2023, 10, 19),
    )
    data.update(kw)
    return services.plan_create(**data)


def test_plan_create_records_history_and_computes_nothing_wrong(orgs):
    plan = strategy(orgs, deadline=D(2024, 6, 20), proposal_published_on=D(2024, 5, 10))
    assert plan.version == 1
    assert [c.action for c in history_for(plan)] == ["plan.created"]


def test_plan_create_deadline_outside_the_election_period_writes_nothing(orgs):
    with pytest.raises(ValidationError) as caught:
        strategy(orgs, deadline=D(2023, 9, 1))
    assert codes(caught.value) == {"deadline": {"deadline_in_period"}}
    assert "pbl. § 10-1 første ledd" in caught.value.error_dict["deadline"][0].message
    assert Plan.objects.count() == 0


def test_plan_create_reports_every_broken_rule_at_once(orgs):
    with pytest.raises(ValidationError) as caught:
        strategy(
            orgs,
            election_year=2022,
            proposal_published_on=D(2024, 5, 21),
            adopted_on=D(2024, 5, 20),
            status="adopted",
        )
    found = codes(caught.value)
    assert found["election_year"] == {"election_year"}
    assert found["proposal_published_on"] == {"proposal_after_adoption"}
    assert Plan.objects.count() == 0


def test_plan_adopted_in_sami_area_needs_the_sami_language_section(orgs):
    with pytest.raises(ValidationError) as caught:
        strategy(
            orgs,
            title="Planstrategi Karasjok",
            owner=orgs["5610"],
            status="adopted",
            adopted_on=D(2024, 6, 1),
        )
    assert codes(caught.value) == {"sami_language_section": {"sami_language_section"}}
    plan = strategy(
        orgs,
        title="Planstrategi Karasjok",
        owner=orgs["5610"],
        status="adopted",
        adopted_on=D(2024, 6, 1),
        sami_language_section=True,
    )
    assert plan.pk


def test_plan_adopted_needs_its_date(orgs):
    with pytest.raises(ValidationError) as caught:
        strategy(orgs, status="adopted")
    assert codes(caught.value) == {"adopted_on": {"adoption_date"}}


def test_plan_update_stale_version_is_refused(orgs, users):
    plan = strategy(orgs)
    services.plan_update(actor=users["hamar"], plan=plan, expected_version=1, description="A")
    with pytest.raises(ConflictError):
        services.plan_update(actor=users["hamar"], plan=plan, expected_version=1, description="B")


def test_plan_update_by_another_municipality_is_refused(orgs, users):
    plan = strategy(orgs)
    with pytest.raises(PermissionDenied):
        services.plan_update(actor=users["loten"], plan=plan, expected_version=1, description="x")
    with pytest.raises(PermissionDenied):
        strategy(orgs, actor=users["loten"])


def test_plan_item_follows_up_an_item_of_another_plan(orgs):
    regional = services.plan_create(
        actor="t",
        title="Regional plan for Innlandet",
        kind="regional_plan",
        owner=orgs["34"],
    )
    programme = services.plan_create(
        actor="t",
        title="Handlingsprogram 2024–2025",
        kind="action_programme",
        owner=orgs["34"],
        parent=regional,
    )
    measure = services.plan_item_add(actor="t", plan=programme, code="3.2", title="Ladepunkter")
    with pytest.raises(ValidationError) as caught:
        services.plan_item_add(actor="t", plan=programme, title="x", follows_up=measure)
    assert codes(caught.value) == {"follows_up": {"item_follows_other_plan"}}
    part = services.plan_create(
        actor="t", title="Samfunnsdel Hamar", kind="community_part", owner=orgs["3403"]
    )
    action = services.plan_create(
        actor="t",
        title="Handlingsdel Hamar 2025",
        kind="action_part",
        owner=orgs["3403"],
        parent=part,
    )
    line = services.plan_item_add(actor="t", plan=action, title="Lading", follows_up=measure)
    assert line.follows_up == measure and PlanItem.objects.count() == 2
    assert history_for(line).first().action == "planitem.created"
    services.plan_item_archive(actor="t", item=line, reason="Utgår")
    assert PlanItem.objects.active().count() == 1
    assert history_for(line).first().action == "planitem.archived"


def test_plan_parent_required_for_an_action_programme(orgs):
    with pytest.raises(ValidationError) as caught:
        services.plan_create(
            actor="t", title="Handlingsprogram", kind="action_programme", owner=orgs["34"]
        )
    assert codes(caught.value) == {"parent": {"plan_parent"}}


def test_plan_archive_needs_an_admin_of_the_owner(orgs, users):
    plan = strategy(orgs)
    with pytest.raises(PermissionDenied):
        services.plan_archive(actor=users["hamar"], plan=plan)
    services.plan_archive(actor=users["hamar_admin"], plan=plan)
    plan.refresh_from_db()
    assert plan.is_archived
    services.plan_restore(actor=users["hamar_admin"], plan=plan)
    assert [c.action for c in history_for(plan)][:2] == ["plan.restored", "plan.archived"]


# --- partnerships ------------------------------------------------------------------------------


@pytest.fixture
def partnership(orgs):
    return services.partnership_create(
        actor="t",
        name="Regionalt partnerskap Innlandet",
        lead=orgs["34"],
        members=[orgs["3403"], orgs["3412"], orgs["state"], orgs["34"]],
        priorities="Grønn omstilling\nKompetanse",
    )


def test_partnership_lead_is_not_also_a_member(partnership, orgs):
    assert orgs["34"] not in partnership.members.all()
    assert partnership.priority_list == ["Grønn omstilling", "Kompetanse"]


def test_partnership_decision_by_members_only(partnership, orgs, users):
    meeting = services.meeting_add(
        actor=users["county"], partnership=partnership, held_on=D(2024, 3, 1), title="Møte 1"
    )
    decision = services.decision_record(
        actor=users["hamar"],
        partnership=partnership,
        decided_on=D(2024, 3, 1),
        text="Felles søknad om midler",
        agreed_by=[orgs["34"], orgs["3403"]],
        meeting=meeting,
    )
    assert set(decision.agreed_by.all()) == {orgs["34"], orgs["3403"]}
    with pytest.raises(ValidationError) as caught:
        services.decision_record(
            actor="t",
            partnership=partnership,
            decided_on=D(2024, 3, 1),
            text="x",
            agreed_by=[orgs["5601"]],
        )
    assert codes(caught.value) == {"agreed_by": {"decision_members"}}
    assert PartnershipDecision.objects.count() == 1


def test_partnership_change_by_an_outsider_is_refused(partnership, users):
    with pytest.raises(PermissionDenied):
        services.partnership_update(
            actor=users["outsider"], partnership=partnership, expected_version=1, purpose="x"
        )
    with pytest.raises(PermissionDenied):
        services.meeting_add(
            actor=users["outsider"], partnership=partnership, held_on=D(2024, 1, 1), title="x"
        )
    assert Partnership.objects.get().version == 1
