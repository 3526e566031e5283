"""The rules of plans, agreements, commitments and reports, as pure functions (the plan rules
live in ``plan_rules.py`` and are re-exported here).

Every rule has a stable id (the ``code`` of the API error), the field it is about, and a
message that states the rule and its source. Services call these checks with plain values and
turn the violations into one ``ValidationError``, so nothing is written when any rule fails.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from kraftsenter.core.rules import Violation, raise_violations  # noqa: F401
from kraftsenter.core.rules import short_date as _d

from . import planning, sdg
from .choices import AgreementKind
from .plan_rules import (  # noqa: F401 - the plan rules are part of this module's interface
    adoption_violations,
    constitution_late_warning,
    constitution_violation,
    election_year_violation,
    hearing_violations,
    hearing_warnings,
    owner_violation,
    parent_violation,
    participant_adoption_warning,
    plan_deadline_violation,
    programme_warning,
    proposal_violation,
    proposal_warning,
    sami_section_violation,
    strategy_adopted_late_warning,
    strategy_adoption_violation,
    strategy_period_violation,
    strategy_planned_late_warning,
)

# --- agreements --------------------------------------------------------------------------------


def period_violation(start: dt.date | None, end: dt.date | None) -> Violation | None:
    if start is None or end is None or end >= start:
        return None
    return Violation(
        "period_order",
        "period_end",
        _("The period ends (%(end)s) before it starts (%(start)s): an end follows its start.")
        % {"end": _d(end), "start": _d(start)},
    )


def parties_violations(kind: str, lead: Any, parties: list[Any]) -> list[Violation]:
    out: list[Violation] = []
    ids = {p.pk for p in parties}
    if len(ids) < 2:
        out.append(
            Violation(
                "parties_two",
                "parties",
                _(
                    "An agreement has at least two parties (strategy chapter 9.1: agreements "
                    "between county municipalities, municipalities and state bodies)."
                ),
            )
        )
    if lead is not None and lead.pk not in ids:
        out.append(
            Violation(
                "lead_is_party",
                "lead",
                _("The lead party %(name)s must be one of the parties.") % {"name": lead.name},
            )
        )
    if kind == AgreementKind.SAMETINGET and not any(p.kind == "sametinget" for p in parties):
        out.append(
            Violation(
                "sametinget_party",
                "parties",
                _("An agreement with Sametinget has Sametinget as a party (agreement kind)."),
            )
        )
    if kind == AgreementKind.PLAN_IMPLEMENTATION:
        municipal = [p for p in parties if p.kind in ("municipality", "county_municipality")]
        if len(municipal) < 2:
            out.append(
                Violation(
                    "plan_implementation_parties",
                    "parties",
                    _(
                        "An agreement on implementing an inter-municipal plan is made between "
                        "the municipalities (and the county municipality) that cooperate on the "
                        "plan: at least two of them (pbl. §§ 9-6, 9-7)."
                    ),
                )
            )
    return out


def activation_violation(undecided: list[str]) -> Violation | None:
    if not undecided:
        return None
    return Violation(
        "adopted_by_parties",
        "status",
        _(
            "An agreement becomes active when every party has adopted it; adopting decisions are "
            "missing for: %(names)s (strategy chapter 9.1: agreements rest on the parties' will "
            "to follow them up)."
        )
        % {"names": ", ".join(undecided)},
    )


def next_strategy_deadline(period_start: dt.date) -> dt.date:
    """The deadline of the planning strategy of the council elected after ``period_start``."""
    return planning.strategy_deadline(planning.current_election_year(period_start) + 4)


def renewal_warning(period_start: dt.date, period_end: dt.date, milestone: dt.date | None) -> str:
    """A warning (not an error) when the period runs past the next planning strategy and no
    renewal milestone is set by then (the four-year rolling of strategy chapter 9.1)."""
    limit = next_strategy_deadline(period_start)
    if period_end <= limit or (milestone is not None and milestone <= limit):
        return ""
    return _(
        "The period runs past the next planning strategy (due %(date)s) without a renewal "
        "milestone by then. Nordland's regional growth agreements follow the rolling of the "
        "municipal and regional planning strategies (strategy chapter 9.1)."
    ) % {"date": _d(limit)}


def renewal_violations(
    agreement: Any, period_start: dt.date, period_end: dt.date
) -> list[Violation | None]:
    out: list[Violation | None] = []
    if agreement.status != "active" or agreement.archived_at is not None:
        out.append(
            Violation(
                "renew_active_only",
                "status",
                _(
                    "Only an active agreement can be renewed; this one is %(status)s "
                    "(rule: renewal of active agreements)."
                )
                % {"status": agreement.get_status_display().lower()},
            )
        )
    if getattr(agreement, "has_renewal", False):
        out.append(
            Violation(
                "renew_once",
                "renewal_of",
                _("The agreement has already been renewed (rule: one renewal per agreement)."),
            )
        )
    out.append(period_violation(period_start, period_end))
    if period_end <= agreement.period_end:
        out.append(
            Violation(
                "renewal_period",
                "period_end",
                _(
                    "The renewal must run beyond the old period, which ends %(end)s (rule: a "
                    "renewal continues the agreement)."
                )
                % {"end": _d(agreement.period_end)},
            )
        )
    return [v for v in out if v is not None]


def sdg_violations(goals: list[Any], targets: list[str]) -> list[Violation]:
    out: list[Violation] = []
    bad_goals = [str(g) for g in goals if not isinstance(g, int) or g not in sdg.GOALS]
    if bad_goals:
        out.append(
            Violation(
                "sdg_goal",
                "sdgs",
                _("Not a UN Sustainable Development Goal (1–17): %(codes)s.")
                % {"codes": ", ".join(bad_goals)},
            )
        )
    unknown = [t for t in targets if sdg.target_goal(t) is None]
    if unknown:
        out.append(
            Violation(
                "sdg_target",
                "sdg_targets",
                _("Not an SDG target (as on un.org, e.g. 11.3 or 11.a): %(codes)s.")
                % {"codes": ", ".join(unknown)},
            )
        )
    untagged = [t for t in targets if (g := sdg.target_goal(t)) is not None and g not in goals]
    if untagged:
        out.append(
            Violation(
                "sdg_target_goal",
                "sdg_targets",
                _("Each SDG target belongs to a goal the goal is tagged with: %(codes)s.")
                % {"codes": ", ".join(untagged)},
            )
        )
    return out


def anchor_violation(plan: Any, item: Any) -> Violation | None:
    if item is None or item.plan_id == plan.pk:
        return None
    return Violation(
        "anchor_item_in_plan",
        "item",
        _("The item “%(item)s” is not an item of the plan “%(plan)s” (rule: traceable anchoring).")
        % {"item": item, "plan": plan},
    )


def goal_in_use_violation(commitments: list[str]) -> Violation | None:
    """A goal that commitments follow up stays until they are moved or archived."""
    if not commitments:
        return None
    return Violation(
        "goal_in_use",
        "goal",
        _(
            "Commitments follow up this goal: %(names)s. Move them to another goal or archive "
            "them first (rule: traceable anchoring)."
        )
        % {"names": "; ".join(commitments)},
    )


# --- commitments and reports --------------------------------------------------------------------


def commitment_party_violation(party: Any, party_ids: set[int]) -> Violation | None:
    if party.pk in party_ids:
        return None
    return Violation(
        "commitment_party",
        "party",
        _(
            "%(name)s is not a party to the agreement: a commitment is owned by one of the "
            "parties (strategy chapter 9.1: the parties follow up what they agreed)."
        )
        % {"name": party.name},
    )


def dropped_reason_violation(status: str, reason: str, field: str) -> Violation | None:
    if status != "dropped" or (reason or "").strip():
        return None
    return Violation(
        "dropped_reason",
        field,
        _("A dropped commitment needs a reason, so that the other parties can follow up."),
    )


def report_period_violations(
    start: dt.date, end: dt.date, agreement_start: dt.date, agreement_end: dt.date
) -> list[Violation]:
    order = period_violation(start, end)
    if order is not None:
        return [order]
    if agreement_start <= start and end <= agreement_end:
        return []
    return [
        Violation(
            "report_in_period",
            "period_start" if start < agreement_start else "period_end",
            _(
                "A report covers a period within the agreement's period %(start)s–%(end)s "
                "(rule: follow-up within the agreement)."
            )
            % {"start": _d(agreement_start), "end": _d(agreement_end)},
        )
    ]


def report_overlap_violation(overlapping: list[Any]) -> Violation | None:
    if not overlapping:
        return None
    return Violation(
        "report_overlap",
        "period_start",
        _("The period overlaps the report for %(periods)s (rule: one report per period).")
        % {"periods": ", ".join(f"{_d(r.period_start)}–{_d(r.period_end)}" for r in overlapping)},
    )


def report_complete_violation(missing: list[str]) -> Violation | None:
    if not missing:
        return None
    return Violation(
        "report_complete",
        "entries",
        _(
            "A report is complete only when every commitment has a status; missing: %(names)s "
            "(rule: complete follow-up)."
        )
        % {"names": "; ".join(missing)},
    )


def report_closed_violation(report: Any) -> Violation | None:
    if report.completed_on is None:
        return None
    return Violation(
        "report_closed",
        "entries",
        _("The report was completed on %(date)s and is closed (rule: reports are kept as given).")
        % {"date": _d(report.completed_on)},
    )


def decision_members_violation(agreed_by: list[Any], member_ids: set[int]) -> Violation | None:
    outside = [o.name for o in agreed_by if o.pk not in member_ids]
    if not agreed_by:
        return Violation(
            "decision_members",
            "agreed_by",
            _("Name the members that agreed (rule: decisions by members)."),
        )
    if not outside:
        return None
    return Violation(
        "decision_members",
        "agreed_by",
        _("Not members of the partnership: %(names)s (rule: decisions by members).")
        % {"names": ", ".join(outside)},
    )
