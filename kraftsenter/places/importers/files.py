"""Reader for the product's own import format: a directory of CSV and GeoJSON files.

The format is described in docs/import-format.md. Required: ``fylker_2024.csv`` and
``kommuner_2024.csv``. Optional: ``sentralitet_2024.csv``, ``befolkning_kommune_*.csv``,
``kommunenummer_2020_2023_til_2024.csv``, ``geo/kommuner_2024_{S,M}.geojson`` and the dated Sami
language area ``samisk_forvaltningsomrade_2026.csv`` / ``samisk_forvaltningsomrade_fylker_2026.csv``
(when a directory lacks one, the built-in regulation data in ``places/builtin/`` is used).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, TypeVar, overload

from django.utils.translation import gettext as _

from .base import (
    BoundaryRow,
    CentralityRow,
    CountyRow,
    ImportFailed,
    MunicipalityRow,
    NumberChangeRow,
    PlaceDataset,
    PopulationRow,
    Problem,
    SamiAreaRow,
)

T = TypeVar("T")

COUNTIES_FILE = "fylker_2024.csv"
MUNICIPALITIES_FILE = "kommuner_2024.csv"
CENTRALITY_FILE = "sentralitet_2024.csv"
NUMBER_CHANGES_FILE = "kommunenummer_2020_2023_til_2024.csv"
POPULATION_GLOB = "befolkning_kommune_*.csv"
SELECTION_FILE = "utvalg.txt"
SELECTION_MAX_LENGTH = 200
REFERENCE_DATE = dt.date(2024, 1, 1)
CENTRALITY_VERSION = "2020"

SAMI_LANGUAGES = {"nordsamisk": "se", "lulesamisk": "smj", "sorsamisk": "sma"}

#: The dated Sami language area: municipalities with their category, and county municipalities.
SAMI_AREA_FILE = "samisk_forvaltningsomrade_2026.csv"
SAMI_AREA_COUNTIES_FILE = "samisk_forvaltningsomrade_fylker_2026.csv"
#: The built-in regulation data (written from forskrift 17.6.2005 nr. 657 § 1), used for a file
#: a directory lacks and for the official sources, which have no categories or dates.
REGULATION_DIR = Path(__file__).resolve().parent.parent / "builtin"
REGULATION = "forskrift 17.6.2005 nr. 657 § 1"
#: ``kategori`` values (the regulation's words, with or without "-kommune", å or a) → codes.
SAMI_CATEGORIES = {
    f"{word}{suffix}": code
    for stem, code in (
        ("utvikling", "sprakutvikling"),
        ("vitalisering", "sprakvitalisering"),
        ("stimulering", "sprakstimulering"),
    )
    for word in (f"språk{stem}", f"sprak{stem}")
    for suffix in ("", "skommune")
}


class FieldError(Exception):
    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message


def _digits(row: dict[str, str], column: str, width: int, *, required: bool = True) -> str:
    value = (row.get(column) or "").strip()
    if not value and not required:
        return ""
    if not re.fullmatch(rf"\d{{{width}}}", value):
        raise FieldError(
            column,
            _("Expected %(width)s digits, got “%(value)s”.") % {"width": width, "value": value},
        )
    return value


def _text(row: dict[str, str], column: str, *, required: bool = False) -> str:
    value = (row.get(column) or "").strip()
    if required and not value:
        raise FieldError(column, _("A value is required."))
    return value


@overload
def _int(
    row: dict[str, str],
    column: str,
    *,
    required: Literal[True] = True,
    low: int = 0,
    high: int | None = None,
) -> int: ...
@overload
def _int(
    row: dict[str, str],
    column: str,
    *,
    required: bool,
    low: int = 0,
    high: int | None = None,
) -> int | None: ...
def _int(
    row: dict[str, str],
    column: str,
    *,
    required: bool = True,
    low: int = 0,
    high: int | None = None,
) -> int | None:
    value = (row.get(column) or "").strip()
    if not value:
        if required:
            raise FieldError(column, _("A value is required."))
        return None
    if not re.fullmatch(r"-?[0-9]+", value):
        raise FieldError(column, _("“%(value)s” is not a whole number.") % {"value": value})
    number = int(value)
    if number < low or (high is not None and number > high):
        raise FieldError(
            column,
            _("%(value)s is outside %(low)s–%(high)s.")
            % {"value": number, "low": low, "high": high if high is not None else "∞"},
        )
    return number


def _float(row: dict[str, str], column: str, low: float, high: float) -> float | None:
    value = (row.get(column) or "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise FieldError(column, _("“%(value)s” is not a number.") % {"value": value}) from None
    if not low <= number <= high:
        raise FieldError(
            column,
            _("%(value)s is outside %(low)s–%(high)s.")
            % {"value": number, "low": low, "high": high},
        )
    return number


def _bool(row: dict[str, str], column: str) -> bool:
    value = (row.get(column) or "").strip().lower()
    if value in {"true", "1", "ja"}:
        return True
    if value in {"false", "0", "nei", ""}:
        return False
    raise FieldError(column, _("Expected true or false, got “%(value)s”.") % {"value": value})


def _date(row: dict[str, str], column: str) -> dt.date | None:
    value = (row.get(column) or "").strip()
    if not value:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FieldError(
            column, _("Expected a date as YYYY-MM-DD, got “%(value)s”.") % {"value": value}
        ) from None


def _rows(path: Path, required: list[str], problems: list[Problem]) -> Iterator[tuple[int, dict]]:
    """Yield (line number, row) from a CSV file; a missing column is one problem, no rows."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        problems.append(
            Problem(
                path.name, None, "", _("Cannot open the file: %(error)s") % {"error": exc.strerror}
            )
        )
        return
    with handle:
        try:
            reader = csv.DictReader(handle, strict=True)
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                for column in missing:
                    problems.append(Problem(path.name, 1, column, _("The column is missing.")))
                return
            for row in reader:
                line = reader.line_num
                if None in row:
                    problems.append(
                        Problem(path.name, line, "", _("The row has more cells than the header."))
                    )
                    continue
                if any(v is None for v in row.values()):
                    problems.append(
                        Problem(path.name, line, "", _("The row has fewer cells than the header."))
                    )
                    continue
                yield line, row
        except csv.Error as exc:
            problems.append(
                Problem(
                    path.name, reader.line_num, "", _("Malformed CSV: %(error)s") % {"error": exc}
                )
            )
        except UnicodeDecodeError:
            problems.append(Problem(path.name, None, "", _("The file is not UTF-8 text.")))


