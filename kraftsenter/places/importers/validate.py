"""Checks across the parts of a dataset (what a single row cannot know)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from django.utils.translation import gettext as _

from .base import BoundaryRow, CentralityRow, PlaceDataset, PopulationRow, Problem

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
        if not low <= centrality.index <= high:
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
    return problems
