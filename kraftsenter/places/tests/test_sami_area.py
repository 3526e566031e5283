"""The dated administrative area for Sami languages (forskrift 17.6.2005 nr. 657 § 1)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.utils import translation

from conftest import SMALL_PLACES
from kraftsenter.places import selectors
from kraftsenter.places.importers.base import ImportFailed
from kraftsenter.places.importers.files import read_directory
from kraftsenter.places.importers.load import load_places
from kraftsenter.places.models import County, Municipality, SamiLanguageAreaMembership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The rules' messages are asserted in English, their source language."""
    with translation.override("en"):
        yield


D = dt.date
AREA_HEADER = "kommunenummer,kommunenavn,samisk_sprak,kategori,i_omradet_fra\n"


def directory(tmp_path: Path, area: str | None = None, *, selection: bool = True) -> Path:
    """places_small (Hamar, Løten, Alta, Karasjok) with its own 2026 area file."""
    root = tmp_path / "places"
    shutil.copytree(SMALL_PLACES, root)
    if area is not None:
        (root / "samisk_forvaltningsomrade_2026.csv").write_text(AREA_HEADER + area, "utf-8")
    if not selection:
        (root / "utvalg.txt").unlink()
    return root


def problems_of(root: Path) -> list[tuple[str, int | None, str]]:
    with pytest.raises(ImportFailed) as info:
        load_places(read_directory(root))
    return [(p.source, p.line, p.field) for p in info.value.problems]


def test_saltdal_is_in_the_area_from_1_january_2026_and_not_before(builtin_places):
    saltdal = Municipality.objects.get(number="1840")
    assert not selectors.in_sami_language_area(saltdal, on=D(2025, 12, 31))
    assert selectors.in_sami_language_area(saltdal, on=D(2026, 1, 1))
    assert selectors.sami_area_category(saltdal, on=D(2026, 1, 1)) == "sprakstimulering"
    assert selectors.sami_area_category(saltdal, on=D(2025, 6, 1)) == ""
    membership = selectors.sami_area_membership(saltdal, on=D(2026, 3, 1))
    assert membership.in_area_from == D(2026, 1, 1) and membership.in_area_to is None
    assert "forskrift 26.9.2025 nr. 1935" in membership.source
    # The current flag follows the dated area on the import day.
    assert saltdal.sami_language_area is (dt.date.today() >= D(2026, 1, 1))


def test_original_members_have_no_date_of_entry_and_count_on_every_earlier_date(builtin_places):
    hamaroy = Municipality.objects.get(number="1875")
    membership = selectors.sami_area_membership(hamaroy, on=D(2020, 1, 1))
    assert membership is not None and membership.in_area_from is None
    assert membership.category == "sprakvitalisering"
    karasjok = Municipality.objects.get(number="5610")
    assert selectors.sami_area_category(karasjok) == "sprakutvikling"
    assert not selectors.in_sami_language_area(Municipality.objects.get(number="1804"))


def test_the_area_grows_by_saltdal_on_1_january_2026(builtin_places):
    def members(on):
        return sorted(
            m.municipality.number for m in selectors.sami_area_on(on) if m.municipality_id
        )

    before, after = members(D(2025, 12, 31)), members(D(2026, 1, 1))
    # The built-in set holds 7 of the 14 municipalities of the regulation.
    assert before == ["1826", "1875", "5041", "5512", "5610", "5612"]
    assert after == sorted([*before, "1840"])


def test_county_municipalities_in_the_area_have_no_category(builtin_places):
    nordland, innlandet = County.objects.get(number="18"), County.objects.get(number="34")
    assert selectors.in_sami_language_area(nordland, on=D(2024, 6, 1))
    assert not selectors.in_sami_language_area(innlandet, on=D(2024, 6, 1))
    counties = sorted(m.county.number for m in selectors.sami_area_on() if m.county_id)
    assert counties == ["18", "50", "55", "56"]
    assert set(
        SamiLanguageAreaMembership.objects.filter(county__isnull=False).values_list(
            "category", flat=True
        )
    ) == {""}


def test_sami_area_index_answers_like_the_queries(builtin_places):
    area = selectors.sami_area()
    saltdal = Municipality.objects.get(number="1840")
    troms = County.objects.get(number="55")
    assert not area.contains(saltdal, D(2025, 12, 31)) and area.contains(saltdal, D(2026, 1, 1))
    assert area.contains(troms, D(2024, 1, 1))
    assert not area.contains(County.objects.get(number="03"), D(2026, 1, 1))


def test_import_twice_changes_no_membership(builtin_places):
    from kraftsenter.places.importers.sources import builtin_dataset

    run = load_places(builtin_dataset())
    assert run.summary["sami_area"] == {
        "created": 0,
        "updated": 0,
        "deleted": 0,
        "unchanged": 11,
    }


def test_small_places_get_the_area_from_the_regulation_data_and_skip_the_rest(small_places):
    karasjok = Municipality.objects.get(number="5610")
    assert selectors.sami_area_category(karasjok) == "sprakutvikling"
    assert SamiLanguageAreaMembership.objects.filter(municipality__isnull=False).count() == 1
    # Finnmark from the built-in regulation data (the directory has no county file).
    assert selectors.in_sami_language_area(County.objects.get(number="56"))
    assert not selectors.in_sami_language_area(County.objects.get(number="34"))
    assert any("skipped" in note and "18" in note for note in small_places.summary["notes"])


