"""Follow-up reports: one per period (a year by default); each party reports the status of its
commitments; a report is complete only when every commitment has a status."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.core import prepared
from kraftsenter.core.history import differs, record_change, snapshot
from kraftsenter.core.rules import Violation, raise_violations
from kraftsenter.core.services import check_version, record_create, record_update

from .. import rules
from ..models import Agreement, Commitment, FollowUpReport, ReportEntry
from ..permissions import AGREEMENT_POLICY, COMMITMENT_POLICY
from ..planning import add_years
from ._common import validate

#: A report is due this many days after its period ends, unless given.
REPORT_DUE_DAYS = 60


def _latest_report_end(agreement_id: int) -> QuerySet[Any]:
    return (
        FollowUpReport.objects.filter(agreement_id=agreement_id, archived_at__isnull=True)
        .order_by("-period_end")
        .values_list("period_end")[:1]
    )


def _overlapping_reports(
    agreement_id: int, start: dt.date, end: dt.date
) -> QuerySet[FollowUpReport]:
    return FollowUpReport.objects.filter(
        Q(period_start__lte=end) & Q(period_end__gte=start),
        agreement_id=agreement_id,
        archived_at__isnull=True,
    )


def _agreement_row(agreement_id: int) -> QuerySet[Any]:
    return Agreement.objects.select_for_update().filter(pk=agreement_id).values_list("pk")


def next_report_period(agreement: Agreement) -> tuple[dt.date, dt.date]:
    """The year after the latest report (or the agreement's first year), within the period."""
    latest = prepared.values(
        "report:latest_end", router.db_for_read(FollowUpReport), _latest_report_end, agreement.pk
    )
    start = latest[0][0] + dt.timedelta(days=1) if latest else agreement.period_start
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
    AGREEMENT_POLICY.require(actor, "add_report", agreement)
    alias = router.db_for_write(FollowUpReport)
    # The agreement's row locked first: two reports started at once on PostgreSQL would each
    # find the other's period free (SQLite writes one transaction at a time anyway).
    prepared.values("report:agreement_row", alias, _agreement_row, agreement.pk)
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
        overlapping = prepared.instances(
            "report:overlapping",
            alias,
            FollowUpReport,
            _overlapping_reports,
            agreement.pk,
            start,
            end,
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


def _locked_report(pk: int) -> QuerySet[FollowUpReport]:
    return FollowUpReport.objects.select_for_update().select_related("agreement").filter(pk=pk)


def _locked_commitment(pk: int) -> QuerySet[Commitment]:
    # Only the commitment's row is locked (PostgreSQL's FOR UPDATE OF): its agreement is
    # locked through the report, and its party's row is not the entry's to hold (every
    # entry of Hamar's commitments, in any agreement, waited for it).
    return (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("agreement", "party")
        .filter(pk=pk, archived_at__isnull=True)
    )


def _locked_entry(report_id: int, commitment_id: int) -> QuerySet[ReportEntry]:
    return (
        ReportEntry.objects.select_for_update()
        .filter(report_id=report_id, commitment_id=commitment_id, archived_at__isnull=True)
        .order_by("pk")[:1]
    )


@transaction.atomic
def report_entry_record(
    *,
    actor: Any,
    report: FollowUpReport,
    commitment: Commitment | int,
    status: str,
    text: str = "",
    reason: str = "",
) -> ReportEntry:
    """The owning party's (or the lead's) report on one commitment; the commitment's status
    follows. One change, one history entry: on the commitment (shown in the agreement's
    timeline too), holding the reported status and text. ``commitment`` may be given by its
    id (the API's): an id of no commitment, or of an archived one, is refused on the field
    ``commitment``, as an unknown id. The three reads in the lock (the report, the
    commitment, an earlier entry) keep their statements (:mod:`kraftsenter.core.prepared`):
    the ORM's build of them was half the time an entry held SQLite's write lock (issue 14)."""
    alias = router.db_for_write(FollowUpReport)
    reports = prepared.instances("entry:report", alias, FollowUpReport, _locked_report, report.pk)
    if not reports:
        raise FollowUpReport.DoesNotExist
    locked = reports[0]
    commitment_id = commitment if isinstance(commitment, int) else commitment.pk
    found = prepared.instances(
        "entry:commitment", alias, Commitment, _locked_commitment, commitment_id
    )
    if not found:
        raise ValidationError({"commitment": _("Unknown id: %(id)s.") % {"id": commitment_id}})
    commitment = cast(Commitment, found[0])
    COMMITMENT_POLICY.require(actor, "report", commitment)
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
    entries = prepared.instances(
        "entry:entry", alias, ReportEntry, _locked_entry, locked.pk, commitment.pk
    )
    entry = entries[0] if entries else None
    if entry is not None:
        # The report and the commitment just read: the entry's snapshot names them without
        # reading them again.
        ReportEntry.report.field.set_cached_value(entry, locked)
        ReportEntry.commitment.field.set_cached_value(entry, commitment)
    values = {"status": status, "text": (text or "").strip(), "reason": (reason or "").strip()}
    candidate = copy.copy(entry) if entry else ReportEntry(report=locked, commitment=commitment)
    for key, value in values.items():
        setattr(candidate, key, value)
    # The report and the commitment were just read (locked), and the entry lookup above
    # answers "one entry per commitment and report" (the report row is locked): the model's
    # checks of those are not asked again, nor is the candidate checked twice.
    validate(candidate, violations, exclude=("report", "commitment"))
    period = f"{locked.period_start:%d.%m.%Y}–{locked.period_end:%d.%m.%Y}"
    before = {**snapshot(commitment), "report": _report_values(entry, period)}
    if entry is None or differs(snapshot(entry), snapshot(candidate)):
        if entry is not None:
            candidate.version += 1
        candidate.save()
        entry = candidate
    commitment_changes = {"status": status}
    if status == "dropped" and values["reason"]:
        commitment_changes["status_reason"] = values["reason"]
    record_update(
        commitment, actor=actor, changes=commitment_changes, expected_version=None, history=False
    )
    after = {**snapshot(commitment), "report": _report_values(entry, period)}
    if differs(before, after):
        record_change(
            actor=actor,
            action="commitment.reported",
            target=commitment,
            before=before,
            after=after,
            parent=locked.agreement,
            reason=_("Reported in the follow-up for %(period)s") % {"period": period},
        )
    return entry


def _report_values(entry: ReportEntry | None, period: str) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "label": f"{period}: {entry.get_status_display()}",
        "status": entry.status,
        "text": entry.text,
        "reason": entry.reason,
    }


@transaction.atomic
def report_complete(
    *, actor: Any, report: FollowUpReport, expected_version: int | None = None, summary: str = ""
) -> FollowUpReport:
    locked = (
        FollowUpReport.objects.select_for_update().select_related("agreement").get(pk=report.pk)
    )
    AGREEMENT_POLICY.require(actor, "complete_report", locked.agreement)
    check_version(locked, expected_version)
    missing = [f"{c.party.name}: {c}" for c in report_missing(locked)]
    raise_violations(
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
