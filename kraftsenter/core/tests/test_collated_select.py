"""Model selects sort their options the Norwegian way (Æ, Ø, Å last), not in byte order."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from kraftsenter.actors.forms import OrganisationForm
from kraftsenter.places.models import County, Municipality


def _options(form, field: str) -> list[str]:
    return [str(label) for value, label in form.fields[field].choices if value != ""]


def test_municipality_select_puts_aa_after_ae_and_oe(small_places):
    county = County.objects.first()
    for number, name in (("3499", "Åmot"), ("3498", "Ørland"), ("3497", "Ærlig")):
        Municipality.objects.create(
            number=number, name=name, county=county, valid_from=dt.date(2024, 1, 1)
        )
    with translation.override("nb"):
        names = _options(OrganisationForm(), "municipality")
    assert names[-3:] == ["Ærlig", "Ørland", "Åmot"], names
    assert names[:-3] == sorted(names[:-3])  # the rest a–z