def test_import_2026_layout_with_a_bad_category_is_refused_with_file_line_field(tmp_path):
    root = directory(tmp_path, "5610,Karasjok,nordsamisk,språkutvikling,\n5601,Alta,,kvensk,\n")
    assert problems_of(root) == [("samisk_forvaltningsomrade_2026.csv", 3, "kategori")]
    assert not SamiLanguageAreaMembership.objects.exists()
    assert not Municipality.objects.exists()


def test_import_2026_layout_bad_date_and_language_are_refused(tmp_path):
    root = directory(
        tmp_path,
        "5610,Karasjok,nordsamisk,språkutvikling,1.1.2026\n5601,Alta,latin,språkstimulering,\n",
    )
    assert problems_of(root) == [
        ("samisk_forvaltningsomrade_2026.csv", 2, "i_omradet_fra"),
        ("samisk_forvaltningsomrade_2026.csv", 3, "samisk_sprak"),
    ]


def test_import_2026_layout_must_agree_with_the_2024_flag(tmp_path):
    # Karasjok is `true` in kommuner_2024.csv but missing; Alta `false` but in the area in 2024.
    root = directory(tmp_path, "5601,Alta,nordsamisk,språkvitalisering,\n")
    assert problems_of(root) == [
        ("kommuner_2024.csv", 4, "samisk_forvaltningsomrade"),
        ("kommuner_2024.csv", 5, "samisk_forvaltningsomrade"),
    ]


def test_import_2026_layout_a_later_entry_agrees_with_false_and_is_loaded(tmp_path):
    root = directory(
        tmp_path,
        "5610,Karasjok,nordsamisk,språkutvikling,\n5601,Alta,,språkstimulering,2026-01-01\n",
    )
    run = load_places(read_directory(root))
    assert run.summary["sami_area"]["created"] == 2 + 1  # two municipalities and Finnmark
    alta = Municipality.objects.get(number="5601")
    assert not selectors.in_sami_language_area(alta, on=D(2025, 12, 31))
    assert selectors.sami_area_category(alta, on=D(2026, 1, 1)) == "sprakstimulering"
    # A later import without Alta in the area removes its membership.
    root2 = directory(tmp_path / "again", "5610,Karasjok,nordsamisk,språkutvikling,\n")
    run = load_places(read_directory(root2))
    assert run.summary["sami_area"]["deleted"] == 1
    assert not selectors.in_sami_language_area(alta, on=D(2026, 6, 1))


def test_import_2026_layout_unknown_municipality_is_refused_unless_a_selection(tmp_path):
    area = "5610,Karasjok,nordsamisk,språkutvikling,\n1840,Saltdal,,språkstimulering,2026-01-01\n"
    found = problems_of(directory(tmp_path, area, selection=False))
    assert ("samisk_forvaltningsomrade_2026.csv", 3, "kommunenummer") in found
    run = load_places(read_directory(directory(tmp_path / "sel", area)))
    assert any("1840 Saltdal" in note for note in run.summary["notes"])


def test_import_2026_layout_overlapping_periods_are_refused(tmp_path):
    area = "5610,Karasjok,,språkutvikling,\n5610,Karasjok,,språkutvikling,2026-01-01\n"
    assert problems_of(directory(tmp_path, area)) == [
        ("samisk_forvaltningsomrade_2026.csv", 3, "i_omradet_fra")
    ]


def test_municipality_page_shows_the_date_and_category(client, builtin_places):
    html = client.get("/kommuner/1840/").content.decode()
    assert 'data-sami-area="member"' in html and "2026" in html
    assert "forskrift 26.9.2025 nr. 1935" in html
    html = client.get("/kommuner/1875/").content.decode()
    assert 'data-sami-area="member"' in html and "forskrift 17.6.2005 nr. 657" in html
    assert 'data-sami-area="no"' in client.get("/kommuner/1804/").content.decode()


def test_county_page_shows_the_county_municipality_membership(client, builtin_places):
    html = client.get("/fylker/18/").content.decode()
    assert 'data-sami-area="member"' in html and "§ 1 andre ledd" in html
    assert 'data-sami-area="no"' in client.get("/fylker/34/").content.decode()


def test_api_municipality_has_category_and_date_of_entry(client, builtin_places):
    saltdal = client.get("/api/v1/municipalities/1840").json()
    assert saltdal["sami_language_area_category"] == "sprakstimulering"
    assert saltdal["sami_language_area_from"] == "2026-01-01"
    assert saltdal["sami_language_area"] is True
    hamaroy = client.get("/api/v1/municipalities/1875").json()
    assert (hamaroy["sami_language_area_category"], hamaroy["sami_language_area_from"]) == (
        "sprakvitalisering",
        None,
    )
    bodo = client.get("/api/v1/municipalities/1804").json()
    assert (bodo["sami_language_area"], bodo["sami_language_area_category"]) == (False, "")


def test_api_list_filters_by_the_area_on_a_date(client, builtin_places):
    def numbers(**params):
        body = client.get("/api/v1/municipalities", {"page_size": 100, **params}).json()
        return {m["number"]: m for m in body["items"]}

    before = numbers(sami_language_area_on="2025-12-31")
    after = numbers(sami_language_area_on="2026-01-01")
    assert "1840" not in before and "1840" in after and "5610" in before
    assert len(after) == len(before) + 1 == 7
    today = numbers(sami_language_area="true")
    assert today["1840"]["sami_language_area_category"] == "sprakstimulering"
    assert "1804" in numbers(sami_language_area="false") and "1840" not in numbers(
        sami_language_area="false"
    )
