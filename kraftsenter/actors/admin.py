from kraftsenter.core.admin import site_register

from .models import Organisation

site_register(
    Organisation,
    list_display=("name", "organisation_number", "kind", "municipality"),
    search_fields=("name", "organisation_number"),
    list_filter=("kind",),
)
