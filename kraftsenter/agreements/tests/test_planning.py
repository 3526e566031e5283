"""Election periods and computed plan deadlines (DOMAIN.md §4)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

from kraftsenter.agreements import planning
from kraftsenter.places.models import SamiLanguageAreaMembership
from kraftsenter.places.selectors import SamiArea

D = dt.date


def plan(**kw):
    base = dict(
        kind="municipal_planning_strategy",
        election_year=2023,
        constituted_on=None,
        adopted_on=None,
        deadline=None,
        proposal_published_on=None,
        hearing_start=None,
        hearing_end=None,
        programme_hearing_start=None,
        programme_hearing_end=None,
        revised_on=None,
        parent_id=None,
        parent=None,
    )
    base.update(kw)
    return NS(**base)


def by_code(deadlines):
    return {d.code: d for d in deadlines}


def test_election_years_and_the_sitting_council():
    assert planning.is_election_year(2023) and planning.is_election_year(2027)
    assert not planning.is_election_year(2024)
    assert planning.current_election_year(D(2025, 6, 1)) == 2023
    assert planning.current_election_year(D(2027, 10, 1)) == 2023  # old council until October
    assert planning.current_election_year(D(2027, 11, 1)) == 2027


def test_strategy_deadline_is_one_year_after_constitution():
    assert planning.strategy_deadline(2023) == D(2024, 10, 31)
    assert planning.strategy_deadline(2023, D(2023, 10, 19)) == D(2024, 10, 19)
    assert planning.period_bounds(2023) == (D(2023, 10, 31), D(2027, 10, 31))


def test_municipal_strategy_deadlines_adoption_and_proposal():
    found = by_code(planning.plan_deadlines(plan(deadline=D(2024, 9, 20)), D(2024, 9, 1)))
    assert found["adoption"].due == D(2024, 10, 31) and found["adoption"].status == "due"
    assert found["adoption"].source == "pbl. § 10-1 første ledd"
    assert found["proposal_public"].source == "pbl. § 10-1 andre ledd"
    assert found["proposal_public"].due == D(2024, 8, 21)
    assert found["proposal_public"].status == "overdue"


def test_strategy_adopted_late_and_overdue():
    late = by_code(planning.plan_deadlines(plan(adopted_on=D(2024, 12, 1)), D(2025, 1, 1)))
    assert late["adoption"].status == "late"
    overdue = by_code(planning.plan_deadlines(plan(), D(2024, 11, 15)))
    assert overdue["adoption"].status == "overdue" and overdue["adoption"].needs_attention
    met = by_code(planning.plan_deadlines(plan(adopted_on=D(2024, 6, 1)), D(2025, 1, 1)))
    assert met["adoption"].status == "met"


def test_action_part_proposal_and_annual_revision():
    found = by_code(
        planning.plan_deadlines(
            plan(
                kind="action_part",
                election_year=None,
                adopted_on=D(2024, 12, 12),
                proposal_published_on=D(2024, 11, 25),
            ),
            D(2025, 1, 1),
        )
    )
    assert found["proposal_public"].due == D(2024, 11, 28)
    assert (
        found["proposal_public"].status == "met"
        and found["proposal_public"].source == "pbl. § 11-4 andre ledd"
    )
    assert found["annual_revision"].due == D(2025, 12, 12)
    assert found["annual_revision"].source == "pbl. § 11-1 fjerde ledd"


def test_annual_revision_runs_from_the_last_revision_and_warns_when_passed():
    adopted = dict(kind="action_part", election_year=None, adopted_on=D(2023, 12, 14))
    passed = by_code(planning.plan_deadlines(plan(**adopted), D(2025, 1, 10)))["annual_revision"]
    assert passed.due == D(2024, 12, 14) and passed.status == "overdue"
    assert planning.deadline_alerts([passed]) == [passed]
    revised = by_code(
        planning.plan_deadlines(plan(**adopted, revised_on=D(2024, 12, 12)), D(2025, 1, 10))
    )["annual_revision"]
    assert revised.due == D(2025, 12, 12) and revised.status == "upcoming"
    assert planning.deadline_alerts([revised]) == []
    approaching = by_code(
        planning.plan_deadlines(plan(**adopted, revised_on=D(2024, 12, 12)), D(2025, 11, 1))
    )["annual_revision"]
    assert approaching.status == "due" and planning.deadline_alerts([approaching])


def test_annual_revision_source_follows_the_kind_and_the_parent():
    sub_plan = NS(kind="municipal_sub_plan")
    found = by_code(
        planning.plan_deadlines(
            plan(
                kind="action_part",
                election_year=None,
                adopted_on=D(2024, 6, 1),
                parent_id=1,
                parent=sub_plan,
            ),
            D(2024, 7, 1),
        )
    )
    assert found["annual_revision"].source == "pbl. § 11-2 tredje ledd"
    programme = by_code(
        planning.plan_deadlines(
            plan(kind="action_programme", election_year=None, adopted_on=D(2024, 6, 1)),
            D(2024, 7, 1),
        )
    )
    assert programme["annual_revision"].source == "pbl. § 8-1 femte ledd"


def test_hearings_earliest_end_is_six_weeks_after_start():
    found = by_code(
        planning.plan_deadlines(
            plan(
                kind="regional_plan",
                election_year=None,
                hearing_start=D(2024, 3, 1),
                hearing_end=D(2024, 4, 12),
                programme_hearing_start=D(2023, 5, 1),
            ),
            D(2024, 5, 1),
        )
    )
    assert found["hearing"].due == D(2024, 4, 12) and found["hearing"].status == "met"
    assert found["hearing"].source == "pbl. § 8-3 tredje ledd"
    assert found["programme_hearing"].due == D(2023, 6, 12)
    assert found["programme_hearing"].source == "pbl. § 8-3 andre ledd"


def test_kommuneplan_hearings_and_no_statutory_minimum_for_other_plans():
    dates = dict(
        election_year=None,
        hearing_start=D(2024, 3, 1),
        hearing_end=D(2024, 3, 29),
        programme_hearing_start=D(2023, 5, 1),
        programme_hearing_end=D(2023, 6, 12),
    )
    for kind in ("community_part", "land_use_part", "municipal_sub_plan"):
        found = by_code(planning.plan_deadlines(plan(kind=kind, **dates), D(2024, 5, 1)))
        assert found["hearing"].status == "late"
        assert found["hearing"].source == "pbl. § 11-14 første ledd"
        assert found["programme_hearing"].status == "met"
        assert found["programme_hearing"].source == "pbl. § 11-13 første ledd"
    assert planning.plan_deadlines(plan(kind="other", **dates), D(2024, 5, 1)) == []


def test_sami_language_area_of_municipalities_and_counties_by_date():
    area = SamiArea(
        [
            SamiLanguageAreaMembership(municipality_id=1, category="sprakutvikling"),
            SamiLanguageAreaMembership(county_id=18),
            SamiLanguageAreaMembership(
                municipality_id=3, category="sprakstimulering", in_area_from=D(2026, 1, 1)
            ),
            SamiLanguageAreaMembership(municipality_id=4, in_area_to=D(2024, 12, 31)),
        ]
    )
    day = D(2026, 6, 1)
    karasjok = NS(kind="municipality", municipality_id=1)
    hamar = NS(kind="municipality", municipality_id=2)
    saltdal = NS(kind="municipality", municipality_id=3)
    left = NS(kind="municipality", municipality_id=4)
    assert planning.in_sami_language_area(karasjok, day, area)
    assert not planning.in_sami_language_area(hamar, day, area)
    assert planning.in_sami_language_area(saltdal, day, area)
    assert not planning.in_sami_language_area(saltdal, D(2025, 12, 31), area)
    assert planning.in_sami_language_area(left, D(2024, 12, 31), area)
    assert not planning.in_sami_language_area(left, D(2025, 1, 1), area)
    nordland = NS(kind="county_municipality", county_id=18)
    assert planning.in_sami_language_area(nordland, day, area)
    assert not planning.in_sami_language_area(
        NS(kind="county_municipality", county_id=34), day, area
    )
    assert not planning.in_sami_language_area(NS(kind="ipr"), day, area)
    assert not planning.in_sami_language_area(None, day, area)


def test_sami_section_required_from_1_january_2024_on_the_adoption_date():
    area = SamiArea([SamiLanguageAreaMembership(municipality_id=1)])
    karasjok = NS(kind="municipality", municipality_id=1)
    strategy = "municipal_planning_strategy"
    assert not planning.sami_section_required(
        strategy, karasjok, D(2023, 5, 1), D(2026, 1, 1), area
    )
    assert planning.sami_section_required(strategy, karasjok, D(2024, 5, 1), D(2026, 1, 1), area)
    # Not adopted: today decides.
    assert planning.sami_section_required(strategy, karasjok, None, D(2026, 1, 1), area)
    assert not planning.sami_section_required(strategy, karasjok, None, D(2023, 1, 1), area)
    assert not planning.sami_section_required("community_part", karasjok, None, D(2026, 1, 1), area)
