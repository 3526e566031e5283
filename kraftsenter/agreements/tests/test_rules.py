"""One test per rule in rules.py: the rule id, the field, and the source named in the message."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kraftsenter.agreements import rules
from kraftsenter.core.rules import short_date
from kraftsenter.places.models import SamiLanguageAreaMembership
from kraftsenter.places.selectors import SamiArea


@pytest.fixture
def english():
    """The rules' messages are asserted in English, their source language."""
    with translation.override("en"):
        yield


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
        status="preparation",
        adopted_on=None,
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
    assert v.source == "valgloven § 9-1" and "valgloven § 9-1" in v.message
    assert "kommuneloven § 7-1" in v.message and "2022" in v.message
    assert rules.election_year_violation(2023) is None


def test_rule_constitution_in_the_election_year():
    v = rules.constitution_violation(2023, D(2024, 1, 9))
    assert v.rule == "constitution" and v.field == "constituted_on"
    assert v.source == "kommuneloven § 7-1 første ledd" and "kommuneloven § 7-1" in v.message
    assert rules.constitution_violation(2023, D(2023, 10, 19)) is None
    assert rules.constitution_violation(2023, D(2023, 11, 2)) is None  # late: a warning


def test_warning_constitution_late_after_31_october():
    w = rules.constitution_late_warning(2023, D(2023, 11, 2))
    assert w.rule == "constitution_late" and w.field == "constituted_on"
    assert w.source == "kommuneloven § 7-1 første ledd" and w.source in w.message
    assert rules.constitution_late_warning(2023, D(2023, 10, 31)) is None
    assert rules.constitution_late_warning(2023, D(2024, 1, 9)) is None  # refused instead


def test_rule_strategy_period_requires_the_election_year():
    v = rules.strategy_period_violation("municipal_planning_strategy", None)
    assert v.rule == "strategy_period" and v.source == "pbl. § 10-1 første ledd"
    assert v.source in v.message
    v = rules.strategy_period_violation("regional_planning_strategy", None)
    assert v.source == "pbl. § 7-1 første ledd" and v.source in v.message
    assert rules.strategy_period_violation("regional_plan", None) is None


def test_rule_deadline_in_period_refuses_only_a_date_outside_the_period():
    before = rules.plan_deadline_violation(
        "municipal_planning_strategy", 2023, D(2023, 10, 19), D(2023, 9, 1)
    )
    assert before.rule == "deadline_in_period" and before.field == "deadline"
    assert before.source == "pbl. § 10-1 første ledd" and "2023–2027" in before.message
    # Planned 14 months after the constitution: late, but inside the period: not refused.
    assert (
        rules.plan_deadline_violation(
            "municipal_planning_strategy", 2023, D(2023, 10, 19), D(2024, 12, 19)
        )
        is None
    )


def test_warning_strategy_planned_late_after_one_year_from_constitution():
    w = rules.strategy_planned_late_warning(
        "municipal_planning_strategy", 2023, D(2023, 10, 19), D(2024, 12, 19)
    )
    assert w.rule == "strategy_planned_late" and w.field == "deadline"
    assert w.source == "pbl. § 10-1 første ledd" and w.source in w.message
    assert short_date(D(2024, 10, 19)) in w.message and short_date(D(2024, 12, 19)) in w.message
    regional = rules.strategy_planned_late_warning(
        "regional_planning_strategy", 2023, None, D(2024, 11, 1)
    )
    assert regional.source == "pbl. § 7-1 første ledd"
    assert (
        rules.strategy_planned_late_warning(
            "municipal_planning_strategy", 2023, D(2023, 10, 19), D(2024, 10, 19)
        )
        is None
    )
    assert rules.strategy_planned_late_warning("regional_plan", 2023, None, D(2027, 1, 1)) is None


def test_rule_deadline_in_period_for_other_plans_is_inside_the_election_period():
    v = rules.plan_deadline_violation("regional_plan", 2023, None, D(2028, 3, 1))
    assert v.rule == "deadline_in_period"
    assert v.source == "kommuneloven § 7-1 første ledd" and v.source in v.message
    assert rules.plan_deadline_violation("regional_plan", 2023, None, D(2026, 3, 1)) is None


