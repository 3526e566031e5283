"""Fixed code lists of the places app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SamiLanguage(models.TextChoices):
    """Sami language of a municipality in the administrative area for Sami languages."""

    NORTHERN = "se", _("Northern Sami")
    LULE = "smj", _("Lule Sami")
    SOUTHERN = "sma", _("Southern Sami")


class SamiAreaCategory(models.TextChoices):
    """The categories of municipalities in the administrative area for Sami languages
    (sameloven § 3-1 first bullet; forskrift 17.6.2005 nr. 657 § 1 first paragraph).
    County municipalities in the area have no category."""

    DEVELOPMENT = "sprakutvikling", _("language development municipality")
    REVITALISATION = "sprakvitalisering", _("language revitalisation municipality")
    STIMULATION = "sprakstimulering", _("language stimulation municipality")


class RegionSource(models.TextChoices):
    """Where a small-town region's delimitation came from."""

    MANUAL = "manual", _("Entered by hand")
    COMPUTED = "computed", _("Computed")
    OFFICIAL = "official", _("Official")


class CentralityClass(models.IntegerChoices):
    """SSB's centrality classes (KLASS 128): 1 most central … 6 least central."""

    C1 = 1, _("1 – most central")
    C2 = 2, "2"
    C3 = 3, "3"
    C4 = 4, _("4 – district municipality")
    C5 = 5, _("5 – district municipality")
    C6 = 6, _("6 – least central, district municipality")
