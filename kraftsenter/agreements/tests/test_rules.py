"""One test per rule in rules.py: the rule id, the field, and the source named in the message."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

import pytest
from django.core.exceptions import ValidationError

from kraftsenter.agreements import rules

D = dt.date


def org(pk, kind="municipality", name="Org", sami=False, county="34"):
    municipality = NS(sami_language_area=sami)
    return NS(
        pk=pk,
        kind=kind,
        name=name,
        municipality_id=pk if kind == "municipality" else None,
        municipality=municipality,
        county_id=1 if kind == "county_municipality" else None,
        county=NS(number=county),
    )


def plan(**kw):
    base = dict(
        kind="regional_plan",
        hearing_start=None,
        hearing_end=None,
        programme_hearing_start=None,
        programme_hearing_end=None,
    )
    base.update(kw)
    return NS(**base)


# --- plans -------------------------------------------------------------------------------------


def test_rule_election_year_refuses_a_year_without_local_elections():
    v = rules.election_year_violation(2022)
    assert v.rule == "election_year" and v.field == "election_year"
    assert "kommuneloven § 7-1" in v.message and "2022" in v.message
    assert rules.election_year_violation(2023) is None


def test_rule_constitution_in_the_election_year_by_31_october():
    v = rules.constitution_violation(2023, D(2023, 11, 2))
    assert v.rule == "constitution" and v.field == "constituted_on"
    assert "kommuneloven § 7-1" in v.message
    assert rules.constitution_violation(2023, D(2023, 10, 19)) is None


def test_rule_strategy_period_requires_the_election_year():
    v = rules.strategy_period_violation("municipal_planning_strategy", None)
    assert v.rule == "strategy_period" and "pbl. § 10-1" in v.message
    v = rules.strategy_period_violation("regional_planning_strategy", None)
    assert "pbl. § 7-1" in v.message
    assert rules.strategy_period_violation("regional_plan", None) is None


def test_rule_deadline_in_period_for_a_strategy_is_within_a_year_of_constitution():
    v = rules.plan_deadline_violation(
        "municipal_planning_strategy", 2023, D(2023, 10, 19), D(2024, 11, 1)
    )
    assert v.rule == "deadline_in_period" and v.field == "deadline"
    assert "pbl. § 10-1" in v.message and "2023–2027" in v.message
    assert (
        rules.plan_deadline_violation(
            "municipal_planning_strategy", 2023, D(2023, 10, 19), D(2024, 10, 19)
        )
        is None
    )


def test_rule_deadline_in_period_for_other_plans_is_inside_the_election_period():
    v = rules.plan_deadline_violation("regional_plan", 2023, None, D(2028, 3, 1))
    assert v.rule == "deadline_in_period" and "kommuneloven § 7-1" in v.message
    assert rules.plan_deadline_violation("regional_plan", 2023, None, D(2026, 3, 1)) is None


def test_rule_adopted_in_period_a_strategy_belongs_to_its_council():
    v = rules.strategy_adoption_violation("regional_planning_strategy", 2023, None, D(2023, 6, 1))
    assert v.rule == "adopted_in_period" and v.field == "adopted_on"
    assert "pbl. § 7-1" in v.message
    late_but_in_period = D(2025, 2, 1)
    assert (
        rules.strategy_adoption_violation(
            "regional_planning_strategy", 2023, None, late_but_in_period
        )
        is None
    )


def test_rule_strategy_proposal_public_30_days_before_adoption():
    v = rules.proposal_violation("municipal_planning_strategy", D(2024, 9, 1), D(2024, 9, 20))
    assert v.rule == "strategy_proposal_public" and v.field == "proposal_published_on"
    assert "pbl. § 10-1" in v.message and "30" in v.message and "19" in v.message
    assert (
        rules.proposal_violation("municipal_planning_strategy", D(2024, 8, 1), D(2024, 9, 1))
        is None
    )


def test_rule_action_part_proposal_public_14_days_before_adoption():
    v = rules.proposal_violation("action_part", D(2024, 12, 1), D(2024, 12, 10))
    assert v.rule == "action_part_proposal_public" and "pbl. § 11-4" in v.message
    assert "14" in v.message
    assert rules.proposal_violation("action_part", D(2024, 11, 20), D(2024, 12, 10)) is None


@pytest.mark.parametrize(
    "kind,start_field,end_field,source",
    [
        ("regional_plan", "hearing_start", "hearing_end", "pbl. § 8-3"),
        ("regional_planning_strategy", "hearing_start", "hearing_end", "pbl. § 7-2"),
        ("community_part", "programme_hearing_start", "programme_hearing_end", "pbl. § 4-1"),
    ],
)
def test_rule_hearing_six_weeks(kind, start_field, end_field, source):
    bad = plan(kind=kind, **{start_field: D(2024, 1, 1), end_field: D(2024, 2, 1)})
    [v] = rules.hearing_violations(bad)
    assert v.rule == "hearing_six_weeks" and v.field == end_field
    assert source in v.message and "31" in v.message
    ok = plan(kind=kind, **{start_field: D(2024, 1, 1), end_field: D(2024, 2, 12)})
    assert rules.hearing_violations(ok) == []


def test_rule_sami_language_section_for_strategies_in_the_sami_area():
    karasjok = org(5610, sami=True, name="Karasjok kommune")
    v = rules.sami_section_violation("municipal_planning_strategy", "adopted", karasjok, False)
    assert v.rule == "sami_language_section" and "sameloven § 3-13" in v.message
    assert "Karasjok kommune" in v.message
    assert (
        rules.sami_section_violation("municipal_planning_strategy", "adopted", karasjok, True)
        is None
    )
    assert (
        rules.sami_section_violation("municipal_planning_strategy", "preparation", karasjok, False)
        is None
    )
    hamar = org(3403)
    assert (
        rules.sami_section_violation("municipal_planning_strategy", "adopted", hamar, False) is None
    )
    nordland = org(18, kind="county_municipality", county="18")
    assert rules.sami_section_violation("regional_planning_strategy", "adopted", nordland, False)


def test_rule_plan_owner_matches_the_planning_authority():
    county = org(34, kind="county_municipality")
    hamar, loten = org(3403), org(3412)
    v = rules.owner_violation("regional_plan", hamar, [])
    assert v.rule == "plan_owner" and "pbl. § 3-4" in v.message
    assert "pbl. § 3-3" in rules.owner_violation("community_part", county, []).message
    v = rules.owner_violation("inter_municipal_plan", hamar, [])
    assert v.field == "partners" and "pbl. §§ 9-1, 9-7" in v.message
    assert rules.owner_violation("inter_municipal_plan", hamar, [loten]) is None
    assert rules.owner_violation("other", org(9, kind="ipr"), []) is None


def test_rule_plan_parent_action_programme_and_action_part():
    v = rules.parent_violation("action_programme", None)
    assert v.rule == "plan_parent" and "pbl. § 8-1" in v.message
    v = rules.parent_violation("action_part", NS(kind="regional_plan"))
    assert "pbl. § 11-1" in v.message
    assert rules.parent_violation("action_part", NS(kind="community_part")) is None
    assert rules.parent_violation("regional_plan", NS(kind="regional_plan")).field == "parent"


# --- agreements --------------------------------------------------------------------------------


def test_rule_period_order():
    v = rules.period_violation(D(2025, 1, 1), D(2024, 12, 31))
    assert v.rule == "period_order" and v.field == "period_end"
    assert rules.period_violation(D(2025, 1, 1), D(2025, 1, 1)) is None


def test_rule_parties_two_and_lead_is_party():
    a, b = org(1), org(2)
    found = {v.rule: v for v in rules.parties_violations("partnership", b, [a])}
    assert set(found) == {"parties_two", "lead_is_party"}
    assert "9.1" in found["parties_two"].message and found["lead_is_party"].field == "lead"
    assert rules.parties_violations("partnership", a, [a, b]) == []


def test_rule_sametinget_party():
    [v] = rules.parties_violations("sametinget", None, [org(1), org(2)])
    assert v.rule == "sametinget_party" and v.field == "parties"
    assert rules.parties_violations("sametinget", None, [org(1), org(2, kind="sametinget")]) == []


def test_rule_plan_implementation_parties():
    [v] = rules.parties_violations("plan_implementation", None, [org(1), org(2, kind="ipr")])
    assert v.rule == "plan_implementation_parties" and "pbl. §§ 9-6, 9-7" in v.message
    assert rules.parties_violations("plan_implementation", None, [org(1), org(2)]) == []


def test_rule_adopted_by_parties_before_active():
    v = rules.activation_violation(["Løten kommune"])
    assert v.rule == "adopted_by_parties" and v.field == "status"
    assert "Løten kommune" in v.message and "9.1" in v.message
    assert rules.activation_violation([]) is None


def test_rule_renewal_warning_past_the_next_planning_strategy():
    # Period starting in the 2023–2027 period: the next strategy is due 31 October 2028.
    warning = rules.renewal_warning(D(2024, 1, 1), D(2029, 12, 31), None)
    assert "31.10.2028" in warning and "9.1" in warning
    assert rules.renewal_warning(D(2024, 1, 1), D(2027, 12, 31), None) == ""
    assert rules.renewal_warning(D(2024, 1, 1), D(2029, 12, 31), D(2028, 6, 1)) == ""


def test_rule_renew_active_only_once_and_beyond_the_old_period():
    draft = NS(
        status="draft",
        archived_at=None,
        has_renewal=True,
        period_end=D(2027, 12, 31),
        get_status_display=lambda: "Draft",
    )
    found = {v.rule for v in rules.renewal_violations(draft, D(2027, 1, 1), D(2027, 6, 1))}
    assert found == {"renew_active_only", "renew_once", "renewal_period"}
    active = NS(**{**draft.__dict__, "status": "active", "has_renewal": False})
    assert rules.renewal_violations(active, D(2028, 1, 1), D(2031, 12, 31)) == []


def test_rule_sdg_goals_and_targets():
    found = {v.rule: v for v in rules.sdg_violations([11, 18], ["11.3", "11.9", "9.a", "17.20"])}
    assert set(found) == {"sdg_goal", "sdg_target", "sdg_target_goal"}
    assert "18" in found["sdg_goal"].message
    assert "11.9" in found["sdg_target"].message and "17.20" in found["sdg_target"].message
    assert "9.a" in found["sdg_target_goal"].message
    assert rules.sdg_violations([9, 11], ["11.3", "11.a", "9.c"]) == []


def test_rule_anchor_item_in_plan():
    v = rules.anchor_violation(NS(pk=1), NS(plan_id=2))
    assert v.rule == "anchor_item_in_plan" and v.field == "item"
    assert rules.anchor_violation(NS(pk=1), NS(plan_id=1)) is None


# --- commitments, reports, partnerships ----------------------------------------------------------


def test_rule_commitment_party_must_be_a_party():
    v = rules.commitment_party_violation(org(9, name="Snøbrøyt AS"), {1, 2})
    assert v.rule == "commitment_party" and v.field == "party"
    assert "Snøbrøyt AS" in v.message and "9.1" in v.message
    assert rules.commitment_party_violation(org(1), {1, 2}) is None


def test_rule_dropped_reason():
    v = rules.dropped_reason_violation("dropped", "  ", "status_reason")
    assert v.rule == "dropped_reason" and v.field == "status_reason"
    assert rules.dropped_reason_violation("dropped", "Ikke finansiert", "status_reason") is None
    assert rules.dropped_reason_violation("done", "", "status_reason") is None


def test_rule_report_in_period():
    [v] = rules.report_period_violations(
        D(2023, 1, 1), D(2023, 12, 31), D(2024, 1, 1), D(2027, 12, 31)
    )
    assert v.rule == "report_in_period" and v.field == "period_start"
    [v] = rules.report_period_violations(
        D(2027, 6, 1), D(2028, 5, 31), D(2024, 1, 1), D(2027, 12, 31)
    )
    assert v.field == "period_end"
    [v] = rules.report_period_violations(
        D(2025, 6, 1), D(2025, 1, 1), D(2024, 1, 1), D(2027, 12, 31)
    )
    assert v.rule == "period_order"


def test_rule_report_overlap():
    v = rules.report_overlap_violation([NS(period_start=D(2024, 1, 1), period_end=D(2024, 12, 31))])
    assert v.rule == "report_overlap" and "31.12.2024" in v.message
    assert rules.report_overlap_violation([]) is None


def test_rule_report_complete_names_what_is_missing():
    v = rules.report_complete_violation(["Løten kommune: Gang- og sykkelvei"])
    assert v.rule == "report_complete" and "Gang- og sykkelvei" in v.message
    assert rules.report_complete_violation([]) is None


def test_rule_report_closed():
    v = rules.report_closed_violation(NS(completed_on=D(2025, 2, 1)))
    assert v.rule == "report_closed" and "01.02.2025" in v.message
    assert rules.report_closed_violation(NS(completed_on=None)) is None


def test_rule_decision_members():
    v = rules.decision_members_violation([org(7, name="Utenfor AS")], {1, 2})
    assert v.rule == "decision_members" and "Utenfor AS" in v.message
    assert rules.decision_members_violation([], {1}).field == "agreed_by"
    assert rules.decision_members_violation([org(1)], {1, 2}) is None


def test_raise_violations_keys_errors_by_field_with_the_rule_as_code():
    with pytest.raises(ValidationError) as caught:
        rules.raise_violations([None, rules.period_violation(D(2025, 1, 1), D(2024, 1, 1))])
    [error] = caught.value.error_dict["period_end"]
    assert error.code == "period_order"
    rules.raise_violations([None])
