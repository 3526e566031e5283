"""Code lists of the cooperation register (documented in docs/cooperation-register.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    """The forms kommuneloven § 17-1 permits."""

    IPR = "ipr", _("Inter-municipal political council (IPR)")
    KO = "ko", _("Municipal joint undertaking (KO)")
    HOST_ADMINISTRATIVE = "host_administrative", _("Host-municipality cooperation, administrative")
    HOST_COMMITTEE = "host_committee", _("Host-municipality cooperation with a joint committee")
    IKS = "iks", _("Inter-municipal company (IKS)")
    AS = "as", _("Limited company (AS)")
    SA = "sa", _("Cooperative (SA)")
    ASSOCIATION = "association", _("Association (forening)")
    PLAN = "plan", _("Inter-municipal plan cooperation (pbl. chapter 9)")
    OTHER = "other", _("Another form with legal basis")


#: Enhetsregisteret's organisation-form code of the legal forms registered in one form. An IPR
#: or KO that is a legal person, and an association, are registered in other forms depending
#: on their statutes; a host-municipality cooperation is not registered at all.
ENHETSREGISTERET_FORMS = {LegalForm.IKS: "IKS", LegalForm.AS: "AS", LegalForm.SA: "SA"}

HOST_FORMS = {LegalForm.HOST_ADMINISTRATIVE, LegalForm.HOST_COMMITTEE}
#: Forms with a representantskap (kommuneloven §§ 18-3, 19-3; IKS-loven § 6).
REPRESENTANTSKAP_FORMS = {LegalForm.IPR, LegalForm.KO, LegalForm.IKS}
#: Forms that must be registered in Foretaksregisteret (foretaksregisterloven § 2-1).
FORETAKSREGISTER_FORMS = {LegalForm.IKS, LegalForm.AS, LegalForm.SA}
#: Forms where participants hold ownership shares that must add up to 100 %.
SHARE_FORMS = {LegalForm.IPR, LegalForm.KO, LegalForm.IKS}
#: Forms with ownership interests for the ownership report (kommuneloven § 26-1), besides IPR/KO
#: that are separate legal persons.
OWNERSHIP_FORMS = {LegalForm.IKS, LegalForm.AS, LegalForm.SA}


class Area(models.TextChoices):
    """What municipalities cooperate on; based on the strategy chapter, section 9.3."""

    PLANNING = "planning", _("Planning office and land use")
    PROCUREMENT = "procurement", _("Procurement")
    BUSINESS = "business", _("Business and community development")
    CLIMATE = "climate", _("Emission cuts and climate adaptation")
    ICT = "ict", _("ICT and digitalisation")
    INNOVATION = "innovation", _("Innovation")
    HEALTH = "health", _("Health and care services")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    EMERGENCY = "emergency", _("Fire, rescue and emergency preparedness")
    UTILITIES = "utilities", _("Waste, water and sewage")
    ADMINISTRATION = "administration", _("Accounting, payroll, tax and archives")
    AUDIT = "audit", _("Audit and control committee secretariat")
    EDUCATION = "education", _("Education and competence")
    CULTURE = "culture", _("Culture, sport and outdoor life")
    TRANSPORT = "transport", _("Transport and infrastructure")
    REGIONAL_POLICY = "regional_policy", _("Regional policy and advocacy")
    OTHER = "other", _("Other services")


class Authority(models.TextChoices):
    """Kinds of authority the participants may delegate to a cooperation (its agreement says
    which: kommuneloven §§ 18-4 e, 19-4 d, 20-4 c). Checked against §§ 18-1, 19-1, 20-2."""

    TASKS = "tasks", _("Carrying out tasks and services (no decisions)")
    INTERNAL = "internal", _("Individual decisions on the cooperation's internal matters")
    GRANTS = "grants", _("Administering grant schemes")
    INDIVIDUAL = "individual", _("Other individual decisions (enkeltvedtak)")
    REGULATIONS = "regulations", _("Regulations (forskrift)")
    PRINCIPAL = "principal", _("Decisions in matters of principal importance")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    DISSOLVING = "dissolving", _("Being dissolved")
    DISSOLVED = "dissolved", _("Dissolved")


class BodyKind(models.TextChoices):
    REPRESENTANTSKAP = "representantskap", _("Representantskap (supreme body)")
    BOARD = "board", _("Board")
    COMMITTEE = "committee", _("Joint elected committee (nemnd)")
    STEERING_GROUP = "steering_group", _("Steering group")
    OTHER = "other", _("Other body")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    MEMBER = "member", _("Member")
    DEPUTY = "deputy", _("Deputy member")
    OBSERVER = "observer", _("Observer with the right to attend and speak")
    SECRETARY = "secretary", _("Secretary / daily manager")


class HistoryAction(models.TextChoices):
    """History actions of the cooperation register that say more than created/changed."""

    ACTIVATED = "cooperation.activated", _("Activated")
    DISSOLVING = "cooperation.dissolving", _("Dissolution begun")
    DISSOLVED = "cooperation.dissolved", _("Dissolved")
    PARTICIPANTS = "cooperation.participants_changed", _("Participants changed")
    VERSION_ADDED = "agreementversion.created", _("Agreement version added")
    DECISION = "councildecision.created", _("Council decision recorded")
    BODY_ADDED = "body.created", _("Body added")
    MEMBER_ADDED = "bodymember.created", _("Member of a body added")
    MEMBER_ENDED = "bodymember.archived", _("Membership of a body ended")
    DOCUMENT_ADDED = "document.created", _("Document added")
