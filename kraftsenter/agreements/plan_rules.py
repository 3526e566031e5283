"""The rules of plans (DOMAIN.md §4), as pure functions; ``rules.py`` re-exports them.

Each returns a :class:`~kraftsenter.core.rules.Violation` naming the rule id, the field, a
message with the rule and its legal source, and the source (statute, section, paragraph), or
None. Two kinds: ``*_violation(s)`` are hard rules for impossible data (an adoption before the
proposal exists, a period that ends before it starts): the service refuses them and writes
nothing. ``*_warning(s)`` are breaches of the law's deadlines and duties (a hearing shorter than
six weeks, a strategy adopted late): a plan register records what happened, so the service saves
them with the plan and the pages and the API show them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from kraftsenter.core.rules import Violation
from kraftsenter.core.rules import short_date as _d

from . import planning
from .choices import PARENT_KIND, PROGRAMME_KINDS, REGIONAL_KINDS, STRATEGY_KINDS, PlanKind

#: The four-year election cycle is set by valgloven § 9-1 (not among the statute texts in
#: the platform's reference folder); the constitution by the end of October by kommuneloven.
ELECTION_SOURCE = "valgloven § 9-1"
CONSTITUTION_SOURCE = "kommuneloven § 7-1 første ledd"
#: The statuses in which a plan proposal has gone on hearing or been adopted.
PAST_PREPARATION = ("hearing", "adopted", "superseded")


def election_year_violation(year: int | None) -> Violation | None:
    if year is None or planning.is_election_year(year):
        return None
    return Violation(
        "election_year",
        "election_year",
        _(
            "%(year)s is not an election year: municipal and county councils are elected every "
            "fourth year (2019, 2023, 2027 …; valgloven § 9-1) and constituted by the end of "
            "October (kommuneloven § 7-1 first paragraph)."
        )
        % {"year": year},
        ELECTION_SOURCE,
    )


def constitution_violation(year: int | None, constituted_on: dt.date | None) -> Violation | None:
    """The council elected in ``year`` is constituted in that year, after the election."""
    if year is None or constituted_on is None or constituted_on.year == year:
        return None
    return Violation(
        "constitution",
        "constituted_on",
        _(
            "The council elected in %(year)s is constituted after its election, in %(year)s, "
            "no later than 31 October (kommuneloven § 7-1 first paragraph)."
        )
        % {"year": year},
        CONSTITUTION_SOURCE,
    )


def constitution_late_warning(year: int | None, constituted_on: dt.date | None) -> Violation | None:
    """Warning: the constituent meeting was held after the end of October of the election year
    (after a re-election, for instance)."""
    if year is None or constituted_on is None or constituted_on.year != year:
        return None
    latest = planning.latest_constitution(year)
    if constituted_on <= latest:
        return None
    return Violation(
        "constitution_late",
        "constituted_on",
        _(
            "The deadline has passed: the council was constituted on %(date)s, and the "
            "constituent meeting is held by the end of October, %(latest)s (%(source)s)."
        )
        % {"date": _d(constituted_on), "latest": _d(latest), "source": CONSTITUTION_SOURCE},
        CONSTITUTION_SOURCE,
    )


def strategy_period_violation(kind: str, year: int | None) -> Violation | None:
    if kind not in STRATEGY_KINDS or year is not None:
        return None
    source = planning.strategy_source(kind)
    return Violation(
        "strategy_period",
        "election_year",
        _("A planning strategy belongs to an election period: give the election year (%(source)s).")
        % {"source": source},
        source,
    )


def _period(year: int) -> str:
    return f"{year}–{year + 4}"


def plan_deadline_violation(
    kind: str, year: int | None, constituted_on: dt.date | None, deadline: dt.date | None
) -> Violation | None:
    """A planned adoption lies in the plan's election period: from the constitution of its
    council to the last day the next council may be constituted. (A strategy planned later than
    one year after the constitution is a warning: :func:`strategy_planned_late_warning`.)"""
    if year is None or deadline is None:
        return None
    start, end = planning.period_bounds(year, constituted_on)
    if start <= deadline <= end:
        return None
    if kind in STRATEGY_KINDS:
        source = planning.strategy_source(kind)
        message = _(
            "The planned adoption %(date)s lies outside the election period %(period)s "
            "(%(start)s–%(end)s): each council adopts its own planning strategy (%(source)s)."
        )
    else:
        source = CONSTITUTION_SOURCE
        message = _(
            "The planned adoption %(date)s lies outside the election period %(period)s "
            "(%(start)s–%(end)s) the plan is registered for (%(source)s)."
        )
    return Violation(
        "deadline_in_period",
        "deadline",
        message
        % {
            "date": _d(deadline),
            "period": _period(year),
            "start": _d(start),
            "end": _d(end),
            "source": source,
        },
        source,
    )


def strategy_planned_late_warning(
    kind: str, year: int | None, constituted_on: dt.date | None, deadline: dt.date | None
) -> Violation | None:
    """Warning: a planning strategy planned for adoption after its deadline (one year after
    the constitution)."""
    if kind not in STRATEGY_KINDS or year is None or deadline is None:
        return None
    latest = planning.strategy_deadline(year, constituted_on)
    if deadline <= latest:
        return None
    source = planning.strategy_source(kind)
    return Violation(
        "strategy_planned_late",
        "deadline",
        _(
            "The deadline will be passed: the planned adoption %(date)s is after %(latest)s, and "
            "a planning strategy is adopted no later than one year after the council's "
            "constitution (%(source)s)."
        )
        % {"date": _d(deadline), "latest": _d(latest), "source": source},
        source,
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
    source = planning.strategy_source(kind)
    return Violation(
        "adopted_in_period",
        "adopted_on",
        _(
            "Adopted on %(date)s, outside the election period %(period)s (%(start)s–%(end)s): "
            "each council adopts its own planning strategy (%(source)s)."
        )
        % {
            "date": _d(adopted_on),
            "period": _period(year),
            "start": _d(start),
            "end": _d(end),
            "source": source,
        },
        source,
    )


def strategy_adopted_late_warning(
    kind: str, year: int | None, constituted_on: dt.date | None, adopted_on: dt.date | None
) -> Violation | None:
    """Warning: a planning strategy adopted later than one year after the constitution."""
    if kind not in STRATEGY_KINDS or year is None or adopted_on is None:
        return None
    latest = planning.strategy_deadline(year, constituted_on)
    if adopted_on <= latest:
        return None
    source = planning.strategy_source(kind)
    return Violation(
        "strategy_adopted_late",
        "adopted_on",
        _(
            "The deadline has passed: adopted on %(date)s, %(days)s days after %(latest)s, the "
            "last day one year after the council's constitution (%(source)s)."
        )
        % {
            "date": _d(adopted_on),
            "days": (adopted_on - latest).days,
            "latest": _d(latest),
            "source": source,
        },
        source,
    )


def _proposal_rule(kind: str) -> tuple[str, int, str] | None:
    """(rule id, days, source) of the proposal that is public before the council decides."""
    if kind == PlanKind.MUNICIPAL_PLANNING_STRATEGY:
        return (
            "strategy_proposal_public",
            planning.STRATEGY_PROPOSAL_DAYS,
            planning.STRATEGY_PROPOSAL_SOURCE,
        )
    if kind == PlanKind.ACTION_PART:
        return (
            "action_part_proposal_public",
            planning.ACTION_PART_PROPOSAL_DAYS,
            planning.ACTION_PART_PROPOSAL_SOURCE,
        )
    return None


def proposal_violation(
    kind: str, published_on: dt.date | None, adopted_on: dt.date | None
) -> Violation | None:
    """A proposal cannot be made public after the plan it proposes was adopted."""
    if published_on is None or adopted_on is None or published_on <= adopted_on:
        return None
    return Violation(
        "proposal_after_adoption",
        "proposal_published_on",
        _(
            "The proposal cannot be made public (%(published)s) after the plan was adopted "
            "(%(adopted)s): check both dates."
        )
        % {"published": _d(published_on), "adopted": _d(adopted_on)},
    )


def proposal_warning(
    kind: str, published_on: dt.date | None, adopted_on: dt.date | None
) -> Violation | None:
    """Warning: the proposal of a municipal strategy public < 30 days, of an action part
    < 14 days before the council's decision."""
    rule = _proposal_rule(kind)
    if rule is None or published_on is None or adopted_on is None or published_on > adopted_on:
        return None
    code, days, source = rule
    gap = (adopted_on - published_on).days
    if gap >= days:
        return None
    return Violation(
        code,
        "proposal_published_on",
        _(
            "The deadline has passed: the proposal must be public at least %(days)s days before "
            "adoption; it was public %(gap)s days before (%(source)s)."
        )
        % {"days": days, "gap": gap, "source": source},
        source,
    )


