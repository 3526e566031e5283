"""Reader for the statistics file format (docs/statistics-import-format.md): CSV files.

Four kinds of file, each optional (at least one must be there), found anywhere under the
directory (``**/pattern``), several files of a kind read together:

- ``pendling_kommune_*.csv``: commuting flows (SSB 03321);
- ``sysselsatte_bosted_arbeidssted_*.csv``: residents and employed persons (SSB 11618);
- ``sysselsatte_naering_*.csv``: employed persons by industry group (SSB 13470);
- ``klimagass_*.csv``: greenhouse-gas emissions (Miljødirektoratet).

Municipality numbers may be 2020–2023 numbers: a ``*_2024`` column is used when it has a value,
otherwise the number is mapped through the renumberings in the database
(:class:`~.base.NumberLookup`); figures of several old numbers that map to one 2024 number are
added up. Every problem is collected with file, line and column; then ImportFailed is raised.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from kraftsenter.places.importers.files import read_selection

from .base import (
    INDUSTRY_MAX_LENGTH,
    SECTOR_MAX_LENGTH,
    SOURCE_MAX_LENGTH,
    YEAR_MAX,
    YEAR_MIN,
    CommutingRow,
    EmissionRow,
    EmploymentRow,
    ImportFailed,
    IndustryRow,
    NumberLookup,
    Origin,
    Problem,
    StatisticsDataset,
)

COMMUTING_GLOB = "pendling_kommune_*.csv"
EMPLOYMENT_GLOB = "sysselsatte_bosted_arbeidssted_*.csv"
INDUSTRY_GLOB = "sysselsatte_naering_*.csv"
EMISSIONS_GLOB = "klimagass_*.csv"
FOUR_DIGITS = re.compile(r"[0-9]{4}")
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
DECIMAL_NUMBER = re.compile(r"[+-]?[0-9.eE+-]+")


class Cells:
    """One CSV row being parsed: each accessor records its own problem and returns None."""

    def __init__(self, source: str, line: int, row: dict[str, str], problems: list[Problem]):
        self.source, self.line, self.row, self.problems = source, line, row, problems
        self.bad = False

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.source, self.line, column, message))
        self.bad = True

    def text(self, column: str) -> str:
        return (self.row.get(column) or "").strip()

    def year(self, column: str = "aar") -> int | None:
        value = self.count(column)
        if value is None:
            if not self.text(column):
                self.problem(column, _("A value is required."))
            return None
        if not YEAR_MIN <= value <= YEAR_MAX:
            self.problem(
                column,
                _("%(value)s is outside %(low)s–%(high)s.")
                % {"value": value, "low": YEAR_MIN, "high": YEAR_MAX},
            )
            return None
        return value

    def count(self, column: str) -> int | None:
        """A whole number ≥ 0; None when empty (not available) or wrong."""
        value = self.text(column)
        if not value:
            return None
        if not WHOLE_NUMBER.fullmatch(value):
            self.problem(column, _("“%(value)s” is not a whole number.") % {"value": value})
            return None
        return self._not_negative(column, int(value))

    def tonnes(self, column: str) -> float | None:
        """A finite decimal number ≥ 0 (point as decimal mark); None when empty or wrong."""
        value = self.text(column)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not DECIMAL_NUMBER.fullmatch(value):
            self.problem(column, _("“%(value)s” is not a number.") % {"value": value})
            return None
        return self._not_negative(column, number)

    def _not_negative(self, column: str, number: Any) -> Any:
        if number < 0:
            self.problem(
                column,
                _("%(value)s is negative; the figure cannot be below zero.") % {"value": number},
            )
            return None
        return number

    def label(self, column: str, max_length: int) -> str | None:
        value = " ".join(self.text(column).split())
        if not value:
            self.problem(column, _("A value is required."))
            return None
        if len(value) > max_length:
            self.problem(
                column,
                _("The text is longer than %(max)s characters.") % {"max": max_length},
            )
            return None
        return value

    def municipality(self, column: str, lookup: NumberLookup) -> tuple[str, str] | None:
        """(number as written, 2024 number), preferring ``<column>_2024`` when it has a value."""
        raw = self.text(column)
        if not FOUR_DIGITS.fullmatch(raw):
            self.problem(
                column,
                _("Expected %(width)s digits, got “%(value)s”.") % {"width": 4, "value": raw},
            )
            return None
        column_2024 = f"{column}_2024"
        given = self.text(column_2024)
        if given:
            if given not in lookup.known:
                self.problem(
                    column_2024, _("Unknown municipality number %(number)s.") % {"number": given}
                )
                return None
            return raw, given
        number = lookup.to_2024(raw)
        if number is None:
            self.problem(column, _("Unknown municipality number %(number)s.") % {"number": raw})
            return None
        return raw, number


def csv_rows(
    path: Path, name: str, required: Collection[str], problems: list[Problem]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each data row; a missing column is a problem and yields no rows."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        problems.append(
            Problem(name, None, "", _("Cannot open the file: %(error)s") % {"error": exc.strerror})
        )
        return
    with handle:
        reader = csv.DictReader(handle, strict=True)
        try:
            header = reader.fieldnames or []
            missing = [column for column in required if column not in header]
            for column in missing:
                problems.append(Problem(name, 1, column, _("The column is missing.")))
            if missing:
                return
            for row in reader:
                if None in row:
                    message = _("The row has more cells than the header.")
                elif None in row.values():
                    message = _("The row has fewer cells than the header.")
                else:
                    yield reader.line_num, row
                    continue
                problems.append(Problem(name, reader.line_num, "", message))
        except csv.Error as exc:
            problems.append(
                Problem(name, reader.line_num, "", _("Malformed CSV: %(error)s") % {"error": exc})
            )
        except UnicodeDecodeError:
            problems.append(Problem(name, None, "", _("The file is not UTF-8 text.")))


# A part's parser gives (key as written, key in 2024 numbers, value) without the year;
# a value of None means "not available" (the row is skipped) unless the part allows it.
Parsed = tuple[tuple, tuple, Any]


@dataclass(frozen=True)
class Spec:
    """How one kind of file is read."""

    part: str
    pattern: str
    required: tuple[str, ...]
    key_columns: tuple[str, ...]
    parse: Callable[[Cells, NumberLookup], Parsed | None]
    build: Callable[[int, tuple[Any, ...], Any, Origin], Any]
    combine: Callable[[Any, Any], Any]
    keep_empty: bool = False


def _commuting(cells: Cells, lookup: NumberLookup) -> Parsed | None:
    home = cells.municipality("bosted_kommunenummer", lookup)
    work = cells.municipality("arbeidssted_kommunenummer", lookup)
    employed = cells.count("sysselsatte")
    if home is None or work is None:
        return None
    return (home[0], work[0]), (home[1], work[1]), employed


def _employment(cells: Cells, lookup: NumberLookup) -> Parsed | None:
    number = cells.municipality("kommunenummer", lookup)
    values = tuple(
        cells.count(c)
        for c in ("befolkning_15_74_bosted", "sysselsatte_bosted", "sysselsatte_arbeidssted")
    )
    if number is None:
        return None
    return (number[0],), (number[1],), values


def _industry(cells: Cells, lookup: NumberLookup) -> Parsed | None:
    number = cells.municipality("kommunenummer", lookup)
    industry = cells.label("naering_sn2007_gruppe", INDUSTRY_MAX_LENGTH)
    employed = cells.count("sysselsatte_arbeidssted")
    if number is None or industry is None:
        return None
    return (number[0], industry), (number[1], industry), employed


def _emissions(cells: Cells, lookup: NumberLookup) -> Parsed | None:
    number = cells.municipality("kommunenummer", lookup)
    sector = cells.label("sektor", SECTOR_MAX_LENGTH)
    source = cells.label("utslippskilde", SOURCE_MAX_LENGTH)
    tonnes = cells.tonnes("utslipp_tonn_co2e")
    if number is None or sector is None or source is None:
        return None
    return (number[0], sector, source), (number[1], sector, source), tonnes


def add_optional(a: tuple, b: tuple) -> tuple:
    """Element-wise sum where an unknown part makes the sum unknown."""
    return tuple(None if x is None or y is None else x + y for x, y in zip(a, b, strict=True))


def add_tonnes(a: float, b: float) -> float:
    return round(a + b, 6)


SPECS = (
    Spec(
        "commuting",
        COMMUTING_GLOB,
        ("aar", "bosted_kommunenummer", "arbeidssted_kommunenummer", "sysselsatte"),
        ("aar", "bosted_kommunenummer", "arbeidssted_kommunenummer"),
        _commuting,
        lambda year, key, value, origin: CommutingRow(year, key[0], key[1], value, origin=origin),
        lambda a, b: a + b,
    ),
    Spec(
        "employment",
        EMPLOYMENT_GLOB,
        (
            "aar",
            "kommunenummer",
            "befolkning_15_74_bosted",
            "sysselsatte_bosted",
            "sysselsatte_arbeidssted",
        ),
        ("aar", "kommunenummer"),
        _employment,
        lambda year, key, value, origin: EmploymentRow(
            year, key[0], value[0], value[1], value[2], origin=origin
        ),
        add_optional,
        keep_empty=True,
    ),
    Spec(
        "industry",
        INDUSTRY_GLOB,
        ("kommunenummer", "aar", "naering_sn2007_gruppe", "sysselsatte_arbeidssted"),
        ("aar", "kommunenummer", "naering_sn2007_gruppe"),
        _industry,
        lambda year, key, value, origin: IndustryRow(year, key[0], key[1], value, origin=origin),
        lambda a, b: a + b,
    ),
    Spec(
        "emissions",
        EMISSIONS_GLOB,
        ("kommunenummer", "aar", "sektor", "utslippskilde", "utslipp_tonn_co2e"),
        ("aar", "kommunenummer", "sektor", "utslippskilde"),
        _emissions,
        lambda year, key, value, origin: EmissionRow(
            year, key[0], key[1], key[2], value, origin=origin
        ),
        add_tonnes,
    ),
)


def read_part(
    spec: Spec,
    files: list[tuple[Path, str]],
    lookup: NumberLookup,
    years: Collection[int] | None,
    problems: list[Problem],
    notes: list[str],
) -> list[Any]:
    """Every row of one kind from its files, summed per 2024 key, in the order first seen."""
    seen: dict[tuple, Origin] = {}
    totals: dict[tuple, list] = {}  # 2024 key -> [value, origin, number of source rows]
    where = ", ".join(spec.key_columns)
    for path, name in files:
        empty = 0
        for line, row in csv_rows(path, name, spec.required, problems):
            cells = Cells(name, line, row, problems)
            year = cells.year()
            if year is not None and years and year not in years:
                continue
            parsed = spec.parse(cells, lookup)
            if year is None or parsed is None or cells.bad:
                continue
            raw_key, key, value = (year, *parsed[0]), (year, *parsed[1]), parsed[2]
            first = seen.setdefault(raw_key, (name, line))
            if first != (name, line):
                cells.problem(
                    where,
                    _("The same figure is already on line %(line)s of %(file)s.")
                    % {"line": first[1], "file": first[0]},
                )
                continue
            if value is None and not spec.keep_empty:
                empty += 1
                continue
            total = totals.get(key)
            if total is None:
                totals[key] = [value, (name, line), 1]
            else:
                total[0] = spec.combine(total[0], value)
                total[2] += 1
        if empty:
            notes.append(
                _("%(file)s: %(count)s rows without a value were skipped.")
                % {"file": name, "count": empty}
            )
    summed = sum(1 for total in totals.values() if total[2] > 1)
    if summed:
        notes.append(
            _(
                "%(part)s: %(count)s figures are sums of several old municipality numbers "
                "that became one 2024 municipality."
            )
            % {"part": spec.part, "count": summed}
        )
    return [
        spec.build(key[0], key[1:], value, origin) for key, (value, origin, _n) in totals.items()
    ]


def find_files(root: Path, pattern: str) -> list[tuple[Path, str]]:
    """(path, name relative to ``root``) of every file matching ``**/pattern``, sorted."""
    paths = sorted(p for p in root.glob(f"**/{pattern}") if p.is_file())
    return [(p, p.relative_to(root).as_posix()) for p in paths]


def read_directory(
    directory: str | Path,
    *,
    years: Collection[int] | None = None,
    lookup: NumberLookup | None = None,
) -> StatisticsDataset:
    """Read a directory in the documented format; raise ImportFailed with every problem found.

    ``years`` limits the rows read to those years. ``lookup`` (default: from the database)
    decides which municipality numbers exist and how old numbers map to 2024 numbers.
    """
    root = Path(directory)
    if not root.is_dir():
        raise ImportFailed([Problem(str(root), None, "", _("The directory does not exist."))])
    found = {spec.part: find_files(root, spec.pattern) for spec in SPECS}
    if not any(found.values()):
        patterns = ", ".join(spec.pattern for spec in SPECS)
        raise ImportFailed(
            [
                Problem(
                    str(root),
                    None,
                    "",
                    _("No statistics files were found (expected %(patterns)s).")
                    % {"patterns": patterns},
                )
            ]
        )
    lookup = lookup or NumberLookup.from_database()
    wanted = frozenset(years) if years else None
    problems: list[Problem] = []
    ds = StatisticsDataset(
        source=f"dir:{root}",
        years_asked=sorted(wanted) if wanted else None,
        selection=read_selection(root),
    )
    for spec in SPECS:
        if found[spec.part]:
            rows = read_part(spec, found[spec.part], lookup, wanted, problems, ds.notes)
            setattr(ds, spec.part, rows)
    if problems:
        raise ImportFailed(problems)
    return ds
