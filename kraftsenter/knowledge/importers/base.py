"""The in-memory shape of one statistics import, and how municipality numbers are resolved.

Every row carries the 2024 municipality number it belongs to (after renumbering) and its
``origin``: the file or address and line it came from, for problem reports.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kraftsenter.core.imports import ImportFailed, Problem, SourceUnavailable

__all__ = [
    "CommutingRow",
    "EmissionRow",
    "EmploymentRow",
    "ImportFailed",
    "ImportRefused",
    "IndustryRow",
    "Cell",
    "NumberLookup",
    "PARTS",
    "Problem",
    "SourceUnavailable",
    "StatisticsDataset",
    "aggregate",
    "region_map",
]

Origin = tuple[str, int | None]
#: One figure from an official table: year, region code per dimension, other key, content, value.
Cell = tuple[int, dict[str, str], tuple, str, float]

#: The four kinds of statistics, in the order they are read and written.
PARTS = ("commuting", "employment", "industry", "emissions")

YEAR_MIN, YEAR_MAX = 1900, 2100
INDUSTRY_MAX_LENGTH = 120
SECTOR_MAX_LENGTH = 120
SOURCE_MAX_LENGTH = 160


@dataclass
class CommutingRow:
    """Employed persons living in ``home`` and working in ``work`` (SSB 03321)."""

    year: int
    home: str
    work: str
    employed: int
    origin: Origin = ("", None)


@dataclass
class EmploymentRow:
    """Residents 15–74 and employed persons by residence and by workplace (SSB 11618)."""

    year: int
    number: str
    population_15_74: int | None
    employed_residence: int | None
    employed_workplace: int | None
    origin: Origin = ("", None)


@dataclass
class IndustryRow:
    """Employed persons by workplace in one SN2007 industry group (SSB 13470)."""

    year: int
    number: str
    industry: str
    employed: int
    origin: Origin = ("", None)


@dataclass
class EmissionRow:
    """Greenhouse-gas emissions in tonnes CO₂-equivalents (Miljødirektoratet)."""

    year: int
    number: str
    sector: str
    source: str
    tonnes_co2e: float
    origin: Origin = ("", None)


@dataclass
class StatisticsDataset:
    """Everything one import read. A part that the source did not offer is ``None``."""

    source: str
    commuting: list[CommutingRow] | None = None
    employment: list[EmploymentRow] | None = None
    industry: list[IndustryRow] | None = None
    emissions: list[EmissionRow] | None = None
    notes: list[str] = field(default_factory=list)
    #: The years the import was asked for (``--year``); each part present must have them all.
    years_asked: list[int] | None = None
    #: Why the data is deliberately a selection of municipalities whose commuting flows leave
    #: out the municipalities outside it (a directory's ``utvalg.txt``, the built-in demo set);
    #: empty for a source that holds every flow of the municipalities it has.
    selection: str = ""

    def present(self) -> list[str]:
        """The names of the parts this dataset has (see :data:`PARTS`)."""
        return [part for part in PARTS if getattr(self, part) is not None]

    def years(self) -> dict[str, list[int]]:
        """The years found in each part that is present."""
        return {part: sorted({row.year for row in getattr(self, part)}) for part in self.present()}


class ImportRefused(ImportFailed):
    """The rows are valid but the data is not plausible as a whole; nothing was written.

    ``partial`` is True when every problem is one that ``allow_partial`` accepts (the data
    covers less than it should), False when some data contradicts itself or other tables."""

    def __init__(self, problems: list[Problem], *, partial: bool):
        super().__init__(problems)
        self.partial = partial


@dataclass(frozen=True)
class NumberLookup:
    """Resolves a municipality number as written in a source to its 2024 number.

    A number that is a 2024 municipality stays as it is; otherwise it is mapped through the
    recorded renumberings (``places.MunicipalityNumberChange``); otherwise it is unknown.
    When an old number was split (1507 Ålesund → 1508 Ålesund + 1580 Haram) its figures go to
    the successor with the same name, else to the lowest new number: they cannot be split.
    """

    known: frozenset[str]
    renumbered: dict[str, str] = field(default_factory=dict)

    def to_2024(self, number: str) -> str | None:
        """The 2024 number for ``number``, or None when it is not a known municipality."""
        if number in self.known:
            return number
        return self.renumbered.get(number)

    @classmethod
    def build(
        cls, known: Iterable[str], changes: Iterable[tuple[str, str, str, str]] = ()
    ) -> NumberLookup:
        """From 2024 numbers and (old number, old name, new number, new name) changes."""
        known_set = frozenset(known)
        candidates: dict[str, list[tuple[bool, str]]] = {}
        for old, old_name, new, new_name in changes:
            if old in known_set or new not in known_set:
                continue
            candidates.setdefault(old, []).append((old_name.strip() != new_name.strip(), new))
        renumbered = {old: min(options)[1] for old, options in candidates.items()}
        return cls(known=known_set, renumbered=renumbered)

    @classmethod
    def from_database(cls) -> NumberLookup:
        """The municipalities and renumberings in the database (``import_places`` first)."""
        from kraftsenter.places.models import Municipality, MunicipalityNumberChange

        known = Municipality.objects.values_list("number", flat=True)
        if not known.exists():
            raise ImportFailed(
                [
                    Problem(
                        "places",
                        None,
                        "",
                        _(
                            "There are no municipalities in the database; "
                            "run import_places before importing statistics."
                        ),
                    )
                ]
            )
        changes = MunicipalityNumberChange.objects.values_list(
            "old_number", "old_name", "new_number", "new_name"
        )
        return cls.build(list(known), list(changes))


def _number(code: str) -> str:
    return code[2:] if code.startswith("K-") else code


def region_map(
    codes: Iterable[str],
    nonzero: Collection[str],
    lookup: NumberLookup,
    skipped: set[str],
    shadowed: set[str],
) -> dict[str, str]:
    """Code → 2024 number for the codes with figures in one year.

    Codes that are not municipalities go to ``skipped``. An old code whose 2024 number has
    non-zero figures under its own code the same year goes to ``shadowed`` and is left out:
    the same people would be counted twice."""
    mapped: dict[str, str] = {}
    for code in codes:
        number = _number(code)
        target = lookup.to_2024(number) if re.fullmatch(r"[0-9]{4}", number) else None
        if target is None:
            skipped.add(code)
        else:
            mapped[code] = target
    own = {mapped[c] for c in nonzero if c in mapped and _number(c) == mapped[c]}
    shadowed.update(c for c, t in mapped.items() if _number(c) != t and t in own)
    return {c: t for c, t in mapped.items() if _number(c) == t or t not in own}


def aggregate(
    cells: Iterable[Cell], lookup: NumberLookup, what: str, notes: list[str]
) -> dict[tuple, dict[str, float]]:
    """Sum cells per (year, *2024 numbers, *other key) and content; notes what was left out."""
    cells = list(cells)
    present: dict[tuple[int, str], set[str]] = {}
    nonzero: dict[tuple[int, str], set[str]] = {}
    for year, regions, _other, _content, value in cells:
        for dim, code in regions.items():
            present.setdefault((year, dim), set()).add(code)
            if value:
                nonzero.setdefault((year, dim), set()).add(code)
    skipped: set[str] = set()
    shadowed: set[str] = set()
    maps = {
        key: region_map(codes, nonzero.get(key, ()), lookup, skipped, shadowed)
        for key, codes in present.items()
    }
    totals: dict[tuple, dict[str, float]] = {}
    for year, regions, other, content, value in cells:
        targets = [maps[year, dim].get(code) for dim, code in regions.items()]
        if all(targets):
            per_content = totals.setdefault((year, *targets, *other), {})
            per_content[content] = per_content.get(content, 0) + value
    if skipped:
        codes = sorted(skipped)
        notes.append(
            _("%(what)s: codes that are not municipalities were skipped: %(codes)s.")
            % {"what": what, "codes": ", ".join(codes[:20]) + (" …" if len(codes) > 20 else "")}
        )
    if shadowed:
        notes.append(
            _("%(what)s: old numbers that duplicate their 2024 number were left out: %(codes)s.")
            % {"what": what, "codes": ", ".join(sorted(shadowed))}
        )
    return totals
