"""Consultations with Sametinget and other affected Sami interests (sameloven chapter 4).

A case has a consulting authority, a matter, the municipalities it touches, a screening
(§ 4-1), parties (§ 4-2), the notice and answers (§ 4-5), an information log and meetings
(§ 4-6), a protocol per meeting (§ 4-7), documents with access levels, and the authority's
final decision with the Sami parties' assessments attached.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kraftsenter.core import bounds
from kraftsenter.core.links import url_maker
from kraftsenter.core.models import Record

from .choices import (
    Access,
    Agreement,
    AuthorityLevel,
    ExemptionBasis,
    MatterKind,
    Origin,
    PlanKind,
    Response,
    SamiLanguage,
    ScreeningResult,
    Status,
)


class AccessMixin(models.Model):
    """Public, or exempt from public access with its legal basis."""

    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.PUBLIC
    )
    exemption_basis = models.CharField(
        _("legal basis for exemption"), max_length=10, choices=ExemptionBasis.choices, blank=True
    )
    exemption_note = models.CharField(
        _("exemption, other basis"), max_length=bounds.NAME_LENGTH, blank=True
    )

    class Meta:
        abstract = True


class Consultation(Record):
    """A case that may affect Sami interests directly, and its consultation."""

    title = models.CharField(_("title"), max_length=bounds.TITLE_LENGTH)
    description = models.TextField(_("description"), blank=True, **bounds.text(bounds.TEXT_LENGTH))
    kind = models.CharField(_("kind of matter"), max_length=12, choices=MatterKind.choices)
    authority = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="consultations_led",
        verbose_name=_("consulting authority"),
    )
    level = models.CharField(_("level"), max_length=16, choices=AuthorityLevel.choices)
    delegated_authority = models.CharField(
        _("authority exercised on behalf of the state"),
        max_length=bounds.LINE_LENGTH,
        blank=True,
        help_text=_(
            "For a statsforetak or private body: the authority it exercises on behalf of the "
            "state, which gives it the duty to consult (sameloven § 4-3 letter b)."
        ),
    )
    plan_kind = models.CharField(
        _("kind of plan"),
        max_length=20,
        choices=PlanKind.choices,
        blank=True,
        help_text=_(
            "For a plan: decides whether Sametinget can object to it (plan- og bygningsloven "
            "§ 5-4) and so takes part through the plan process instead of consultation "
            "(sameloven § 4-1 fourth paragraph)."
        ),
    )
    municipalities = models.ManyToManyField(
        "places.Municipality",
        blank=True,
        related_name="consultations",
        verbose_name=_("municipalities concerned"),
    )
    concerns = models.CharField(
        _("what it concerns"),
        max_length=bounds.LINE_LENGTH,
        blank=True,
        help_text=_("A plan, agreement, cooperation or project."),
    )
    cooperation = models.ForeignKey(
        "cooperations.Cooperation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("cooperation concerned"),
    )
    # Screening (§ 4-1): None = not answered yet
    direct_effect = models.BooleanField(
        _("may affect Sami interests directly"), null=True, blank=True
    )
    general_matter = models.BooleanField(
        _("a general matter affecting everyone alike"), null=True, blank=True
    )
    natural_basis = models.BooleanField(
        _("concerns the natural basis of Sami culture"), null=True, blank=True
    )
    traditional_area = models.BooleanField(
        _("planned in a traditional Sami area"), null=True, blank=True
    )
    #: Derived from the plan kind by the services (sameloven § 4-1 fourth paragraph).
    land_use_plan_objection = models.BooleanField(
        _("a land-use plan where Sametinget can object (pbl. § 5-4)"), null=True, blank=True
    )
    screening_reasoning = models.TextField(
        _("reasoning"), blank=True, **bounds.text(bounds.TEXT_LENGTH)
    )
    screening_result = models.CharField(
        _("screening result"), max_length=14, choices=ScreeningResult.choices, blank=True
    )
    # Notice (§ 4-5)
    notice_sent_on = models.DateField(
        _("notice sent on"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    notice_content = models.TextField(
        _("notice content"), blank=True, **bounds.text(bounds.LONG_TEXT_LENGTH)
    )
    response_deadline = models.DateField(
        _("response deadline"),
        null=True,
        blank=True,
        validators=bounds.DATE_VALIDATORS,
        help_text=_("Set for this case: the law asks for an answer within reasonable time."),
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.SCREENING
    )
    concluded_on = models.DateField(
        _("concluded on"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    conclusion_reason = models.TextField(
        _("why the consultation ended while a party saw agreement as possible"),
        blank=True,
        **bounds.text(bounds.TEXT_LENGTH),
    )
    # The authority's final decision (§ 4-7, § 4-9)
    decision_on = models.DateField(
        _("final decision on"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    decision_summary = models.TextField(
        _("final decision"), blank=True, **bounds.text(bounds.LONG_TEXT_LENGTH)
    )
    #: Set by the service: true when documents holding the assessments are named.
    sami_assessments_attached = models.BooleanField(
        _("the Sami parties' assessments follow the case to the decision"), default=False
    )
    assessment_documents = models.ManyToManyField(
        "consultations.Document",
        blank=True,
        related_name="+",
        verbose_name=_("documents with the Sami parties' assessments"),
        help_text=_(
            "The case's documents holding the Sami parties' assessments, which follow the "
            "case to the final decision (sameloven § 4-7 second paragraph)."
        ),
    )
    published = models.BooleanField(_("in the public register"), default=True)

    #: The history keeps the parties and their answers with the case's own fields.
    HISTORY_EXTRA = {"parties": (_("Parties"), "consultations.Party")}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_maker("consultations:consultation-detail")(self.pk)

    @property
    def decision_before_conclusion(self) -> bool:
        """sameloven § 4-9: a decision made before the consultation ended (or before the case
        moved on without consultation) risks being invalid."""
        if not self.decision_on:
            return False
        from .choices import ENDED

        if self.status not in ENDED:
            return self.status != Status.NOT_REQUIRED
        return bool(self.concluded_on and self.decision_on < self.concluded_on)


class Party(Record):
    """A Sami interest taking part: Sametinget, a reindeer-herding district, a siida …"""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="parties")
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="consultation_parties",
        verbose_name=_("party"),
    )
    response = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, default=Response.PENDING
    )
    responded_on = models.DateField(
        _("answered on"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )
    agreement_still_possible = models.BooleanField(
        _("the party considers agreement still possible"), default=False
    )
    note = models.TextField(_("note"), blank=True, **bounds.text(bounds.TEXT_LENGTH))

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"],
                condition=models.Q(archived_at__isnull=True),
                name="consultation_party_once",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    def get_absolute_url(self) -> str:
        return self.consultation.get_absolute_url()


class InformationEntry(AccessMixin, Record):
    """What was shared with whom and when (sameloven § 4-6: full information at all stages)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="information"
    )
    shared_on = models.DateField(_("shared on"), validators=bounds.DATE_VALIDATORS)
    shared_with = models.ManyToManyField(
        "actors.Organisation", blank=True, related_name="+", verbose_name=_("shared with")
    )
    content = models.TextField(_("what was shared"), **bounds.text(bounds.LONG_TEXT_LENGTH))
    origin = models.CharField(
        _("how it came about"),
        max_length=16,
        choices=Origin.choices,
        default=Origin.CONSULTATION,
        help_text=_("Decides which exemptions from public access can apply (offentleglova)."),
    )

    class Meta:
        ordering = ["shared_on", "pk"]
        verbose_name = _("information log entry")
        verbose_name_plural = _("information log")

    def __str__(self) -> str:
        return f"{self.shared_on}: {self.content[:60]}"

    def get_absolute_url(self) -> str:
        return self.consultation.get_absolute_url()