def _parse_file(
    path: Path, required: list[str], parse: Callable[[dict[str, str]], T], problems: list[Problem]
) -> list[tuple[int, T]]:
    out: list[tuple[int, T]] = []
    for line, row in _rows(path, required, problems):
        try:
            out.append((line, parse(row)))
        except FieldError as exc:
            problems.append(Problem(path.name, line, exc.field, exc.message))
    return out


def _county(row: dict[str, str]) -> CountyRow:
    return CountyRow(
        number=_digits(row, "fylkesnummer", 2),
        name=_text(row, "fylkesnavn_offisielt", required=True),
        name_nb=_text(row, "navn_norsk", required=True),
        name_se=_text(row, "navn_nordsamisk"),
        name_sma=_text(row, "navn_sorsamisk"),
        name_fkv=_text(row, "navn_kvensk"),
        municipality_count=_int(row, "antall_kommuner", required=False, low=1),
    )


def _municipality(row: dict[str, str]) -> MunicipalityRow:
    sami_area = _bool(row, "samisk_forvaltningsomrade")
    language_name = _text(row, "samisk_sprak").lower()
    if language_name and language_name not in SAMI_LANGUAGES:
        raise FieldError(
            "samisk_sprak",
            _("Unknown Sami language “%(value)s” (expected nordsamisk, lulesamisk or sorsamisk).")
            % {"value": language_name},
        )
    if sami_area and not language_name:
        raise FieldError(
            "samisk_sprak", _("A municipality in the Sami language area needs its Sami language.")
        )
    return MunicipalityRow(
        number=_digits(row, "kommunenummer", 4),
        name=_text(row, "kommunenavn", required=True),
        name_nb=_text(row, "navn_norsk", required=True),
        name_se=_text(row, "navn_nordsamisk"),
        name_smj=_text(row, "navn_lulesamisk"),
        name_sma=_text(row, "navn_sorsamisk"),
        name_fkv=_text(row, "navn_kvensk"),
        county_number=_digits(row, "fylkesnummer", 2),
        ssb_name=_text(row, "ssb_navn_2026"),
        sami_language_area=sami_area,
        sami_language=SAMI_LANGUAGES.get(language_name, "") if sami_area else "",
        organisation_number=_digits(row, "organisasjonsnummer", 9, required=False),
        lon=_float(row, "lon", -180, 180),
        lat=_float(row, "lat", -90, 90),
    )