def hearing_violations(plan: Any) -> list[Violation]:
    """A hearing cannot start after the plan was adopted (a period that ends before it starts
    is refused by the model)."""
    out: list[Violation] = []
    if plan.adopted_on is None:
        return out
    for field in ("hearing_start", "programme_hearing_start"):
        start = getattr(plan, field)
        if start is not None and start > plan.adopted_on:
            out.append(
                Violation(
                    "hearing_after_adoption",
                    field,
                    _(
                        "A hearing cannot start (%(start)s) after the plan was adopted "
                        "(%(adopted)s): check both dates."
                    )
                    % {"start": _d(start), "adopted": _d(plan.adopted_on)},
                )
            )
    return out


def hearing_warnings(plan: Any) -> list[Violation]:
    """Warning: a hearing with a statutory minimum of six weeks was shorter (the plan proposal
    of a regional strategy, regional plan or kommuneplan; the planning programme of a regional
    plan or kommuneplan)."""
    out: list[Violation] = []
    checks = [
        ("hearing_start", "hearing_end", planning.HEARING_SOURCES.get(plan.kind)),
        (
            "programme_hearing_start",
            "programme_hearing_end",
            planning.PROGRAMME_HEARING_SOURCES.get(plan.kind),
        ),
    ]
    for start_field, end_field, source in checks:
        start, end = getattr(plan, start_field), getattr(plan, end_field)
        if source is None or start is None or end is None or end < start:
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
                    source,
                )
            )
    return out


