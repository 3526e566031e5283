"""Read-only admin for the cooperation register: writes go through the services."""

from kraftsenter.core.admin import site_register

from .models import AgreementVersion, Body, BodyMember, Cooperation, CouncilDecision, Participant

site_register(
    Cooperation,
    list_display=("name", "legal_form", "status", "start_date"),
    list_filter=("legal_form", "status"),
    search_fields=("name", "organisation_number"),
)
site_register(Participant, list_display=("cooperation", "organisation", "ownership_share"))
site_register(Body, list_display=("cooperation", "kind", "name"))
site_register(BodyMember, list_display=("body", "person_name", "role"))
site_register(AgreementVersion, list_display=("cooperation", "number"))
site_register(CouncilDecision, list_display=("agreement_version", "organisation", "decided_on"))
