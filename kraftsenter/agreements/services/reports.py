"""Follow-up reports: one per period (a year by default); each party reports the status of its
commitments; a report is complete only when every commitment has a status."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.core.services import check_version, record_create, record_update

from .. import permissions, rules
from ..models import Agreement, Commitment, FollowUpReport, ReportEntry
from ..planning import add_years
from ..rules import Violation
from ._common import require_allowed, validate
from .commitments import commitment_update

#: A report is due this many days after its period ends, unless given.
REPORT_DUE_DAYS = 60


def _may_edit_agreement(actor: Any, agreement: Agreement) -> None:
    require_allowed(
        actor,
        lambda user: permissions.can_edit_agreement(user, agreement),
        _("Only editors and administrators of the parties may change this agreement."),
    )


def next_report_period(agreement: Agreement) -> tuple[dt.date, dt.date]:
    """The year after the latest report (or the agreement's first year), within the period."""
    latest = agreement.reports.filter(archived_at__isnull=True).order_by("-period_end").first()
    start = latest.period_end + dt.timedelta(days=1) if latest else agreement.period_start
    end = min(add_years(start, 1) - dt.timedelta(days=1), agreement.period_end)
    return start, max(start, end)


def report_missing(report: FollowUpReport) -> list[Commitment]:
    """Active commitments of the agreement without a status in this report."""
    reported = ReportEntry.objects.filter(report=report, archived_at__isnull=True).values(
        "commitment_id"
    )
    return list(
        Commitment.objects.filter(agreement_id=report.agreement_id, archived_at__isnull=True)
        .exclude(pk__in=reported)
        .select_related("party")
        .order_by("party__name", "due_date")
    )


@transaction.atomic
def report_create(
    *,
    actor: Any,
    agreement: Agreement,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    due_date: dt.date | None = None,
    summary: str = "",
    is_example: bool = False,
) -> FollowUpReport:
    _may_edit_agreement(actor, agreement)
    default_start, default_end = next_report_period(agreement)
    start = period_start or default_start
    end = period_end or (
        default_end
        if period_start is None
        else min(add_years(start, 1) - dt.timedelta(days=1), agreement.period_end)
    )
    violations: list[Violation | None] = list(
        rules.report_period_violations(start, end, agreement.period_start, agreement.period_end)
    )
    if not violations:
        overlapping = list(
            agreement.reports.filter(
                Q(period_start__lte=end) & Q(period_end__gte=start), archived_at__isnull=True
            )
        )
        violations.append(rules.report_overlap_violation(overlapping))
    report = FollowUpReport(
        agreement=agreement,
        period_start=start,
        period_end=end,
        due_date=due_date or (end + dt.timedelta(days=REPORT_DUE_DAYS)),
        summary=(summary or "").strip(),
        is_example=is_example,
    )
    validate(report, violations)
    return record_create(report, actor=actor, parent=agreement)


@transaction.atomic
def report_entry_record(
    *,
    actor: Any,
    report: FollowUpReport,
    commitment: Commitment,
    status: str,
    text: str = "",
    reason: str = "",
) -> ReportEntry:
    """The owning party's (or the lead's) report on one commitment; the commitment's status
    follows, with its own history record."""
    locked = (
        FollowUpReport.objects.select_for_update().select_related("agreement").get(pk=report.pk)
    )
    require_allowed(
        actor,
        lambda user: permissions.can_edit_commitment(user, commitment),
        _("Only editors of the owning party or of the lead party may report on this commitment."),
    )
    violations: list[Violation | None] = [
        rules.report_closed_violation(locked),
        rules.dropped_reason_violation(status, reason, "reason"),
    ]
    if commitment.agreement_id != locked.agreement_id:
        violations.append(
            Violation(
                "entry_commitment",
                "commitment",
                _("The commitment belongs to another agreement (rule: complete follow-up)."),
            )
        )
    entry = (
        ReportEntry.objects.filter(report=locked, commitment=commitment, archived_at__isnull=True)
        .select_for_update()
        .first()
    )
    values = {"status": status, "text": (text or "").strip(), "reason": (reason or "").strip()}
    candidate = entry or ReportEntry(report=locked, commitment=commitment)
    for key, value in values.items():
        setattr(candidate, key, value)
    validate(candidate, violations)
    if entry is None:
        entry = record_create(candidate, actor=actor, parent=locked.agreement)
    else:
        entry.refresh_from_db()
        entry = record_update(
            entry, actor=actor, changes=values, expected_version=None, parent=locked.agreement
        )
    if commitment.status != status or (status == "dropped" and commitment.status_reason != reason):
        commitment_update(
            actor=actor,
            commitment=commitment,
            expected_version=None,
            status=status,
            status_reason=values["reason"] or commitment.status_reason,
            action="commitment.reported",
            reason=_("Reported in the follow-up for %(period)s")
            % {"period": f"{locked.period_start:%d.%m.%Y}–{locked.period_end:%d.%m.%Y}"},
        )
    return entry


@transaction.atomic
def report_complete(
    *, actor: Any, report: FollowUpReport, expected_version: int | None = None, summary: str = ""
) -> FollowUpReport:
    locked = (
        FollowUpReport.objects.select_for_update().select_related("agreement").get(pk=report.pk)
    )
    _may_edit_agreement(actor, locked.agreement)
    check_version(locked, expected_version)
    missing = [f"{c.party.name}: {c}" for c in report_missing(locked)]
    rules.raise_violations(
        [rules.report_closed_violation(locked), rules.report_complete_violation(missing)]
    )
    changes: dict[str, Any] = {"completed_on": timezone.localdate()}
    if summary.strip():
        changes["summary"] = summary.strip()
    return record_update(
        locked,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        parent=locked.agreement,
        action="followupreport.completed",
    )
