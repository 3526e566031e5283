"""Creating, checking and revoking API tokens: personal ones, and organisation tokens that let
a system act for an organisation within the scopes an administrator gave it."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.core import prepared
from kraftsenter.core.history import record_change, snapshot

from .models import ApiToken, Scope, SecurityEventKind
from .security import security_event_record

TOKEN_PREFIX = "ks_"  # noqa: S105 - a marker, not a secret
MAX_DAYS = 366


class TokenInvalid(Exception):
    """The token is unknown, expired or revoked; the message says which."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _log(kind: SecurityEventKind, *, actor: Any, token: ApiToken) -> None:
    """The security log's entry for a token: its name and prefix, never its secret."""
    organisation = token.organisation
    security_event_record(
        kind=kind,
        user=token.user,
        actor=actor,
        token=token.name,
        prefix=token.prefix,
        organisation=organisation.name if organisation is not None else "",
        scopes=list(token.scopes),
        expires=token.expires_at.isoformat() if token.expires_at else "",
    )


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
    _log(SecurityEventKind.TOKEN_CREATED, actor=actor, token=token)
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
        parent=token.organisation or token.user,
    )
    _log(SecurityEventKind.TOKEN_REVOKED, actor=actor, token=token)
    return token


class OrganisationActor:
    """A system acting for an organisation through an organisation token.

    It takes the organisation's editor role (with a write scope) or member role (read only), so
    every register's policy decides for it as for a person; the API checks that the token has
    the write scope of the register it changes. History records its changes as this system,
    on behalf of the organisation.
    """

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_superuser = False
    is_staff = False
    pk = None

    def __init__(self, token: ApiToken) -> None:
        self.token = token
        writes = any(s.startswith("write:") for s in token.scopes)
        role = "editor" if writes else ("member" if Scope.READ in token.scopes else "")
        assert token.organisation_id is not None
        self._ks_roles = {token.organisation_id: role} if role else {}

    @property
    def organisation(self) -> Any:
        return self.token.organisation

    @property
    def acts_for_organisation(self) -> int | None:
        return self.token.organisation_id

    def has_scope(self, scope: str) -> bool:
        return scope in self.token.scopes

    def get_username(self) -> str:
        return f"token:{self.token.prefix}"

    def get_full_name(self) -> str:
        return _("%(name)s (API token of %(organisation)s)") % {
            "name": self.token.name,
            "organisation": self.token.organisation,
        }

    def __str__(self) -> str:
        return self.get_username()


@transaction.atomic
def organisation_token_create(
    *, actor: Any, organisation: Any, name: str, days: int, scopes: list[str]
) -> tuple[ApiToken, str]:
    """An organisation token, created by an administrator of the organisation. It expires
    (1–366 days) and can only do what its scopes say."""
    from kraftsenter.actors.permissions import ORGANISATION_POLICY

    ORGANISATION_POLICY.require(actor, "manage_members", organisation)
    errors: dict[str, str] = {}
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        errors["scopes"] = _("Unknown scope(s): %(scopes)s.") % {"scopes": ", ".join(unknown)}
    elif not scopes:
        errors["scopes"] = _("Choose what the token may do.")
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = _("A token can last from 1 to %(max)s days.") % {"max": MAX_DAYS}
    if not name.strip():
        errors["name"] = _("Give the token a name, e.g. what it is used for.")
    if errors:
        raise ValidationError(errors)
    secret = secrets.token_urlsafe(32)
    text = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken.objects.create(
        user=actor,
        organisation=organisation,
        scopes=sorted(set(scopes)),
        name=name.strip()[:100],
        prefix=text[:10],
        key_hash=_hash(text),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    record_change(
        actor=actor,
        action="apitoken.created",
        target=token,
        before=None,
        after=snapshot(token, exclude=("key_hash",)),
        parent=organisation,
    )
    _log(SecurityEventKind.TOKEN_CREATED, actor=actor, token=token)
    return token, text


def token_user(text: str) -> Any:
    """The active user (or, for an organisation token, the organisation's system actor) a
    token belongs to, or TokenInvalid with the reason."""
    token = None
    if text.startswith(TOKEN_PREFIX):
        # Built once per process (core.prepared): every API call with a token reads it.
        found = prepared.instances(
            "api_token",
            router.db_for_read(ApiToken),
            ApiToken,
            lambda key_hash: (
                ApiToken.objects.select_related("user", "organisation")
                .filter(key_hash=key_hash)
                .order_by("pk")[:1]
            ),
            _hash(text.strip()),
        )
        token = found[0] if found else None
    if token is None:
        raise TokenInvalid(_("The API token is not known."))
    if token.revoked_at is not None:
        raise TokenInvalid(_("The API token has been revoked."))
    if token.is_expired:
        raise TokenInvalid(_("The API token has expired. Create a new one on your profile page."))
    if not token.user.is_active:
        raise TokenInvalid(_("The account that owns the API token is deactivated."))
    if token.organisation is not None and token.organisation.archived_at is not None:
        raise TokenInvalid(_("The organisation of the API token is archived."))
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    if token.organisation is not None:
        return OrganisationActor(token)
    return token.user
