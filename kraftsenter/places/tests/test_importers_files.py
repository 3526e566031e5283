"""The documented file format: good input loads; bad input is reported and writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import SMALL_PLACES
from kraftsenter.places.importers.base import ImportFailed
from kraftsenter.places.importers.files import read_directory
from kraftsenter.places.importers.load import load_places
from kraftsenter.places.models import (
    County,
    Municipality,
    MunicipalityNumberChange,
    PopulationFigure,
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SMALL_PLACES, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture does not contain {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(ImportFailed) as info:
        load_places(read_directory(directory))
    return [str(p) for p in info.value.problems]


def test_read_directory_valid_files_returns_every_part():
    ds = read_directory(SMALL_PLACES)
    assert [c.number for c in ds.counties] == ["34", "56"]
    karasjok = next(m for m in ds.municipalities if m.number == "5610")
    assert (karasjok.name_nb, karasjok.name_se, karasjok.sami_language) == (
        "Karasjok",
        "Kárášjohka",
        "se",
    )
    assert karasjok.sami_language_area is True
    assert len(ds.population) == 12
    assert {b.number for b in ds.boundaries} == {"3403", "3412"}
    assert ds.centrality_version == "2020"


@pytest.mark.django_db
def test_load_places_small_directory_writes_places_and_facts():
    run = load_places(read_directory(SMALL_PLACES))
    assert County.objects.count() == 2
    hamar = Municipality.objects.get(number="3403")
    assert hamar.county.number == "34"
    assert (hamar.centrality_index, hamar.centrality_class) == (800, 3)
    assert hamar.boundary["type"] == "Polygon"
    assert PopulationFigure.objects.get(municipality=hamar, year=2022).population == 31200
    missing = PopulationFigure.objects.get(municipality__number="3412", year=2022)
    assert missing.population is None and "mangler" in missing.note
    assert MunicipalityNumberChange.objects.get(old_number="5437").new_number == "5610"
    assert run.summary["municipalities"]["created"] == 4


@pytest.mark.django_db
def test_load_places_twice_second_run_changes_nothing():
    load_places(read_directory(SMALL_PLACES))
    second = load_places(read_directory(SMALL_PLACES))
    for part in ("counties", "municipalities", "population", "number_changes"):
        assert second.summary[part]["created"] == 0, part
        assert second.summary[part]["updated"] == 0, part


@pytest.mark.django_db
def test_load_places_changed_name_updates_only_that_row(data_dir):
    load_places(read_directory(data_dir))
    edit(data_dir / "kommuner_2024.csv", "3412,Løten,Løten", "3412,Løten,Løiten")
    run = load_places(read_directory(data_dir))
    assert run.summary["municipalities"] == {"created": 0, "updated": 1, "unchanged": 3}
    assert Municipality.objects.get(number="3412").name_nb == "Løiten"


@pytest.mark.django_db
def test_load_places_county_not_matching_number_names_file_line_and_field(data_dir):
    edit(data_dir / "kommuner_2024.csv", "3412,Løten,Løten,,,,,34,", "3412,Løten,Løten,,,,,56,")
    problems = problems_of(data_dir)
    assert len(problems) == 1
    assert problems[0].startswith("kommuner_2024.csv") and " 3: fylkesnummer: " in problems[0]
    assert "3412" in problems[0]
    assert Municipality.objects.count() == 0


@pytest.mark.django_db
def test_load_places_unknown_municipality_in_population_writes_nothing(data_dir):
    with (data_dir / "befolkning_kommune_2020_2022.csv").open("a", encoding="utf-8") as f:
        f.write("9999,2020,100,\n")
    problems = problems_of(data_dir)
    assert len(problems) == 1
    assert problems[0].startswith("befolkning_kommune_2020_2022.csv") and "14" in problems[0]
    assert "kommunenummer" in problems[0] and "9999" in problems[0]
    assert County.objects.count() == 0 and PopulationFigure.objects.count() == 0


def test_read_directory_missing_column_reports_file_and_column(data_dir):
    path = data_dir / "sentralitet_2024.csv"
    path.write_text(path.read_text().replace("sentralitetsklasse", "klasse"), encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        read_directory(data_dir)
    problem = info.value.problems[0]
    assert (problem.source, problem.line, problem.field) == (
        "sentralitet_2024.csv",
        1,
        "sentralitetsklasse",
    )


def test_read_directory_bad_number_reports_line(data_dir):
    edit(data_dir / "befolkning_kommune_2020_2022.csv", "5601,2021,21000", "5601,2021,tjue")
    with pytest.raises(ImportFailed) as info:
        read_directory(data_dir)
    problem = info.value.problems[0]
    assert (problem.line, problem.field) == (9, "befolkning")
    assert "tjue" in problem.message


def test_read_directory_malformed_csv_row_reports_line(data_dir):
    with (data_dir / "kommuner_2024.csv").open("a", encoding="utf-8") as f:
        f.write("5601,Alta\n")
    with pytest.raises(ImportFailed) as info:
        read_directory(data_dir)
    assert [(p.source, p.line) for p in info.value.problems] == [("kommuner_2024.csv", 6)]


def test_read_directory_malformed_geojson_reports_line(data_dir):
    (data_dir / "geo" / "kommuner_2024_S.geojson").write_text(
        '{"type": "FeatureCollection",\n "features": [}', encoding="utf-8"
    )
    with pytest.raises(ImportFailed) as info:
        read_directory(data_dir)
    problem = info.value.problems[0]
    assert problem.source == "geo/kommuner_2024_S.geojson" and problem.line == 2


def test_read_directory_geometry_of_wrong_type_is_reported(data_dir):
    edit(data_dir / "geo" / "kommuner_2024_S.geojson", '"type": "Polygon"', '"type": "Point"')
    with pytest.raises(ImportFailed) as info:
        read_directory(data_dir)
    assert info.value.problems[0].field == "feature 1.geometry"


def test_read_directory_centrality_class_outside_range_is_reported(data_dir):
    edit(data_dir / "sentralitet_2024.csv", "3403,Hamar,800,3", "3403,Hamar,800,7")
    with pytest.raises(ImportFailed) as info:
        read_directory(data_dir)
    assert info.value.problems[0].field == "sentralitetsklasse"


@pytest.mark.django_db
def test_load_places_class_not_matching_index_is_reported(data_dir):
    edit(data_dir / "sentralitet_2024.csv", "3403,Hamar,800,3", "3403,Hamar,800,1")
    problems = problems_of(data_dir)
    assert any("sentralitetsklasse" in p and "800" in p for p in problems)


def test_read_directory_missing_required_file_is_reported(data_dir):
    (data_dir / "fylker_2024.csv").unlink()
    with pytest.raises(ImportFailed) as info:
        read_directory(data_dir)
    assert info.value.problems[0].source == "fylker_2024.csv"


@pytest.mark.django_db
def test_import_places_command_bad_input_exits_with_error_and_lists_problems(data_dir, capsys):
    edit(data_dir / "kommuner_2024.csv", "5610,", "561,")
    with pytest.raises(CommandError):
        call_command("import_places", dir=str(data_dir))
    err = capsys.readouterr().err
    assert "kommuner_2024.csv" in err and " 5: kommunenummer" in err
    assert Municipality.objects.count() == 0


@pytest.mark.django_db
def test_import_places_command_reports_progress_and_counts(capsys):
    call_command("import_places", dir=str(SMALL_PLACES))
    out = capsys.readouterr().out
    assert "population: 12/12" in out
    assert Municipality.objects.count() == 4
