"""The cooperation register: every inter-municipal cooperation recorded once.

A cooperation has participants (organisations, with ownership and liability shares where the
form has them), areas, bodies with members, documents, and its agreement as a sequence of
versions, each with the participants' council decisions adopting it. Nothing is overwritten:
versions and decisions are added, records are archived.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.validators import validate_organisation_number
from kraftsenter.core import bounds
from kraftsenter.core.fulltext import SearchableRecord
from kraftsenter.core.links import url_maker
from kraftsenter.core.models import Record

from .choices import Area, Authority, BodyKind, LegalForm, MemberRole, Status

SHARE_VALIDATORS = bounds.PERCENT_VALIDATORS


class Cooperation(SearchableRecord):
    """An inter-municipal cooperation (kommuneloven § 17-1)."""

    #: What text search finds it by (core.fulltext).
    SEARCH_FIELDS = ("name", "purpose", "organisation_number")

    name = models.CharField(_("name"), max_length=bounds.TITLE_LENGTH)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=bounds.LINE_LENGTH,
        blank=True,
        help_text=_("For “another form”: the legal basis the cooperation rests on."),
    )
    legal_person = models.BooleanField(_("separate legal person"), default=False)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[validate_organisation_number],
    )
    purpose = models.TextField(_("purpose"), blank=True, **bounds.text(bounds.TEXT_LENGTH))
    host = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_cooperations",
        verbose_name=_("host or office municipality"),
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    end_date = models.DateField(
        _("dissolved on"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    authority = models.JSONField(
        _("delegated authority"),
        default=list,
        blank=True,
        help_text=_("Codes of the kinds of authority the participants delegated to it."),
    )
    authority_description = models.TextField(
        _("delegated authority, described"),
        blank=True,
        help_text=_("What the participants delegated, in the agreement's words."),
        **bounds.text(bounds.TEXT_LENGTH),
    )
    daily_manager = models.CharField(
        _("daily manager (daglig leder)"), max_length=bounds.NAME_LENGTH, blank=True
    )
    withdrawal_terms = models.TextField(
        _("withdrawal terms"), blank=True, **bounds.text(bounds.TEXT_LENGTH)
    )
    withdrawal_notice_months = models.PositiveSmallIntegerField(
        _("notice period for withdrawal (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
        help_text=_("Only if the agreement sets a notice period other than the statute's."),
    )
    dissolution_terms = models.TextField(
        _("dissolution terms"), blank=True, **bounds.text(bounds.TEXT_LENGTH)
    )
    archive_custodian = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archived_cooperations",
        verbose_name=_("archive custodian"),
    )
    reporting_duties = models.TextField(
        _("reporting duties"), blank=True, **bounds.text(bounds.TEXT_LENGTH)
    )
    statsforvalter_notified_on = models.DateField(
        _("statsforvalter notified on"),
        null=True,
        blank=True,
        validators=bounds.DATE_VALIDATORS,
        help_text=_(
            "Host-municipality cooperation: the date the host told the statsforvalter (between "
            "county municipalities: the ministry) that it was set up (kommuneloven § 20-4 "
            "fifth paragraph)."
        ),
    )
    published = models.BooleanField(_("published"), default=True)

    #: The history keeps the areas and the participants with the cooperation's own fields.
    HISTORY_EXTRA = {
        "areas": (_("Areas"), Area),
        "authority": (_("Delegated authority"), Authority),
        "participants": (_("Participants"), "cooperations.Participant"),
    }

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")
        indexes = [models.Index(fields=["legal_form", "status"], name="cooperation_form_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="cooperation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_maker("cooperations:cooperation-detail")(self.pk)

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The cooperation cannot be dissolved before it started.")}
            )

    @property
    def area_codes(self) -> list[str]:
        return [a.area for a in self.area_links.all()]


class CooperationArea(models.Model):
    """One area a cooperation works in (several per cooperation)."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="area_links"
    )
    area = models.CharField(_("area"), max_length=30, choices=Area.choices)

    class Meta:
        ordering = ["area"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "area"], name="cooperation_area_once")
        ]
        indexes = [models.Index(fields=["area", "cooperation"], name="cooperation_area_idx")]

    def __str__(self) -> str:
        return self.get_area_display()

    def get_absolute_url(self) -> str:
        return self.cooperation.get_absolute_url()


class CooperationCounty(models.Model):
    """A county in which a cooperation has a current participant (its organisation's county).

    Kept by :mod:`kraftsenter.cooperations.counties` whenever participants are written or an
    organisation moves to another county, so that the county filter reads the cooperations of
    a county from an index instead of every participation of its organisations (issue 14).
    Worked out from the participants, so it has no history of its own and is not part of the
    API.
    """

    # Both looked up through the two indexes below (by cooperation, by county): no index of
    # their own.
    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="county_links", db_index=False
    )
    county = models.ForeignKey(
        "places.County", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("county of a cooperation")
        verbose_name_plural = _("counties of cooperations")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "county"], name="cooperation_county_once"
            )
        ]
        indexes = [models.Index(fields=["county", "cooperation"], name="cooperation_county_idx")]

    def __str__(self) -> str:
        return f"{self.cooperation_id} / {self.county_id}"


