"""The Django admin is read-only for domain models: writes go through the services."""

from __future__ import annotations

from django.contrib import admin

from .models import AccessibilityFeedback, ChangeRecord, DataImport


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def site_register(model, **options) -> None:
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), options))


site_register(
    ChangeRecord,
    list_display=("created_at", "action", "object_repr", "actor_name"),
    list_filter=("action",),
    search_fields=("object_repr", "request_id"),
)
site_register(DataImport, list_display=("started_at", "kind", "source", "finished_at"))
site_register(
    AccessibilityFeedback,
    list_display=("received_at", "name", "email", "page", "mailed_to"),
    search_fields=("message", "name", "email"),
)