def _centrality(row: dict[str, str]) -> CentralityRow:
    return CentralityRow(
        number=_digits(row, "kommunenummer", 4),
        index=_int(row, "sentralitetsindeks", high=1000),
        klass=_int(row, "sentralitetsklasse", low=1, high=6),
    )


def _population(row: dict[str, str]) -> PopulationRow:
    return PopulationRow(
        number=_digits(row, "kommunenummer", 4),
        year=_int(row, "aar", low=1800, high=2200),
        population=_int(row, "befolkning", required=False),
        note=_text(row, "merknad"),
    )


def _number_change(row: dict[str, str]) -> NumberChangeRow:
    return NumberChangeRow(
        old_number=_digits(row, "kommunenummer_2020_2023", 4),
        old_name=_text(row, "kommunenavn_2023", required=True),
        new_number=_digits(row, "kommunenummer_2024", 4),
        new_name=_text(row, "kommunenavn_2024", required=True),
        note=_text(row, "merknad"),
    )


def _area_dates(row: dict[str, str]) -> tuple[dt.date | None, dt.date | None]:
    start, end = _date(row, "i_omradet_fra"), _date(row, "i_omradet_til")
    if start and end and end < start:
        raise FieldError(
            "i_omradet_til",
            _("The last day in the area (%(end)s) is before the first (%(start)s).")
            % {"end": end.isoformat(), "start": start.isoformat()},
        )
    return start, end


def _sami_area_municipality(row: dict[str, str]) -> SamiAreaRow:
    number = _digits(row, "kommunenummer", 4)
    language_name = _text(row, "samisk_sprak").lower()
    if language_name and language_name not in SAMI_LANGUAGES:
        raise FieldError(
            "samisk_sprak",
            _("Unknown Sami language “%(value)s” (expected nordsamisk, lulesamisk or sorsamisk).")
            % {"value": language_name},
        )
    category_name = _text(row, "kategori", required=True)
    category = SAMI_CATEGORIES.get(category_name.lower())
    if category is None:
        raise FieldError(
            "kategori",
            _(
                "Unknown category “%(value)s” (expected språkutvikling, språkvitalisering or "
                "språkstimulering, forskrift 17.6.2005 nr. 657 § 1)."
            )
            % {"value": category_name},
        )
    start, end = _area_dates(row)
    return SamiAreaRow(
        number=number,
        name=_text(row, "kommunenavn"),
        category=category,
        language=SAMI_LANGUAGES.get(language_name, ""),
        in_area_from=start,
        in_area_to=end,
        source=_text(row, "kilde"),
    )


def _sami_area_county(row: dict[str, str]) -> SamiAreaRow:
    start, end = _area_dates(row)
    return SamiAreaRow(
        number=_digits(row, "fylkesnummer", 2),
        name=_text(row, "fylkesnavn"),
        in_area_from=start,
        in_area_to=end,
        source=_text(row, "kilde"),
    )


def read_sami_area(root: Path, problems: list[Problem]) -> list[SamiAreaRow]:
    """The dated area from ``root``; a file it lacks comes from the built-in regulation data."""
    rows: list[SamiAreaRow] = []
    for name, columns, parse in (
        (
            SAMI_AREA_FILE,
            ["kommunenummer", "kommunenavn", "samisk_sprak", "kategori", "i_omradet_fra"],
            _sami_area_municipality,
        ),
        (
            SAMI_AREA_COUNTIES_FILE,
            ["fylkesnummer", "fylkesnavn", "i_omradet_fra"],
            _sami_area_county,
        ),
    ):
        own = root / name
        builtin = not own.is_file() or root.resolve() == REGULATION_DIR
        path = REGULATION_DIR / name if not own.is_file() else own
        label = f"builtin/{name}" if not own.is_file() else name
        for line, row in _parse_file(path, columns, parse, problems):
            row.origin = (label, line)
            row.builtin = builtin
            row.source = row.source or f"{REGULATION} ({label})"
            rows.append(row)
    return rows


