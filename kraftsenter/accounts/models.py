"""API tokens: personal ones, and organisation tokens for a system acting for an organisation.

Only a hash of each token is stored; the token is shown once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What an organisation token may do. Reading public records needs no scope."""

    READ = "read", _("Read the organisation's unpublished records")
    WRITE_ORGANISATIONS = "write:organisations", _("Change the organisation's own record")
    WRITE_COOPERATIONS = "write:cooperations", _("Change cooperations")
    WRITE_CONSULTATIONS = "write:consultations", _("Change consultations")
    WRITE_AGREEMENTS = "write:agreements", _("Change plans, partnerships, agreements")
    WRITE_SCENARIOS = "write:scenarios", _("Change scenarios")


class ApiToken(models.Model):
    """A token for ``Authorization: Bearer …`` on the API.

    A personal token acts as its user. An organisation token (``organisation`` set) acts for the
    organisation, within its ``scopes``; ``user`` is the administrator who created it, and its
    changes are recorded in history as the token's system, on behalf of the organisation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("organisation"),
        help_text=_("For an organisation token: the organisation the system acts for."),
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is used for."))
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile")

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_organisation_token(self) -> bool:
        return self.organisation_id is not None


class SecurityEventKind(models.TextChoices):
    """What the security log records."""

    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKED_OUT = "locked_out", _("Locked out after failed logins")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset by e-mail")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    ROLE_GIVEN = "role_given", _("Role in an organisation given")
    ROLE_CHANGED = "role_changed", _("Role in an organisation changed")
    ROLE_ENDED = "role_ended", _("Role in an organisation ended")
    SITE_ADMIN_GIVEN = "site_admin_given", _("Made site administrator")
    SITE_ADMIN_REMOVED = "site_admin_removed", _("No longer site administrator")
    OIDC_LOGIN = "oidc_login", _("Logged in with ID-porten or Ansattporten")
    OIDC_REFUSED = "oidc_refused", _("Login with ID-porten or Ansattporten refused")
    ORGANISATION_UNKNOWN = "organisation_unknown", _("Ansattporten: organisation not registered")
    MEMBERSHIP_REQUESTED = "membership_requested", _("Employee asked to become a member")
    OIDC_LOGOUT = "oidc_logout", _("Logged out by the login service")
    LANGUAGE_UNKNOWN = "language_unknown", _("Unknown language asked for")


class SecurityEvent(models.Model):
    """One entry of the security log the site administrators read (``/konto/sikkerhetslogg/``).

    Written by ``accounts/security.py`` only, never changed. ``username`` is the account the
    event concerns (for a failed login: the name that was tried, whether or not it exists),
    ``actor_name`` who caused it when that is someone else (an administrator changing a role).
    No password and no token secret is stored: a token is named by its name and the prefix
    that the profile page shows too.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=SecurityEventKind.choices)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    actor_name = models.CharField(_("done by"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("security event")
        verbose_name_plural = _("security log")
        indexes = [models.Index(fields=["kind", "created_at"], name="securityevent_kind_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.username or '–'}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:security-log")

    @property
    def summary(self) -> str:
        """The details as a sentence in the reader's language."""
        from kraftsenter.actors.choices import Role

        details = self.details or {}
        roles = dict(Role.choices)
        kind = self.kind
        if kind in (SecurityEventKind.TOKEN_CREATED, SecurityEventKind.TOKEN_REVOKED):
            text = gettext("“%(name)s” (%(prefix)s…)") % {
                "name": details.get("token", ""),
                "prefix": details.get("prefix", ""),
            }
            if details.get("organisation"):
                text += " " + gettext("for %(organisation)s") % details
            return text
        if kind == SecurityEventKind.ROLE_CHANGED:
            return gettext("%(organisation)s: %(previous)s → %(role)s") % {
                "organisation": details.get("organisation", ""),
                "previous": roles.get(details.get("previous_role", ""), ""),
                "role": roles.get(details.get("role", ""), ""),
            }
        if kind in (SecurityEventKind.ROLE_GIVEN, SecurityEventKind.ROLE_ENDED):
            return gettext("%(organisation)s: %(role)s") % {
                "organisation": details.get("organisation", ""),
                "role": roles.get(details.get("role", ""), ""),
            }
        if kind in (SecurityEventKind.PASSWORD_CHANGED, SecurityEventKind.PASSWORD_RESET):
            count = int(details.get("revoked_tokens", 0))
            text = ngettext(
                "%(count)s personal API token revoked",
                "%(count)s personal API tokens revoked",
                count,
            ) % {"count": count}
            if not details.get("on_pages", True):
                text += " " + gettext("(not on the account pages: the admin or a command)")
            return text
        if kind in (SecurityEventKind.OIDC_LOGIN, SecurityEventKind.OIDC_LOGOUT):
            return gettext("%(provider)s %(acr)s") % {
                "provider": details.get("provider", ""),
                "acr": details.get("acr", ""),
            }
        if kind == SecurityEventKind.OIDC_REFUSED:
            return gettext("%(provider)s: %(reason)s") % {
                "provider": details.get("provider", ""),
                "reason": details.get("reason", ""),
            }
        if kind == SecurityEventKind.ORGANISATION_UNKNOWN:
            return gettext("organisation number %(numbers)s") % {
                "numbers": ", ".join(details.get("organisation_numbers", []))
            }
        if kind == SecurityEventKind.MEMBERSHIP_REQUESTED:
            return str(details.get("organisation", ""))
        if kind == SecurityEventKind.LOCKED_OUT and details.get("failure_limit"):
            return gettext("after %(count)s failed logins") % {"count": details["failure_limit"]}
        return ""


class OidcIdentity(models.Model):
    """A person who logs in with ID-porten or Ansattporten, by their person identifier.

    The identifier (``pid``, the national identity number) is kept only as a keyed hash
    (HMAC-SHA256, ``KRAFTSENTER_OIDC_PID_KEY``) unless the operator sets
    ``KRAFTSENTER_OIDC_STORE_PID=1``; the same person is the same account with both services.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="oidc_identity",
        verbose_name=_("account"),
    )
    pid_hash = models.CharField(max_length=64, unique=True, editable=False)
    pid = models.CharField(_("person identifier"), max_length=11, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_provider = models.CharField(_("last logged in with"), max_length=20, blank=True)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("national login")
        verbose_name_plural = _("national logins")

    def __str__(self) -> str:
        return f"{self.user} ({self.last_provider})"


class OidcSession(models.Model):
    """Which local session a provider's session (``sid``) opened, so that the provider's
    front-channel logout ends it."""

    provider = models.CharField(max_length=20)
    sid = models.CharField(max_length=200)
    session_key = models.CharField(max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["provider", "sid"], name="oidcsession_sid")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.sid}"


class PreferredLanguage(models.TextChoices):
    """The languages an account can read the site and its e-mails in, each named in itself."""

    NB = "nb", "Norsk bokmål"
    NN = "nn", "Norsk nynorsk"
    SE = "se", "Davvisámegiella"
    EN = "en", "English"


class AccountPreference(models.Model):
    """What an account prefers: the language of its e-mails (the digest) and of the site once
    it logs in. Bokmål unless chosen on the profile page or with the language switch."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_preference",
        verbose_name=_("account"),
    )
    language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=PreferredLanguage.choices,
        default=PreferredLanguage.NB,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("account preference")
        verbose_name_plural = _("account preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile")
