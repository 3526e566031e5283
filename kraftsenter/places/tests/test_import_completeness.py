"""The reference-data import holds every current county and municipality, or says it does not.

The expected places come from the source's own classification (SSB KLASS 104 and 131 for the
official sources), else from the 2024 division and the counties file's ``antall_kommuner``; a
selection (``utvalg.txt``, the built-in demo set) or ``--allow-partial`` loads fewer.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from conftest import SHARED_DATA, SMALL_PLACES
from kraftsenter.core.models import DataImport
from kraftsenter.places.importers.base import ImportRefused
from kraftsenter.places.importers.files import read_directory
from kraftsenter.places.importers.load import load_places
from kraftsenter.places.importers.sources import builtin_dataset
from kraftsenter.places.models import County, Municipality
from kraftsenter.places.tests.test_official import FakeSources, fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English, the catalogue's source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def not_a_selection(tmp_path: Path) -> Path:
    """The small fixture without its ``utvalg.txt``: it then claims to be the whole country."""
    target = tmp_path / "data"
    shutil.copytree(SMALL_PLACES, target)
    (target / "utvalg.txt").unlink()
    return target


def drop_line(path: Path, start: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(True)
    path.write_text("".join(line for line in lines if not line.startswith(start)), "utf-8")


def refused(directory: Path, **options) -> list[str]:
    with pytest.raises(ImportRefused) as info:
        load_places(read_directory(directory), **options)
    return [str(p) for p in info.value.problems]


def test_load_places_directory_without_every_place_is_refused_and_writes_nothing(not_a_selection):
    problems = refused(not_a_selection)
    assert problems[0].startswith(
        "fylker_2024.csv: The file holds 2 of the 15 counties of the division valid from"
    )
    assert problems[1].startswith(
        "kommuner_2024.csv: The file holds 4 of the 357 municipalities of the division valid from"
    )
    assert not County.objects.exists() and not Municipality.objects.exists()
    assert not DataImport.objects.exists()


def test_load_places_file_with_fewer_municipalities_than_stored_names_the_missing_ones(
    small_places, not_a_selection
):
    # The probe: the database has the places, the new file lacks one. It used to say nothing.
    drop_line(not_a_selection / "kommuner_2024.csv", "5610,")
    problems = refused(not_a_selection)
    assert (
        "kommuner_2024.csv: County 56 Finnmark: the file holds 1 of its 2 municipalities "
        "(antall_kommuner in fylker_2024.csv)." in problems
    )
    assert (
        "kommuner_2024.csv: Missing, though the other files or the database have them: "
        "5610 Kárášjohka - Karasjok." in problems
    )


def test_load_places_allow_partial_writes_and_keeps_what_was_missing_in_the_notes(
    not_a_selection,
):
    run = load_places(read_directory(not_a_selection), allow_partial=True)
    assert Municipality.objects.count() == 4
    assert run.summary["partial"] is True
    assert any("4 of the 357 municipalities" in note for note in run.summary["notes"])


def test_load_places_selection_says_why_in_the_notes(db):
    run = load_places(read_directory(SMALL_PLACES))
    assert run.summary["partial"] is True
    assert any(
        note.startswith("A selection of the places: Testutvalg") for note in run.summary["notes"]
    )


def test_load_places_builtin_demo_set_is_a_selection_of_45_municipalities(db):
    # The 28 the demo content names and the 17 of Telemark (the county with industry and
    # emission figures), see knowledge/importers/builtin.py.
    dataset = builtin_dataset()
    assert dataset.selection and len(dataset.municipalities) == 45 and len(dataset.counties) == 15
    run = load_places(dataset)
    assert run.summary["partial"] is True and Municipality.objects.count() == 45
    assert Municipality.objects.filter(county__number="40").count() == 17


def test_load_places_official_sources_must_hold_every_place_klass_lists(db):
    municipalities = fixture("klass_131_codesAt.json")
    municipalities["codes"].insert(0, {"code": "5636", "name": "Unjárga - Nesseby"})
    counties = fixture("klass_104_codesAt.json")
    counties["codes"].insert(0, {"code": "18", "name": "Nordland - Nordlánnda"})
    dataset = FakeSources(municipality_list=municipalities, county_list=counties).fetch()
    with pytest.raises(ImportRefused) as info:
        load_places(dataset)
    assert [str(p) for p in info.value.problems] == [
        "kommuneinfo/v1/fylkerkommuner: The source holds 3 of the 4 counties in SSB KLASS 104, "
        "2026-03-01; missing: 18 Nordland - Nordlánnda.",
        "kommuneinfo/v1/fylkerkommuner: The source holds 6 of the 7 municipalities in SSB KLASS "
        "131, 2026-03-01; missing: 5636 Unjárga - Nesseby.",
    ]
    assert not Municipality.objects.exists()
    run = load_places(dataset, allow_partial=True)
    assert run.summary["partial"] is True and Municipality.objects.count() == 6


def test_load_places_official_sources_complete_by_their_classification(db):
    run = load_places(FakeSources().fetch())
    assert run.summary["partial"] is False


def test_fetch_official_klass_answer_that_is_not_a_code_list_is_a_problem():
    problems = FakeSources(municipality_list={"codes": [{"code": "34O3"}]}).problems()
    assert [p.field for p in problems] == ["codes[0].code"]
    assert problems[0].source.endswith("classifications/131/codesAt")


# The command ----------------------------------------------------------------------------------


def run_import(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_places", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_places_command_refusal_says_what_is_missing_and_how_to_mean_it(not_a_selection):
    err = io.StringIO()
    with pytest.raises(CommandError, match="wrote nothing"):
        call_command("import_places", dir=str(not_a_selection), stdout=io.StringIO(), stderr=err)
    assert "4 of the 357 municipalities" in err.getvalue()
    assert "run the import again with --allow-partial" in err.getvalue()
    out, _err = run_import("--dir", str(not_a_selection), "--allow-partial")
    assert "Partial import from" in out and "Import finished" not in out


def test_import_places_command_says_import_fullfort_only_when_complete(monkeypatch):
    monkeypatch.setattr(
        "kraftsenter.places.management.commands.import_places.read_source",
        lambda **kwargs: FakeSources().fetch(),
    )
    with translation.override("nb"):
        out, _err = run_import()
        assert "Import fullført fra official." in out
        out, _err = run_import("--builtin")
        assert "fullført" not in out.lower()


# The real files in ../shared/data -------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.skipif(
    not (SHARED_DATA / "kommuner_2024.csv").is_file(),
    reason=f"the real data is not at {SHARED_DATA} (set KRAFTSENTER_TEST_DATA to run this)",
)
def test_load_places_real_municipality_file_with_100_of_357_rows_is_refused(tmp_path):
    shutil.copy(SHARED_DATA / "fylker_2024.csv", tmp_path)
    lines = (SHARED_DATA / "kommuner_2024.csv").read_text(encoding="utf-8").splitlines(True)
    (tmp_path / "kommuner_2024.csv").write_text("".join(lines[:101]), encoding="utf-8")
    problems = refused(tmp_path)
    assert (
        "kommuner_2024.csv: The file holds 100 of the 357 municipalities of the division valid "
        "from" in problems[0]
    )
    assert "kommuner_2024.csv: County 34 Innlandet: the file holds 0 of its 46 municipalities " in (
        "\n".join(problems)
    )
