"""Election periods and the statutory deadlines of plans (DOMAIN.md §4), as pure functions.

Municipal and county councils are elected every fourth year (2019, 2023, 2027 …; valgloven
§ 9-1, not among the statute texts checked here) and the new council is constituted no later
than the end of October in the election year (kommuneloven § 7-1 first paragraph). A planning
strategy is due no later than one year after the constitution (pbl. § 7-1 first paragraph,
§ 10-1 first paragraph). Nothing here reads the database: callers pass plain values or a
plan-like object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kraftsenter.places.selectors import SamiArea, sami_area

from .choices import STRATEGY_KINDS, PlanKind

#: A year in which municipal and county councils are elected.
ELECTION_ANCHOR = 2019
#: Days a proposal must be public before adoption, and the minimum hearing length.
STRATEGY_PROPOSAL_DAYS = 30
ACTION_PART_PROPOSAL_DAYS = 14
HEARING_DAYS = 42
#: A deadline this close (in days) counts as "due" in views and digests.
DUE_SOON_DAYS = 60

#: sameloven § 3-13 (the Sami language in the planning strategies of the Sami language area) is
#: in force from this day: added by lov 9.6.2023 nr. 28, in force 1.1.2024 (res. 9.6.2023
#: nr. 807). Which places are in the area on a date: ``places.selectors`` (forskrift
#: 17.6.2005 nr. 657 § 1 as in force that day).
SAMI_PLANNING_FROM = dt.date(2024, 1, 1)


def is_election_year(year: int) -> bool:
    return (year - ELECTION_ANCHOR) % 4 == 0


def latest_constitution(year: int) -> dt.date:
    """The last day the council elected in ``year`` may be constituted (kommuneloven § 7-1 first
    paragraph: the constituent meeting is held by the end of October)."""
    return dt.date(year, 10, 31)


def constitution_date(year: int, constituted_on: dt.date | None) -> dt.date:
    return constituted_on or latest_constitution(year)


def period_bounds(year: int, constituted_on: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the election period that starts with the council of ``year``."""
    start = constitution_date(year, constituted_on)
    return start, latest_constitution(year + 4)


def current_election_year(today: dt.date) -> int:
    """The election year of the council sitting on ``today``."""
    year = today.year - (today.year - ELECTION_ANCHOR) % 4
    if today <= latest_constitution(year):
        year -= 4
    return year


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def strategy_deadline(year: int, constituted_on: dt.date | None = None) -> dt.date:
    """A planning strategy is adopted no later than one year after the constitution."""
    return add_years(constitution_date(year, constituted_on), 1)


def in_sami_language_area(
    organisation: Any, on: dt.date | None = None, area: SamiArea | None = None
) -> bool:
    """Whether a municipality's or county municipality's organisation is in the administrative
    area for Sami languages on ``on`` (default today). The one exception to "nothing here reads
    the database": without ``area`` the dated area is read (one query)."""
    if organisation is None:
        return False
    if organisation.kind == "municipality" and organisation.municipality_id:
        place = {"municipality_id": organisation.municipality_id}
    elif organisation.kind == "county_municipality" and organisation.county_id:
        place = {"county_id": organisation.county_id}
    else:
        return False
    area = area or sami_area()
    return area.membership(on=on or today(), **place) is not None


def today() -> dt.date:
    """Today in the platform's time zone."""
    return timezone.localdate()


def sami_section_required(
    kind: str,
    organisation: Any,
    adopted_on: dt.date | None,
    today: dt.date,
    area: SamiArea | None = None,
) -> bool:
    """sameloven § 3-13: a planning strategy of a county municipality or municipality in the
    Sami language area on its adoption date (today while it is not adopted) discusses the Sami
    language; not a strategy adopted before § 3-13 took effect (:data:`SAMI_PLANNING_FROM`)."""
    if kind not in STRATEGY_KINDS:
        return False
    on = adopted_on or today
    return on >= SAMI_PLANNING_FROM and in_sami_language_area(organisation, on, area)


@dataclass(frozen=True)
class Deadline:
    """One statutory deadline of a plan, with what happened and where the rule comes from."""

    code: str
    label: str
    due: dt.date | None
    done: dt.date | None
    status: str  # met, late, overdue, due, upcoming, unknown
    source: str

    @property
    def needs_attention(self) -> bool:
        return self.status in ("overdue", "due")


def deadline_status(due: dt.date | None, done: dt.date | None, today: dt.date) -> str:
    if due is None:
        return "unknown"
    if done is not None:
        return "met" if done <= due else "late"
    if today > due:
        return "overdue"
    if (due - today).days <= DUE_SOON_DAYS:
        return "due"
    return "upcoming"


def strategy_source(kind: str) -> str:
    """A planning strategy is adopted at least once in each election period, no later than one
    year after the constitution."""
    if kind == PlanKind.REGIONAL_PLANNING_STRATEGY:
        return "pbl. § 7-1 første ledd"
    return "pbl. § 10-1 første ledd"


#: The proposal of a municipal planning strategy is public ≥ 30 days before the council's
#: decision; the proposal of the yearly revision of the action part ≥ 14 days.
STRATEGY_PROPOSAL_SOURCE = "pbl. § 10-1 andre ledd"
ACTION_PART_PROPOSAL_SOURCE = "pbl. § 11-4 andre ledd"

