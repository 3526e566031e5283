"""Code lists of the ownership register (documented in docs/ownership-report.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InterestKind(models.TextChoices):
    """What the municipality or county municipality holds an interest in.

    The inter-municipal cooperations (IKS, IPR, KO, and AS and SA registered as cooperations)
    are recorded in the cooperation register; an interest of kind ``cooperation`` links to one
    and adds only the municipality's purpose, principles and decision, never the entity or the
    share again.
    """

    AS_WHOLLY_OWNED = (
        "as_wholly_owned",
        _("Limited company (AS) wholly owned by municipalities or county municipalities"),
    )
    AS_PARTLY_OWNED = "as_partly_owned", _("Limited company (AS) with other owners too")
    MUNICIPAL_ENTERPRISE = (
        "municipal_enterprise",
        _("Municipal or county municipal enterprise (KF/FKF)"),
    )
    FOUNDATION = "foundation", _("Foundation (stiftelse)")
    ASSOCIATION = "association", _("Association or cooperative (forening, samvirke)")
    OTHER = "other", _("Other entity with a similar interest")
    COOPERATION = "cooperation", _("Inter-municipal cooperation in the cooperation register")


class ReportGroup(models.TextChoices):
    """The groups of kommuneloven § 26-1 second paragraph letter b."""

    COMPANIES = "companies", _("Companies (selskaper)")
    ENTERPRISES = "enterprises", _("Municipal and county municipal enterprises (foretak)")
    OTHER = "other", _("Other entities (andre virksomheter)")


#: The report group of each kind of interest (a cooperation's group follows its legal form).
KIND_GROUPS = {
    InterestKind.AS_WHOLLY_OWNED: ReportGroup.COMPANIES,
    InterestKind.AS_PARTLY_OWNED: ReportGroup.COMPANIES,
    InterestKind.MUNICIPAL_ENTERPRISE: ReportGroup.ENTERPRISES,
    InterestKind.FOUNDATION: ReportGroup.OTHER,
    InterestKind.ASSOCIATION: ReportGroup.OTHER,
    InterestKind.OTHER: ReportGroup.OTHER,
}
#: Kinds without an ownership share: a KF is part of the municipality (kommuneloven § 9-1
#: second paragraph); a foundation has no owners.
NO_SHARE_KINDS = {InterestKind.MUNICIPAL_ENTERPRISE, InterestKind.FOUNDATION}
#: Kinds with a general meeting or a similar body the control committee must be told of
#: (kommuneloven § 23-6 fourth paragraph).
MEETING_KINDS = {
    InterestKind.AS_WHOLLY_OWNED,
    InterestKind.AS_PARTLY_OWNED,
    InterestKind.ASSOCIATION,
}


class StatementKind(models.TextChoices):
    """The council documents on ownership with a deadline in each election period."""

    OWNERSHIP_STATEMENT = "ownership_statement", _("Ownership statement (eierskapsmelding)")
    CONTROL_PLAN = "control_plan", _("Plan for ownership control (plan for eierskapskontroll)")


class AdoptedBy(models.TextChoices):
    COUNCIL = "council", _("The council itself (kommunestyret or fylkestinget)")
    OTHER_BODY = "other_body", _("Another body (a committee, the executive board …)")


class HistoryAction(models.TextChoices):
    """History actions of the ownership register (the shared ones only)."""

    INTEREST_CREATED = "ownershipinterest.created", _("Ownership interest registered")
    INTEREST_UPDATED = "ownershipinterest.updated", _("Ownership interest changed")
    STATEMENT_CREATED = "ownershipstatement.created", _("Council document registered")
    STATEMENT_UPDATED = "ownershipstatement.updated", _("Council document changed")