def check_sami_flags(ds: PlaceDataset, problems: list[Problem]) -> None:
    """``kommuner_2024.csv``'s ``samisk_forvaltningsomrade`` is the area on the reference date:
    it must agree with the dated area. A Sami language the area file gives fills an empty one and
    must match one the municipality file gives."""
    by_number: dict[str, list[SamiAreaRow]] = {}
    for area_row in ds.sami_area or []:
        if not area_row.is_county:
            by_number.setdefault(area_row.number, []).append(area_row)
    date = ds.reference_date.isoformat()
    area_file = next((r.origin[0] for r in ds.sami_area or [] if not r.is_county), SAMI_AREA_FILE)
    for muni in ds.municipalities:
        periods = by_number.get(muni.number, [])
        covering = next((r for r in periods if r.covers(ds.reference_date)), None)
        if muni.sami_language_area and covering is None:
            problems.append(
                Problem(
                    muni.origin[0],
                    muni.origin[1],
                    "samisk_forvaltningsomrade",
                    _(
                        "true, but %(file)s does not put %(number)s in the Sami language area "
                        "on %(date)s."
                    )
                    % {"file": area_file, "number": muni.number, "date": date},
                )
            )
        elif not muni.sami_language_area and covering is not None:
            problems.append(
                Problem(
                    muni.origin[0],
                    muni.origin[1],
                    "samisk_forvaltningsomrade",
                    _(
                        "false, but %(file)s (line %(line)s) puts %(number)s in the Sami "
                        "language area on %(date)s."
                    )
                    % {
                        "file": covering.origin[0],
                        "line": covering.origin[1],
                        "number": muni.number,
                        "date": date,
                    },
                )
            )
        for area_row in periods:
            if not area_row.language:
                continue
            if muni.sami_language and muni.sami_language != area_row.language:
                problems.append(
                    Problem(
                        area_row.origin[0],
                        area_row.origin[1],
                        "samisk_sprak",
                        _("%(number)s has another Sami language in %(file)s.")
                        % {"number": muni.number, "file": muni.origin[0]},
                    )
                )
            muni.sami_language = muni.sami_language or area_row.language


def _with_origin(name: str, parsed: list[tuple[int, Any]]) -> list[Any]:
    rows = []
    for line, item in parsed:
        item.origin = (name, line)
        rows.append(item)
    return rows


def read_boundaries(path: Path, problems: list[Problem]) -> list[BoundaryRow]:
    """Municipal boundaries from a GeoJSON FeatureCollection with ``kommunenummer`` properties."""
    name = str(Path("geo") / path.name) if path.parent.name == "geo" else path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(name, exc.lineno, "", _("Malformed JSON: %(error)s") % {"error": exc.msg})
        )
        return []
    except UnicodeDecodeError:
        problems.append(Problem(name, None, "", _("The file is not UTF-8 text.")))
        return []
    return parse_feature_collection(data, name, problems)


def parse_feature_collection(
    data: Any, name: str, problems: list[Problem], number_property: str = "kommunenummer"
) -> list[BoundaryRow]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.append(Problem(name, None, "type", _("Expected a GeoJSON FeatureCollection.")))
        return []
    rows: list[BoundaryRow] = []
    for index, feature in enumerate(data.get("features") or [], start=1):
        where = f"feature {index}"
        props = feature.get("properties") or {} if isinstance(feature, dict) else {}
        number = str(props.get(number_property, "")).strip()
        if not re.fullmatch(r"[0-9]{4}", number):
            problems.append(
                Problem(
                    name,
                    None,
                    f"{where}.properties.{number_property}",
                    _("Expected a four-digit municipality number, got “%(value)s”.")
                    % {"value": number},
                )
            )
            continue
        geometry = feature.get("geometry")
        error = geometry_error(geometry)
        if error:
            problems.append(Problem(name, None, f"{where}.geometry", error))
            continue
        rows.append(BoundaryRow(number=number, geometry=geometry, origin=(name, None)))
    return rows


