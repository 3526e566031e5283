"""Election periods and the statutory deadlines of plans (DOMAIN.md §4), as pure functions.

Municipal and county councils are elected every fourth year (2019, 2023, 2027 …) and the new
council is constituted no later than the end of October in the election year (kommuneloven
§ 7-1). A planning strategy is due no later than one year after the constitution (pbl. §§ 7-1,
10-1). Nothing here reads the database: callers pass plain values or a plan-like object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .choices import PlanKind

#: A year in which municipal and county councils are elected.
ELECTION_ANCHOR = 2019
#: Days a proposal must be public before adoption, and the minimum hearing length.
STRATEGY_PROPOSAL_DAYS = 30
ACTION_PART_PROPOSAL_DAYS = 14
HEARING_DAYS = 42
#: A deadline this close (in days) counts as "due" in views and digests.
DUE_SOON_DAYS = 60

#: Counties whose county municipality is in the administrative area for Sami languages
#: (forskrift om forvaltningsområdet for samiske språk § 1, from 1.1.2026): Troms, Finnmark,
#: Nordland and Trøndelag.
SAMI_AREA_COUNTIES = frozenset({"55", "56", "18", "50"})


def is_election_year(year: int) -> bool:
    return (year - ELECTION_ANCHOR) % 4 == 0


def latest_constitution(year: int) -> dt.date:
    """The last day the council elected in ``year`` may be constituted (kommuneloven § 7-1)."""
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


def in_sami_language_area(organisation: Any) -> bool:
    """Whether a municipality's or county municipality's organisation is in the Sami language
    administrative area (municipalities from the reference data, counties from the table)."""
    if organisation is None:
        return False
    if organisation.kind == "municipality" and organisation.municipality_id:
        return bool(organisation.municipality.sami_language_area)
    if organisation.kind == "county_municipality" and organisation.county_id:
        return organisation.county.number in SAMI_AREA_COUNTIES
    return False


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


def _hearing(code: str, label: Any, start: dt.date | None, end: dt.date | None, source: str):
    """A hearing: the earliest allowed end is six weeks after the start."""
    if start is None:
        return None
    earliest = start + dt.timedelta(days=HEARING_DAYS)
    status = "unknown" if end is None else ("met" if end >= earliest else "late")
    return Deadline(code, str(label), earliest, end, status, source)


def plan_deadlines(plan: Any, today: dt.date) -> list[Deadline]:
    """The deadlines DOMAIN.md §4 sets for this plan, computed from its dates."""
    kind = plan.kind
    out: list[Deadline] = []
    if kind in (PlanKind.REGIONAL_PLANNING_STRATEGY, PlanKind.MUNICIPAL_PLANNING_STRATEGY):
        source = "pbl. § 7-1" if kind == PlanKind.REGIONAL_PLANNING_STRATEGY else "pbl. § 10-1"
        due = strategy_deadline(plan.election_year, plan.constituted_on)
        out.append(
            Deadline(
                "adoption",
                str(_("Adopted no later than one year after the council's constitution")),
                due,
                plan.adopted_on,
                deadline_status(due, plan.adopted_on, today),
                source,
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
                    "pbl. § 10-1",
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
                    "pbl. § 11-4",
                )
            )
    if kind in (PlanKind.ACTION_PART, PlanKind.ACTION_PROGRAMME) and plan.adopted_on:
        revision = add_years(plan.adopted_on, 1)
        out.append(
            Deadline(
                "annual_revision",
                str(_("Revised (action part) or its revision assessed (action programme) yearly")),
                revision,
                None,
                deadline_status(revision, None, today),
                "pbl. § 11-4" if kind == PlanKind.ACTION_PART else "pbl. § 8-1",
            )
        )
    hearing_source = {
        PlanKind.REGIONAL_PLANNING_STRATEGY: "pbl. § 7-2",
        PlanKind.REGIONAL_PLAN: "pbl. § 8-3",
    }.get(kind)
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
    found = _hearing(
        "programme_hearing",
        _("Planning programme on hearing at least six weeks (earliest end)"),
        plan.programme_hearing_start,
        plan.programme_hearing_end,
        "pbl. § 4-1",
    )
    if found:
        out.append(found)
    return out
