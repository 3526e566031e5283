"""Places: counties, municipalities, their official facts, and small-town regions.

Counties and municipalities are reference data: they are written only by the import
(``kraftsenter import_places``), versioned by date (``valid_from``/``valid_to``), and keyed by
their official number (a string: "0301"), never by name.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from kraftsenter.core import bounds
from kraftsenter.core.links import url_maker
from kraftsenter.core.models import Record
from kraftsenter.core.text import fold

from .choices import CentralityClass, RegionSource, SamiAreaCategory, SamiLanguage

county_number_validator = RegexValidator(r"^[0-9]{2}$", _("A county number has two digits."))
municipality_number_validator = RegexValidator(
    r"^[0-9]{4}$", _("A municipality number has four digits.")
)


class NamedPlace(models.Model):
    """Official name and its language variants, shared by counties and municipalities."""

    name = models.CharField(
        _("official name"),
        max_length=200,
        help_text=_("As published, parallel names joined with ' - ' in official order."),
    )
    name_nb = models.CharField(_("Norwegian name"), max_length=100)
    name_se = models.CharField(_("Northern Sami name"), max_length=100, blank=True)
    name_smj = models.CharField(_("Lule Sami name"), max_length=100, blank=True)
    name_sma = models.CharField(_("Southern Sami name"), max_length=100, blank=True)
    name_fkv = models.CharField(_("Kven name"), max_length=100, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    NAME_FIELDS = ("name_nb", "name_se", "name_smj", "name_sma", "name_fkv")

    class Meta:
        abstract = True

    def name_variants(self) -> list[tuple[str, str]]:
        """(language label, name) for each official name, Norwegian first."""
        labels = {
            "name_nb": _("Norwegian"),
            "name_se": _("Northern Sami"),
            "name_smj": _("Lule Sami"),
            "name_sma": _("Southern Sami"),
            "name_fkv": _("Kven"),
        }
        return [(str(labels[f]), getattr(self, f)) for f in self.NAME_FIELDS if getattr(self, f)]

    def other_names(self) -> list[str]:
        return [getattr(self, f) for f in self.NAME_FIELDS[1:] if getattr(self, f)]

    def build_search_text(self, *extra: str) -> str:
        names = [self.name, *(getattr(self, f) for f in self.NAME_FIELDS), *extra]
        return " | ".join(fold(n) for n in names if n)


class County(NamedPlace):
    """A county (fylke), 15 from 1 January 2024."""

    number = models.CharField(
        _("county number"), max_length=2, unique=True, validators=[county_number_validator]
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name_nb

    def get_absolute_url(self) -> str:
        return url_maker("places:county-detail")(self.number)

    def history_ref(self) -> dict:
        """History refers to a county by its number (the public code), not an internal key."""
        return {"code": self.number, "label": self.name_nb}


class Municipality(NamedPlace):
    """A municipality (kommune), 357 from 1 January 2024, with its official facts."""

    number = models.CharField(
        _("municipality number"),
        max_length=4,
        unique=True,
        validators=[municipality_number_validator],
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    ssb_name = models.CharField(_("name in SSB's StatBank"), max_length=200, blank=True)
    sami_language_area = models.BooleanField(
        _("in the administrative area for Sami languages"),
        default=False,
        help_text=_(
            "On the day of the last import, derived from the dated memberships "
            "(SamiLanguageAreaMembership); rules ask the selectors for a given date."
        ),
    )
    sami_language = models.CharField(
        _("Sami language"), max_length=3, choices=SamiLanguage.choices, blank=True
    )
    organisation_number = models.CharField(_("organisation number"), max_length=9, blank=True)
    centrality_index = models.PositiveSmallIntegerField(
        _("centrality index"), null=True, blank=True
    )
    centrality_class = models.PositiveSmallIntegerField(
        _("centrality class"), choices=CentralityClass.choices, null=True, blank=True
    )
    centrality_version = models.CharField(_("centrality version"), max_length=20, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=Q(centrality_class__isnull=True)
                | Q(centrality_class__gte=1, centrality_class__lte=6),
                name="municipality_centrality_class_1_6",
            ),
            models.CheckConstraint(
                condition=Q(centrality_index__isnull=True) | Q(centrality_index__lte=1000),
                name="municipality_centrality_index_0_1000",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_maker("places:municipality-detail")(self.number)

    def history_ref(self) -> dict:
        """History refers to a municipality by its number (the public code)."""
        return {"code": self.number, "label": self.name}

    def clean(self) -> None:
        if self.county_id and self.number and not self.number.startswith(self.county.number):
            raise ValidationError(
                {
                    "county": _(
                        "The first two digits of the municipality number are the county number."
                    )
                }
            )

    @property
    def is_district_municipality(self) -> bool:
        """Centrality classes 4–6 are 'distriktskommuner' in government analyses."""
        return self.centrality_class is not None and self.centrality_class >= 4


class PopulationFigure(models.Model):
    """Persons resident on 1 January of a year (SSB table 07459), by 2024 borders."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="population_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["municipality__number", "year"]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="population_once_per_year"
            )
        ]
        indexes = [models.Index(fields=["year"], name="population_year_idx")]

    def __str__(self) -> str:
        return f"{self.municipality.number} {self.year}: {self.population}"

    def get_absolute_url(self) -> str:
        return self.municipality.get_absolute_url()


