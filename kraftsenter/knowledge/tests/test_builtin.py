"""The built-in demo set: made by ``build_builtin_statistics`` from a data directory, and the
shipped files are what it writes (same files, same columns), parse with the import readers and
cover every demo municipality."""

from __future__ import annotations

import csv
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kraftsenter.knowledge.importers import builtin
from kraftsenter.knowledge.importers.base import ImportRefused, NumberLookup
from kraftsenter.knowledge.importers.files import read_directory as read_statistics
from kraftsenter.knowledge.importers.load import load_statistics
from kraftsenter.knowledge.models import CommutingFlow
from kraftsenter.places.importers.files import geometry_error
from kraftsenter.places.importers.load import load_places
from kraftsenter.places.importers.sources import BUILTIN_DIR, builtin_dataset

SOURCE = Path(__file__).parent / "fixtures" / "builtin_source"
#: "A few hundred kilobytes": the whole directory, hand-written files included.
MAX_BYTES = 600_000


@pytest.fixture
def built(tmp_path) -> Path:
    out = tmp_path / "builtin"
    call_command(
        "build_builtin_statistics", "--dir", str(SOURCE), "--out", str(out), stdout=StringIO()
    )
    return out


def _kind(path: Path, root: Path) -> str:
    """The file's kind: its name with the years taken out."""
    name = path.relative_to(root).as_posix()
    for prefix in ("befolkning_kommune_", "pendling_kommune_", "sysselsatte_naering_"):
        if name.startswith(prefix):
            return prefix
    if name.startswith("sysselsatte_bosted_arbeidssted_"):
        return "sysselsatte_bosted_arbeidssted_"
    if name.startswith("klimagass_"):
        return "klimagass_"
    return name


def _header(path: Path) -> list[str] | list[tuple[str, ...]]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return next(csv.reader(handle))
    if path.suffix == ".geojson":
        data = json.loads(path.read_text(encoding="utf-8"))
        return sorted({tuple(sorted(f["properties"])) for f in data["features"]})
    return []


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_shipped_files_are_the_files_the_build_writes_with_the_same_columns(built):
    made = {_kind(p, built): p for p in builtin.generated_files(built)}
    shipped = {_kind(p, BUILTIN_DIR): p for p in builtin.generated_files(BUILTIN_DIR)}
    assert set(made) == set(shipped)
    assert len(made) == 11
    for kind, path in made.items():
        assert _header(path) == _header(shipped[kind]), kind
    sources = (BUILTIN_DIR / "KILDER.md").read_text(encoding="utf-8")
    for text in ("03321", "11618", "13470", "07459", "KLASS 128", "Kartverket"):
        assert text in sources
    assert "Miljødirektoratet" in sources and "NLOD 2.0" in sources and "CC BY 4.0" in sources


def test_build_keeps_only_the_demo_places_and_the_years_needed(built):
    numbers = {r["kommunenummer"] for r in _rows(built / "kommuner_2024.csv")}
    assert numbers == {"3403", "3411", "4001", "4003"}  # 0301 Oslo is not in the demo
    population = _rows(built / "befolkning_kommune_2016_2026.csv")
    assert sorted({int(r["aar"]) for r in population}) == list(range(2016, 2027))
    flows = _rows(built / "pendling_kommune_2021_2022.csv")
    # Old numbers (3806 Porsgrunn, 3807 Skien) written as 2024 numbers; flows with Oslo left out.
    assert {r["bosted_kommunenummer"] for r in flows} == numbers
    assert {r["arbeidssted_kommunenummer"] for r in flows} <= numbers
    emissions = _rows(built / "klimagass_2009_2024.csv")
    assert sorted({int(r["aar"]) for r in emissions}) == [2009, 2015, 2020, 2021, 2022, 2023, 2024]
    assert {r["utslipp_tonn_co2e"] for r in emissions if r["sektor"] == "Jordbruk"} == {"0"}
    assert {r["kommunenummer"] for r in emissions} == {"4001", "4003"}
    industry = _rows(built / "sysselsatte_naering_2021_2025.csv")
    assert sorted({int(r["aar"]) for r in industry}) == [2021, 2022, 2025]
    assert (built / "utvalg.txt").read_text(encoding="utf-8").strip()