def geometry_error(geometry: Any) -> str:
    """Why a GeoJSON geometry is not a usable (Multi)Polygon, or ``""``."""
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        return _("Expected a Polygon or MultiPolygon geometry.")
    coords: Any = geometry.get("coordinates")
    polygons: Any = [coords] if geometry["type"] == "Polygon" else coords
    try:
        for polygon in polygons:
            for ring in polygon:
                if len(ring) < 4:
                    return _("A ring has fewer than four positions.")
                for lon, lat, *_rest in ring:
                    if not (-180 <= float(lon) <= 180 and -90 <= float(lat) <= 90):
                        return _("A position is outside longitude/latitude range.")
    except (TypeError, ValueError):
        return _("The coordinates are not lists of [longitude, latitude] positions.")
    return ""


def read_selection(root: Path) -> str:
    """Why the directory is deliberately a selection: the first line of ``utvalg.txt``, or ""."""
    path = root / SELECTION_FILE
    if not path.is_file():
        return ""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    reason = next((" ".join(line.split()) for line in lines if line.strip()), "")
    return reason[:SELECTION_MAX_LENGTH] or SELECTION_FILE


def read_directory(directory: str | Path, *, boundaries: str = "S") -> PlaceDataset:
    """Read a directory in the documented format. Raises ImportFailed with every problem found."""
    root = Path(directory)
    problems: list[Problem] = []
    if not root.is_dir():
        raise ImportFailed([Problem(str(root), None, "", _("The directory does not exist."))])
    for required in (COUNTIES_FILE, MUNICIPALITIES_FILE):
        if not (root / required).is_file():
            problems.append(
                Problem(required, None, "", _("The file is missing from %(dir)s.") % {"dir": root})
            )
    if problems:
        raise ImportFailed(problems)

    ds = PlaceDataset(
        source=f"dir:{root}", reference_date=REFERENCE_DATE, selection=read_selection(root)
    )
    ds.counties = _with_origin(
        COUNTIES_FILE,
        _parse_file(
            root / COUNTIES_FILE,
            [
                "fylkesnummer",
                "fylkesnavn_offisielt",
                "navn_norsk",
                "navn_nordsamisk",
                "navn_sorsamisk",
                "navn_kvensk",
            ],
            _county,
            problems,
        ),
    )
    ds.municipalities = _with_origin(
        MUNICIPALITIES_FILE,
        _parse_file(
            root / MUNICIPALITIES_FILE,
            [
                "kommunenummer",
                "kommunenavn",
                "navn_norsk",
                "navn_nordsamisk",
                "navn_lulesamisk",
                "navn_sorsamisk",
                "navn_kvensk",
                "fylkesnummer",
                "samisk_forvaltningsomrade",
                "samisk_sprak",
                "organisasjonsnummer",
                "lon",
                "lat",
            ],
            _municipality,
            problems,
        ),
    )
    if (root / CENTRALITY_FILE).is_file():
        ds.centrality = _with_origin(
            CENTRALITY_FILE,
            _parse_file(
                root / CENTRALITY_FILE,
                ["kommunenummer", "sentralitetsindeks", "sentralitetsklasse"],
                _centrality,
                problems,
            ),
        )
        ds.centrality_version = CENTRALITY_VERSION
    population_files = sorted(root.glob(POPULATION_GLOB))
    if population_files:
        ds.population = []
        for path in population_files:
            ds.population += _with_origin(
                path.name,
                _parse_file(path, ["kommunenummer", "aar", "befolkning"], _population, problems),
            )
    if (root / NUMBER_CHANGES_FILE).is_file():
        ds.number_changes = _with_origin(
            NUMBER_CHANGES_FILE,
            _parse_file(
                root / NUMBER_CHANGES_FILE,
                [
                    "kommunenummer_2020_2023",
                    "kommunenavn_2023",
                    "kommunenummer_2024",
                    "kommunenavn_2024",
                ],
                _number_change,
                problems,
            ),
        )
    ds.sami_area = read_sami_area(root, problems)
    if not problems:
        check_sami_flags(ds, problems)
    geo = root / "geo" / f"kommuner_2024_{boundaries}.geojson"
    if geo.is_file():
        ds.boundaries = read_boundaries(geo, problems)
    if problems:
        raise ImportFailed(problems)
    return ds
