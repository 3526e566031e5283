"""Election periods and computed plan deadlines (DOMAIN.md §4)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

from kraftsenter.agreements import planning

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
    assert found["adoption"].source == "pbl. § 10-1"
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
        and found["proposal_public"].source == "pbl. § 11-4"
    )
    assert found["annual_revision"].due == D(2025, 12, 12)


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
    assert found["hearing"].source == "pbl. § 8-3"
    assert found["programme_hearing"].due == D(2023, 6, 12)
    assert found["programme_hearing"].source == "pbl. § 4-1"


def test_sami_language_area_of_municipalities_and_counties():
    karasjok = NS(kind="municipality", municipality_id=1, municipality=NS(sami_language_area=True))
    hamar = NS(kind="municipality", municipality_id=2, municipality=NS(sami_language_area=False))
    assert planning.in_sami_language_area(karasjok)
    assert not planning.in_sami_language_area(hamar)
    for number, expected in (("55", True), ("56", True), ("18", True), ("50", True), ("34", False)):
        county = NS(kind="county_municipality", county_id=1, county=NS(number=number))
        assert planning.in_sami_language_area(county) is expected
    assert not planning.in_sami_language_area(NS(kind="ipr"))