class SamiLanguageAreaMembership(models.Model):
    """A municipality's or county municipality's time in the administrative area for Sami
    languages (sameloven § 3-1, forskrift 17.6.2005 nr. 657 § 1).

    Reference data, written only by the import (like :class:`PopulationFigure`). ``in_area_from``
    is empty when the date of entry is not known (the members before the amendments the
    platform records): such a membership counts on every date before ``in_area_to``.
    ``in_area_to`` is the last day in the area; empty = still in the area.
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sami_area_memberships",
        verbose_name=_("municipality"),
    )
    county = models.ForeignKey(
        County,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sami_area_memberships",
        verbose_name=_("county municipality"),
    )
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=SamiAreaCategory.choices,
        blank=True,
        help_text=_("Municipalities only; empty when the source does not give it."),
    )
    in_area_from = models.DateField(
        _("in the area from"),
        null=True,
        blank=True,
        help_text=_("Empty: the date of entry is not known."),
    )
    in_area_to = models.DateField(
        _("in the area until"),
        null=True,
        blank=True,
        help_text=_("The last day in the area; empty: still in the area."),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("The regulation (and amendment) or the file the membership comes from."),
    )

    class Meta:
        ordering = ["county__number", "municipality__number", "in_area_from"]
        verbose_name = _("membership of the Sami language area")
        verbose_name_plural = _("memberships of the Sami language area")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, county__isnull=True)
                | Q(municipality__isnull=True, county__isnull=False, category=""),
                name="sami_area_municipality_or_county",
            ),
            models.CheckConstraint(
                condition=Q(in_area_from__isnull=True)
                | Q(in_area_to__isnull=True)
                | Q(in_area_to__gte=models.F("in_area_from")),
                name="sami_area_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        place = self.municipality or self.county
        return f"{place}: {self.in_area_from or '…'}–{self.in_area_to or ''}"

    def get_absolute_url(self) -> str:
        place = self.municipality or self.county
        return place.get_absolute_url() if place else ""

    def describe(self) -> str:
        """The membership in a sentence, as the place's page shows it."""
        values = {
            "date": formats.date_format(self.in_area_from, "DATE_FORMAT")
            if self.in_area_from
            else "",
            "category": self.get_category_display(),
        }
        if self.in_area_from and self.category:
            text = _("In the administrative area for Sami languages from %(date)s (%(category)s)")
        elif self.in_area_from:
            text = _("In the administrative area for Sami languages from %(date)s")
        elif self.category:
            text = _(
                "In the administrative area for Sami languages (%(category)s); the date of "
                "entry is not recorded"
            )
        else:
            text = _(
                "In the administrative area for Sami languages; the date of entry is not recorded"
            )
        sentence = str(text) % values
        if self.in_area_to:
            sentence += ", " + str(
                _("until %(date)s") % {"date": formats.date_format(self.in_area_to, "DATE_FORMAT")}
            )
        return sentence + "."

    def covers(self, on: dt.date) -> bool:
        """Whether the place is in the area on ``on``."""
        return (self.in_area_from is None or self.in_area_from <= on) and (
            self.in_area_to is None or on <= self.in_area_to
        )


class MunicipalityNumberChange(models.Model):
    """An old municipality number and the number that replaced it at a reform."""

    old_number = models.CharField(_("old number"), max_length=4)
    old_name = models.CharField(_("old name"), max_length=200)
    new_number = models.CharField(_("new number"), max_length=4)
    new_name = models.CharField(_("new name"), max_length=200)
    changed_on = models.DateField(_("changed on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["old_number", "new_number"]
        verbose_name = _("municipality number change")
        verbose_name_plural = _("municipality number changes")
        constraints = [
            models.UniqueConstraint(
                fields=["old_number", "new_number", "changed_on"], name="number_change_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_number} {self.old_name} → {self.new_number} {self.new_name}"

    def get_absolute_url(self) -> str:
        return url_maker("places:municipality-detail")(self.new_number)


class Region(Record):
    """A small-town region: a centre municipality and its hinterland municipalities."""

    name = models.CharField(_("name"), max_length=bounds.NAME_LENGTH)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    centre = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="regions_as_centre",
        verbose_name=_("centre municipality"),
    )
    hinterland = models.ManyToManyField(
        Municipality,
        related_name="regions_as_hinterland",
        blank=True,
        verbose_name=_("hinterland municipalities"),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=RegionSource.choices, default=RegionSource.MANUAL
    )
    source_detail = models.JSONField(
        _("source details"),
        default=dict,
        blank=True,
        help_text=_("For computed regions: year and parameters; for official ones: the reference."),
    )
    description = models.TextField(_("description"), blank=True, **bounds.text(bounds.TEXT_LENGTH))

    class Meta:
        ordering = ["name"]
        verbose_name = _("small-town region")
        verbose_name_plural = _("small-town regions")

    HISTORY_INTERNAL = ("source_detail",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_maker("places:region-detail")(self.slug)

    def history_ref(self) -> dict:
        """History refers to a region by its slug, as the API addresses it."""
        return {"code": self.slug, "label": self.name}