def test_build_simplifies_boundaries_and_drops_slivers(built):
    data = json.loads((built / "geo" / "kommuner_2024_S.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["kommunenummer"] for f in data["features"]] == [
        "3403",
        "3411",
        "4001",
        "4003",
    ]
    for feature in data["features"]:
        geometry = feature["geometry"]
        assert geometry_error(geometry) == ""
        # 161 positions and an island become one square of five positions.
        assert geometry["type"] == "Polygon" and len(geometry["coordinates"][0]) == 5


def test_build_twice_writes_the_same_files(built, tmp_path):
    again = tmp_path / "again"
    shutil.copytree(built, again)
    call_command(
        "build_builtin_statistics", "--dir", str(SOURCE), "--out", str(again), stdout=StringIO()
    )
    for path in builtin.generated_files(built):
        assert path.read_bytes() == (again / path.relative_to(built)).read_bytes(), path.name


def test_simplify_ring_keeps_the_corners_of_a_long_ring():
    ring = [[10 + i / 1000, 60.0] for i in range(101)] + [[10.1, 60.1], [10.0, 60.1], [10.0, 60.0]]
    assert builtin.simplify_ring(ring, 0.004) == [
        [10.0, 60.0],
        [10.1, 60.0],
        [10.1, 60.1],
        [10.0, 60.1],
        [10.0, 60.0],
    ]


def test_shipped_files_parse_and_cover_every_demo_municipality():
    places = builtin_dataset()
    numbers = {m.number for m in places.municipalities}
    assert set(builtin.DEMO_MUNICIPALITIES) <= numbers
    telemark = {m.number for m in places.municipalities if m.county_number == "40"}
    assert len(telemark) == 17
    population = {(r.number, r.year) for r in places.population or [] if r.population}
    latest = max(year for _n, year in population)
    centrality = {r.number for r in places.centrality or []}
    boundaries = {r.number for r in places.boundaries or []}
    stats = read_statistics(BUILTIN_DIR, lookup=NumberLookup.build(numbers))
    assert stats.selection
    employment = {r.number for r in stats.employment or []}
    homes = {r.home for r in stats.commuting or []}
    for number in numbers:
        assert (
            (number, latest) in population
            and (number, latest - 10) in population
            or (
                number in {"1806", "1875"}  # SSB has no figure on 2024 borders before 2020
            )
        ), number
        assert number in centrality and number in boundaries, number
        assert number in employment and number in homes, number
    assert {r.number for r in stats.industry or []} == telemark
    assert {r.number for r in stats.emissions or []} == telemark


def test_shipped_set_is_a_few_hundred_kilobytes():
    size = sum(p.stat().st_size for p in BUILTIN_DIR.rglob("*") if p.is_file())
    assert size < MAX_BYTES


@pytest.mark.django_db
def test_a_selection_loads_without_comparing_employment_with_truncated_flows(tmp_path):
    """The built-in flows leave out places outside the set; as a selection (``utvalg.txt``)
    they load with a note; the same files without ``utvalg.txt`` are refused as implausible."""
    load_places(builtin_dataset())
    plain = tmp_path / "plain"
    plain.mkdir()
    for name in ("pendling_kommune_2020_2022.csv", "sysselsatte_bosted_arbeidssted_2020_2022.csv"):
        shutil.copy(BUILTIN_DIR / name, plain / name)
    with pytest.raises(ImportRefused) as refused:
        load_statistics(read_statistics(plain), allow_partial=True)
    assert refused.value.partial is False
    assert not CommutingFlow.objects.exists()

    (plain / "utvalg.txt").write_text("Demo.\n", encoding="utf-8")
    run = load_statistics(read_statistics(plain), allow_partial=True)
    assert run.summary["selection"] == "Demo."
    assert any("Demo." in note for note in run.summary["notes"])
    assert CommutingFlow.objects.exists()


@pytest.mark.parametrize("bad", ["missing", "empty"])
def test_build_from_a_bad_directory_stops_and_writes_nothing(tmp_path, bad):
    source = tmp_path / "source"
    if bad == "empty":
        source.mkdir()  # no fylker_2024.csv, no kommuner_2024.csv
    out = tmp_path / "out"
    out.mkdir()
    (out / "KILDER.md").write_text("old\n", encoding="utf-8")
    err = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="nothing was written"):
        call_command(
            "build_builtin_statistics", "--dir", str(source), "--out", str(out), stderr=err
        )
    assert err.getvalue().strip()  # every problem, with where it is
    assert [p.name for p in out.iterdir()] == ["KILDER.md"]
    assert (out / "KILDER.md").read_text(encoding="utf-8") == "old\n"


def test_build_with_a_bad_statistics_row_stops_and_writes_nothing(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    path = source / "pendling_kommune_2021_2022.csv"
    path.write_text(path.read_text(encoding="utf-8") + "2022,3403,7777,5\n", encoding="utf-8")
    out = tmp_path / "out"
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "build_builtin_statistics", "--dir", str(source), "--out", str(out), stderr=err
        )
    assert "7777" in err.getvalue() and "pendling_kommune_2021_2022.csv" in err.getvalue()
    assert not out.exists()
