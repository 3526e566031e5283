from kraftsenter.core.admin import site_register

from .models import ApiToken

site_register(
    ApiToken,
    list_display=("name", "user", "prefix", "created_at", "expires_at", "revoked_at"),
    exclude=("key_hash",),
)
