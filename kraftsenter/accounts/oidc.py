"""Login with ID-porten (citizens) and Ansattporten (employees) over OpenID Connect.

mozilla-django-oidc is the relying party; its backend and views read their settings by name,
so :class:`ProviderSettings` answers those names per provider (``idporten``, ``ansattporten``)
from ``settings.KRAFTSENTER_OIDC_PROVIDERS`` and the provider's discovery document, fetched
from ``<issuer>/.well-known/openid-configuration`` and cached, as are its keys (``jwks_uri``).

The ID token is checked here, not by the library (which checks neither audience nor issuer):
RS256 signature against the provider's keys, audience (our client id), issuer, expiry, the
nonce of this login attempt and the security level (``acr``). Whatever fails raises
:class:`LoginRefused`, which the callback view turns into a precise message and an entry of
the security log; nothing is created before every check has passed.

A person is keyed on the person identifier (``pid``), stored only as HMAC-SHA256 unless the
operator sets ``KRAFTSENTER_OIDC_STORE_PID=1``. An employee's organisations come from the
token's ``authorization_details`` (docs/login.md has the shape).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]
from mozilla_django_oidc.utils import import_from_settings  # type: ignore[import-untyped]

from .backends import ModelBackend
from .models import OidcIdentity, SecurityEventKind
from .security import security_event_record

#: The providers this site knows, with the name the login page shows.
PROVIDERS = {"idporten": "ID-porten", "ansattporten": "Ansattporten"}

#: Security levels from lowest to highest, per provider: a login at a level at or above the
#: lowest one asked for (``acr_values``) is accepted.
ACR_LEVELS = {
    "idporten": ["idporten-loa-low", "idporten-loa-substantial", "idporten-loa-high"],
    "ansattporten": ["low", "substantial", "high"],
}

#: The Rich Authorization Request types whose reportees name the organisations an employee
#: acts for (Digdir: "RAR-typer i Ansattporten").
RAR_SERVICE = "ansattporten:altinn:service"
RAR_RESOURCE = "ansattporten:altinn:resource"
RAR_ORGNO = "ansattporten:orgno"

#: Seconds of clock difference accepted on exp/iat.
LEEWAY_SECONDS = 30

BACKEND_PATH = "kraftsenter.accounts.oidc.OidcBackend"

#: Why a login was refused: the message the person reads (the log keeps the code).
REASONS = {
    "unavailable": gettext_lazy(
        "The login service cannot be reached right now. Try again later, or use another way "
        "to log in."
    ),
    "provider_error": gettext_lazy("The login service stopped the login (%(error)s)."),
    "state_missing": gettext_lazy(
        "The answer from the login service did not belong to a login started here. Start the "
        "login again."
    ),
    "state_unknown": gettext_lazy(
        "This login attempt is unknown or has already been used. Start the login again."
    ),
    "token": gettext_lazy("The login service would not give a token for this login."),
    "malformed": gettext_lazy("The login service's answer could not be read."),
    "algorithm": gettext_lazy("The login service's answer was not signed the way it must be."),
    "signature": gettext_lazy(
        "The signature on the login service's answer does not match the service's keys."
    ),
    "audience": gettext_lazy("The login service's answer was meant for another service."),
    "issuer": gettext_lazy("The login service's answer came from another issuer than expected."),
    "expired": gettext_lazy("The login service's answer has expired. Start the login again."),
    "nonce": gettext_lazy("The login service's answer does not belong to this login attempt."),
    "acr": gettext_lazy(
        "You logged in at a lower security level (%(acr)s) than this service needs."
    ),
    "no_pid": gettext_lazy("The login service did not say who you are."),
    "no_organisation": gettext_lazy(
        "Ansattporten did not say which organisation you act for. Choose an organisation when "
        "you log in."
    ),
    "organisation_unknown": gettext_lazy(
        "The organisation you act for (organisation number %(numbers)s) is not registered in "
        "Kraftsenter, so you cannot log in for it. Ask its administrator or the site "
        "administrators to register it."
    ),
    "inactive": gettext_lazy("This account is deactivated."),
}


class LoginRefused(Exception):
    """A login with a provider that must not go on; ``reason`` is a key of :data:`REASONS`."""

    def __init__(self, reason: str, detail: str = "", **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
        self.params = params

    @property
    def message(self) -> str:
        text = str(REASONS.get(self.reason, REASONS["token"]))
        return text % self.params if self.params else text

    @property
    def kind(self) -> SecurityEventKind:
        if self.reason == "organisation_unknown":
            return SecurityEventKind.ORGANISATION_UNKNOWN
        return SecurityEventKind.OIDC_REFUSED


# --- configuration -------------------------------------------------------------------------------


def provider_config(provider: str) -> dict[str, Any] | None:
    """The provider's settings, or None when it is not configured (no client id or issuer)."""
    config = getattr(settings, "KRAFTSENTER_OIDC_PROVIDERS", {}).get(provider)
    if provider not in PROVIDERS or not config:
        return None
    if not config.get("client_id") or not config.get("issuer"):
        return None
    return config