def programme_warning(plan: Any) -> Violation | None:
    """Warning: a regional plan or kommuneplan on hearing or adopted without a planning
    programme (no programme hearing registered)."""
    if plan.kind not in PROGRAMME_KINDS or plan.status not in PAST_PREPARATION:
        return None
    if plan.programme_hearing_start is not None:
        return None
    source = "pbl. § 4-1 første ledd"
    return Violation(
        "planning_programme",
        "programme_hearing_start",
        _(
            "Every regional plan and municipal master plan needs a planning programme, prepared "
            "when the planning starts and sent on hearing (%(source)s): no planning programme "
            "hearing is registered."
        )
        % {"source": source},
        source,
    )


def participant_adoption_warning(
    kind: str, status: str, participants: Iterable[Any], adopted: Iterable[int]
) -> Violation | None:
    """Warning: an adopted inter-municipal plan that not every participant's council has
    adopted for its own area (``adopted``: the ids of those that have)."""
    if kind != PlanKind.INTER_MUNICIPAL_PLAN or status not in ("adopted", "superseded"):
        return None
    done = set(adopted)
    missing = sorted(o.name for o in participants if o.pk not in done)
    if not missing:
        return None
    source = "pbl. § 9-3 tredje ledd"
    return Violation(
        "participant_adoption",
        "adoptions",
        _(
            "Each council adopts the inter-municipal plan for its own area (%(source)s): no "
            "adoption is registered for %(names)s."
        )
        % {"source": source, "names": ", ".join(missing)},
        source,
    )


