"""Checks across the parts of a dataset (what a single row cannot know)."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from .base import PlaceDataset, Problem

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
    for row in ds.municipalities:
        src, line = row.origin
        if muni_numbers[row.number] > 1:
            problems.append(
                Problem(
                    src,
                    line,
                    "kommunenummer",
                    _("Municipality number %(number)s appears more than once.")
                    % {"number": row.number},
                )
            )
        if row.county_number not in county_numbers:
            problems.append(
                Problem(
                    src,
                    line,
                    "fylkesnummer",
                    _("Unknown county number %(county)s.") % {"county": row.county_number},
                )
            )
        if not row.number.startswith(row.county_number):
            problems.append(
                Problem(
                    src,
                    line,
                    "fylkesnummer",
                    _(
                        "County number %(county)s does not match municipality number "
                        "%(number)s (its first two digits are the county)."
                    )
                    % {"county": row.county_number, "number": row.number},
                )
            )

    known = set(muni_numbers) | (known_municipalities or set())

    def unknown(kind_rows, field_name="kommunenummer"):
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

    for row in ds.centrality or []:
        low, high = CENTRALITY_CLASS_LIMITS[row.klass]
        if not low <= row.index <= high:
            problems.append(
                Problem(
                    row.origin[0],
                    row.origin[1],
                    "sentralitetsklasse",
                    _(
                        "Class %(klass)s does not match index %(index)s "
                        "(class %(klass)s is %(low)s–%(high)s)."
                    )
                    % {"klass": row.klass, "index": row.index, "low": low, "high": high},
                )
            )
    seen: set[tuple[str, int]] = set()
    for row in ds.population or []:
        key = (row.number, row.year)
        if key in seen:
            problems.append(
                Problem(
                    row.origin[0],
                    row.origin[1],
                    "aar",
                    _("Population for %(number)s in %(year)s appears more than once.")
                    % {"number": row.number, "year": row.year},
                )
            )
        seen.add(key)
    for row in ds.number_changes or []:
        if row.new_number not in known:
            problems.append(
                Problem(
                    row.origin[0],
                    row.origin[1],
                    "kommunenummer_2024",
                    _("Unknown municipality number %(number)s.") % {"number": row.new_number},
                )
            )
    return problems
