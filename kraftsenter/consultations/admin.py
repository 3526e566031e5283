"""Read-only admin for consultations: writes go through the services."""

from kraftsenter.core.admin import site_register

from .models import Consultation, Document, InformationEntry, Party, Protocol

site_register(
    Consultation,
    list_display=("title", "authority", "level", "plan_kind", "status"),
    list_filter=("level", "status"),
    search_fields=("title",),
)
site_register(Party, list_display=("consultation", "organisation", "response"))
site_register(InformationEntry, list_display=("consultation", "shared_on", "origin", "access"))
site_register(Document, list_display=("consultation", "title", "origin", "access"))
site_register(Protocol, list_display=("meeting", "agreement", "access"))
