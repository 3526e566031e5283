"""The ownership register: a municipality's or county municipality's interests in companies,
enterprises and other entities (kommuneloven § 26-1 second paragraph letters b and c), and the
council documents on ownership with a deadline in each election period: the ownership statement
(eierskapsmelding, § 26-1) and the plan for ownership control (§ 23-4).

Inter-municipal cooperations are recorded once, in the cooperation register: an interest of
kind ``cooperation`` links to one and adds only what the cooperation register does not hold
(the municipality's own purpose, its principles and the council's decision).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.core import bounds
from kraftsenter.core.links import url_maker
from kraftsenter.core.models import Record

from .choices import KIND_GROUPS, AdoptedBy, InterestKind, ReportGroup, StatementKind

HOLDER_HELP = _("The municipality or county municipality that holds the interest.")


class OwnershipInterest(Record):
    """One interest of a municipality or county municipality in a company or similar entity."""

    holder = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="ownership_interests",
        verbose_name=_("holder"),
        help_text=HOLDER_HELP,
    )
    kind = models.CharField(_("kind"), max_length=30, choices=InterestKind.choices)
    entity = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ownership_interests_in",
        verbose_name=_("entity"),
        help_text=_("The company, enterprise, foundation or association (not for cooperations)."),
    )
    cooperation = models.ForeignKey(
        "cooperations.Cooperation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ownership_interests",
        verbose_name=_("cooperation"),
        help_text=_(
            "For an inter-municipal cooperation: the cooperation in the cooperation register, "
            "which holds its form and the participants' shares."
        ),
    )
    share = models.DecimalField(
        _("ownership share (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=bounds.PERCENT_VALIDATORS,
        help_text=_("Not for an enterprise (KF), a foundation or a cooperation."),
    )
    purpose = models.TextField(
        _("the municipality's purpose with the interest"),
        blank=True,
        help_text=_(
            "Why the municipality holds this interest, not what the entity does "
            "(kommuneloven § 26-1 second paragraph letter c)."
        ),
        **bounds.text(bounds.TEXT_LENGTH),
    )
    management_principles = models.TextField(
        _("principles for its management"),
        blank=True,
        help_text=_("How the municipality manages this interest, beyond its general principles."),
        **bounds.text(bounds.TEXT_LENGTH),
    )
    decision_body = models.CharField(
        _("decided by"),
        max_length=bounds.NAME_LENGTH,
        blank=True,
        default="kommunestyret",
        help_text=_("The body whose decision the interest rests on, e.g. kommunestyret."),
    )
    decided_on = models.DateField(
        _("decided on"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    case_reference = models.CharField(
        _("case reference"), max_length=bounds.REFERENCE_LENGTH, blank=True
    )
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["holder__name", "kind", "pk"]
        verbose_name = _("ownership interest")
        verbose_name_plural = _("ownership interests")
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "entity"],
                condition=Q(archived_at__isnull=True, entity__isnull=False),
                name="ownership_interest_entity_once",
            ),
            models.UniqueConstraint(
                fields=["holder", "cooperation"],
                condition=Q(archived_at__isnull=True, cooperation__isnull=False),
                name="ownership_interest_cooperation_once",
            ),
        ]

    def __str__(self) -> str:
        target = self.cooperation if self.cooperation_id else self.entity
        return f"{self.holder} – {target or self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return url_maker("ownership:interest-detail")(self.pk)

    @property
    def entity_name(self) -> str:
        if self.cooperation_id and self.cooperation is not None:
            return self.cooperation.name
        return self.entity.name if self.entity is not None else ""

    @property
    def group(self) -> str:
        """The group of kommuneloven § 26-1 second paragraph letter b it is listed under."""
        if self.kind == InterestKind.COOPERATION and self.cooperation is not None:
            from .report import cooperation_group

            return cooperation_group(self.cooperation)
        return str(KIND_GROUPS.get(InterestKind(self.kind), ReportGroup.OTHER))


class OwnershipStatement(Record):
    """A council document on ownership: the ownership statement (eierskapsmelding, at least
    once per election period, kommuneloven § 26-1 first paragraph) or the plan for ownership
    control (§ 23-4 second and third paragraphs). Both are adopted by the council itself."""

    holder = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="ownership_statements",
        verbose_name=_("municipality or county municipality"),
    )
    kind = models.CharField(
        _("document"),
        max_length=30,
        choices=StatementKind.choices,
        default=StatementKind.OWNERSHIP_STATEMENT,
    )
    adopted_on = models.DateField(_("adopted on"), validators=bounds.DATE_VALIDATORS)
    adopting_body = models.CharField(
        _("adopted by"), max_length=20, choices=AdoptedBy.choices, default=AdoptedBy.COUNCIL
    )
    case_reference = models.CharField(
        _("case reference"), max_length=bounds.REFERENCE_LENGTH, blank=True
    )
    document_url = models.URLField(_("document"), blank=True, max_length=bounds.URL_LENGTH)
    principles = models.TextField(
        _("principles for ownership management"),
        blank=True,
        help_text=_(
            "The ownership statement's principles for eierstyring (kommuneloven § 26-1 second "
            "paragraph letter a)."
        ),
        **bounds.text(bounds.TEXT_LENGTH),
    )
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["holder__name", "-adopted_on", "-pk"]
        verbose_name = _("council document on ownership")
        verbose_name_plural = _("council documents on ownership")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.holder} ({self.adopted_on:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return url_maker("ownership:statement-detail")(self.pk)

    @property
    def by_council(self) -> bool:
        return self.adopting_body == AdoptedBy.COUNCIL
