"""Regional partnerships: a lead organisation, members, meetings and decisions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kraftsenter.core import bounds
from kraftsenter.core.fulltext import SearchableRecord
from kraftsenter.core.links import url_maker
from kraftsenter.core.models import Record


class Partnership(SearchableRecord):
    """A regional partnership led by (usually) the county municipality (strategy 9.1)."""

    #: What text search finds it by (core.fulltext): the name and the purpose.
    SEARCH_FIELDS = ("name", "purpose")

    name = models.CharField(_("name"), max_length=bounds.TITLE_LENGTH)
    lead = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        verbose_name=_("lead organisation"),
    )
    members = models.ManyToManyField(
        "actors.Organisation",
        related_name="partnerships",
        blank=True,
        verbose_name=_("members"),
    )
    county = models.ForeignKey(
        "places.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
    )
    region = models.ForeignKey(
        "places.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("small-town region"),
    )
    purpose = models.TextField(_("purpose"), blank=True, **bounds.text(bounds.TEXT_LENGTH))
    priorities = models.TextField(
        _("priorities"), blank=True, help_text=_("One per line."), **bounds.text(bounds.TEXT_LENGTH)
    )
    is_example = models.BooleanField(_("example"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_maker("agreements:partnership-detail")(self.pk)

    @property
    def priority_list(self) -> list[str]:
        return [line.strip() for line in self.priorities.splitlines() if line.strip()]


class PartnershipMeeting(Record):
    """A meeting of the partnership, with its agenda and minutes."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date"), validators=bounds.DATE_VALIDATORS)
    title = models.CharField(_("title"), max_length=bounds.TITLE_LENGTH)
    agenda = models.TextField(_("agenda"), blank=True, **bounds.text(bounds.TEXT_LENGTH))
    minutes = models.TextField(_("minutes"), blank=True, **bounds.text(bounds.LONG_TEXT_LENGTH))
    minutes_url = models.URLField(
        _("link to the minutes"), blank=True, max_length=bounds.URL_LENGTH
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("partnership meeting")
        verbose_name_plural = _("partnership meetings")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return f"{self.partnership.get_absolute_url()}#meeting-{self.pk}"


class PartnershipDecision(Record):
    """What the partnership agreed, and which members agreed to it, for follow-up."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(
        PartnershipMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    decided_on = models.DateField(_("decided on"), validators=bounds.DATE_VALIDATORS)
    text = models.TextField(_("what was agreed"), **bounds.text(bounds.TEXT_LENGTH))
    agreed_by = models.ManyToManyField(
        "actors.Organisation", related_name="+", verbose_name=_("agreed by")
    )
    follow_up = models.TextField(_("follow-up"), blank=True, **bounds.text(bounds.TEXT_LENGTH))
    due_date = models.DateField(
        _("follow up by"), null=True, blank=True, validators=bounds.DATE_VALIDATORS
    )

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("partnership decision")
        verbose_name_plural = _("partnership decisions")

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return f"{self.partnership.get_absolute_url()}#decision-{self.pk}"
