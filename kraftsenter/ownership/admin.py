"""Read-only admin for the ownership register: writes go through the services."""

from kraftsenter.core.admin import site_register

from .models import OwnershipInterest, OwnershipStatement

site_register(
    OwnershipInterest,
    list_display=("holder", "kind", "entity", "cooperation", "share", "decided_on"),
    list_filter=("kind",),
)
site_register(
    OwnershipStatement,
    list_display=("holder", "kind", "adopted_on", "adopting_body"),
    list_filter=("kind", "adopting_body"),
)
