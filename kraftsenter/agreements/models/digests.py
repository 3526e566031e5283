"""Each user's choice of how often to get the digest of due and overdue items."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import DigestFrequency


class DigestPreference(models.Model):
    """How often a user gets the digest e-mail (`kraftsenter send_digests`); weekly by default."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_preference",
        verbose_name=_("user"),
    )
    frequency = models.CharField(
        _("digest e-mail"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:digest-preference")
