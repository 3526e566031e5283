"""Code lists for consultations with Sami interests (sameloven chapter 4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthorityLevel(models.TextChoices):
    STATE = "state", _("State")
    COUNTY = "county", _("County municipality")
    MUNICIPALITY = "municipality", _("Municipality")


class MatterKind(models.TextChoices):
    REGULATION = "regulation", _("Regulation")
    PLAN = "plan", _("Plan")
    DECISION = "decision", _("Decision")
    MEASURE = "measure", _("Measure")


class ScreeningResult(models.TextChoices):
    REQUIRED = "required", _("Consultation required")
    NOT_REQUIRED = "not_required", _("Consultation not required")
    UNCERTAIN = "uncertain", _("Uncertain: notify and ask")


class Status(models.TextChoices):
    SCREENING = "screening", _("Screening")
    NOTIFIED = "notified", _("Notified")
    IN_CONSULTATION = "in_consultation", _("In consultation")
    CONCLUDED_AGREEMENT = "concluded_agreement", _("Concluded with agreement")
    CONCLUDED_NO_AGREEMENT = "concluded_no_agreement", _("Concluded without agreement")
    NOT_REQUIRED = "not_required", _("Not required")


CONCLUDED = {Status.CONCLUDED_AGREEMENT, Status.CONCLUDED_NO_AGREEMENT}


class Response(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    WANTS = "wants", _("Wants consultation")
    DECLINES = "declines", _("Declines consultation")


class Agreement(models.TextChoices):
    REACHED = "reached", _("Agreement reached")
    NOT_REACHED = "not_reached", _("Agreement not reached")
    PARTLY = "partly", _("Agreement on some points")


class Access(models.TextChoices):
    PUBLIC = "public", _("Public")
    EXEMPT = "exempt", _("Exempt from public access")


class ExemptionBasis(models.TextChoices):
    OFFL_19 = "offl_19", _("Offentleglova § 19 (consultations with Sami interests, state bodies)")
    OFFL_13 = "offl_13", _("Offentleglova § 13 (duty of confidentiality)")
    OFFL_14 = "offl_14", _("Offentleglova § 14 (documents for internal preparation)")
    OFFL_15 = "offl_15", _("Offentleglova § 15 (documents obtained for internal preparation)")
    OTHER = "other", _("Other legal basis (state it)")


class SamiLanguage(models.TextChoices):
    NORTHERN = "se", _("Northern Sami")
    LULE = "smj", _("Lule Sami")
    SOUTHERN = "sma", _("Southern Sami")


class HistoryAction(models.TextChoices):
    """The steps of a consultation as its history names them."""

    SCREENED = "consultation.screened", _("Screening of the duty to consult")
    PARTY_ADDED = "consultation.party_added", _("Party added")
    NOTIFIED = "consultation.notified", _("Notice sent")
    ANSWER = "consultation.answer_recorded", _("Answer recorded")
    STARTED = "consultation.started", _("Answer recorded: consultation started")
    CONCLUDED = "consultation.concluded", _("Consultation concluded")
    DECIDED = "consultation.decided", _("Final decision recorded")
    INFORMATION = "informationentry.created", _("Information logged")
    PROTOCOL = "protocol.created", _("Protocol added")