#: Hearings with a statutory minimum of six weeks, per kind of plan: the plan proposal …
HEARING_SOURCES: dict[str, str] = {
    PlanKind.REGIONAL_PLANNING_STRATEGY: "pbl. § 7-2 første ledd",
    PlanKind.REGIONAL_PLAN: "pbl. § 8-3 tredje ledd",
    PlanKind.COMMUNITY_PART: "pbl. § 11-14 første ledd",
    PlanKind.LAND_USE_PART: "pbl. § 11-14 første ledd",
    PlanKind.MUNICIPAL_SUB_PLAN: "pbl. § 11-14 første ledd",
    # The rules of the plan type apply (§ 9-3 first paragraph): kommuneplan or reguleringsplan.
    PlanKind.INTER_MUNICIPAL_PLAN: (
        "pbl. § 9-3 første ledd, § 11-14 første ledd, § 12-10 første ledd"
    ),
}
#: … and the planning programme (pbl. § 4-1 sets no length; §§ 8-3, 11-13 and 12-9 do).
PROGRAMME_HEARING_SOURCES: dict[str, str] = {
    PlanKind.REGIONAL_PLAN: "pbl. § 8-3 andre ledd",
    PlanKind.COMMUNITY_PART: "pbl. § 11-13 første ledd",
    PlanKind.LAND_USE_PART: "pbl. § 11-13 første ledd",
    PlanKind.MUNICIPAL_SUB_PLAN: "pbl. § 11-13 første ledd",
    PlanKind.INTER_MUNICIPAL_PLAN: (
        "pbl. § 9-3 første ledd, § 11-13 første ledd, § 12-9 andre ledd"
    ),
}


def revision_source(plan: Any) -> str:
    """The yearly revision: the action programme's need for it is assessed yearly (pbl. § 8-1
    fifth paragraph); the kommuneplan's action part is revised yearly (§ 11-1 fourth
    paragraph), and so is a thematic municipal sub-plan's (§ 11-2 third paragraph)."""
    if plan.kind == PlanKind.ACTION_PROGRAMME:
        return "pbl. § 8-1 femte ledd"
    parent = plan.parent if plan.parent_id else None
    if parent is not None and parent.kind == PlanKind.MUNICIPAL_SUB_PLAN:
        return "pbl. § 11-2 tredje ledd"
    return "pbl. § 11-1 fjerde ledd"


def _hearing(code: str, label: Any, start: dt.date | None, end: dt.date | None, source: str):
    """A hearing: the earliest allowed end is six weeks after the start."""
    if start is None:
        return None
    earliest = start + dt.timedelta(days=HEARING_DAYS)
    status = "unknown" if end is None else ("met" if end >= earliest else "late")
    return Deadline(code, str(label), earliest, end, status, source)


def plan_deadlines(plan: Any, today: dt.date) -> list[Deadline]:
    """The statutory deadlines of this plan, computed from its dates (DOMAIN.md §4)."""
    kind = plan.kind
    out: list[Deadline] = []
    if kind in (PlanKind.REGIONAL_PLANNING_STRATEGY, PlanKind.MUNICIPAL_PLANNING_STRATEGY):
        due = strategy_deadline(plan.election_year, plan.constituted_on)
        out.append(
            Deadline(
                "adoption",
                str(_("Adopted no later than one year after the council's constitution")),
                due,
                plan.adopted_on,
                deadline_status(due, plan.adopted_on, today),
                strategy_source(kind),
            )
        )
        if kind == PlanKind.MUNICIPAL_PLANNING_STRATEGY:
            planned = plan.adopted_on or plan.deadline or due
            public_by = planned - dt.timedelta(days=STRATEGY_PROPOSAL_DAYS)
            out.append(
                Deadline(
                    "proposal_public",
                    str(_("Proposal public at least 30 days before adoption")),
                    public_by,
                    plan.proposal_published_on,
                    deadline_status(public_by, plan.proposal_published_on, today),
                    STRATEGY_PROPOSAL_SOURCE,
                )
            )
    if kind == PlanKind.ACTION_PART:
        planned = plan.adopted_on or plan.deadline
        if planned is not None:
            public_by = planned - dt.timedelta(days=ACTION_PART_PROPOSAL_DAYS)
            out.append(
                Deadline(
                    "proposal_public",
                    str(_("Proposal public at least 14 days before adoption")),
                    public_by,
                    plan.proposal_published_on,
                    deadline_status(public_by, plan.proposal_published_on, today),
                    ACTION_PART_PROPOSAL_SOURCE,
                )
            )
    if kind in (PlanKind.ACTION_PART, PlanKind.ACTION_PROGRAMME) and plan.adopted_on:
        last = plan.revised_on or plan.adopted_on
        revision = add_years(last, 1)
        label = (
            _("Next yearly assessment of the need to revise the action programme")
            if kind == PlanKind.ACTION_PROGRAMME
            else _("Next yearly revision of the action part")
        )
        out.append(
            Deadline(
                "annual_revision",
                str(label),
                revision,
                None,
                deadline_status(revision, None, today),
                revision_source(plan),
            )
        )
    hearing_source = HEARING_SOURCES.get(kind)
    if hearing_source:
        found = _hearing(
            "hearing",
            _("Hearing at least six weeks (earliest end)"),
            plan.hearing_start,
            plan.hearing_end,
            hearing_source,
        )
        if found:
            out.append(found)
    programme_source = PROGRAMME_HEARING_SOURCES.get(kind)
    if programme_source:
        found = _hearing(
            "programme_hearing",
            _("Planning programme on hearing at least six weeks (earliest end)"),
            plan.programme_hearing_start,
            plan.programme_hearing_end,
            programme_source,
        )
        if found:
            out.append(found)
    return out


def deadline_alerts(deadlines: list[Deadline]) -> list[Deadline]:
    """The deadlines to warn about today: passed with nothing done, or approaching."""
    return [d for d in deadlines if d.status in ("overdue", "due")]
