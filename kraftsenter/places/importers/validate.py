"""Checks across the parts of a dataset (what a single row cannot know), and its completeness."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from django.utils import formats
from django.utils.translation import gettext as _

from .base import BoundaryRow, CentralityRow, PlaceDataset, PopulationRow, Problem, SamiAreaRow

#: The divisions a directory in the documented format can hold, by the date they are valid
#: from: (counties, municipalities). SSB KLASS 104 and 131, the version of 1 January 2024
#: (unchanged in 2025 and 2026 apart from names). The official sources bring their own list.
DIVISIONS = {dt.date(2024, 1, 1): (15, 357)}
#: How many missing places one message names before "and N more".
LISTED = 10

# SSB's class limits for the centrality index (KLASS 128, 2020 version).
CENTRALITY_CLASS_LIMITS = {
    1: (925, 1000),
    2: (870, 924),
    3: (775, 869),
    4: (670, 774),
    5: (565, 669),
    6: (0, 564),
}


def check_dataset(
    ds: PlaceDataset, *, known_municipalities: set[str] | None = None
) -> list[Problem]:
    """Every cross-file problem. ``known_municipalities``: numbers already in the database."""
    problems: list[Problem] = []

    county_numbers = Counter(c.number for c in ds.counties)
    for row in ds.counties:
        if county_numbers[row.number] > 1:
            problems.append(
                Problem(
                    row.origin[0],
                    row.origin[1],
                    "fylkesnummer",
                    _("County number %(number)s appears more than once.") % {"number": row.number},
                )
            )
    muni_numbers = Counter(m.number for m in ds.municipalities)
    for muni in ds.municipalities:
        src, line = muni.origin
        if muni_numbers[muni.number] > 1:
            problems.append(
                Problem(
                    src,
                    line,
                    "kommunenummer",
                    _("Municipality number %(number)s appears more than once.")
                    % {"number": muni.number},
                )
            )
        if muni.county_number not in county_numbers:
            problems.append(
                Problem(
                    src,
                    line,
                    "fylkesnummer",
                    _("Unknown county number %(county)s.") % {"county": muni.county_number},
                )
            )
        if not muni.number.startswith(muni.county_number):
            problems.append(
                Problem(
                    src,
                    line,
                    "fylkesnummer",
                    _(
                        "County number %(county)s does not match municipality number "
                        "%(number)s (its first two digits are the county)."
                    )
                    % {"county": muni.county_number, "number": muni.number},
                )
            )

    known = set(muni_numbers) | (known_municipalities or set())

    def unknown(
        kind_rows: Sequence[CentralityRow | PopulationRow | BoundaryRow] | None,
        field_name: str = "kommunenummer",
    ) -> None:
        for row in kind_rows or []:
            if row.number not in known:
                problems.append(
                    Problem(
                        row.origin[0],
                        row.origin[1],
                        field_name,
                        _("Unknown municipality number %(number)s.") % {"number": row.number},
                    )
                )

    unknown(ds.centrality)
    unknown(ds.population)
    unknown(ds.boundaries)

    for centrality in ds.centrality or []:
        low, high = CENTRALITY_CLASS_LIMITS[centrality.klass]
        if centrality.index is not None and not low <= centrality.index <= high:
            problems.append(
                Problem(
                    centrality.origin[0],
                    centrality.origin[1],
                    "sentralitetsklasse",
                    _(
                        "Class %(klass)s does not match index %(index)s "
                        "(class %(klass)s is %(low)s–%(high)s)."
                    )
                    % {
                        "klass": centrality.klass,
                        "index": centrality.index,
                        "low": low,
                        "high": high,
                    },
                )
            )
    seen: set[tuple[str, int]] = set()
    for figure in ds.population or []:
        key = (figure.number, figure.year)
        if key in seen:
            problems.append(
                Problem(
                    figure.origin[0],
                    figure.origin[1],
                    "aar",
                    _("Population for %(number)s in %(year)s appears more than once.")
                    % {"number": figure.number, "year": figure.year},
                )
            )
        seen.add(key)
    for change in ds.number_changes or []:
        if change.new_number not in known:
            problems.append(
                Problem(
                    change.origin[0],
                    change.origin[1],
                    "kommunenummer_2024",
                    _("Unknown municipality number %(number)s.") % {"number": change.new_number},
                )
            )
    problems += _sami_area_problems(ds, known, set(county_numbers))
    return problems


def _sami_area_problems(ds: PlaceDataset, known: set[str], counties: set[str]) -> list[Problem]:
    """Unknown places (a selection or the built-in regulation data may name places the dataset
    lacks: those are skipped when loading) and overlapping periods of the same place."""
    problems: list[Problem] = []
    seen: dict[str, list[SamiAreaRow]] = {}
    for row in ds.sami_area or []:
        field_name = "fylkesnummer" if row.is_county else "kommunenummer"
        if row.number not in (counties if row.is_county else known):
            if not (row.builtin or ds.selection):
                problems.append(
                    Problem(
                        row.origin[0],
                        row.origin[1],
                        field_name,
                        (
                            _("Unknown county number %(county)s.") % {"county": row.number}
                            if row.is_county
                            else _("Unknown municipality number %(number)s.")
                            % {"number": row.number}
                        ),
                    )
                )
            continue
        for other in seen.get(row.number, []):
            if _overlap(row, other):
                problems.append(
                    Problem(
                        row.origin[0],
                        row.origin[1],
                        "i_omradet_fra",
                        _("%(number)s is in the area twice at the same time (see line %(line)s).")
                        % {"number": row.number, "line": other.origin[1]},
                    )
                )
        seen.setdefault(row.number, []).append(row)
    return problems


def _overlap(a: SamiAreaRow, b: SamiAreaRow) -> bool:
    low, high = dt.date.min, dt.date.max
    return (a.in_area_from or low) <= (b.in_area_to or high) and (b.in_area_from or low) <= (
        a.in_area_to or high
    )


def _listing(labels: Iterable[str]) -> str:
    ordered = sorted(labels)
    shown = ", ".join(ordered[:LISTED])
    if len(ordered) > LISTED:
        shown = _("%(shown)s and %(count)s more") % {
            "shown": shown,
            "count": formats.number_format(len(ordered) - LISTED, force_grouping=True),
        }
    return shown


def _count(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def check_complete(
    ds: PlaceDataset,
    *,
    stored_counties: dict[str, str] | None = None,
    stored_municipalities: dict[str, str] | None = None,
) -> list[Problem]:
    """What keeps the dataset from holding every current county and municipality.

    The expected places are, in this order of preference: the source's own classification
    (``ds.expected_counties``/``expected_municipalities``: SSB KLASS 104 and 131 for the official
    sources), else the counts of the division the dataset's reference date falls in
    (:data:`DIVISIONS`) and the counts per county the counties file gives (``antall_kommuner``).
    Places stored in the database, or named by the dataset's other parts (centrality,
    population, boundaries, renumberings), that the dataset lacks are named.
    """
    problems: list[Problem] = []
    counties = {c.number: c for c in ds.counties}
    municipalities = {m.number: m for m in ds.municipalities}
    county_file = ds.counties[0].origin[0] if ds.counties else "fylker_2024.csv"
    muni_file = ds.municipalities[0].origin[0] if ds.municipalities else "kommuner_2024.csv"
    stored_counties = stored_counties or {}
    stored_municipalities = stored_municipalities or {}
    division = max((d for d in DIVISIONS if d <= ds.reference_date), default=None)
    date = formats.date_format(ds.reference_date, "DATE_FORMAT")

    if ds.expected_counties is not None:
        missing = {n: name for n, name in ds.expected_counties.items() if n not in counties}
        if missing:
            problems.append(
                Problem(
                    county_file,
                    None,
                    "",
                    _(
                        "The source holds %(count)s of the %(expected)s counties in "
                        "%(classification)s; missing: %(missing)s."
                    )
                    % {
                        "count": _count(len(ds.expected_counties) - len(missing)),
                        "expected": _count(len(ds.expected_counties)),
                        "classification": ds.county_classification,
                        "missing": _listing(f"{n} {name}" for n, name in missing.items()),
                    },
                )
            )
    else:
        expected = DIVISIONS[division][0] if division else 0
        if len(counties) < expected:
            message = _(
                "The file holds %(count)s of the %(expected)s counties of the division valid "
                "from %(date)s."
            ) % {"count": _count(len(counties)), "expected": _count(expected), "date": date}
            problems.append(Problem(county_file, None, "", message))
        stored_only = {n: name for n, name in stored_counties.items() if n not in counties}
        if stored_only:
            problems.append(
                Problem(
                    county_file,
                    None,
                    "",
                    _("Missing, though the other files or the database have them: %(missing)s.")
                    % {"missing": _listing(f"{n} {name}" for n, name in stored_only.items())},
                )
            )

    if ds.expected_municipalities is not None:
        missing = {
            n: name for n, name in ds.expected_municipalities.items() if n not in municipalities
        }
        if missing:
            problems.append(
                Problem(
                    muni_file,
                    None,
                    "",
                    _(
                        "The source holds %(count)s of the %(expected)s municipalities in "
                        "%(classification)s; missing: %(missing)s."
                    )
                    % {
                        "count": _count(len(ds.expected_municipalities) - len(missing)),
                        "expected": _count(len(ds.expected_municipalities)),
                        "classification": ds.municipality_classification,
                        "missing": _listing(f"{n} {name}" for n, name in missing.items()),
                    },
                )
            )
        return problems

    expected = DIVISIONS[division][1] if division else 0
    if len(municipalities) < expected:
        problems.append(
            Problem(
                muni_file,
                None,
                "",
                _(
                    "The file holds %(count)s of the %(expected)s municipalities of the "
                    "division valid from %(date)s."
                )
                % {
                    "count": _count(len(municipalities)),
                    "expected": _count(expected),
                    "date": date,
                },
            )
        )
    per_county = Counter(m.county_number for m in ds.municipalities)
    for county in ds.counties:
        claimed = county.municipality_count
        if claimed is not None and per_county[county.number] != claimed:
            problems.append(
                Problem(
                    muni_file,
                    None,
                    "",
                    _(
                        "County %(county)s: the file holds %(count)s of its %(expected)s "
                        "municipalities (antall_kommuner in %(file)s)."
                    )
                    % {
                        "county": f"{county.number} {county.name_nb}",
                        "count": _count(per_county[county.number]),
                        "file": county_file,
                        "expected": _count(claimed),
                    },
                )
            )
    # Municipalities the database or the other files know but the dataset lacks, by name
    # where a name is known (the database, the renumbering file).
    names = {c.new_number: c.new_name for c in ds.number_changes or []}
    names.update(stored_municipalities)
    elsewhere = (
        {row.number for rows in (ds.centrality, ds.population, ds.boundaries) for row in rows or []}
        | {c.new_number for c in ds.number_changes or []}
        | set(stored_municipalities)
    )
    lacking = elsewhere - set(municipalities)
    if lacking:
        problems.append(
            Problem(
                muni_file,
                None,
                "",
                _("Missing, though the other files or the database have them: %(missing)s.")
                % {"missing": _listing(f"{n} {names.get(n, '')}".strip() for n in lacking)},
            )
        )
    return problems
