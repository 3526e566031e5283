from kraftsenter.core.admin import site_register

from .models import MembershipRequest, Organisation

site_register(
    Organisation,
    list_display=("name", "organisation_number", "kind", "municipality"),
    search_fields=("name", "organisation_number"),
    list_filter=("kind",),
)
site_register(
    MembershipRequest,
    list_display=("organisation", "user", "status", "created_at", "decided_at"),
    list_filter=("status",),
)
