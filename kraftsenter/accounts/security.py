"""The security log and what follows a password change.

:func:`security_event_record` is the one writer of :class:`SecurityEvent`; the token services,
the membership services (``actors/services.py``) and the receivers in ``receivers.py`` (failed
logins, lock-outs, password and site-administrator changes) call it. Nothing here stores a
password or a token's secret.

A new password ends every personal API token of the account (:func:`password_changed`),
whichever way it was set: the password pages, the password reset, the Django admin or a
command. The pages wrap the change in :func:`password_change` so that the log says how and
from where, and the user is told how many tokens were revoked.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from kraftsenter.core.middleware import current_request_id

from .models import ApiToken, SecurityEvent, SecurityEventKind

#: The system actor named in a token's history when a password change revoked it.
PASSWORD_CHANGE_ACTOR = "password-change"  # noqa: S105 - a system actor's name


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address as the login throttling (django-axes) sees it, or None."""
    if request is None:
        return None
    address = getattr(request, "axes_ip_address", None)
    if address is None:
        from axes.helpers import get_client_ip_address

        address = get_client_ip_address(request)
    try:
        return str(ipaddress.ip_address(str(address)))
    except ValueError:
        return None


def clean_text(text: Any, length: int) -> str:
    """Text for a log column: no NUL (PostgreSQL refuses it), at most ``length`` characters."""
    return str(text or "").replace("\x00", "")[:length]


def actor_label(actor: Any) -> str:
    """Who did it: a user's user name, a token system's ``token:ks_…``, a system's name."""
    if actor is None:
        return ""
    if isinstance(actor, str):
        return actor
    return str(actor.get_username())


def security_event_record(
    *,
    kind: SecurityEventKind,
    user: Any = None,
    username: str = "",
    actor: Any = None,
    request: HttpRequest | None = None,
    **details: Any,
) -> SecurityEvent:
    """Write one entry of the security log. ``user`` is the account it concerns (or None for
    a user name that does not exist), ``actor`` who caused it when that is someone else."""
    account = user if getattr(user, "pk", None) is not None else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=account,
        username=clean_text(username or (account.get_username() if account else ""), 150),
        actor_name=clean_text(actor_label(actor), 200),
        ip_address=client_address(request),
        request_id=current_request_id(),
        details=details,
    )


# --- password changes ------------------------------------------------------------------------


@dataclass
class PasswordChange:
    """How a password is being changed (set by the pages), and what followed."""

    kind: SecurityEventKind
    request: HttpRequest | None
    revoked: int = 0


_password_change: ContextVar[PasswordChange | None] = ContextVar("password_change", default=None)


@contextlib.contextmanager
def password_change(*, kind: SecurityEventKind, request: HttpRequest) -> Iterator[PasswordChange]:
    """Around a password page's save: the log records the kind and the client's address, and
    ``revoked`` afterwards tells how many personal tokens the change revoked."""
    change = PasswordChange(kind=kind, request=request)
    reset = _password_change.set(change)
    try:
        yield change
    finally:
        _password_change.reset(reset)


@transaction.atomic
def password_changed(*, user: Any) -> int:
    """After a user's password changed: revoke their active personal API tokens (organisation
    tokens belong to the organisation and stay) and log it. Returns how many were revoked."""
    from .tokens import token_revoke

    change = _password_change.get()
    tokens = ApiToken.objects.select_for_update().filter(
        user=user, organisation__isnull=True, revoked_at__isnull=True
    )
    revoked = 0
    for token in tokens:
        if token.expires_at is not None and token.expires_at <= timezone.now():
            continue  # expired tokens no longer work anyway
        token_revoke(actor=PASSWORD_CHANGE_ACTOR, token=token)
        revoked += 1
    security_event_record(
        kind=change.kind if change else SecurityEventKind.PASSWORD_CHANGED,
        user=user,
        request=change.request if change else None,
        revoked_tokens=revoked,
        on_pages=change is not None,
    )
    if change is not None:
        change.revoked = revoked
    return revoked
