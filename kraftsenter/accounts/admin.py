from kraftsenter.core.admin import site_register

from .models import ApiToken, SecurityEvent

site_register(
    ApiToken,
    list_display=("name", "user", "prefix", "created_at", "expires_at", "revoked_at"),
    exclude=("key_hash",),
)
site_register(
    SecurityEvent,
    list_display=("created_at", "kind", "username", "actor_name", "ip_address"),
    list_filter=("kind", "created_at"),
    search_fields=("username", "actor_name", "ip_address", "request_id"),
)
