"""Code lists of plans, partnerships, agreements and commitments (documented in
docs/agreements.md; the API exposes the codes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    """Plan types of plan- og bygningsloven that agreements are anchored in (DOMAIN.md §4.7)."""

    REGIONAL_PLANNING_STRATEGY = (
        "regional_planning_strategy",
        _("Regional planning strategy (pbl. § 7-1)"),
    )
    REGIONAL_PLAN = "regional_plan", _("Regional plan (pbl. § 8-1)")
    ACTION_PROGRAMME = "action_programme", _("Action programme of a regional plan (pbl. § 8-1)")
    MUNICIPAL_PLANNING_STRATEGY = (
        "municipal_planning_strategy",
        _("Municipal planning strategy (pbl. § 10-1)"),
    )
    COMMUNITY_PART = "community_part", _("Municipal master plan, community part (pbl. § 11-2)")
    LAND_USE_PART = "land_use_part", _("Municipal master plan, land-use part (pbl. § 11-5)")
    ACTION_PART = (
        "action_part",
        _("Action part of the community part or of a municipal sub-plan (pbl. §§ 11-1, 11-2)"),
    )
    MUNICIPAL_SUB_PLAN = "municipal_sub_plan", _("Municipal sub-plan (pbl. § 11-1)")
    INTER_MUNICIPAL_PLAN = "inter_municipal_plan", _("Inter-municipal plan (pbl. chapter 9)")
    OTHER = "other", _("Other plan or strategy (e.g. of an inter-municipal political council)")


#: Plans prepared by the county (the regional planning authority, pbl. § 3-4).
REGIONAL_KINDS = {
    PlanKind.REGIONAL_PLANNING_STRATEGY,
    PlanKind.REGIONAL_PLAN,
    PlanKind.ACTION_PROGRAMME,
}
STRATEGY_KINDS = {PlanKind.REGIONAL_PLANNING_STRATEGY, PlanKind.MUNICIPAL_PLANNING_STRATEGY}
#: Plans that belong to a parent plan: an action programme to its regional plan (pbl. § 8-1
#: fourth paragraph), an action part to its community part (§ 11-1 fourth paragraph) or to a
#: thematic municipal sub-plan (§ 11-2 third paragraph).
PARENT_KIND: dict[str, tuple[PlanKind, ...]] = {
    PlanKind.ACTION_PROGRAMME: (PlanKind.REGIONAL_PLAN,),
    PlanKind.ACTION_PART: (PlanKind.COMMUNITY_PART, PlanKind.MUNICIPAL_SUB_PLAN),
}
#: Plans that need a planning programme: every regional plan and kommuneplan (pbl. § 4-1
#: first paragraph; a municipal sub-plan is a kommuneplan, § 11-1 third paragraph).
PROGRAMME_KINDS = {
    PlanKind.REGIONAL_PLAN,
    PlanKind.COMMUNITY_PART,
    PlanKind.LAND_USE_PART,
    PlanKind.MUNICIPAL_SUB_PLAN,
}


class PlanStatus(models.TextChoices):
    PREPARATION = "preparation", _("In preparation")
    HEARING = "hearing", _("On hearing / public inspection")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded")


class AgreementKind(models.TextChoices):
    REGIONAL_GROWTH = "regional_growth", _("Regional growth agreement (regionvekstavtale)")
    PARTNERSHIP = "partnership", _("Partnership agreement")
    PLAN_IMPLEMENTATION = (
        "plan_implementation",
        _("Plan-implementation agreement (pbl. § 9-6)"),
    )
    SAMETINGET = "sametinget", _("Agreement with Sametinget")
    OTHER = "other", _("Other agreement")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    AT_RISK = "at_risk", _("At risk")
    DROPPED = "dropped", _("Dropped")


#: Commitments still to be delivered: they appear in digests and are carried over on renewal.
OPEN_STATUSES = (
    CommitmentStatus.NOT_STARTED,
    CommitmentStatus.IN_PROGRESS,
    CommitmentStatus.AT_RISK,
)


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NONE = "none", _("Never")


class HistoryAction(models.TextChoices):
    """History actions of plans, partnerships, agreements and commitments."""

    ACTIVATED = "agreement.activated", _("Activated")
    ENDED = "agreement.ended", _("Ended")
    PARTIES = "agreement.parties_changed", _("Parties changed")
    DECISION = "agreement.decision_recorded", _("A party's adopting decision recorded")
    RENEWED = "agreement.renewed", _("Created as a renewal")
    GOAL = "agreementgoal.created", _("Goal added")
    ANCHOR = "agreementanchor.created", _("Anchored in a plan")
    DOCUMENT = "agreementdocument.created", _("Signed document added")
    COMMITMENT = "commitment.created", _("Commitment added")
    CARRIED_OVER = "commitment.carried_over", _("Carried over from the previous agreement")
    REPORTED = "commitment.reported", _("Reported in a follow-up")
    REPORT = "followupreport.created", _("Follow-up report started")
    REPORT_DONE = "followupreport.completed", _("Follow-up report completed")
    PLAN_ITEM = "planitem.created", _("Item added")
    PLAN_ADOPTION = "plan.adoption_recorded", _("A council's adoption recorded")
    MEETING = "partnershipmeeting.created", _("Meeting added")
    PARTNERSHIP_DECISION = "partnershipdecision.created", _("Decision recorded")