def configured_providers() -> list[tuple[str, str]]:
    """(key, name) of the providers offered on the login page."""
    return [(key, name) for key, name in PROVIDERS.items() if provider_config(key)]


def password_login_enabled() -> bool:
    return bool(getattr(settings, "KRAFTSENTER_PASSWORD_LOGIN", True))


def _issuer(provider: str) -> str:
    config = provider_config(provider)
    if config is None:
        raise LoginRefused("unavailable", "provider not configured")
    return str(config["issuer"]).rstrip("/")


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise LoginRefused("unavailable", f"{url}: {exc}") from exc
    if not isinstance(data, dict):
        raise LoginRefused("unavailable", f"{url}: not a JSON object")
    return data


def discovery(provider: str) -> dict[str, Any]:
    """The provider's OpenID configuration (cached); its ``issuer`` must be the configured one."""
    issuer = _issuer(provider)
    key = f"ks-oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        document = _get_json(f"{issuer}/.well-known/openid-configuration")
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise LoginRefused("unavailable", f"discovery issuer {document.get('issuer')!r}")
        cache.set(key, document, settings.KRAFTSENTER_OIDC_CACHE_SECONDS)
    return document


def jwks(provider: str, *, refresh: bool = False) -> dict[str, Any]:
    """The provider's signing keys (cached; ``refresh`` fetches them again after a rotation)."""
    url = discovery(provider)["jwks_uri"]
    key = f"ks-oidc-jwks:{url}"
    keys = None if refresh else cache.get(key)
    if keys is None:
        keys = _get_json(url)
        cache.set(key, keys, settings.KRAFTSENTER_OIDC_CACHE_SECONDS)
    return keys


def forget_provider_metadata(provider: str) -> None:
    """Drop the cached discovery document and keys (tests; after a provider changes keys)."""
    issuer = _issuer(provider)
    document = cache.get(f"ks-oidc-discovery:{issuer}")
    if document:
        cache.delete(f"ks-oidc-jwks:{document.get('jwks_uri')}")
    cache.delete(f"ks-oidc-discovery:{issuer}")


def pid_hash(pid: str) -> str:
    """HMAC-SHA256 of the person identifier under ``KRAFTSENTER_OIDC_PID_KEY`` (default: a
    key derived from the secret key)."""
    secret = (
        settings.KRAFTSENTER_OIDC_PID_KEY
        or hmac.new(
            settings.SECRET_KEY.encode(), b"kraftsenter.accounts.oidc.pid", hashlib.sha256
        ).hexdigest()
    )
    return hmac.new(secret.encode(), pid.encode(), hashlib.sha256).hexdigest()


def reportee_numbers(authorization_details: Any) -> list[str]:
    """The organisation numbers in the token's ``authorization_details``.

    ``ansattporten:altinn:service`` / ``:resource`` carry ``reportees``, each with ``ID``
    ``"0192:<organisation number>"`` (ISO 6523 ``0192``: Enhetsregisteret) and ``Name``;
    ``ansattporten:orgno`` carries ``orgno: {"ID": "0192:…"}``. Anything else is ignored.
    """
    if isinstance(authorization_details, str):
        try:
            authorization_details = json.loads(authorization_details)
        except ValueError:
            return []
    if isinstance(authorization_details, dict):
        authorization_details = [authorization_details]
    if not isinstance(authorization_details, list):
        return []
    numbers: list[str] = []
    for detail in authorization_details:
        if not isinstance(detail, dict):
            continue
        ids: list[Any] = []
        if detail.get("type") in (RAR_SERVICE, RAR_RESOURCE):
            reportees = detail.get("reportees") or []
            ids = [r.get("ID") for r in reportees if isinstance(r, dict)]
        elif detail.get("type") == RAR_ORGNO and isinstance(detail.get("orgno"), dict):
            ids = [detail["orgno"].get("ID")]
        for value in ids:
            number = str(value or "").rpartition(":")[2].strip()
            if re.fullmatch(r"\d{9}", number) and number not in numbers:
                numbers.append(number)
    return numbers


