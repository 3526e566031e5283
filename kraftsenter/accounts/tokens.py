"""Creating, checking and revoking personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.core.history import record_change, snapshot

from .models import ApiToken

TOKEN_PREFIX = "ks_"  # noqa: S105 - a marker, not a secret
MAX_DAYS = 366


class TokenInvalid(Exception):
    """The token is unknown, expired or revoked; the message says which."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, actor, user, name: str, days: int | None = 90) -> tuple[ApiToken, str]:
    """Create a token; returns the record and the token text, which is never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. what it is used for.")})
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": _("A token can last from 1 to %(max)s days.") % {"max": MAX_DAYS}}
        )
    secret = secrets.token_urlsafe(32)
    text = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=text[:10],
        key_hash=_hash(text),
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
    )
    record_change(
        actor=actor,
        action="apitoken.created",
        target=token,
        before=None,
        after=snapshot(token, exclude=("key_hash",)),
        parent=user,
    )
    return token, text


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        raise ValidationError(_("The token is already revoked."))
    before = snapshot(token, exclude=("key_hash",))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_change(
        actor=actor,
        action="apitoken.revoked",
        target=token,
        before=before,
        after=snapshot(token, exclude=("key_hash",)),
        parent=token.user,
    )
    return token


def token_user(text: str):
    """The active user a token belongs to, or TokenInvalid with the reason."""
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=_hash(text.strip())).first()
        if text.startswith(TOKEN_PREFIX)
        else None
    )
    if token is None:
        raise TokenInvalid(_("The API token is not known."))
    if token.revoked_at is not None:
        raise TokenInvalid(_("The API token has been revoked."))
    if token.is_expired:
        raise TokenInvalid(_("The API token has expired. Create a new one on your profile page."))
    if not token.user.is_active:
        raise TokenInvalid(_("The account that owns the API token is deactivated."))
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