def test_rule_adopted_in_period_a_strategy_belongs_to_its_council():
    v = rules.strategy_adoption_violation("regional_planning_strategy", 2023, None, D(2023, 6, 1))
    assert v.rule == "adopted_in_period" and v.field == "adopted_on"
    assert v.source == "pbl. § 7-1 første ledd" and v.source in v.message
    late_but_in_period = D(2025, 2, 1)
    assert (
        rules.strategy_adoption_violation(
            "regional_planning_strategy", 2023, None, late_but_in_period
        )
        is None
    )


def test_warning_strategy_adopted_late_says_the_deadline_has_passed(english):
    w = rules.strategy_adopted_late_warning(
        "municipal_planning_strategy", 2023, D(2023, 10, 19), D(2024, 12, 19)
    )
    assert w.rule == "strategy_adopted_late" and w.field == "adopted_on"
    assert w.message.startswith("The deadline has passed")
    assert "61 days" in w.message and w.source == "pbl. § 10-1 første ledd"
    county = rules.strategy_adopted_late_warning(
        "regional_planning_strategy", 2023, None, D(2025, 2, 1)
    )
    assert county.source == "pbl. § 7-1 første ledd" and "93 days" in county.message
    assert (
        rules.strategy_adopted_late_warning(
            "municipal_planning_strategy", 2023, D(2023, 10, 19), D(2024, 10, 19)
        )
        is None
    )


def test_warning_strategy_proposal_public_30_days_before_adoption(english):
    w = rules.proposal_warning("municipal_planning_strategy", D(2024, 9, 1), D(2024, 9, 21))
    assert w.rule == "strategy_proposal_public" and w.field == "proposal_published_on"
    assert w.source == "pbl. § 10-1 andre ledd" and w.source in w.message
    assert "30" in w.message and "20 days" in w.message
    assert (
        rules.proposal_warning("municipal_planning_strategy", D(2024, 8, 1), D(2024, 9, 1)) is None
    )
    assert (
        rules.proposal_violation("municipal_planning_strategy", D(2024, 9, 1), D(2024, 9, 21))
        is None
    )


def test_warning_action_part_proposal_public_14_days_before_adoption(english):
    w = rules.proposal_warning("action_part", D(2024, 12, 1), D(2024, 12, 10))
    assert w.rule == "action_part_proposal_public" and "9 days" in w.message
    assert w.source == "pbl. § 11-4 andre ledd" and w.source in w.message
    assert rules.proposal_warning("action_part", D(2024, 11, 20), D(2024, 12, 10)) is None
    assert rules.proposal_warning("regional_plan", D(2024, 12, 1), D(2024, 12, 10)) is None


def test_rule_proposal_after_adoption_is_impossible():
    v = rules.proposal_violation("regional_plan", D(2024, 12, 11), D(2024, 12, 10))
    assert v.rule == "proposal_after_adoption" and v.field == "proposal_published_on"
    assert rules.proposal_warning("action_part", D(2024, 12, 11), D(2024, 12, 10)) is None
    assert rules.proposal_violation("regional_plan", D(2024, 12, 10), D(2024, 12, 10)) is None


@pytest.mark.parametrize(
    "kind,start_field,end_field,source",
    [
        ("regional_plan", "hearing_start", "hearing_end", "pbl. § 8-3 tredje ledd"),
        (
            "regional_planning_strategy",
            "hearing_start",
            "hearing_end",
            "pbl. § 7-2 første ledd",
        ),
        ("community_part", "hearing_start", "hearing_end", "pbl. § 11-14 første ledd"),
        ("land_use_part", "hearing_start", "hearing_end", "pbl. § 11-14 første ledd"),
        (
            "regional_plan",
            "programme_hearing_start",
            "programme_hearing_end",
            "pbl. § 8-3 andre ledd",
        ),
        (
            "community_part",
            "programme_hearing_start",
            "programme_hearing_end",
            "pbl. § 11-13 første ledd",
        ),
        (
            "municipal_sub_plan",
            "programme_hearing_start",
            "programme_hearing_end",
            "pbl. § 11-13 første ledd",
        ),
    ],
)
def test_warning_hearing_six_weeks(kind, start_field, end_field, source):
    bad = plan(kind=kind, **{start_field: D(2024, 1, 1), end_field: D(2024, 2, 1)})
    [w] = rules.hearing_warnings(bad)
    assert w.rule == "hearing_six_weeks" and w.field == end_field
    assert w.source == source and source in w.message and "31" in w.message
    assert rules.hearing_violations(bad) == []
    ok = plan(kind=kind, **{start_field: D(2024, 1, 1), end_field: D(2024, 2, 12)})
    assert rules.hearing_warnings(ok) == []