class Participant(Record):
    """An organisation taking part in a cooperation, with its shares."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.PROTECT, related_name="participants"
    )
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="cooperation_participations",
        verbose_name=_("organisation"),
    )
    ownership_share = models.DecimalField(
        _("ownership share (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=SHARE_VALIDATORS,
    )
    liability_share = models.DecimalField(
        _("liability share (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=SHARE_VALIDATORS,
        help_text=_("Only if it differs from the ownership share."),
    )
    joined_on = models.DateField(
        _("joined on"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "organisation"],
                condition=Q(archived_at__isnull=True),
                name="participant_once_per_cooperation",
            )
        ]
        indexes = [
            # An organisation's current participations, the cooperation read from the index
            # itself: the county, region and municipality filters, the region coverage and the
            # visibility of a member's cooperations.
            models.Index(
                fields=["organisation", "cooperation"],
                condition=Q(archived_at__isnull=True),
                name="participant_org_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} i {self.cooperation}"

    def get_absolute_url(self) -> str:
        return self.cooperation.get_absolute_url()


class Body(Record):
    """A body of the cooperation (representantskap, board, committee, steering group …)."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.PROTECT, related_name="bodies")
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=bounds.NAME_LENGTH, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self) -> str:
        return self.name or str(self.get_kind_display())

    def get_absolute_url(self) -> str:
        return self.cooperation.get_absolute_url()


class BodyMember(Record):
    """A person in a body, for a term, appointed by a participant (or another organisation)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="members")
    person_name = models.CharField(_("name"), max_length=bounds.NAME_LENGTH)
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appointed by / represents"),
    )
    role = models.CharField(
        _("role"), max_length=15, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    term_start = models.DateField(
        _("term starts"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    term_end = models.DateField(
        _("term ends"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )

    class Meta:
        ordering = ["role", "person_name"]
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="body_member_term_order",
            )
        ]

    def __str__(self) -> str:
        return self.person_name

    def get_absolute_url(self) -> str:
        return self.body.cooperation.get_absolute_url()

    def clean(self) -> None:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("A term cannot end before it starts.")})


class AgreementVersion(Record):
    """One version of the cooperation's agreement; versions are added, never overwritten."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.PROTECT, related_name="agreement_versions"
    )
    number = models.PositiveIntegerField(_("version number"), validators=bounds.COUNT_VALIDATORS)
    summary = models.TextField(_("what changed"), blank=True, **bounds.text(bounds.TEXT_LENGTH))
    items_covered = models.JSONField(
        _("mandatory items covered"),
        default=list,
        blank=True,
        help_text=_("Codes of the mandatory agreement items this version covers."),
    )
    items_changed = models.JSONField(
        _("mandatory items changed"),
        default=list,
        blank=True,
        help_text=_("Codes of the mandatory items this version changes from the previous one."),
    )
    document_url = models.URLField(_("document"), blank=True, max_length=bounds.URL_LENGTH)
    adopted_by_representantskap_on = models.DateField(
        _("adopted by the representantskap on"),
        null=True,
        blank=True,
        validators=bounds.DATE_VALIDATORS,
        help_text=_(
            "IPR, KO and IKS: for changes to other items than the mandatory ones (≥ 2/3 of the "
            "votes cast unless the agreement says otherwise)."
        ),
    )

    class Meta:
        ordering = ["cooperation", "-number"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "number"], name="agreement_version_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cooperation}: avtale versjon {self.number}"

    def get_absolute_url(self) -> str:
        return self.cooperation.get_absolute_url()


class CouncilDecision(Record):
    """A participant's council decision adopting an agreement version."""

    agreement_version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="decisions"
    )
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("participant"),
    )
    decided_on = models.DateField(_("decided on"), validators=bounds.DATE_VALIDATORS)
    body = models.CharField(
        _("decided by"),
        max_length=bounds.NAME_LENGTH,
        default="kommunestyret",
        help_text=_(
            "Kommunestyret or fylkestinget; for a participant that is an IKS, its representantskap."
        ),
    )
    case_reference = models.CharField(
        _("case reference"), max_length=bounds.REFERENCE_LENGTH, blank=True
    )

    class Meta:
        ordering = ["decided_on"]
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement_version", "organisation"],
                condition=Q(archived_at__isnull=True),
                name="council_decision_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.body} {self.decided_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return self.agreement_version.cooperation.get_absolute_url()


class Document(Record):
    """A link to a document about the cooperation (agreement, minutes, annual report …)."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=bounds.TITLE_LENGTH)
    url = models.URLField(_("address"), max_length=bounds.URL_LENGTH)

    class Meta:
        ordering = ["title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.cooperation.get_absolute_url()