def adoption_violations(
    participants: Iterable[Any], organisation: Any, adopted_on: dt.date, today: dt.date
) -> list[Violation]:
    """A participant's adoption: only a participant of a plan with several, not in the future."""
    out: list[Violation] = []
    ids = {o.pk for o in participants}
    if len(ids) < 2:
        out.append(
            Violation(
                "adoption_participant",
                "organisation",
                _(
                    "Only a plan with several municipalities (an inter-municipal plan) records "
                    "each council's adoption; this plan is adopted once (adopted on)."
                ),
            )
        )
    elif organisation.pk not in ids:
        out.append(
            Violation(
                "adoption_participant",
                "organisation",
                _("%(name)s does not take part in the plan.") % {"name": organisation.name},
            )
        )
    if adopted_on > today:
        out.append(
            Violation(
                "adoption_date",
                "adopted_on",
                _("An adoption cannot be dated in the future (%(date)s).")
                % {"date": _d(adopted_on)},
            )
        )
    return out


def sami_section_violation(
    kind: str,
    status: str,
    owner: Any,
    has_section: bool,
    adopted_on: dt.date | None = None,
    today: dt.date | None = None,
    area: Any = None,
) -> Violation | None:
    """A planning strategy adopted on or after 1.1.2024 by an owner in the Sami language area on
    its adoption date has its Sami language section (sameloven § 3-13). ``area``: a
    ``places.selectors.SamiArea`` already read (else it is read)."""
    if kind not in STRATEGY_KINDS or status != "adopted" or has_section:
        return None
    on = adopted_on or today or planning.today()
    if not planning.sami_section_required(kind, owner, on, on, area):
        return None
    return Violation(
        "sami_language_section",
        "sami_language_section",
        _(
            "%(owner)s was in the administrative area for Sami languages on %(date)s: a "
            "planning strategy adopted then must discuss the Sami language and needs its Sami "
            "language section (sameloven § 3-13 first sentence)."
        )
        % {"owner": owner.name, "date": _d(on)},
        "sameloven § 3-13",
    )


def owner_violation(kind: str, owner: Any, partners: list[Any]) -> Violation | None:
    """Regional plans belong to a county municipality, municipal plans to a municipality, an
    inter-municipal plan to at least two municipalities or county municipalities."""
    if kind in REGIONAL_KINDS and owner.kind != "county_municipality":
        return Violation(
            "plan_owner",
            "owner",
            _(
                "Regional plans are prepared by the county municipality (pbl. § 3-4 second "
                "paragraph)."
            ),
            "pbl. § 3-4 andre ledd",
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
                    "county municipality and municipalities (pbl. § 9-1 first paragraph, "
                    "§ 9-7 first paragraph)."
                ),
                "pbl. § 9-1 første ledd, § 9-7 første ledd",
            )
        return None
    if kind not in REGIONAL_KINDS and kind != PlanKind.OTHER and owner.kind != "municipality":
        return Violation(
            "plan_owner",
            "owner",
            _("Municipal plans are prepared by the municipality (pbl. § 3-3 second paragraph)."),
            "pbl. § 3-3 andre ledd",
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
                "Only an action programme (part of a regional plan, pbl. § 8-1 fourth paragraph) "
                "or an action part (of the community part or of a municipal sub-plan, pbl. § 11-1 "
                "fourth paragraph, § 11-2 third paragraph) is part of another plan."
            ),
            "pbl. § 8-1 fjerde ledd, § 11-1 fjerde ledd, § 11-2 tredje ledd",
        )
    if parent is not None and parent.kind in wanted:
        return None
    if kind == PlanKind.ACTION_PROGRAMME:
        source = "pbl. § 8-1 fjerde ledd"
        message = _(
            "An action programme is part of a regional plan: choose it (pbl. § 8-1 fourth "
            "paragraph)."
        )
    else:
        source = "pbl. § 11-1 fjerde ledd, § 11-2 tredje ledd"
        message = _(
            "An action part is part of the municipal master plan's community part or of a "
            "thematic municipal sub-plan: choose it (pbl. § 11-1 fourth paragraph, § 11-2 third "
            "paragraph)."
        )
    return Violation("plan_parent", "parent", message, source)
