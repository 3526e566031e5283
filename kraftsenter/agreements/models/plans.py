"""Plans that agreements are anchored in, and their items (DOMAIN.md §4)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.core import bounds
from kraftsenter.core.fulltext import SearchableRecord
from kraftsenter.core.links import url_maker
from kraftsenter.core.models import Record

from ..choices import PlanKind, PlanStatus


def ordered(start: str, end: str, name: str) -> models.CheckConstraint:
    """A database check that ``end`` is not before ``start`` when both are given."""
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
    )


class Plan(SearchableRecord):
    """A plan under plan- og bygningsloven: strategy, regional plan, action programme …"""

    #: What text search finds it by (core.fulltext): the title.
    SEARCH_FIELDS = ("title",)

    title = models.CharField(_("title"), max_length=bounds.TITLE_LENGTH)
    kind = models.CharField(_("kind"), max_length=40, choices=PlanKind.choices)
    owner = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="owned_plans",
        verbose_name=_("owner"),
        help_text=_("The county municipality, municipality or lead municipality."),
    )
    partners = models.ManyToManyField(
        "actors.Organisation",
        related_name="partner_plans",
        blank=True,
        verbose_name=_("other municipalities (inter-municipal plan)"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
        help_text=_("An action programme's regional plan; an action part's community part."),
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_up_by",
        verbose_name=_("follows up"),
        help_text=_("The plan this one follows up, e.g. the planning strategy."),
    )
    election_year = models.PositiveSmallIntegerField(
        _("election period (election year)"),
        null=True,
        blank=True,
        help_text=_("The year the council was elected, e.g. 2023 for 2023–2027."),
        validators=bounds.YEAR_VALIDATORS,
    )
    constituted_on = models.DateField(
        _("council constituted on"),
        null=True,
        blank=True,
        help_text=_(
            "If empty: 31 October of the election year (kommuneloven § 7-1 first paragraph)."
        ),
        validators=bounds.DATE_VALIDATORS,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PREPARATION
    )
    deadline = models.DateField(
        _("planned adoption"),
        null=True,
        blank=True,
        help_text=_("The date the council plans to adopt the plan."),
        validators=bounds.DATE_VALIDATORS,
    )
    proposal_published_on = models.DateField(
        _("proposal made public on"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    hearing_start = models.DateField(
        _("hearing starts"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    hearing_end = models.DateField(
        _("hearing ends"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    programme_hearing_start = models.DateField(
        _("planning programme hearing starts"),
        null=True,
        blank=True,
        validators=bounds.DATE_VALIDATORS,
    )
    programme_hearing_end = models.DateField(
        _("planning programme hearing ends"),
        null=True,
        blank=True,
        validators=bounds.DATE_VALIDATORS,
    )
    adopted_on = models.DateField(
        _("adopted on"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    revised_on = models.DateField(
        _("last yearly revision on"),
        null=True,
        blank=True,
        help_text=_(
            "An action part or action programme: when it was last revised (or its revision "
            "assessed); the next is due a year later."
        ),
        validators=bounds.DATE_VALIDATORS,
    )
    sami_language_section = models.BooleanField(
        _("has a Sami language section"),
        default=False,
        help_text=_("Required in planning strategies in the Sami language area."),
    )
    document_url = models.URLField(_("document"), blank=True, max_length=bounds.URL_LENGTH)
    description = models.TextField(_("description"), blank=True, **bounds.text(bounds.TEXT_LENGTH))
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Invented for demonstration.")
    )
    warnings = models.JSONField(
        _("warnings"),
        default=list,
        blank=True,
        editable=False,
        help_text=_(
            "The rules the plan's own dates break (a deadline passed, a hearing too short …), "
            "saved with the plan by its services: code, field, message and legal source."
        ),
    )

    #: The saved warnings are shown on the plan page, not as a history diff; the history keeps
    #: the participants' adoptions with the plan's own fields.
    HISTORY_HIDDEN = ("warnings",)
    HISTORY_EXTRA = {"adoptions": (_("Councils' adoptions"), "agreements.PlanAdoption")}

    class Meta:
        ordering = ["-election_year", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        indexes = [models.Index(fields=["kind", "election_year"], name="plan_kind_period")]
        constraints = [
            ordered("hearing_start", "hearing_end", "plan_hearing_order"),
            ordered("programme_hearing_start", "programme_hearing_end", "plan_programme_order"),
            ordered("adopted_on", "revised_on", "plan_revision_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_maker("agreements:plan-detail")(self.pk)

    @property
    def election_period(self) -> str:
        return f"{self.election_year}–{self.election_year + 4}" if self.election_year else ""

    def clean(self) -> None:
        errors = {}
        for start, end in (
            ("hearing_start", "hearing_end"),
            ("programme_hearing_start", "programme_hearing_end"),
        ):
            a, b = getattr(self, start), getattr(self, end)
            if a and b and b < a:
                field = self._meta.get_field(end)
                label = field.verbose_name if isinstance(field, models.Field) else end
                errors[end] = ValidationError(
                    _("A period cannot end before it starts (%(field)s).") % {"field": label},
                    code="period_order",
                )
        if self.adopted_on and self.revised_on and self.revised_on < self.adopted_on:
            errors["revised_on"] = ValidationError(
                _("A plan cannot be revised before it is adopted."), code="revision_order"
            )
        if errors:
            raise ValidationError(errors)


class PlanAdoption(Record):
    """One participant's own adoption of an inter-municipal plan: each council adopts the plan
    for its own area (pbl. § 9-3 third paragraph)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("plan")
    )
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality or county municipality"),
    )
    adopted_on = models.DateField(_("adopted on"), validators=bounds.DATE_VALIDATORS)
    reference = models.CharField(
        _("case reference"), max_length=bounds.REFERENCE_LENGTH, blank=True
    )

    class Meta:
        ordering = ["plan", "adopted_on", "pk"]
        verbose_name = _("participant's adoption")
        verbose_name_plural = _("participants' adoptions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "organisation"], name="plan_adoption_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.adopted_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return f"{self.plan.get_absolute_url()}#adoptions"


class PlanItem(Record):
    """An item of a plan: an action programme measure, an action part line, a priority task."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="items", verbose_name=_("plan")
    )
    code = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=bounds.LINE_LENGTH)
    description = models.TextField(_("description"), blank=True, **bounds.text(bounds.TEXT_LENGTH))
    responsible = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible"),
    )
    budget = models.DecimalField(
        _("budget (NOK)"),
        max_digits=bounds.AMOUNT_DIGITS,
        decimal_places=bounds.AMOUNT_DECIMALS,
        null=True,
        blank=True,
        validators=bounds.AMOUNT_VALIDATORS,
    )
    follows_up = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("follows up the item"),
        help_text=_("The item of a higher-level plan this item carries out."),
    )
    is_example = models.BooleanField(_("example"), default=False)

    class Meta:
        ordering = ["plan", "code", "title"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return f"{self.plan.get_absolute_url()}#item-{self.pk}"
