from kraftsenter.core.admin import site_register

from .models import AccountPreference, ApiToken, OidcIdentity, SecurityEvent

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
site_register(
    OidcIdentity,
    list_display=("user", "last_provider", "last_login_at", "created_at"),
    exclude=("pid_hash", "pid"),
)
site_register(
    AccountPreference,
    list_display=("user", "language", "updated_at"),
    list_filter=("language",),
)
