"""Reader for the official statistics on the web: the online twin of :mod:`.files`.

``fetch_official`` makes these GET requests (addresses from ``settings.KRAFTSENTER_SOURCES``,
keys ``pxweb`` and ``emissions``, with the defaults below):

1. SSB PxWebApi v2 ``tables/03321/data`` (JSON-stat2): commuting flows, dimensions
   ``Bokommuen`` × ``ArbstedKomm`` × ``ContentsCode`` (``Sysselsatte``) × ``Tid``; one request
   per year asked for (the table is large), or the latest year (``top(1)``).
2. ``tables/11618/data``: ``Region`` × ``ContentsCode`` (``BefolkningBosted``,
   ``SysselBosted``, ``SysselArbsted``) × ``Tid``; sex is left out, so SSB gives totals.
3. ``tables/13470/data``: ``Region`` × ``NACE2007`` × ``ContentsCode`` × ``Tid``.
   Without ``years``, tables 11618 and 13470 give their last five years (``top(5)``).
4. Miljødirektoratet's workbook (xlsx), sheet «Oversikt - detaljert»: one row per
   municipality, year, sector, source and gas; the gases are added up. The header row is
   found by its column names, not by position.

Region codes are mapped to 2024 numbers (:class:`~.base.NumberLookup`); an old code whose
2024 number has figures of its own in the same year is left out (it would count people twice),
and codes that are not municipalities (abroad, the continental shelf) are skipped with a note.
Connection errors, timeouts, HTTP 5xx, 408 and 429 are tried again (``Retry-After`` honoured,
else an exponential backoff), and PxWebApi's published limit of 30 requests a minute is kept
by a limiter shared with the places reader (``places/importers/throttle.py``); when the retries
are spent, SourceUnavailable is raised. Other HTTP errors and malformed answers are collected as
problems, then ImportFailed is raised.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable, Collection, Iterator
from typing import Any

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from kraftsenter.core.jsonstat import JsonStatDataset, parse_jsonstat2
from kraftsenter.places.importers.official import _Fetcher

from .base import (
    INDUSTRY_MAX_LENGTH,
    PARTS,
    SECTOR_MAX_LENGTH,
    SOURCE_MAX_LENGTH,
    YEAR_MAX,
    YEAR_MIN,
    Cell,
    CommutingRow,
    EmissionRow,
    EmploymentRow,
    ImportFailed,
    IndustryRow,
    NumberLookup,
    Problem,
    StatisticsDataset,
    aggregate,
)

Progress = Callable[[str, int, int], None]

DEFAULT_PXWEB_URL = "https://data.ssb.no/api/pxwebapi/v2/"
DEFAULT_EMISSIONS_URL = (
    "https://www.miljodirektoratet.no/globalassets/netttjenester/klimagassutslipp-kommuner/"
    "utslippsstatistikk_alle_kommuner.xlsx"
)
EMISSIONS_SHEET = "Oversikt - detaljert"
EMPLOYMENT_CONTENTS = ("BefolkningBosted", "SysselBosted", "SysselArbsted")
INDUSTRY_CONTENTS = "SysselsatteArb"
COMMUTING_CONTENTS = "Sysselsatte"
DEFAULT_TID = {"03321": "top(1)", "11618": "top(5)", "13470": "top(5)"}
HEADER_SEARCH_ROWS = 50
#: Workbook columns: our name -> accepted headers (compared lower-case, ₂ as 2, spaces folded).
WORKBOOK_COLUMNS = {
    "Kommunenummer": ("kommunenummer", "kommunenr", "knr"),
    "År": ("år", "aar", "year"),
    "Sektor": ("sektor",),
    "Utslippskilde": ("utslippskilde", "kilde"),
}
VALUE_COLUMN = "Utslipp (tonn CO₂-ekvivalenter)"
TOTAL_INDUSTRY = re.compile(r"^(00-99|alle næringer|i alt|total)", re.IGNORECASE)


def _table(
    data: Any, source: str, dims: tuple[str, ...], contents: Collection[str], problems: list
) -> JsonStatDataset | None:
    """The checked dataset: required dimensions, no other dimension with several categories."""
    try:
        ds = parse_jsonstat2(data, source=source)
        ds.require(*dims, "ContentsCode", "Tid")
    except ImportFailed as exc:
        problems.extend(exc.problems)
        return None
    count = len(problems)
    for dim in ds.dimensions.values():
        if dim.id not in (*dims, "ContentsCode", "Tid") and dim.size > 1:
            problems.append(
                Problem(
                    source,
                    None,
                    f"dimension.{dim.id}",
                    _("Expected one category (a total), got %(count)s.") % {"count": dim.size},
                )
            )
    for code in ds.dimensions["Tid"].codes:
        if not (re.fullmatch(r"[0-9]{4}", code) and YEAR_MIN <= int(code) <= YEAR_MAX):
            problems.append(
                Problem(
                    source,
                    None,
                    "dimension.Tid.category.index",
                    _("Expected %(what)s, got “%(value)s”.") % {"what": _("a year"), "value": code},
                )
            )
    present = ds.dimensions["ContentsCode"].codes
    for code in contents:
        if code not in present:
            problems.append(
                Problem(
                    source,
                    None,
                    "dimension.ContentsCode",
                    _("The code “%(code)s” is missing (present: %(present)s).")
                    % {"code": code, "present": ", ".join(present)},
                )
            )
    return ds if len(problems) == count else None


def _cells(
    ds: JsonStatDataset, regions: tuple[str, ...], other: Callable[[dict], tuple | None]
) -> Iterator[Cell]:
    for row in ds.rows():
        key = other(row)
        if row["value"] is not None and key is not None:
            codes = {dim: row[dim] for dim in regions}
            yield int(row["Tid"]), codes, key, row["ContentsCode"], row["value"]


def parse_commuting(
    data: Any, source: str, lookup: NumberLookup, problems: list[Problem], notes: list[str]
) -> list[CommutingRow] | None:
    """Commuting flows from a JSON-stat2 answer for table 03321 (zero flows are left out)."""
    dims = ("Bokommuen", "ArbstedKomm")
    ds = _table(data, source, dims, (COMMUTING_CONTENTS,), problems)
    if ds is None:
        return None
    cells = (c for c in _cells(ds, dims, lambda row: ()) if c[3] == COMMUTING_CONTENTS)
    totals = aggregate(cells, lookup, "SSB 03321", notes)
    return [
        CommutingRow(year, home, work, int(v[COMMUTING_CONTENTS]), origin=(source, None))
        for (year, home, work), v in sorted(totals.items())
        if v[COMMUTING_CONTENTS]
    ]


def parse_employment(
    data: Any, source: str, lookup: NumberLookup, problems: list[Problem], notes: list[str]
) -> list[EmploymentRow] | None:
    """Residents 15–74 and employed persons from a JSON-stat2 answer for table 11618."""
    ds = _table(data, source, ("Region",), EMPLOYMENT_CONTENTS, problems)
    if ds is None:
        return None
    totals = aggregate(_cells(ds, ("Region",), lambda row: ()), lookup, "SSB 11618", notes)
    rows = []
    for (year, number), v in sorted(totals.items()):
        population, residence, workplace = (
            int(v[c]) if c in v else None for c in EMPLOYMENT_CONTENTS
        )
        rows.append(
            EmploymentRow(year, number, population, residence, workplace, origin=(source, None))
        )
    return rows


def industry_label(label: str) -> str:
    """The group's name without SSB's code prefix: "01-03 Jordbruk, …" → "Jordbruk, …"."""
    return re.sub(r"^[0-9\s.,+\-–]+(?=\D)", "", label).strip()


def parse_industry(
    data: Any, source: str, lookup: NumberLookup, problems: list[Problem], notes: list[str]
) -> list[IndustryRow] | None:
    """Employed persons by industry group from a JSON-stat2 answer for table 13470."""
    ds = _table(data, source, ("Region", "NACE2007"), (INDUSTRY_CONTENTS,), problems)
    if ds is None:
        return None
    nace = ds.dimensions["NACE2007"]
    labels = {}
    for code in nace.codes:
        label = industry_label(nace.labels[code]) or code
        if not TOTAL_INDUSTRY.match(code) and not TOTAL_INDUSTRY.match(label):
            labels[code] = label[:INDUSTRY_MAX_LENGTH]

    def group(row: dict) -> tuple | None:
        label = labels.get(row["NACE2007"])
        return None if label is None else (label,)

    cells = (c for c in _cells(ds, ("Region",), group) if c[3] == INDUSTRY_CONTENTS)
    totals = aggregate(cells, lookup, "SSB 13470", notes)
    return [
        IndustryRow(year, number, industry, int(v[INDUSTRY_CONTENTS]), origin=(source, None))
        for (year, number, industry), v in sorted(totals.items())
    ]


def _header_key(value: Any) -> str:
    return " ".join(str(value or "").replace("₂", "2").lower().split())


def _workbook_rows(
    content: bytes, source: str, problems: list[Problem]
) -> tuple[Iterator[tuple[int, tuple]], str] | None:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        problems.append(Problem(source, None, "", _("The file is not a readable XLSX workbook.")))
        return None
    sheets = {_header_key(name): name for name in book.sheetnames}
    name = sheets.get(_header_key(EMISSIONS_SHEET))
    if name is None:
        problems.append(
            Problem(
                source,
                None,
                EMISSIONS_SHEET,
                _("The sheet is missing (the workbook has: %(sheets)s).")
                % {"sheets": ", ".join(book.sheetnames) or "—"},
            )
        )
        return None
    rows = enumerate(book[name].iter_rows(values_only=True), start=1)
    return rows, name


def parse_emissions_workbook(
    content: bytes,
    source: str,
    lookup: NumberLookup,
    problems: list[Problem],
    notes: list[str],
    years: Collection[int] | None = None,
) -> list[EmissionRow] | None:
    """Emissions per municipality, year, sector and source from Miljødirektoratet's workbook."""
    found = _workbook_rows(content, source, problems)
    if found is None:
        return None
    rows, sheet = found
    where = f"{source} [{sheet}]"
    header_line, columns = None, {}
    for line, values in rows:
        keys = [_header_key(v) for v in values]
        if set(keys) & set(WORKBOOK_COLUMNS["Kommunenummer"]):
            header_line = line
            for ours, accepted in WORKBOOK_COLUMNS.items():
                columns[ours] = next((i for i, k in enumerate(keys) if k in accepted), None)
            columns[VALUE_COLUMN] = next(
                (i for i, k in enumerate(keys) if k.startswith("utslipp") and "co2" in k), None
            )
            break
        if line >= HEADER_SEARCH_ROWS:
            break
    if header_line is None:
        problems.append(
            Problem(where, None, "Kommunenummer", _("No header row with this column was found."))
        )
        return None
    missing = [name for name, index in columns.items() if index is None]
    for name in missing:
        problems.append(Problem(where, header_line, name, _("The column is missing.")))
    if missing:
        return None
    found_columns = {name: i for name, i in columns.items() if i is not None}
    count = len(problems)
    cells: list[Cell] = []
    not_figures = 0
    for line, values in rows:
        cell = {name: values[i] if i < len(values) else None for name, i in found_columns.items()}
        empty = {name for name, value in cell.items() if value in (None, "")}
        if "Kommunenummer" in empty or {"År", VALUE_COLUMN} <= empty:
            not_figures += len(empty) < len(cell)  # footnotes, county or national sums
            continue
        parsed = _emission_cell(cell, where, line, problems)
        if parsed is not None and (not years or parsed[0] in years):
            cells.append(parsed)
    if len(problems) > count:
        return None
    if not_figures:
        notes.append(
            _("%(source)s: %(count)s rows that are not municipal figures were skipped.")
            % {"source": where, "count": not_figures}
        )
    totals = aggregate(cells, lookup, "Miljødirektoratet", notes)
    return [
        EmissionRow(year, number, sector, src, round(v["t"], 6), origin=(where, None))
        for (year, number, sector, src), v in sorted(totals.items())
    ]


