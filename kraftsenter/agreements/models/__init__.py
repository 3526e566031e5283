"""Models of plans, partnerships, agreements, commitments, follow-up reports and digests."""

from .agreements import (
    Agreement,
    AgreementAnchor,
    AgreementCounty,
    AgreementDocument,
    AgreementGoal,
    AgreementParty,
)
from .commitments import Commitment, FollowUpReport, ReportEntry
from .digests import DigestPreference
from .partnerships import Partnership, PartnershipDecision, PartnershipMeeting
from .plans import Plan, PlanAdoption, PlanItem

__all__ = [
    "Agreement",
    "AgreementAnchor",
    "AgreementCounty",
    "AgreementDocument",
    "AgreementGoal",
    "AgreementParty",
    "Commitment",
    "DigestPreference",
    "FollowUpReport",
    "Partnership",
    "PartnershipDecision",
    "PartnershipMeeting",
    "Plan",
    "PlanAdoption",
    "PlanItem",
    "ReportEntry",
]