def test_warning_hearing_none_for_plans_without_a_statutory_minimum():
    short = {"programme_hearing_start": D(2024, 1, 1), "programme_hearing_end": D(2024, 1, 15)}
    assert rules.hearing_warnings(plan(kind="other", **short)) == []
    assert rules.hearing_warnings(plan(kind="municipal_planning_strategy", **short)) == []


def test_rule_hearing_after_adoption_is_impossible():
    bad = plan(
        adopted_on=D(2024, 3, 1),
        hearing_start=D(2024, 3, 2),
        hearing_end=D(2024, 4, 20),
        programme_hearing_start=D(2024, 3, 5),
    )
    found = {v.field: v.rule for v in rules.hearing_violations(bad)}
    assert found == {
        "hearing_start": "hearing_after_adoption",
        "programme_hearing_start": "hearing_after_adoption",
    }
    assert (
        rules.hearing_violations(plan(adopted_on=D(2024, 5, 1), hearing_start=D(2024, 3, 2))) == []
    )


@pytest.mark.parametrize(
    "kind", ["regional_plan", "community_part", "land_use_part", "municipal_sub_plan"]
)
def test_warning_planning_programme_for_regional_plans_and_kommuneplaner(kind):
    w = rules.programme_warning(plan(kind=kind, status="hearing"))
    assert w.rule == "planning_programme" and w.field == "programme_hearing_start"
    assert w.source == "pbl. § 4-1 første ledd" and w.source in w.message
    assert rules.programme_warning(plan(kind=kind, status="preparation")) is None
    with_programme = plan(kind=kind, status="adopted", programme_hearing_start=D(2023, 1, 1))
    assert rules.programme_warning(with_programme) is None


def test_warning_planning_programme_not_for_strategies_or_action_parts():
    for kind in ("municipal_planning_strategy", "action_part", "action_programme", "other"):
        assert rules.programme_warning(plan(kind=kind, status="adopted")) is None


def test_warning_participant_adoption_each_council_for_its_own_area():
    hamar = org(1, name="Hamar kommune")
    loten = org(2, name="Løten kommune")
    stange = org(3, name="Stange kommune")
    w = rules.participant_adoption_warning(
        "inter_municipal_plan", "adopted", [hamar, loten, stange], [1]
    )
    assert w.rule == "participant_adoption" and w.field == "adoptions"
    assert w.source == "pbl. § 9-3 tredje ledd" and w.source in w.message
    assert "Løten kommune, Stange kommune" in w.message and "Hamar" not in w.message
    assert (
        rules.participant_adoption_warning(
            "inter_municipal_plan", "adopted", [hamar, loten], [2, 1]
        )
        is None
    )
    assert (
        rules.participant_adoption_warning("inter_municipal_plan", "hearing", [hamar, loten], [])
        is None
    )
    assert rules.participant_adoption_warning("other", "adopted", [hamar, loten], []) is None


def test_rule_adoption_only_by_a_participant_and_not_in_the_future():
    hamar, loten, alta = org(1, name="Hamar kommune"), org(2), org(3, name="Alta kommune")
    today = D(2025, 1, 10)
    [v] = rules.adoption_violations([hamar, loten], alta, D(2024, 12, 1), today)
    assert v.rule == "adoption_participant" and "Alta kommune" in v.message
    [v] = rules.adoption_violations([hamar, loten], loten, D(2025, 1, 11), today)
    assert v.rule == "adoption_date" and v.field == "adopted_on"
    [v] = rules.adoption_violations([hamar], hamar, D(2024, 12, 1), today)
    assert v.rule == "adoption_participant"
    assert rules.adoption_violations([hamar, loten], loten, today, today) == []