def _emission_cell(cell: dict, where: str, line: int, problems: list[Problem]) -> Cell | None:
    """One workbook row as a cell, or None (with a problem, or for an empty value)."""
    found: list[Problem] = []

    def problem(column: str, message: str) -> None:
        found.append(Problem(where, line, column, message))

    number = str(cell["Kommunenummer"] or "").strip().removesuffix(".0")
    if not re.fullmatch(r"[0-9]{3,4}", number):
        message = _("Expected %(width)s digits, got “%(value)s”.")
        problem("Kommunenummer", message % {"width": 4, "value": number})
    year = str(cell["År"] or "").strip().removesuffix(".0")
    if not (re.fullmatch(r"[0-9]{4}", year) and YEAR_MIN <= int(year) <= YEAR_MAX):
        message = _("%(value)s is outside %(low)s–%(high)s.")
        problem("År", message % {"value": year, "low": YEAR_MIN, "high": YEAR_MAX})
    texts = {}
    for name, limit in (("Sektor", SECTOR_MAX_LENGTH), ("Utslippskilde", SOURCE_MAX_LENGTH)):
        texts[name] = " ".join(str(cell[name] or "").split())
        if not texts[name]:
            problem(name, _("A value is required."))
        elif len(texts[name]) > limit:
            problem(name, _("The text is longer than %(max)s characters.") % {"max": limit})
    raw = cell[VALUE_COLUMN]
    value = None
    if raw not in (None, "", "-"):
        try:
            value = float(raw)
        except (TypeError, ValueError):
            problem(VALUE_COLUMN, _("“%(value)s” is not a number.") % {"value": raw})
        else:
            if value < 0:
                message = _("%(value)s is negative; the figure cannot be below zero.")
                problem(VALUE_COLUMN, message % {"value": raw})
    problems.extend(found)
    if found or value is None:
        return None
    key = (texts["Sektor"], texts["Utslippskilde"])
    return int(year), {"Kommunenummer": number.zfill(4)}, key, "t", value


