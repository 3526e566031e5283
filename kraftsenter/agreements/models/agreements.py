"""Agreements between parties for a defined area, anchored in plans (strategy 9.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.core import bounds
from kraftsenter.core.fulltext import SearchableRecord
from kraftsenter.core.links import url_maker
from kraftsenter.core.models import Record

from ..choices import AgreementKind, AgreementStatus
from .plans import ordered

if TYPE_CHECKING:
    from kraftsenter.actors.models import Organisation


class Agreement(SearchableRecord):
    """An agreement: kind, parties, scope, goals, period, anchors, commitments and reports."""

    #: What text search finds it by (core.fulltext): the title and the purpose.
    SEARCH_FIELDS = ("title", "description")

    title = models.CharField(_("title"), max_length=bounds.TITLE_LENGTH)
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    description = models.TextField(_("purpose"), blank=True, **bounds.text(bounds.TEXT_LENGTH))
    lead = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_agreements",
        verbose_name=_("lead party"),
    )
    parties: models.ManyToManyField[Organisation, AgreementParty] = models.ManyToManyField(
        "actors.Organisation",
        through="AgreementParty",
        related_name="agreements",
        verbose_name=_("parties"),
    )
    partnership = models.ForeignKey(
        "agreements.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("partnership"),
    )
    scope_region = models.ForeignKey(
        "places.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region covered"),
    )
    scope_municipalities = models.ManyToManyField(
        "places.Municipality",
        related_name="+",
        blank=True,
        verbose_name=_("municipalities covered"),
    )
    period_start = models.DateField(_("period starts"), validators=bounds.DATE_VALIDATORS)
    period_end = models.DateField(_("period ends"), validators=bounds.DATE_VALIDATORS)
    binding = models.BooleanField(
        _("legally or economically binding"),
        default=False,
        help_text=_("Regional growth agreements are politically anchored, not binding."),
    )
    renewal_milestone = models.DateField(
        _("renewal milestone"),
        null=True,
        blank=True,
        validators=bounds.DATE_VALIDATORS,
        help_text=_("When the parties decide on renewal, e.g. after the next planning strategy."),
    )
    renewal_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renews"),
    )
    is_example = models.BooleanField(_("example"), default=False)

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [
            models.Index(fields=["status", "period_end"], name="agreement_status_end"),
            # The few archived agreements: a list of commitments leaves theirs out with an
            # anti-join against these alone (agreements.selectors.in_current_agreement).
            models.Index(
                fields=["id"], condition=Q(archived_at__isnull=False), name="agreement_archived"
            ),
        ]
        constraints = [ordered("period_start", "period_end", "agreement_period_order")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_maker("agreements:agreement-detail")(self.pk)

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


class AgreementParty(Record):
    """A party to an agreement and its adopting decision (body, date, case reference)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="party_links")
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("party"),
    )
    decision_body = models.CharField(
        _("adopted by"),
        max_length=bounds.NAME_LENGTH,
        blank=True,
        help_text=_("E.g. fylkestinget."),
    )
    decision_date = models.DateField(
        _("adopted on"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    decision_reference = models.CharField(
        _("case reference"), max_length=bounds.REFERENCE_LENGTH, blank=True
    )

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("agreement party")
        verbose_name_plural = _("agreement parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"],
                condition=Q(archived_at__isnull=True),
                name="agreement_party_once",
            )
        ]
        indexes = [
            # An organisation's (or a county's organisations') current agreements, from the
            # index alone: PostgreSQL read every party row for "a party in the county".
            models.Index(
                fields=["organisation", "agreement", "archived_at"],
                condition=Q(archived_at__isnull=True),
                name="agreement_party_org_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.agreement}"

    def get_absolute_url(self) -> str:
        return self.agreement.get_absolute_url()

    @property
    def has_decision(self) -> bool:
        return self.decision_date is not None


class AgreementCounty(models.Model):
    """A county in which an agreement has a current party (its organisation's county), kept by
    :mod:`kraftsenter.agreements.counties` (:mod:`kraftsenter.actors.county_links`) whenever
    parties are written or an organisation moves to another county, so that the county filter
    and the county dashboard read a county's agreements from an index instead of every party
    of its organisations (issue 14). Worked out from the parties, so it has no history of its
    own and is not part of the API."""

    # Both looked up through the two indexes below (by agreement, by county): no index of
    # their own.
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="county_links", db_index=False
    )
    county = models.ForeignKey(
        "places.County", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("county of an agreement")
        verbose_name_plural = _("counties of agreements")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "county"], name="agreement_county_once")
        ]
        indexes = [models.Index(fields=["county", "agreement"], name="agreement_county_idx")]

    def __str__(self) -> str:
        return f"{self.agreement_id} / {self.county_id}"


class AgreementGoal(Record):
    """A goal of the agreement, optionally tagged with SDGs, SDG targets and local targets."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="goals")
    text = models.TextField(_("goal"), **bounds.text(bounds.TEXT_LENGTH))
    sdgs = models.JSONField(_("Sustainable Development Goals"), default=list, blank=True)
    sdg_targets = models.JSONField(_("SDG targets"), default=list, blank=True)
    local_target = models.TextField(
        _("the parties' own target"), blank=True, **bounds.text(bounds.TEXT_LENGTH)
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agreement goal")
        verbose_name_plural = _("agreement goals")

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return f"{self.agreement.get_absolute_url()}#goal-{self.pk}"


class AgreementAnchor(Record):
    """A link from the agreement to a plan (and an item of it) it is anchored in."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="anchors")
    plan = models.ForeignKey(
        "agreements.Plan",
        on_delete=models.PROTECT,
        related_name="anchored_agreements",
        verbose_name=_("plan"),
    )
    item = models.ForeignKey(
        "agreements.PlanItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anchored_agreements",
        verbose_name=_("plan item"),
    )
    note = models.CharField(_("note"), max_length=bounds.LINE_LENGTH, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("anchoring in a plan")
        verbose_name_plural = _("anchoring in plans")

    def __str__(self) -> str:
        return f"{self.plan}{f' – {self.item}' if self.item_id else ''}"

    def get_absolute_url(self) -> str:
        return self.agreement.get_absolute_url()


class AgreementDocument(Record):
    """A signed document or other document of the agreement (a link)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=bounds.TITLE_LENGTH)
    url = models.URLField(_("address"), max_length=bounds.URL_LENGTH)
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.agreement.get_absolute_url()