class Meeting(Record):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("date"), validators=bounds.DATE_VALIDATORS)
    place = models.CharField(_("place"), max_length=bounds.NAME_LENGTH, blank=True)
    participants = models.TextField(
        _("participants"), blank=True, **bounds.text(bounds.TEXT_LENGTH)
    )

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.consultation}: {self.held_on}"

    def get_absolute_url(self) -> str:
        return self.consultation.get_absolute_url()


class Protocol(AccessMixin, Record):
    """The minutes of a consultation meeting with what sameloven § 4-7 asks for."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="protocol")
    matter = models.TextField(_("what the matter is"), **bounds.text(bounds.LONG_TEXT_LENGTH))
    assessments = models.TextField(
        _("the parties' assessments and positions"), **bounds.text(bounds.LONG_TEXT_LENGTH)
    )
    conclusions = models.TextField(_("conclusions"), **bounds.text(bounds.LONG_TEXT_LENGTH))
    agreement = models.CharField(
        _("was agreement reached?"), max_length=12, choices=Agreement.choices
    )
    sami_language = models.CharField(
        _("Sami language of the parallel text"),
        max_length=3,
        choices=SamiLanguage.choices,
        blank=True,
    )
    matter_sami = models.TextField(
        _("what the matter is (Sami)"), blank=True, **bounds.text(bounds.LONG_TEXT_LENGTH)
    )
    assessments_sami = models.TextField(
        _("assessments and positions (Sami)"), blank=True, **bounds.text(bounds.LONG_TEXT_LENGTH)
    )
    conclusions_sami = models.TextField(
        _("conclusions (Sami)"), blank=True, **bounds.text(bounds.LONG_TEXT_LENGTH)
    )

    class Meta:
        ordering = ["meeting__held_on"]
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")

    def __str__(self) -> str:
        return f"Protokoll {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("consultations:protocol-print", args=[self.meeting.consultation_id, self.pk])


class Document(AccessMixin, Record):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=bounds.TITLE_LENGTH)
    url = models.URLField(_("address"), max_length=bounds.URL_LENGTH)
    origin = models.CharField(
        _("how it came about"),
        max_length=16,
        choices=Origin.choices,
        default=Origin.CONSULTATION,
        help_text=_("Decides which exemptions from public access can apply (offentleglova)."),
    )
    shared_with = models.ManyToManyField(
        "actors.Organisation", blank=True, related_name="+", verbose_name=_("shared with")
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.consultation.get_absolute_url()
