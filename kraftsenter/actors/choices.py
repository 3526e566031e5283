"""Kinds of actor, from the strategy chapter's list of who takes part (documented codes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    COUNTY_MUNICIPALITY = "county_municipality", _("County municipality")
    MUNICIPALITY = "municipality", _("Municipality")
    STATSFORVALTER = "statsforvalter", _("Statsforvalter")
    STATE_AGENCY = "state_agency", _("State agency")
    STATE_FUNDING_AGENCY = "state_funding_agency", _("State funding agency")
    SAMETINGET = "sametinget", _("Sametinget")
    REINDEER_HERDING_DISTRICT = "reindeer_herding_district", _("Reindeer-herding district")
    SIIDA = "siida", _("Siida")
    SAMI_ORGANISATION = "sami_organisation", _("Other Sami organisation")
    IKS = "iks", _("Inter-municipal company (IKS)")
    IPR = "ipr", _("Inter-municipal political council (IPR)")
    KO = "ko", _("Municipal joint undertaking (KO)")
    AS = "as", _("Limited company (AS)")
    SA = "sa", _("Cooperative (SA)")
    ASSOCIATION = "association", _("Association")
    FOUNDATION = "foundation", _("Foundation")
    BUSINESS = "business", _("Business")
    CLUSTER = "cluster", _("Business cluster")
    RESEARCH = "research", _("Research and academia")
    VOLUNTARY = "voluntary", _("Voluntary organisation")
    SOCIAL_ENTREPRENEUR = "social_entrepreneur", _("Social entrepreneur")
    CITIZEN_GROUP = "citizen_group", _("Citizen group")
    NATIONAL_KNOWLEDGE_ACTOR = "national_knowledge_actor", _("National knowledge actor")


#: Enhetsregisteret's organisation-form code where one form always applies to the kind
#: (https://data.brreg.no/enhetsregisteret/api/organisasjonsformer). Kinds that are registered
#: in several forms (state agencies, Sami organisations, businesses …) have none.
ENHETSREGISTERET_FORMS = {
    OrganisationKind.MUNICIPALITY: "KOMM",
    OrganisationKind.COUNTY_MUNICIPALITY: "FYLK",
    OrganisationKind.IKS: "IKS",
    OrganisationKind.AS: "AS",
    OrganisationKind.SA: "SA",
    OrganisationKind.FOUNDATION: "STI",
}


class Role(models.TextChoices):
    """A user's role in an organisation."""

    MEMBER = "member", _("Member")
    EDITOR = "editor", _("Editor")
    ADMIN = "admin", _("Administrator")


class EmployeeAccess(models.TextChoices):
    """What an employee who logs in with Ansattporten for the organisation gets (set by the
    organisation's administrators)."""

    NONE = "none", _("Nothing: administrators add members themselves")
    MEMBER = "member", _("Member (may see the organisation's unpublished records)")
    EDITOR = "editor", _("Editor")
    APPROVAL = "approval", _("A request that an administrator approves or refuses")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an administrator")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class HistoryAction(models.TextChoices):
    """History actions of the actor register that say more than created/changed/archived."""

    MEMBER_ADDED = "membership.created", _("Member added")
    MEMBER_ROLE = "membership.updated", _("Member's role changed")
    MEMBER_ENDED = "membership.archived", _("Membership ended")
    CONTACT_ADDED = "contactperson.created", _("Contact person added")
    CONTACT_REMOVED = "contactperson.archived", _("Contact person removed")
    REQUEST_CREATED = "membershiprequest.created", _("Employee asked to become a member")
    REQUEST_DECIDED = "membershiprequest.updated", _("Membership request decided")
