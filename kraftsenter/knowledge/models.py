"""The regional knowledge base: official statistics per municipality, and emission scenarios.

Statistics are reference data: written only by ``kraftsenter import_statistics`` (all or
nothing, idempotent, recorded as a ``core.DataImport``), keyed on 2024 municipality numbers.
Scenarios are user records with history like every register.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kraftsenter.core import bounds
from kraftsenter.core.links import url_maker
from kraftsenter.core.models import Record

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CommutingFlow(models.Model):
    """Employed persons 15–74 living in one municipality and working in another (SSB 03321, Q4).

    ``home == work`` is the number who live and work in the same municipality."""

    year = models.PositiveSmallIntegerField(_("year"))
    home = models.ForeignKey(
        "places.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality of residence"),
    )
    work = models.ForeignKey(
        "places.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality of work"),
    )
    employed = models.PositiveIntegerField(_("employed persons"))

    class Meta:
        ordering = ["year", "home", "work"]
        verbose_name = _("commuting flow")
        verbose_name_plural = _("commuting flows")
        constraints = [
            models.UniqueConstraint(fields=["year", "home", "work"], name="commuting_flow_once")
        ]
        indexes = [models.Index(fields=["year", "work"], name="commuting_year_work")]

    def __str__(self) -> str:
        return f"{self.year}: {self.home_id} → {self.work_id} {self.employed}"

    def get_absolute_url(self) -> str:
        return reverse("places:municipality-detail", args=[self.home.number])


class EmploymentFigure(models.Model):
    """Persons 15–74 and employed persons by residence and by workplace (SSB 11618, Q4)."""

    year = models.PositiveSmallIntegerField(_("year"))
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.CASCADE, related_name="employment_figures"
    )
    population_15_74 = models.PositiveIntegerField(_("residents 15–74"), null=True, blank=True)
    employed_residence = models.PositiveIntegerField(_("employed residents"), null=True, blank=True)
    employed_workplace = models.PositiveIntegerField(
        _("jobs (employed by workplace)"), null=True, blank=True
    )

    class Meta:
        ordering = ["municipality", "year"]
        verbose_name = _("employment figure")
        verbose_name_plural = _("employment figures")
        constraints = [
            models.UniqueConstraint(fields=["year", "municipality"], name="employment_once")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("places:municipality-detail", args=[self.municipality.number])


class IndustryEmployment(models.Model):
    """Employed persons by workplace and industry group (SSB 13470, SN2007 groups)."""

    year = models.PositiveSmallIntegerField(_("year"))
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.CASCADE, related_name="industry_figures"
    )
    industry = models.CharField(_("industry (SN2007 group)"), max_length=120)
    employed = models.PositiveIntegerField(_("employed persons"))

    class Meta:
        ordering = ["municipality", "year", "industry"]
        verbose_name = _("employment by industry")
        verbose_name_plural = _("employment by industry")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "municipality", "industry"], name="industry_employment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year} {self.industry}"

    def get_absolute_url(self) -> str:
        return reverse("places:municipality-detail", args=[self.municipality.number])


class EmissionFigure(models.Model):
    """Greenhouse-gas emissions in tonnes CO₂-equivalents (the Norwegian Environment Agency's
    municipal climate-gas accounts), by sector and source."""

    year = models.PositiveSmallIntegerField(_("year"))
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.CASCADE, related_name="emission_figures"
    )
    sector = models.CharField(_("sector"), max_length=120)
    source = models.CharField(_("source of emissions"), max_length=160)
    tonnes_co2e = models.FloatField(_("tonnes CO₂-equivalents"))

    class Meta:
        ordering = ["municipality", "year", "sector", "source"]
        verbose_name = _("emission figure")
        verbose_name_plural = _("emission figures")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "municipality", "sector", "source"], name="emission_once"
            )
        ]
        indexes = [models.Index(fields=["municipality", "year"], name="emission_muni_year")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year} {self.sector}: {self.tonnes_co2e}"

    def get_absolute_url(self) -> str:
        return reverse("places:municipality-detail", args=[self.municipality.number])


#: A scenario's measures: at most this many sectors, named as in the emission figures (whose
#: ``sector`` holds at most ``SECTOR_LENGTH`` characters).
MAX_SECTORS = 50
SECTOR_LENGTH = 120


class Scenario(Record):
    """A green-transition scenario to a target year for a region or a municipality."""

    name = models.CharField(_("name"), max_length=bounds.NAME_LENGTH)
    region = models.ForeignKey(
        "places.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scenarios",
        verbose_name=_("region"),
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scenarios",
        verbose_name=_("municipality"),
    )
    owner = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scenarios",
        verbose_name=_("owning organisation"),
    )
    base_year = models.PositiveSmallIntegerField(_("base year"), validators=bounds.YEAR_VALIDATORS)
    target_year = models.PositiveSmallIntegerField(
        _("target year"), default=2030, validators=bounds.YEAR_VALIDATORS
    )
    target_cut_percent = models.DecimalField(
        _("target cut (%)"),
        max_digits=5,
        decimal_places=1,
        validators=bounds.PERCENT_VALIDATORS,
        help_text=_("Percentage cut by the target year, from the base year."),
    )
    measures = models.JSONField(
        _("measures"),
        default=dict,
        blank=True,
        help_text=_("Per sector: the percentage cut the measures give by the target year."),
    )
    description = models.TextField(_("description"), blank=True, **bounds.text(bounds.TEXT_LENGTH))

    class Meta:
        ordering = ["name"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.CheckConstraint(
                condition=(Q(region__isnull=False) & Q(municipality__isnull=True))
                | (Q(region__isnull=True) & Q(municipality__isnull=False)),
                name="scenario_for_region_or_municipality",
            ),
            models.CheckConstraint(
                condition=Q(target_year__gt=models.F("base_year")),
                name="scenario_target_after_base",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_maker("knowledge:scenario-detail")(self.pk)

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if bool(self.region_id) == bool(self.municipality_id):
            errors["region"] = _("A scenario is for either a region or a municipality.")
        if self.base_year and self.target_year and self.target_year <= self.base_year:
            errors["target_year"] = _("The target year must come after the base year.")
        measures = self.measures or {}
        if not isinstance(measures, dict) or len(measures) > MAX_SECTORS:
            errors["measures"] = _("Give the measures of at most %(count)s sectors.") % {
                "count": MAX_SECTORS
            }
            measures = {}
        for sector, cut in measures.items():
            if len(str(sector)) > SECTOR_LENGTH:
                errors["measures"] = _("A sector's name has at most %(count)s characters.") % {
                    "count": SECTOR_LENGTH
                }
                break
            try:
                value = float(cut)
            except (TypeError, ValueError):
                errors["measures"] = _("The cut for “%(sector)s” is not a number.") % {
                    "sector": sector
                }
                break
            if not 0 <= value <= 100:
                errors["measures"] = _("The cut for “%(sector)s” must be between 0 and 100 %%.") % {
                    "sector": sector
                }
                break
        if measures and "measures" not in errors and "region" not in errors:
            from .scenarios import known_sectors  # scenarios imports this module

            known = known_sectors(self)
            unknown = sorted(str(s) for s in measures if s not in set(known))
            if unknown:
                shown = ", ".join(f"“{s[:60]}”" for s in unknown[:3])
                if len(unknown) > 3:
                    shown = _("%(shown)s and %(count)s more") % {
                        "shown": shown,
                        "count": len(unknown) - 3,
                    }
                errors["measures"] = _(
                    "No emission figures for this place name the sector %(sectors)s; "
                    "the sectors are: %(known)s."
                ) % {
                    "sectors": shown,
                    "known": ", ".join(known) or _("none (no emission figures imported)"),
                }
        if errors:
            raise ValidationError(errors)
