"""The rules of plans (DOMAIN.md §4), as pure functions; ``rules.py`` re-exports them.

Each returns a :class:`~kraftsenter.core.rules.Violation` naming the rule id, the
field and a message with the rule and its legal source, or None.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from kraftsenter.core.rules import Violation
from kraftsenter.core.rules import short_date as _d

from . import planning
from .choices import PARENT_KIND, REGIONAL_KINDS, STRATEGY_KINDS, PlanKind


def election_year_violation(year: int | None) -> Violation | None:
    if year is None or planning.is_election_year(year):
        return None
    return Violation(
        "election_year",
        "election_year",
        _(
            "%(year)s is not an election year: municipal and county councils are elected every "
            "fourth year (2019, 2023, 2027 …) and constituted by the end of October "
            "(kommuneloven § 7-1)."
        )
        % {"year": year},
    )


def constitution_violation(year: int | None, constituted_on: dt.date | None) -> Violation | None:
    if year is None or constituted_on is None:
        return None
    if constituted_on.year == year and constituted_on <= planning.latest_constitution(year):
        return None
    return Violation(
        "constitution",
        "constituted_on",
        _(
            "The council elected in %(year)s is constituted in %(year)s, no later than 31 October "
            "(kommuneloven § 7-1)."
        )
        % {"year": year},
    )


def strategy_period_violation(kind: str, year: int | None) -> Violation | None:
    if kind not in STRATEGY_KINDS or year is not None:
        return None
    source = "pbl. § 7-1" if kind == PlanKind.REGIONAL_PLANNING_STRATEGY else "pbl. § 10-1"
    return Violation(
        "strategy_period",
        "election_year",
        _("A planning strategy belongs to an election period: give the election year (%(source)s).")
        % {"source": source},
    )


def plan_deadline_violation(
    kind: str, year: int | None, constituted_on: dt.date | None, deadline: dt.date | None
) -> Violation | None:
    """A planned adoption must lie in the plan's election period; a strategy's no later than
    one year after the constitution."""
    if year is None or deadline is None:
        return None
    start, end = planning.period_bounds(year, constituted_on)
    if kind in STRATEGY_KINDS:
        latest = planning.strategy_deadline(year, constituted_on)
        source = "pbl. § 7-1" if kind == PlanKind.REGIONAL_PLANNING_STRATEGY else "pbl. § 10-1"
        if start <= deadline <= latest:
            return None
        return Violation(
            "deadline_in_period",
            "deadline",
            _(
                "The planned adoption %(date)s contradicts the election period %(period)s: a "
                "planning strategy is adopted by the new council no later than one year after "
                "its constitution, between %(start)s and %(latest)s (%(source)s)."
            )
            % {
                "date": _d(deadline),
                "period": f"{year}–{year + 4}",
                "start": _d(start),
                "latest": _d(latest),
                "source": source,
            },
        )
    if start <= deadline <= end:
        return None
    return Violation(
        "deadline_in_period",
        "deadline",
        _(
            "The planned adoption %(date)s lies outside the election period %(period)s "
            "(%(start)s–%(end)s) the plan is registered for (kommuneloven § 7-1)."
        )
        % {
            "date": _d(deadline),
            "period": f"{year}–{year + 4}",
            "start": _d(start),
            "end": _d(end),
        },
    )


def strategy_adoption_violation(
    kind: str, year: int | None, constituted_on: dt.date | None, adopted_on: dt.date | None
) -> Violation | None:
    """A planning strategy is adopted by the council of its own election period."""
    if kind not in STRATEGY_KINDS or year is None or adopted_on is None:
        return None
    start, end = planning.period_bounds(year, constituted_on)
    if start <= adopted_on <= end:
        return None
    source = "pbl. § 7-1" if kind == PlanKind.REGIONAL_PLANNING_STRATEGY else "pbl. § 10-1"
    return Violation(
        "adopted_in_period",
        "adopted_on",
        _(
            "Adopted on %(date)s, outside the election period %(period)s (%(start)s–%(end)s): "
            "each council adopts its own planning strategy (%(source)s)."
        )
        % {
            "date": _d(adopted_on),
            "period": f"{year}–{year + 4}",
            "start": _d(start),
            "end": _d(end),
            "source": source,
        },
    )


def proposal_violation(
    kind: str, published_on: dt.date | None, adopted_on: dt.date | None
) -> Violation | None:
    """Proposal public ≥ 30 days (municipal strategy) or ≥ 14 days (action part) before."""
    rules: dict[str, tuple[str, int, str]] = {
        PlanKind.MUNICIPAL_PLANNING_STRATEGY: (
            "strategy_proposal_public",
            planning.STRATEGY_PROPOSAL_DAYS,
            "pbl. § 10-1",
        ),
        PlanKind.ACTION_PART: (
            "action_part_proposal_public",
            planning.ACTION_PART_PROPOSAL_DAYS,
            "pbl. § 11-4",
        ),
    }
    if kind not in rules or published_on is None or adopted_on is None:
        return None
    rule, days, source = rules[kind]
    gap = (adopted_on - published_on).days
    if gap >= days:
        return None
    return Violation(
        rule,
        "proposal_published_on",
        _(
            "The proposal must be public at least %(days)s days before adoption; it was public "
            "%(gap)s days before (%(source)s)."
        )
        % {"days": days, "gap": gap, "source": source},
    )


def hearing_violations(plan: Any) -> list[Violation]:
    """Hearings of planning programmes, regional strategies and regional plans: ≥ 6 weeks."""
    out: list[Violation] = []
    checks = []
    if plan.kind == PlanKind.REGIONAL_PLANNING_STRATEGY:
        checks.append(("hearing_start", "hearing_end", "pbl. § 7-2"))
    if plan.kind == PlanKind.REGIONAL_PLAN:
        checks.append(("hearing_start", "hearing_end", "pbl. § 8-3"))
    checks.append(("programme_hearing_start", "programme_hearing_end", "pbl. § 4-1"))
    for start_field, end_field, source in checks:
        start, end = getattr(plan, start_field), getattr(plan, end_field)
        if start is None or end is None or end < start:
            continue
        if (end - start).days < planning.HEARING_DAYS:
            out.append(
                Violation(
                    "hearing_six_weeks",
                    end_field,
                    _(
                        "The hearing must last at least six weeks (42 days); %(start)s–%(end)s "
                        "is %(days)s days (%(source)s)."
                    )
                    % {
                        "start": _d(start),
                        "end": _d(end),
                        "days": (end - start).days,
                        "source": source,
                    },
                )
            )
    return out


def sami_section_violation(
    kind: str, status: str, owner: Any, has_section: bool
) -> Violation | None:
    """A planning strategy adopted in the Sami language area has its Sami language section."""
    if kind not in STRATEGY_KINDS or status != "adopted" or has_section:
        return None
    if not planning.in_sami_language_area(owner):
        return None
    return Violation(
        "sami_language_section",
        "sami_language_section",
        _(
            "%(owner)s is in the administrative area for Sami languages: its planning strategy "
            "needs a Sami language section before it is adopted (sameloven § 3-13)."
        )
        % {"owner": owner.name},
    )


def owner_violation(kind: str, owner: Any, partners: list[Any]) -> Violation | None:
    """Regional plans belong to a county municipality, municipal plans to a municipality, an
    inter-municipal plan to at least two municipalities or county municipalities."""
    if kind in REGIONAL_KINDS and owner.kind != "county_municipality":
        return Violation(
            "plan_owner",
            "owner",
            _("Regional plans are prepared by the county municipality (pbl. § 3-4)."),
        )
    if kind == PlanKind.INTER_MUNICIPAL_PLAN:
        municipal = {
            o.pk for o in [owner, *partners] if o.kind in ("municipality", "county_municipality")
        }
        if len(municipal) < 2:
            return Violation(
                "plan_owner",
                "partners",
                _(
                    "An inter-municipal plan is prepared by two or more municipalities, or a "
                    "county municipality and municipalities (pbl. §§ 9-1, 9-7)."
                ),
            )
        return None
    if kind not in REGIONAL_KINDS and kind != PlanKind.OTHER and owner.kind != "municipality":
        return Violation(
            "plan_owner",
            "owner",
            _("Municipal plans are prepared by the municipality (pbl. § 3-3)."),
        )
    return None


def parent_violation(kind: str, parent: Any) -> Violation | None:
    wanted = PARENT_KIND.get(kind)
    if wanted is None:
        if parent is None:
            return None
        return Violation(
            "plan_parent",
            "parent",
            _(
                "Only an action programme (part of a regional plan, pbl. § 8-1) or an action "
                "part (part of the community part, pbl. § 11-1) is part of another plan."
            ),
        )
    if parent is not None and parent.kind == wanted:
        return None
    if kind == PlanKind.ACTION_PROGRAMME:
        message = _("An action programme is part of a regional plan: choose it (pbl. § 8-1).")
    else:
        message = _(
            "An action part is part of the municipal master plan's community part: choose it "
            "(pbl. § 11-1)."
        )
    return Violation("plan_parent", "parent", message)
