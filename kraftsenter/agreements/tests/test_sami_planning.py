"""sameloven § 3-13 by date: the Sami language area on the adoption date, from 1.1.2024."""

from __future__ import annotations

import datetime as dt

import pytest

from kraftsenter.agreements import services
from kraftsenter.agreements.dashboards import county_strategies
from kraftsenter.agreements.models import Plan

pytestmark = pytest.mark.django_db
D = dt.date


def sami_rules(orgs, number: str, adopted_on: dt.date | None, **kw) -> list[str]:
    plan = Plan(
        title="Planstrategi",
        kind=kw.pop("kind", "municipal_planning_strategy"),
        owner=orgs[number],
        election_year=2023 if adopted_on is None or adopted_on.year > 2023 else 2019,
        status="adopted" if adopted_on else "preparation",
        adopted_on=adopted_on,
        sami_language_section=False,
        **kw,
    )
    return [
        v.rule
        for v in services.plan_violations(plan, [])
        if v is not None and v.rule == "sami_language_section"
    ]


def test_strategy_adopted_in_2023_by_an_area_municipality_needs_no_sami_section(orgs):
    assert sami_rules(orgs, "5610", D(2023, 6, 1)) == []


def test_strategy_adopted_in_2024_by_an_area_municipality_needs_the_sami_section(orgs):
    assert sami_rules(orgs, "5610", D(2024, 6, 1)) == ["sami_language_section"]
    assert sami_rules(orgs, "5610", D(2024, 1, 1)) == ["sami_language_section"]
    assert sami_rules(orgs, "5601", D(2024, 6, 1)) == []  # Alta is not in the area


def test_county_municipality_in_the_area_needs_the_sami_section(orgs):
    finnmark = sami_rules(orgs, "56", D(2024, 6, 1), kind="regional_planning_strategy")
    assert finnmark == ["sami_language_section"]
    innlandet = sami_rules(orgs, "34", D(2024, 6, 1), kind="regional_planning_strategy")
    assert innlandet == []


def test_county_view_flags_the_sami_section_by_the_adoption_date(orgs):
    Plan.objects.create(
        title="Planstrategi Karasjok 2020–2023",
        kind="municipal_planning_strategy",
        owner=orgs["5610"],
        election_year=2019,
        status="adopted",
        adopted_on=D(2020, 9, 1),
    )
    rows = county_strategies(user=None, county=orgs["56"].county, year=2019, today=D(2026, 6, 1))
    flags = {r.number: (r.sami_area, r.sami_missing) for r in rows}
    # Adopted before § 3-13 took effect: not required; the county municipality has none yet
    # and must have one today.
    assert flags["5610"] == (False, False)
    assert flags["56"] == (True, True)
    assert flags["5601"] == (False, False)
