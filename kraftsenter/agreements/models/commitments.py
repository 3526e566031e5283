"""Commitments of the parties and the follow-up reports on them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.core import bounds
from kraftsenter.core.fulltext import SearchableRecord
from kraftsenter.core.links import url_maker
from kraftsenter.core.models import Record

from ..choices import CommitmentStatus
from .plans import ordered

#: Where a commitment read from the database keeps the party it was read with.
_LOADED_PARTY = "_ks_loaded_party_id"

DROPPED_NEEDS_REASON = _("A dropped commitment needs a reason (rule: reason for dropping).")


def commitment_label(description: str, pk: Any) -> str:
    """What a commitment is called in lists and links: the first line of what is promised (at
    most 80 characters), or its number."""
    text = description.strip().splitlines()[0] if description.strip() else ""
    return text[:80] or f"#{pk}"


class Commitment(SearchableRecord):
    """What one party promised under an agreement, by when, and how it is going."""

    #: What text search finds it by (core.fulltext): what was promised.
    SEARCH_FIELDS = ("description",)

    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("agreement"),
    )
    party = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("owning party"),
    )
    #: The party's county, kept here (derived: no history, not in the API) so that the list's
    #: county filter reads the county's commitments from an index: through the organisations
    #: it probed the commitments of each of the county's 6 500 organisations, or read all
    #: 10 500 at risk, to count some 700 (3.5 ms on SQLite, 3.0 on PostgreSQL; issue 14).
    #: Set on every save from the party; an organisation that moves to another county moves
    #: its commitments (:mod:`kraftsenter.agreements.counties`).
    party_county = models.ForeignKey(
        "places.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,
    )
    description = models.TextField(_("what is promised"), **bounds.text(bounds.TEXT_LENGTH))
    due_date = models.DateField(_("due date"), validators=bounds.DATE_VALIDATORS)
    budget = models.DecimalField(
        _("budget (NOK)"),
        max_digits=bounds.AMOUNT_DIGITS,
        decimal_places=bounds.AMOUNT_DECIMALS,
        null=True,
        blank=True,
        validators=bounds.AMOUNT_VALIDATORS,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.NOT_STARTED,
    )
    status_reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("Required when the commitment is dropped."),
        **bounds.text(bounds.TEXT_LENGTH),
    )
    goal = models.ForeignKey(
        "agreements.AgreementGoal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("goal"),
    )
    plan_item = models.ForeignKey(
        "agreements.PlanItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("plan item that funds or carries it"),
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )
    is_example = models.BooleanField(_("example"), default=False)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            models.Index(fields=["party", "status", "due_date"], name="commitment_party_due"),
            # A party's first commitments by due date (the dashboard's overdue, due soon and
            # later lists, LIMIT 25): read in index order instead of sorting all of them.
            models.Index(fields=["party", "due_date", "id"], name="commitment_party_due_order"),
            # A party's commitments counted by status (the dashboard's chart) from the index
            # alone: 10 000 commitments of one party in 1 ms instead of 9.
            models.Index(
                fields=["party", "status", "archived_at", "agreement"],
                name="commitment_party_status_count",
            ),
            # An agreement's commitments by status, and the county dashboard's aggregate of
            # its agreements' 7 000 commitments by party and status (with those overdue) from
            # the index alone on SQLite, not from the table's rows (6.2 -> 4.4 ms; issue 14).
            models.Index(
                fields=["agreement", "status", "party", "due_date", "archived_at"],
                name="commitment_agreement_status",
            ),
            # Commitments by status and due date (a list filtered by both), with the party,
            # the archived mark and the agreement beside them on PostgreSQL (INCLUDE; SQLite
            # has no covering columns and makes the plain index): the county's commitments
            # at risk are counted from the index alone, not from 10 000 rows of the table
            # (9.5 -> 4.5 ms in the bench, issue 14).
            models.Index(
                fields=["status", "due_date"],
                include=["party", "archived_at", "agreement"],
                name="commitment_status_due",
            ),
            # The list's first page in its order (due date, then id) without sorting every
            # commitment: the unfiltered list read 124 000 rows to show 50 (72 ms on SQLite).
            models.Index(fields=["due_date", "id"], name="commitment_due_order"),
            # A county's commitments (the list's county filter) by status and due date, in
            # the list's order, counted from the index alone: the archived mark and the
            # agreement (the filter's other columns) are key columns, not INCLUDE, so that
            # SQLite's index covers them too (its count 1.3 -> 0.35 ms).
            models.Index(
                fields=["party_county", "status", "due_date", "id", "archived_at", "agreement"],
                name="commitment_county_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CommitmentStatus.DROPPED) | ~Q(status_reason=""),
                name="commitment_dropped_has_reason",
            )
        ]

    def __str__(self) -> str:
        return commitment_label(self.description, self.pk)

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Commitment:
        obj = super().from_db(db, field_names, values)
        # The party it was read with: a save with another works its county out again.
        obj.__dict__[_LOADED_PARTY] = obj.__dict__.get("party_id")
        return obj

    def save(self, *args: Any, **kwargs: Any) -> None:
        party_id = self.party_id
        if party_id is not None and (
            self._state.adding or party_id != self.__dict__.get(_LOADED_PARTY)
        ):
            if Commitment.party.is_cached(self) and self.party.pk == party_id:
                self.party_county_id = self.party.county_id
            else:
                from kraftsenter.actors.models import Organisation

                self.party_county_id = (
                    Organisation.objects.filter(pk=party_id)
                    .values_list("county_id", flat=True)
                    .first()
                )
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "party_county"}
        super().save(*args, **kwargs)
        self.__dict__[_LOADED_PARTY] = self.party_id

    def get_absolute_url(self) -> str:
        return url_maker("agreements:commitment-detail")(self.pk)

    def clean(self) -> None:
        if self.status == CommitmentStatus.DROPPED and not (self.status_reason or "").strip():
            raise ValidationError(
                {"status_reason": ValidationError(DROPPED_NEEDS_REASON, code="dropped_reason")}
            )


class FollowUpReport(Record):
    """The follow-up of an agreement for one period (a year by default)."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="reports"
    )
    period_start = models.DateField(_("period starts"), validators=bounds.DATE_VALIDATORS)
    period_end = models.DateField(_("period ends"), validators=bounds.DATE_VALIDATORS)
    due_date = models.DateField(_("report due"), validators=bounds.DATE_VALIDATORS)
    completed_on = models.DateField(
        _("completed on"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    summary = models.TextField(_("summary"), blank=True, **bounds.text(bounds.LONG_TEXT_LENGTH))
    is_example = models.BooleanField(_("example"), default=False)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        # The open reports in due order, with their agreement: a dashboard's "reports due"
        # walks them in this order and keeps those of the organisation's agreements, which
        # the agreement in the index decides without reading each report (issue 14).
        indexes = [
            models.Index(fields=["completed_on", "due_date", "agreement"], name="report_open_due")
        ]
        constraints = [
            ordered("period_start", "period_end", "report_period_order"),
            models.UniqueConstraint(
                fields=["agreement", "period_start"],
                condition=Q(archived_at__isnull=True),
                name="report_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        # Reversed once per process (core.links): a dashboard and the start page link a
        # report per row.
        return url_maker("agreements:report-detail", keys=2)(self.agreement_id, self.pk)

    @property
    def is_complete(self) -> bool:
        return self.completed_on is not None

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {
                    "period_end": ValidationError(
                        _("The period cannot end before it starts (rule: period order)."),
                        code="period_order",
                    )
                }
            )


class ReportEntry(Record):
    """A party's report on one commitment in one follow-up report: status and a short text."""

    report = models.ForeignKey(FollowUpReport, on_delete=models.PROTECT, related_name="entries")
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="report_entries"
    )
    status = models.CharField(_("status"), max_length=12, choices=CommitmentStatus.choices)
    text = models.TextField(_("short report"), blank=True, **bounds.text(bounds.TEXT_LENGTH))
    reason = models.TextField(_("reason"), blank=True, **bounds.text(bounds.TEXT_LENGTH))

    class Meta:
        ordering = ["commitment__due_date", "id"]
        verbose_name = _("report entry")
        verbose_name_plural = _("report entries")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "commitment"],
                condition=Q(archived_at__isnull=True),
                name="report_entry_once",
            ),
            models.CheckConstraint(
                condition=~Q(status=CommitmentStatus.DROPPED) | ~Q(reason=""),
                name="report_entry_dropped_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} – {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.report.get_absolute_url()

    def clean(self) -> None:
        if self.status == CommitmentStatus.DROPPED and not (self.reason or "").strip():
            raise ValidationError(
                {"reason": ValidationError(DROPPED_NEEDS_REASON, code="dropped_reason")}
            )
