"""API tokens: personal ones, and organisation tokens for a system acting for an organisation.

Only a hash of each token is stored; the token is shown once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
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
