"""Agreement, commitment, report and renewal services: every bad input of the issue gives a
field-keyed error naming the rule, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kraftsenter.agreements import services
from kraftsenter.agreements.models import (
    Agreement,
    AgreementParty,
    Commitment,
    FollowUpReport,
    ReportEntry,
)
from kraftsenter.core.history import history_for
from kraftsenter.core.models import ChangeRecord

from .conftest import END, START

pytestmark = pytest.mark.django_db
D = dt.date


def codes(exc: ValidationError) -> dict[str, set[str]]:
    return {f: {e.code for e in errs} for f, errs in exc.error_dict.items()}


def test_agreement_create_records_parties_and_one_history_record(agreement, orgs):
    assert {p.organisation_id for p in agreement.party_links.all()} == {
        orgs["34"].pk,
        orgs["3403"].pk,
        orgs["3412"].pk,
    }
    [change] = history_for(agreement)
    assert change.action == "agreement.created" and len(change.after["parties"]) == 3


def test_agreement_period_ending_before_start_writes_nothing(orgs):
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(
            actor="t",
            title="Feil periode",
            kind="partnership",
            period_start=D(2025, 1, 1),
            period_end=D(2024, 1, 1),
            parties=[orgs["34"], orgs["3403"]],
        )
    assert "period_order" in codes(caught.value)["period_end"]
    assert Agreement.objects.count() == 0 and AgreementParty.objects.count() == 0


def test_agreement_create_by_a_non_party_is_refused(orgs, users):
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            actor=users["outsider"],
            title="x",
            kind="partnership",
            period_start=START,
            period_end=END,
            parties=[orgs["34"], orgs["3403"]],
        )


def test_agreement_activation_needs_every_partys_adopting_decision(agreement, orgs, users):
    with pytest.raises(ValidationError) as caught:
        services.agreement_update(
            actor=users["county"], agreement=agreement, expected_version=1, status="active"
        )
    assert codes(caught.value) == {"status": {"adopted_by_parties"}}
    for org in (orgs["34"], orgs["3403"], orgs["3412"]):
        services.party_decision_record(
            actor=users["county"],
            agreement=agreement,
            organisation=org,
            decision_date=D(2023, 12, 12),
            decision_body="kommunestyret",
        )
    agreement.refresh_from_db()
    assert agreement.version == 4  # each decision is a change to the agreement
    services.agreement_update(
        actor=users["county"], agreement=agreement, expected_version=4, status="active"
    )
    assert history_for(agreement).first().action == "agreement.activated"


def test_party_decision_for_a_non_party_or_in_the_future_is_refused(agreement, orgs):
    with pytest.raises(ValidationError) as caught:
        services.party_decision_record(
            actor="t", agreement=agreement, organisation=orgs["5601"], decision_date=D(2024, 1, 1)
        )
    assert codes(caught.value) == {"organisation": {"decision_party"}}
    with pytest.raises(ValidationError) as caught:
        services.party_decision_record(
            actor="t",
            agreement=agreement,
            organisation=orgs["3403"],
            decision_date=D.today() + dt.timedelta(days=3),
        )
    assert codes(caught.value) == {"parties": {"decision_date"}}


def test_agreement_parties_change_keeps_the_owner_of_commitments(active_agreement, orgs):
    services.commitment_create(
        actor="t",
        agreement=active_agreement,
        party=orgs["3412"],
        description="Gang- og sykkelvei",
        due_date=D(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        services.agreement_update(
            actor="t",
            agreement=active_agreement,
            expected_version=1,
            parties=[orgs["34"], orgs["3403"]],
        )
    assert codes(caught.value) == {"parties": {"commitment_party"}}
    services.agreement_update(
        actor="t",
        agreement=active_agreement,
        expected_version=1,
        parties=[orgs["34"], orgs["3403"], orgs["3412"], orgs["state"]],
    )
    links = AgreementParty.objects.filter(agreement=active_agreement, archived_at__isnull=True)
    assert links.count() == 4
    assert links.get(organisation=orgs["3403"]).decision_date == D(2023, 12, 14)


def test_goal_with_sdg_tags_and_invalid_targets(agreement):
    goal = services.goal_add(
        actor="t",
        agreement=agreement,
        text="Flere arbeidsplasser",
        sdgs=[8, 11],
        sdg_targets=["8.3", "11.a"],
        local_target="200 nye arbeidsplasser",
    )
    assert goal.sdgs == [8, 11] and goal.sdg_targets == ["11.a", "8.3"]
    with pytest.raises(ValidationError) as caught:
        services.goal_add(actor="t", agreement=agreement, text="x", sdgs=[8], sdg_targets=["13.1"])
    assert codes(caught.value) == {"sdg_targets": {"sdg_target_goal"}}


def test_goal_update_and_removal(agreement, users):
    goal = services.goal_add(actor="t", agreement=agreement, text="Flere arbeidsplasser")
    before = history_for(agreement).count()
    # A change that changes nothing writes nothing.
    same = services.goal_update(
        actor=users["hamar"], goal=goal, expected_version=1, text=" Flere arbeidsplasser "
    )
    assert same.version == 1 and history_for(agreement).count() == before
    with pytest.raises(ValidationError) as caught:
        services.goal_update(actor=users["hamar"], goal=goal, expected_version=1, colour="red")
    assert set(caught.value.error_dict) == {"colour"}
    with pytest.raises(PermissionDenied):
        services.goal_update(actor=users["outsider"], goal=goal, expected_version=1, text="x")
    with pytest.raises(PermissionDenied):
        services.goal_archive(actor=users["member"], goal=goal)
    changed = services.goal_update(
        actor=users["hamar"], goal=goal, expected_version=1, sdgs=[11, 8, 8], reason="Presisert"
    )
    assert changed.sdgs == [8, 11] and changed.version == 2
    latest = history_for(agreement).first()
    assert latest.action == "agreementgoal.updated" and latest.reason == "Presisert"
    assert latest.actor_organisation_id == users["hamar"].memberships.get().organisation_id
    services.goal_archive(actor=users["hamar"], goal=goal, reason="Slått sammen")
    goal.refresh_from_db()
    assert goal.archived_at is not None and goal.version == 3
    assert history_for(agreement).count() == before + 2
    with pytest.raises(ValidationError):
        services.goal_update(actor=users["hamar"], goal=goal, expected_version=3, text="y")


def test_parts_of_an_archived_agreement_are_not_changed(agreement, users, orgs):
    goal = services.goal_add(actor="t", agreement=agreement, text="Mål")
    document = services.document_add(
        actor="t", agreement=agreement, title="Avtale", url="https://example.invalid/a.pdf"
    )
    services.agreement_archive(actor="t", agreement=agreement)
    for call in (
        lambda: services.goal_update(actor="t", goal=goal, expected_version=1, text="Nytt"),
        lambda: services.goal_archive(actor="t", goal=goal),
        lambda: services.document_archive(actor="t", document=document),
    ):
        with pytest.raises(ValidationError):
            call()
    goal.refresh_from_db()
    document.refresh_from_db()
    assert goal.version == 1 and document.archived_at is None


def test_anchor_item_must_belong_to_the_plan(agreement, orgs):
    plan = services.plan_create(
        actor="t", title="Regional plan", kind="regional_plan", owner=orgs["34"]
    )
    other = services.plan_create(
        actor="t", title="Annen plan", kind="regional_plan", owner=orgs["34"]
    )
    item = services.plan_item_add(actor="t", plan=other, title="Tiltak")
    with pytest.raises(ValidationError) as caught:
        services.anchor_add(actor="t", agreement=agreement, plan=plan, item=item)
    assert codes(caught.value) == {"item": {"anchor_item_in_plan"}}
    anchor = services.anchor_add(actor="t", agreement=agreement, plan=other, item=item)
    assert anchor.pk


# --- commitments -------------------------------------------------------------------------------


def test_commitment_owned_by_a_non_party_writes_nothing(active_agreement, orgs):
    with pytest.raises(ValidationError) as caught:
        services.commitment_create(
            actor="t",
            agreement=active_agreement,
            party=orgs["5601"],
            description="x",
            due_date=D(2025, 1, 1),
        )
    assert codes(caught.value) == {"party": {"commitment_party"}}
    assert Commitment.objects.count() == 0


def test_commitment_dropped_without_a_reason_is_refused(commitment, users):
    with pytest.raises(ValidationError) as caught:
        services.commitment_update(
            actor=users["hamar"], commitment=commitment, expected_version=1, status="dropped"
        )
    assert codes(caught.value) == {"status_reason": {"dropped_reason"}}
    commitment.refresh_from_db()
    assert commitment.status == "not_started" and commitment.version == 1
    services.commitment_update(
        actor=users["hamar"],
        commitment=commitment,
        expected_version=1,
        status="dropped",
        status_reason="Ikke finansiert i økonomiplanen",
    )
    change = history_for(commitment).first()
    assert change.action == "commitment.updated" and change.after["status"] == "dropped"
    assert change.parent_object_id == str(commitment.agreement_id)


def test_commitment_editors_are_the_owning_party_and_the_lead(commitment, users):
    for who in ("hamar", "county"):
        commitment = services.commitment_update(
            actor=users[who], commitment=commitment, expected_version=None, status="in_progress"
        )
    for who in ("loten", "member", "outsider"):
        with pytest.raises(PermissionDenied):
            services.commitment_update(
                actor=users[who], commitment=commitment, expected_version=None, status="done"
            )
    with pytest.raises(PermissionDenied):
        services.commitment_create(
            actor=users["loten"],
            agreement=commitment.agreement,
            party=commitment.party,
            description="x",
            due_date=D(2025, 1, 1),
        )


# --- follow-up reports -------------------------------------------------------------------------


def test_report_defaults_to_the_next_year_of_the_period(active_agreement):
    first = services.report_create(actor="t", agreement=active_agreement)
    assert (first.period_start, first.period_end) == (D(2024, 1, 1), D(2024, 12, 31))
    assert first.due_date == D(2025, 3, 1)
    second = services.report_create(actor="t", agreement=active_agreement)
    assert (second.period_start, second.period_end) == (D(2025, 1, 1), D(2025, 12, 31))


def test_report_for_a_period_outside_the_agreement_writes_nothing(active_agreement):
    with pytest.raises(ValidationError) as caught:
        services.report_create(
            actor="t",
            agreement=active_agreement,
            period_start=D(2027, 6, 1),
            period_end=D(2028, 5, 31),
        )
    assert codes(caught.value) == {"period_end": {"report_in_period"}}
    services.report_create(actor="t", agreement=active_agreement)
    with pytest.raises(ValidationError) as caught:
        services.report_create(
            actor="t",
            agreement=active_agreement,
            period_start=D(2024, 6, 1),
            period_end=D(2025, 5, 31),
        )
    assert codes(caught.value) == {"period_start": {"report_overlap"}}
    assert FollowUpReport.objects.count() == 1


def test_report_complete_only_when_every_commitment_has_a_status(active_agreement, orgs, users):
    hamar = services.commitment_create(
        actor="t",
        agreement=active_agreement,
        party=orgs["3403"],
        description="Lading",
        due_date=D(2024, 6, 1),
    )
    loten = services.commitment_create(
        actor="t",
        agreement=active_agreement,
        party=orgs["3412"],
        description="Sykkelvei",
        due_date=D(2024, 9, 1),
    )
    report = services.report_create(actor="t", agreement=active_agreement)
    services.report_entry_record(
        actor=users["hamar"], report=report, commitment=hamar, status="done", text="Ferdig"
    )
    with pytest.raises(ValidationError) as caught:
        services.report_complete(actor=users["county"], report=report)
    assert codes(caught.value) == {"entries": {"report_complete"}}
    assert "Sykkelvei" in caught.value.error_dict["entries"][0].message
    with pytest.raises(PermissionDenied):
        services.report_entry_record(
            actor=users["hamar"], report=report, commitment=loten, status="done"
        )
    with pytest.raises(ValidationError) as caught:
        services.report_entry_record(
            actor=users["loten"], report=report, commitment=loten, status="dropped"
        )
    assert codes(caught.value) == {"reason": {"dropped_reason"}}
    services.report_entry_record(
        actor=users["loten"],
        report=report,
        commitment=loten,
        status="dropped",
        reason="Statens vegvesen bygger i stedet",
    )
    report = services.report_complete(actor=users["county"], report=report)
    assert report.completed_on is not None
    hamar.refresh_from_db()
    loten.refresh_from_db()
    assert (hamar.status, loten.status) == ("done", "dropped")
    assert loten.status_reason == "Statens vegvesen bygger i stedet"
    assert history_for(loten).first().action == "commitment.reported"
    with pytest.raises(ValidationError) as caught:
        services.report_entry_record(
            actor=users["hamar"], report=report, commitment=hamar, status="at_risk"
        )
    assert codes(caught.value) == {"entries": {"report_closed"}}
    assert ReportEntry.objects.count() == 2


# --- renewal -----------------------------------------------------------------------------------


def test_renewal_carries_open_commitments_and_changes_nothing_of_the_old(
    active_agreement, orgs, users
):
    done = services.commitment_create(
        actor="t",
        agreement=active_agreement,
        party=orgs["3403"],
        description="Ferdig",
        due_date=D(2024, 6, 1),
        status="done",
    )
    open_ = services.commitment_create(
        actor="t",
        agreement=active_agreement,
        party=orgs["3412"],
        description="Pågår",
        due_date=D(2027, 6, 1),
        status="in_progress",
    )
    old = Agreement.objects.get(pk=active_agreement.pk)
    own = history_for(old, include_parts=False)
    before = (old.version, old.status, old.updated_at, own.count())
    old_commitments = list(Commitment.objects.filter(agreement=old).values())
    new = services.agreement_renew(
        actor=users["county"],
        agreement=old,
        period_start=D(2028, 1, 1),
        period_end=D(2031, 12, 31),
        title="Regionvekstavtale 2028–2031",
    )
    old.refresh_from_db()
    assert (old.version, old.status, old.updated_at, own.count()) == before
    assert list(Commitment.objects.filter(agreement=old).values()) == old_commitments
    assert new.renewal_of == old and new.status == "draft"
    carried = list(new.commitments.all())
    assert [(c.description, c.carried_from_id) for c in carried] == [("Pågår", open_.pk)]
    assert done.carried_to.count() == 0
    assert {p.organisation_id for p in new.party_links.all()} == {
        p.organisation_id for p in old.party_links.all()
    }
    assert history_for(new, include_parts=False).first().action == "agreement.renewed"
    assert ChangeRecord.objects.filter(action="commitment.carried_over").count() == 1


def test_renewal_of_an_agreement_that_is_not_active_writes_nothing(agreement, active_agreement):
    with pytest.raises(ValidationError) as caught:
        services.agreement_renew(
            actor="t",
            agreement=agreement,
            period_start=D(2028, 1, 1),
            period_end=D(2031, 12, 31),
        )
    assert codes(caught.value) == {"status": {"renew_active_only"}}
    services.agreement_renew(
        actor="t",
        agreement=active_agreement,
        period_start=D(2028, 1, 1),
        period_end=D(2031, 12, 31),
    )
    with pytest.raises(ValidationError) as caught:
        services.agreement_renew(
            actor="t",
            agreement=active_agreement,
            period_start=D(2028, 1, 1),
            period_end=D(2031, 12, 31),
        )
    assert codes(caught.value) == {"renewal_of": {"renew_once"}}
    assert Agreement.objects.count() == 3


def test_agreement_warning_when_period_passes_the_next_strategy(orgs):
    long = services.agreement_create(
        actor="t",
        title="Lang avtale",
        kind="partnership",
        period_start=D(2024, 1, 1),
        period_end=D(2030, 12, 31),
        parties=[orgs["34"], orgs["3403"]],
    )
    assert len(services.agreement_warnings(long)) == 1
    long = services.agreement_update(
        actor="t", agreement=long, expected_version=1, renewal_milestone=D(2028, 9, 1)
    )
    assert services.agreement_warnings(long) == []