# --- mozilla-django-oidc, per provider -----------------------------------------------------------


class ProviderSettings:
    """Answers mozilla-django-oidc's settings for the provider in ``self.provider``."""

    provider: str = ""

    def get_settings(self, attr: str, *args: Any) -> Any:
        config = provider_config(self.provider) if self.provider else None
        if config is None:
            return import_from_settings(attr, *args)
        endpoints = {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
            "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
            "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
            "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
            "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
        }
        if attr in endpoints:
            return discovery(self.provider).get(endpoints[attr], *args)
        values = {
            "OIDC_RP_CLIENT_ID": config["client_id"],
            "OIDC_RP_CLIENT_SECRET": config.get("client_secret", ""),
            "OIDC_RP_SCOPES": config.get("scopes") or "openid profile",
            "OIDC_AUTHENTICATION_CALLBACK_URL": f"accounts:oidc-callback-{self.provider}",
            "OIDC_RP_IDP_SIGN_KEY": None,
        }
        if attr in values:
            return values[attr]
        return import_from_settings(attr, *args)


class OidcBackend(ProviderSettings, OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend for one provider; only the callback view calls it (with
    ``provider``). Django's own ``authenticate()`` (the password form) passes it by."""

    def __init__(self, provider: str = "", *args: Any, **kwargs: Any) -> None:
        self.provider = provider
        self.UserModel = get_user_model()
        self.outcomes: list[tuple[Any, str]] = []
        self.unknown_numbers: list[str] = []
        self.claims: dict[str, Any] = {}
        self.new_account = False
        if provider:
            super().__init__(*args, **kwargs)

    def get_user(self, user_id: Any) -> Any:
        """The session's user, as Django's own backend finds it: not when deactivated."""
        return ModelBackend.get_user(self, user_id)

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if not self.provider or kwargs.get("provider") != self.provider:
            return None
        kwargs.pop("provider")
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as exc:
            raise LoginRefused("token", str(exc)[:300]) from exc
        except requests.RequestException as exc:
            raise LoginRefused("unavailable", str(exc)[:300]) from exc

    # -- the ID token --

    def retrieve_matching_jwk(self, token: str) -> Any:
        header = jwt.get_unverified_header(token)
        for refresh in (False, True):
            for key in jwks(self.provider, refresh=refresh).get("keys", []):
                if key.get("kid") == header.get("kid") and key.get("alg", "RS256") == "RS256":
                    return jwt.PyJWK(key)
        raise LoginRefused("signature", f"no key with kid {header.get('kid')!r}")

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        nonce = kwargs.get("nonce")
        if not token:
            raise LoginRefused("token", "no id_token in the token response")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise LoginRefused("malformed", str(exc)) from exc
        if header.get("alg") != "RS256":
            raise LoginRefused("algorithm", f"alg {header.get('alg')!r}")
        key = self.retrieve_matching_jwk(token)
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self.get_settings("OIDC_RP_CLIENT_ID"),
                issuer=_issuer(self.provider),
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise LoginRefused("expired", str(exc)) from exc
        except jwt.InvalidAudienceError as exc:
            raise LoginRefused("audience", str(exc)) from exc
        except jwt.InvalidIssuerError as exc:
            raise LoginRefused("issuer", str(exc)) from exc
        except jwt.InvalidSignatureError as exc:
            raise LoginRefused("signature", str(exc)) from exc
        except jwt.InvalidTokenError as exc:
            raise LoginRefused("malformed", str(exc)) from exc
        if not nonce or not hmac.compare_digest(str(payload.get("nonce", "")), str(nonce)):
            raise LoginRefused("nonce", "the nonce differs from this login attempt's")
        self._check_acr(payload)
        return payload

    def _check_acr(self, payload: dict[str, Any]) -> None:
        config = provider_config(self.provider) or {}
        levels = ACR_LEVELS.get(self.provider, [])
        asked = [v for v in str(config.get("acr_values", "")).split() if v]
        if not asked:
            return
        acr = str(payload.get("acr", ""))
        lowest = min((levels.index(v) for v in asked if v in levels), default=None)
        accepted = set(asked) if lowest is None else set(levels[lowest:]) | set(asked)
        if acr not in accepted:
            raise LoginRefused("acr", f"acr {acr!r}", acr=acr or "–")

    def store_tokens(self, access_token: str, id_token: str) -> None:
        """The ID token is kept for the logout at the provider (``id_token_hint``)."""
        self.id_token = id_token

    # -- the account --

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        from kraftsenter.actors.models import Organisation
        from kraftsenter.actors.services import employee_logged_in

        self.claims = payload
        pid = str(payload.get("pid", ""))
        if not re.fullmatch(r"\d{11}", pid):
            raise LoginRefused("no_pid", "no 11-digit pid claim")
        organisations: list[Any] = []
        if self.provider == "ansattporten":
            numbers = reportee_numbers(payload.get("authorization_details"))
            if not numbers:
                raise LoginRefused("no_organisation", "no reportees in authorization_details")
            found = {
                org.organisation_number: org
                for org in Organisation.objects.active().filter(organisation_number__in=numbers)
            }
            self.unknown_numbers = [n for n in numbers if n not in found]
            if not found:
                raise LoginRefused(
                    "organisation_unknown",
                    "no registered organisation",
                    numbers=", ".join(self.unknown_numbers),
                )
            organisations = [found[n] for n in numbers if n in found]
        with transaction.atomic():
            user = self._account(pid)
            if not user.is_active:
                raise LoginRefused("inactive", "account deactivated")
            self.outcomes = [
                (org, employee_logged_in(user=user, organisation=org)) for org in organisations
            ]
        return user

    def _account(self, pid: str) -> Any:
        key = pid_hash(pid)
        identity = (
            OidcIdentity.objects.select_for_update().select_related("user").filter(pid_hash=key)
        ).first()
        stored_pid = pid if settings.KRAFTSENTER_OIDC_STORE_PID else ""
        if identity is None:
            user = self.UserModel.objects.create_user(_new_username())
            identity = OidcIdentity(user=user, pid_hash=key)
            self.new_account = True
        identity.pid = stored_pid
        identity.last_provider = self.provider
        identity.last_login_at = timezone.now()
        identity.save()
        return identity.user


class PasswordLoginSwitch:
    """An authentication backend that refuses every password while password login is off
    (``KRAFTSENTER_PASSWORD_LOGIN=0``): the login page, the Django admin's login, anything
    that calls ``authenticate(username=…, password=…)``. It has no ``get_user`` and so never
    holds a session."""

    def authenticate(self, request: Any, password: str | None = None, **kwargs: Any) -> None:
        if password is not None and not password_login_enabled():
            raise PermissionDenied(_("Password login is off on this site."))
        return None


def _new_username() -> str:
    """A neutral user name (ID-porten gives no name); the person chooses a display name."""
    User = get_user_model()
    while True:
        name = "bruker-" + get_random_string(8, "abcdefghijkmnpqrstuvwxyz23456789")
        if not User._default_manager.filter(username=name).exists():
            return name


def log_refusal(request: Any, provider: str, refusal: LoginRefused) -> None:
    """The security log's entry for a refused login (no token is stored, only the reason)."""
    details: dict[str, Any] = {
        "provider": PROVIDERS.get(provider, provider),
        "reason": refusal.reason,
        "detail": refusal.detail[:300],
    }
    if refusal.reason == "organisation_unknown":
        details["organisation_numbers"] = str(refusal.params.get("numbers", "")).split(", ")
    security_event_record(kind=refusal.kind, request=request, **details)


def set_display_name(*, user: Any, name: str) -> Any:
    """The name others see for an account created by a national login (first name field)."""
    user.first_name = name.strip()[:150]
    user.save(update_fields=["first_name"])
    return user
