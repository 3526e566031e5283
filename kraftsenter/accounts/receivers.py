"""What the security log hears about without a service of its own: failed logins and lock-outs
(Django's and django-axes' signals), and changes of an account's password or site
administrator flag however they were made (the pages, the Django admin, a command).
Connected in ``AccountsConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils import timezone

from .models import SecurityEvent, SecurityEventKind
from .security import clean_text, client_address, password_changed, security_event_record


def login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Django's ``user_login_failed``: the user name tried (Django has already masked the
    password in ``credentials``; it is not read), the address, the account if it exists."""
    User = get_user_model()
    username = clean_text(credentials.get(User.USERNAME_FIELD) or credentials.get("username"), 150)
    account = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    security_event_record(
        kind=SecurityEventKind.LOGIN_FAILED, user=account, username=username, request=request
    )


def locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    """django-axes' ``user_locked_out``: once per lock-out of a user name and address (axes
    sends it again for every attempt while the lock-out lasts; those are failed logins)."""
    from axes.helpers import get_cool_off

    name = clean_text(username, 150)
    cool_off = get_cool_off(request)
    if cool_off is not None:
        already = SecurityEvent.objects.filter(
            kind=SecurityEventKind.LOCKED_OUT,
            username=name,
            ip_address=client_address(request),
            created_at__gt=timezone.now() - cool_off,
        )
        if already.exists():
            return
    User = get_user_model()
    account = User._default_manager.filter(**{User.USERNAME_FIELD: name}).first()
    security_event_record(
        kind=SecurityEventKind.LOCKED_OUT,
        user=account,
        username=name,
        request=request,
        failure_limit=settings.AXES_FAILURE_LIMIT,
    )


def account_before_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Notes whether the save changes the password or the site administrator flag."""
    instance._ks_security_changes = ()
    if raw:
        return
    update_fields = kwargs.get("update_fields")
    if instance._state.adding or instance.pk is None:
        instance._ks_security_changes = ("site_admin",) if instance.is_superuser else ()
        return
    if update_fields is not None and not {"password", "is_superuser"} & set(update_fields):
        return  # e.g. the last_login update of every login
    stored = (
        sender._default_manager.filter(pk=instance.pk)
        .values_list("password", "is_superuser")
        .first()
    )
    if stored is None:
        return
    password, is_superuser = stored
    changes = []
    if password != instance.password:
        changes.append("password")
    if is_superuser != instance.is_superuser:
        changes.append("site_admin")
    instance._ks_security_changes = tuple(changes)


def account_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    changes = getattr(instance, "_ks_security_changes", ())
    instance._ks_security_changes = ()
    if raw or not changes:
        return
    if "site_admin" in changes:
        security_event_record(
            kind=SecurityEventKind.SITE_ADMIN_GIVEN
            if instance.is_superuser
            else SecurityEventKind.SITE_ADMIN_REMOVED,
            user=instance,
        )
    if "password" in changes:
        password_changed(user=instance)