def _source(response: httpx.Response) -> str:
    return response.url.path.lstrip("/")


def fetch_official(
    *,
    years: Collection[int] | None = None,
    parts: Collection[str] = PARTS,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
    lookup: NumberLookup | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> StatisticsDataset:
    """Read the statistics in ``parts`` from the official sources (see the module docstring).

    ``progress(stage, done, total)`` is called after each part. Raises SourceUnavailable when
    a source cannot be reached and ImportFailed with every problem in the answers.
    """
    report = progress or (lambda stage, done, total: None)
    lookup = lookup or NumberLookup.from_database()
    sources = settings.KRAFTSENTER_SOURCES
    pxweb = sources.get("pxweb", DEFAULT_PXWEB_URL)
    own_client = client is None
    http = client or httpx.Client(
        timeout=settings.KRAFTSENTER_SOURCES_TIMEOUT, headers={"User-Agent": "kraftsenter"}
    )
    problems: list[Problem] = []
    year_list = sorted(set(years or ()))
    ds = StatisticsDataset(source="official", years_asked=year_list or None)
    fetch = _Fetcher(http, problems, sleep=sleep)
    wanted = [p for p in PARTS if p in parts]

    def table(table_id: str, params: list[tuple[str, str]], tid: str) -> tuple[Any, str] | None:
        query = [("lang", "no"), ("outputFormat", "json-stat2"), *params, ("valueCodes[Tid]", tid)]
        return fetch.get_json(f"{pxweb}tables/{table_id}/data", f"SSB {table_id}", query)

    try:
        for done, part in enumerate(wanted, start=1):
            if part == "commuting":
                flows: list[CommutingRow] = []
                commuting_params = [
                    ("valueCodes[Bokommuen]", "*"),
                    ("valueCodes[ArbstedKomm]", "*"),
                    ("valueCodes[ContentsCode]", COMMUTING_CONTENTS),
                ]
                for tid in [str(y) for y in year_list] or [DEFAULT_TID["03321"]]:
                    got = table("03321", commuting_params, tid)
                    rows = got and parse_commuting(*got, lookup, problems, ds.notes)
                    flows += rows or []
                ds.commuting = flows
            elif part == "employment":
                params = [
                    ("valueCodes[Region]", "*"),
                    ("valueCodes[ContentsCode]", ",".join(EMPLOYMENT_CONTENTS)),
                ]
                tid = ",".join(map(str, year_list)) or DEFAULT_TID["11618"]
                got = table("11618", params, tid)
                ds.employment = got and parse_employment(*got, lookup, problems, ds.notes)
            elif part == "industry":
                params = [
                    ("valueCodes[Region]", "*"),
                    ("valueCodes[NACE2007]", "*"),
                    ("valueCodes[ContentsCode]", INDUSTRY_CONTENTS),
                ]
                tid = ",".join(map(str, year_list)) or DEFAULT_TID["13470"]
                got = table("13470", params, tid)
                ds.industry = got and parse_industry(*got, lookup, problems, ds.notes)
            elif part == "emissions":
                url = sources.get("emissions", DEFAULT_EMISSIONS_URL)
                response = fetch.get(url, "Miljødirektoratet", accept="*/*")
                if response is not None:
                    ds.emissions = parse_emissions_workbook(
                        response.content, _source(response), lookup, problems, ds.notes, years
                    )
            report(part, done, len(wanted))
    finally:
        if own_client:
            http.close()
    if problems:
        raise ImportFailed(problems)
    return ds
