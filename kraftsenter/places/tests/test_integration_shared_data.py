"""The whole country from ../shared/data (real SSB and Kartverket data)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from conftest import SHARED_DATA
from kraftsenter.places.importers.files import read_directory
from kraftsenter.places.importers.load import load_places
from kraftsenter.places.models import County, Municipality, PopulationFigure
from kraftsenter.places.selectors import sami_area_on

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def country():
    if not (SHARED_DATA / "kommuner_2024.csv").exists():
        pytest.fail(
            f"The shared reference data is missing at {SHARED_DATA} (set KRAFTSENTER_TEST_DATA)."
        )
    return load_places(read_directory(SHARED_DATA))


def test_import_shared_data_whole_country_loads_357_municipalities_in_15_counties(country):
    assert County.objects.count() == 15
    assert Municipality.objects.count() == 357
    for number, county in Municipality.objects.values_list("number", "county__number"):
        assert number[:2] == county


def test_import_shared_data_population_2025_matches_national_total(country):
    total = PopulationFigure.objects.filter(year=2025).aggregate(total=Sum("population"))["total"]
    assert total == 5_594_340


def test_import_shared_data_sami_names_and_area(country):
    karasjok = Municipality.objects.get(number="5610")
    assert karasjok.name_se == "Kárášjohka" and karasjok.sami_language == "se"
    assert Municipality.objects.filter(boundary__isnull=False).count() == 357


def test_import_shared_data_sami_area_has_14_municipalities_from_2026_including_saltdal(country):
    def members(on):
        return {m.municipality.number: m for m in sami_area_on(on) if m.municipality_id}

    before, after = members(dt.date(2025, 12, 31)), members(dt.date(2026, 1, 1))
    assert len(before) == 13 and "1840" not in before
    assert len(after) == 14 and set(after) - set(before) == {"1840"}
    saltdal = after["1840"]
    assert (saltdal.category, saltdal.in_area_from) == ("sprakstimulering", dt.date(2026, 1, 1))
    categories = [m.category for m in after.values()]
    assert (categories.count("sprakutvikling"), categories.count("sprakvitalisering")) == (4, 9)
    counties = sorted(m.county.number for m in sami_area_on(dt.date(2026, 1, 1)) if m.county_id)
    assert counties == ["18", "50", "55", "56"]
    assert Municipality.objects.filter(sami_language_area=True).count() == 14