def test_rule_sami_language_section_for_strategies_in_the_sami_area():
    """sameloven § 3-13 (in force 1.1.2024): the area on the adoption date decides."""
    area = SamiArea(
        [
            SamiLanguageAreaMembership(municipality_id=5610, category="sprakutvikling"),
            SamiLanguageAreaMembership(county_id=1),
            SamiLanguageAreaMembership(
                municipality_id=1840, category="sprakstimulering", in_area_from=D(2026, 1, 1)
            ),
        ]
    )

    def check(owner, adopted_on, has_section=False, status="adopted", kind=None):
        kind = kind or (
            "regional_planning_strategy"
            if owner.kind == "county_municipality"
            else "municipal_planning_strategy"
        )
        return rules.sami_section_violation(kind, status, owner, has_section, adopted_on, area=area)

    karasjok = org(5610, name="Karasjok kommune")
    v = check(karasjok, D(2024, 6, 1))
    assert v.rule == "sami_language_section" and "sameloven § 3-13" in v.message
    assert v.source == "sameloven § 3-13" and "Karasjok kommune" in v.message
    assert check(karasjok, D(2024, 6, 1), has_section=True) is None
    assert check(karasjok, D(2024, 6, 1), status="preparation") is None
    # Adopted before § 3-13 took effect: no requirement.
    assert check(karasjok, D(2023, 12, 31)) is None
    assert check(karasjok, D(2024, 1, 1)) is not None
    assert check(org(3403), D(2024, 6, 1)) is None
    assert check(karasjok, D(2024, 6, 1), kind="regional_plan") is None
    # A county municipality in the area (forskrift § 1 andre ledd).
    assert check(org(18, kind="county_municipality", county="18"), D(2024, 6, 1))
    # Saltdal joined on 1 January 2026: a strategy adopted in 2025 needs nothing.
    saltdal = org(1840, name="Saltdal kommune")
    assert check(saltdal, D(2025, 12, 31)) is None
    assert check(saltdal, D(2026, 1, 1)).rule == "sami_language_section"


def test_rule_plan_owner_matches_the_planning_authority():
    county = org(34, kind="county_municipality")
    hamar, loten = org(3403), org(3412)
    v = rules.owner_violation("regional_plan", hamar, [])
    assert v.rule == "plan_owner" and v.source == "pbl. § 3-4 andre ledd"
    assert "pbl. § 3-4" in v.message
    found = rules.owner_violation("community_part", county, [])
    assert found.source == "pbl. § 3-3 andre ledd" and "pbl. § 3-3" in found.message
    assert rules.owner_violation("land_use_part", county, []).rule == "plan_owner"
    v = rules.owner_violation("inter_municipal_plan", hamar, [])
    assert v.field == "partners" and "pbl. § 9-1" in v.message
    assert v.source == "pbl. § 9-1 første ledd, § 9-7 første ledd"
    assert rules.owner_violation("inter_municipal_plan", hamar, [loten]) is None
    assert rules.owner_violation("other", org(9, kind="ipr"), []) is None


def test_rule_plan_parent_action_programme_and_action_part():
    v = rules.parent_violation("action_programme", None)
    assert v.rule == "plan_parent" and "pbl. § 8-1" in v.message
    assert v.source == "pbl. § 8-1 fjerde ledd"
    v = rules.parent_violation("action_part", NS(kind="regional_plan"))
    assert "pbl. § 11-1" in v.message and "§ 11-2" in v.message
    assert v.source == "pbl. § 11-1 fjerde ledd, § 11-2 tredje ledd"
    assert rules.parent_violation("action_part", NS(kind="community_part")) is None
    assert rules.parent_violation("action_part", NS(kind="municipal_sub_plan")) is None
    assert rules.parent_violation("action_programme", NS(kind="municipal_sub_plan"))
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
