"""Code lists for consultations with Sami interests (sameloven chapter 4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthorityLevel(models.TextChoices):
    """Who consults: the bodies of sameloven § 4-3 letters a and b, and § 4-4."""

    STATE = "state", _("State body")
    STATE_DELEGATED = (
        "state_delegated",
        _("Statsforetak or private body exercising authority on behalf of the state"),
    )
    COUNTY = "county", _("County municipality")
    MUNICIPALITY = "municipality", _("Municipality")


#: The bodies with the duty to consult under sameloven § 4-3 (letters a and b).
STATE_LEVELS = {AuthorityLevel.STATE, AuthorityLevel.STATE_DELEGATED}


class MatterKind(models.TextChoices):
    REGULATION = "regulation", _("Regulation")
    PLAN = "plan", _("Plan")
    DECISION = "decision", _("Decision")
    MEASURE = "measure", _("Measure")


class PlanKind(models.TextChoices):
    """The plan consulted on, as far as it decides whether Sametinget can object to it
    (plan- og bygningsloven § 5-4) and so takes part through the plan process instead of
    consultation (sameloven § 4-1 fourth paragraph). An inter-municipal plan (pbl. § 9-3)
    follows its plan type."""

    AREA_PART = (
        "area_part",
        _(
            "Municipal master plan, land-use part (kommuneplanens arealdel), or a municipal "
            "sub-plan for an area"
        ),
    )
    ZONING = "zoning", _("Zoning plan (reguleringsplan)")
    COMMUNITY_PART = "community_part", _("Municipal master plan, community part")
    THEMATIC_SUB_PLAN = "thematic_sub_plan", _("Municipal sub-plan for a theme or activity")
    REGIONAL_PLAN = "regional_plan", _("Regional plan")
    PLANNING_STRATEGY = "planning_strategy", _("Regional or municipal planning strategy")
    STATE_PLAN = "state_plan", _("State land-use plan")
    OTHER = "other", _("Other plan")


#: Plans Sametinget can object to under plan- og bygningsloven § 5-4 third paragraph
#: ("slike planer": kommuneplanens arealdel and reguleringsplan, first paragraph).
OBJECTION_PLAN_KINDS = {PlanKind.AREA_PART, PlanKind.ZONING}


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
    NO_CONSULTATION = (
        "no_consultation",
        _("Moved on: no party asked for consultation"),
    )


CONCLUDED = {Status.CONCLUDED_AGREEMENT, Status.CONCLUDED_NO_AGREEMENT}
#: The case has ended, with or without consultation: a decision after this date is in time.
ENDED = {*CONCLUDED, Status.NO_CONSULTATION}


class Response(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    WANTS = "wants", _("Wants consultation")
    DECLINES = "declines", _("Declines consultation")
    NO_ANSWER = "no_answer", _("No answer by the deadline")


class Agreement(models.TextChoices):
    REACHED = "reached", _("Agreement reached")
    NOT_REACHED = "not_reached", _("Agreement not reached")
    PARTLY = "partly", _("Agreement on some points")


class Access(models.TextChoices):
    PUBLIC = "public", _("Public")
    EXEMPT = "exempt", _("Exempt from public access")


class ExemptionBasis(models.TextChoices):
    OFFL_19 = (
        "offl_19",
        _("Offentleglova § 19 (consultations with Sami interests, state bodies)"),
    )
    OFFL_13 = "offl_13", _("Offentleglova § 13 (duty of confidentiality)")
    OFFL_14 = (
        "offl_14",
        _("Offentleglova § 14 (documents the body made for its own internal preparation)"),
    )
    OFFL_15 = (
        "offl_15",
        _("Offentleglova § 15 (documents obtained from outside for internal preparation)"),
    )
    OTHER = "other", _("Other legal basis (state it)")


class Origin(models.TextChoices):
    """How a document came about: decides which exemptions from public access can apply."""

    CONSULTATION = "consultation", _("Sent to or received from the parties in the consultation")
    GENERAL_HEARING = "general_hearing", _("Sent or received as part of a general hearing")
    INTERNAL = (
        "internal",
        _("Made by the authority for its own internal preparation, and not sent out"),
    )
    OBTAINED = (
        "obtained",
        _(
            "Obtained by the authority for its own internal preparation (from a subordinate body, "
            "or advice on how it should decide), and not shared with the parties"
        ),
    )


#: Origins of material kept by the authority alone: never shared with the parties.
INTERNAL_ORIGINS = {Origin.INTERNAL, Origin.OBTAINED}


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
    MOVED_ON = "consultation.moved_on", _("Moved on without consultation: no party asked for it")
    DECIDED = "consultation.decided", _("Final decision recorded")
    INFORMATION = "informationentry.created", _("Information logged")
    PROTOCOL = "protocol.created", _("Protocol added")
