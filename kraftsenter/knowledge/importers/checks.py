"""Plausibility of a statistics import as a whole: coverage, shrinking and consistency.

``check_statistics`` runs inside ``load_statistics``'s transaction, after every row has been
resolved to a 2024 municipality and before anything is written. It looks at the figures as they
will be after the import (the dataset laid over what is stored) and sorts what it finds in two
(docs/statistics-import-format.md, "Plausibility"):

*Partial* data, which ``allow_partial`` (``--allow-partial``) accepts; the import then keeps
what it accepted among its notes:

- a year of a part without figures for every municipality that existed that year. That is
  every current municipality in the places tables, except one whose population on 1 January of
  that year is stored as not available: SSB's population series on 2024 borders (07459) has
  no figure for a municipality that did not exist yet, such as 1580 Haram in 2020–2023, whose
  figures are in 1508 Ålesund. (Commuting: the municipality must appear as a place of
  residence and as a place of work.)
- a year asked for (``--year``) that a part does not have;
- a municipality without every industry group that the industry part has in that year;
- a year with fewer figures than are stored, or with fewer known employment figures.

*Implausible* data, which is always refused:

- employment: more employed residents than residents 15–74; in a year with every municipality,
  more employed persons by workplace than by residence in the whole country (everyone with a
  job in a Norwegian municipality lives in one, and is counted by residence too);
- employed by residence (SSB 11618) against the commuting flows out of the municipality
  (SSB 03321, those who stay included); employed by workplace against the flows into it (only
  in a year whose commuting covers every municipality of residence, so that every inflow is
  known) and against the sum of its industry groups (SSB 13470). Each may differ from the
  11618 figure by at most ``TOLERANCE``. Only the pairs an import touches are compared, and a
  municipality's flows out are complete in any file that has it, so a file for one county is
  compared too.

A dataset that is a selection (``StatisticsDataset.selection``, a directory's ``utvalg.txt``
such as the built-in demo set) has commuting flows only between its own municipalities: the
comparisons with commuting flows and the national sum are then left out, with a note; the
comparison with the industry groups is made.

Measured on the real 2020–2022 files (1 068 municipalities and years): workplace and inflow are
equal everywhere, flows out are 0–3.7 % below employed residents (the rest work on the
continental shelf, on Svalbard, abroad or at an unknown place, which 03321 leaves out) and the
industry groups differ from workplace by up to 1.6 % (Telemark). 5 % keeps that margin and
still catches two swapped columns in most municipalities.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kraftsenter.places.models import Municipality, PopulationFigure

from ..models import CommutingFlow, EmploymentFigure, IndustryEmployment
from .base import Problem, StatisticsDataset

#: How far employed persons in SSB 11618 and the same people counted in 03321 or 13470 may differ.
TOLERANCE = 0.05
#: How many municipalities or comparisons one message names before "and N more".
LISTED = 5

PART_LABELS = {
    "commuting": gettext_lazy("Commuting (SSB 03321)"),
    "employment": gettext_lazy("Employment (SSB 11618)"),
    "industry": gettext_lazy("Employment by industry (SSB 13470)"),
    "emissions": gettext_lazy("Emissions (Miljødirektoratet)"),
}
EMPLOYMENT_FIELDS = {
    "population_15_74": gettext_lazy("residents 15–74"),
    "employed_residence": gettext_lazy("employed by residence"),
    "employed_workplace": gettext_lazy("employed by workplace"),
}

# Figures keyed as in load._wanted: (year, municipality id, …) → values.
Figures = dict[tuple, tuple]
Stored = dict[str, tuple[Counter[int], Counter[int]]]  # part → (stored, deleted) per year


@dataclass
class Findings:
    """What the checks found: partial data (``allow_partial`` accepts it), implausible data
    (always refused) and notes about checks that could not be made."""

    partial: list[Problem] = field(default_factory=list)
    implausible: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def number(value: float) -> str:
    """A count with the active language's digit grouping: "78 583" in Norwegian."""
    return formats.number_format(value, force_grouping=True)


def percent(fraction: float) -> str:
    """A share in per cent: whole numbers from 10 (and when whole), one decimal below."""
    if math.isinf(fraction):
        return "∞"
    value = fraction * 100
    shown = round(value) if value >= 10 or round(value, 1) == round(value) else round(value, 1)
    return formats.number_format(shown)


def year_span(years: Iterable[int]) -> str:
    """ "2009, 2011, 2015–2024": runs of consecutive years joined by a dash."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def deviation(reference: int, other: int) -> float:
    """How far ``other`` is from ``reference``, as a share of ``reference``."""
    if reference == 0:
        return 0.0 if other == 0 else math.inf
    return abs(other - reference) / reference


@dataclass
class Places:
    """The municipalities the checks compare against, and their labels for messages."""

    label: dict[int, str]
    current: set[int]
    not_yet: dict[int, set[int]]  # year → municipalities that did not exist as a unit

    @classmethod
    def load(cls, years: Iterable[int]) -> Places:
        rows = Municipality.objects.values_list("id", "number", "name", "valid_to")
        not_yet: dict[int, set[int]] = defaultdict(set)
        missing = PopulationFigure.objects.filter(year__in=set(years), population__isnull=True)
        for year, pk in missing.values_list("year", "municipality_id"):
            not_yet[year].add(pk)
        return cls(
            label={pk: f"{number} {name}" for pk, number, name, _to in rows},
            current={pk for pk, _number, _name, valid_to in rows if valid_to is None},
            not_yet=not_yet,
        )

    def expected(self, year: int) -> set[int]:
        """Every current municipality that existed as a unit in ``year``."""
        return self.current - self.not_yet.get(year, set())

    def listing(self, ids: Iterable[int]) -> str:
        """ "3403 Hamar, 3405 Lillehammer … and 12 more", in number order."""
        labels = sorted(self.label.get(pk, str(pk)) for pk in ids)
        shown = ", ".join(labels[:LISTED])
        if len(labels) > LISTED:
            shown = _("%(shown)s and %(count)s more") % {
                "shown": shown,
                "count": number(len(labels) - LISTED),
            }
        return shown


@dataclass(frozen=True)
class Mismatch:
    """Employed persons in 11618 and the same people counted another way, too far apart."""

    kind: str  # "residence", "workplace" or "industry"
    year: int
    municipality: int
    reference: int
    other: int
    origin: tuple[str, int | None]

    @property
    def deviation(self) -> float:
        return deviation(self.reference, self.other)


MISMATCH_MESSAGES = {
    "residence": gettext_lazy(
        "Employed by residence in %(place)s %(year)s: %(reference)s in SSB 11618, %(other)s by "
        "commuting outflow (SSB 03321): differs by %(deviation)s %%, more than the "
        "%(tolerance)s %% allowed."
    ),
    "workplace": gettext_lazy(
        "Employed by workplace in %(place)s %(year)s: %(reference)s in SSB 11618, %(other)s by "
        "commuting inflow (SSB 03321): differs by %(deviation)s %%, more than the "
        "%(tolerance)s %% allowed."
    ),
    "industry": gettext_lazy(
        "Employed by workplace in %(place)s %(year)s: %(reference)s in SSB 11618, %(other)s in "
        "the industry groups (SSB 13470): differs by %(deviation)s %%, more than the "
        "%(tolerance)s %% allowed."
    ),
}


class Checker:
    """One run of the checks over a dataset and the plans to write it."""

    def __init__(self, ds: StatisticsDataset, wanted: dict[str, Figures], stored: Stored):
        self.ds, self.wanted, self.stored = ds, wanted, stored
        self.findings = Findings()
        years = {key[0] for figures in wanted.values() for key in figures}
        self.places = Places.load(years)
        self.directory = ds.source.startswith("dir:")
        self.ids = dict(Municipality.objects.values_list("number", "id"))
        self.sources = {
            part: sorted({row.origin[0] for row in getattr(ds, part)}) for part in ds.present()
        }
        self.employment_origins = {
            (row.year, self.ids.get(row.number)): row.origin for row in ds.employment or []
        }

    def where(self, part: str) -> str:
        names = self.sources.get(part) or [self.ds.source]
        return ", ".join(names[:3]) + (" …" if len(names) > 3 else "")

    def partial(self, part: str, message: str) -> None:
        self.findings.partial.append(Problem(self.where(part), None, "", message))

    def run(self) -> Findings:
        for part, figures in self.wanted.items():
            self.coverage(part, figures)
            self.shrinking(part, figures)
        if "industry" in self.wanted:
            self.industry_groups(self.wanted["industry"])
        if "employment" in self.wanted:
            self.employment_in_itself(self.wanted["employment"])
        self.consistency()
        return self.findings

    # Partial data -------------------------------------------------------------------------

    def coverage(self, part: str, figures: Figures) -> None:
        """Every municipality in every year the part has; every year asked for."""
        label = PART_LABELS[part]
        covered: dict[int, set[int]] = defaultdict(set)
        if part == "commuting":
            homes: dict[int, set[int]] = defaultdict(set)
            works: dict[int, set[int]] = defaultdict(set)
            for year, home, work in figures:
                homes[year].add(home)
                works[year].add(work)
            for year in homes:
                covered[year] = homes[year] & works[year]
        else:
            for key in figures:
                covered[key[0]].add(key[1])
        # Years with the same municipalities missing are reported together.
        groups: dict[tuple[frozenset[int], frozenset[int]], list[int]] = defaultdict(list)
        for year in sorted(covered):
            expected = self.places.expected(year)
            missing = expected - covered[year]
            if missing:
                groups[frozenset(expected & covered[year]), frozenset(missing)].append(year)
        for (present, absent), years in groups.items():
            expected_count = len(present) + len(absent)
            values = {
                "part": label,
                "years": year_span(years),
                "covered": number(len(present)),
                "expected": number(expected_count),
            }
            if len(present) < len(absent):
                message = _(
                    "%(part)s %(years)s: figures only for %(covered)s of the %(expected)s "
                    "municipalities: %(present)s."
                ) % {**values, "present": self.places.listing(present)}
            else:
                message = _(
                    "%(part)s %(years)s: figures for %(covered)s of the %(expected)s "
                    "municipalities; missing: %(missing)s."
                ) % {**values, "missing": self.places.listing(absent)}
            self.partial(part, message)
        for year in self.ds.years_asked or []:
            if year not in covered:
                self.partial(
                    part,
                    _("%(part)s: no figures for %(year)s, which the import was asked for.")
                    % {"part": label, "year": year},
                )

    def shrinking(self, part: str, figures: Figures) -> None:
        """No year with fewer figures (or fewer known employment figures) than are stored."""
        stored, deleted = self.stored.get(part, (Counter(), Counter()))
        holds = Counter(key[0] for key in figures)
        label = PART_LABELS[part]
        for year in sorted(stored):
            if holds[year] >= stored[year]:
                continue
            values = {
                "part": label,
                "year": year,
                "count": number(holds[year]),
                "stored": number(stored[year]),
                "deleted": number(deleted[year]),
            }
            if self.directory and deleted[year]:
                message = _(
                    "%(part)s %(year)s: the file holds %(count)s of the %(stored)s figures "
                    "stored; importing it would delete %(deleted)s of them."
                )
            elif self.directory:
                message = _(
                    "%(part)s %(year)s: the file holds %(count)s of the %(stored)s figures stored."
                )
            elif deleted[year]:
                message = _(
                    "%(part)s %(year)s: the source holds %(count)s of the %(stored)s figures "
                    "stored; importing it would delete %(deleted)s of them."
                )
            else:
                message = _(
                    "%(part)s %(year)s: the source holds %(count)s of the %(stored)s figures "
                    "stored."
                )
            self.partial(part, message % values)
        if part == "employment":
            self.employment_known(figures)

    def employment_known(self, figures: Figures) -> None:
        years = {key[0] for key in figures}
        counts = (
            EmploymentFigure.objects.filter(year__in=years)
            .values("year")
            .annotate(**{name: Count(name) for name in EMPLOYMENT_FIELDS})
        )
        for row in sorted(counts, key=lambda r: r["year"]):
            year = row["year"]
            for index, (name, what) in enumerate(EMPLOYMENT_FIELDS.items()):
                known = sum(
                    1
                    for key, values in figures.items()
                    if key[0] == year and values[index] is not None
                )
                if known < row[name]:
                    self.partial(
                        "employment",
                        _(
                            "%(part)s %(year)s: %(count)s known figures of %(what)s, where "
                            "%(stored)s are stored."
                        )
                        % {
                            "part": PART_LABELS["employment"],
                            "year": year,
                            "count": number(known),
                            "what": what,
                            "stored": number(row[name]),
                        },
                    )

    def industry_groups(self, figures: Figures) -> None:
        """Every municipality has every industry group the part has that year."""
        groups: dict[int, set[str]] = defaultdict(set)
        have: dict[tuple[int, int], set[str]] = defaultdict(set)
        for year, municipality, industry in figures:
            groups[year].add(industry)
            have[year, municipality].add(industry)
        for year in sorted(groups):
            short = {m: groups[year] - g for (y, m), g in have.items() if y == year}
            short = {m: g for m, g in short.items() if g}
            if not short:
                continue
            lacking = sorted({group for g in short.values() for group in g})
            self.partial(
                "industry",
                _(
                    "%(part)s %(year)s: %(groups)s industry groups, but not all of them for "
                    "%(municipalities)s; missing: %(missing)s."
                )
                % {
                    "part": PART_LABELS["industry"],
                    "year": year,
                    "groups": number(len(groups[year])),
                    "municipalities": self.places.listing(short),
                    "missing": ", ".join(lacking[:LISTED])
                    + (" …" if len(lacking) > LISTED else ""),
                },
            )

    # Implausible data ---------------------------------------------------------------------

    def employment_origin(self, year: int, municipality: int) -> tuple[str, int | None]:
        """The file and line of an employment figure (its first row when several were added)."""
        return self.employment_origins.get((year, municipality), (self.where("employment"), None))

    def employment_in_itself(self, figures: Figures) -> None:
        """Employed residents never outnumber residents 15–74."""
        both = [(key, values) for key, values in figures.items() if None not in values[:2]]
        over = [(key, values) for key, values in both if values[1] > values[0]]
        for (year, municipality), (population, employed, _workplace) in sorted(over)[:LISTED]:
            source, line = self.employment_origin(year, municipality)
            self.findings.implausible.append(
                Problem(
                    source,
                    line,
                    "",
                    _(
                        "Employment in %(place)s %(year)s: %(employed)s employed residents but "
                        "%(population)s residents 15–74; there cannot be more employed residents "
                        "than residents."
                    )
                    % {
                        "place": self.places.label[municipality],
                        "year": year,
                        "employed": number(employed),
                        "population": number(population),
                    },
                )
            )
        if len(over) > LISTED:
            self.implausible_more(len(over) - LISTED, self.where("employment"))
        if over and len(over) * 2 > len(both):
            self.swap_hint(
                "befolkning_15_74_bosted", "sysselsatte_bosted", "BefolkningBosted", "SysselBosted"
            )

    def implausible_more(self, count: int, source: str) -> None:
        self.findings.implausible.append(
            Problem(
                source,
                None,
                "",
                _("%(count)s more like this.") % {"count": number(count)},
            )
        )

    def swap_hint(self, first: str, second: str, first_code: str, second_code: str) -> None:
        columns = (first, second) if self.directory else (first_code, second_code)
        self.findings.implausible.append(
            Problem(
                self.where("employment"),
                None,
                "",
                _(
                    "The figures fit far better with %(first)s and %(second)s swapped: are the "
                    "two columns swapped?"
                )
                % {"first": columns[0], "second": columns[1]},
            )
        )

    def consistency(self) -> None:
        """11618 against 03321 and 13470, as the tables will be after the import."""
        file_years = {part: {key[0] for key in figures} for part, figures in self.wanted.items()}
        employment_years = file_years.get("employment", set())
        years = (
            employment_years
            | file_years.get("commuting", set())
            | file_years.get("industry", set())
        )
        if not years:
            return
        mismatches: list[Mismatch] = []
        # Of the comparisons with the file's employment rows: how many fail as given, and how
        # many would fail with employed by residence and by workplace swapped.
        failing = Counter({"given": 0, "swapped": 0})
        selection = self.ds.selection
        if selection and ("commuting" in self.wanted or "employment" in self.wanted):
            self.findings.notes.append(
                _(
                    "The data is a selection (%(reason)s): its commuting flows leave out the "
                    "municipalities outside it, so employment was not compared with them, nor "
                    "summed over the country."
                )
                % {"reason": selection}
            )
        for year in sorted(years):
            employment = self.merged_employment(year)
            if not selection and year in employment_years | file_years.get("commuting", set()):
                mismatches += self.against_commuting(year, employment, failing)
            if year in employment_years | file_years.get("industry", set()):
                mismatches += self.against_industry(year, employment)
            if not selection and year in employment_years:
                self.national_sum(year, employment)
        by_kind: dict[str, list[Mismatch]] = defaultdict(list)
        for mismatch in mismatches:
            by_kind[mismatch.kind].append(mismatch)
        for kind in ("residence", "workplace", "industry"):
            found = sorted(by_kind[kind], key=lambda m: (-m.deviation, m.year, m.municipality))
            for mismatch in found[:LISTED]:
                self.findings.implausible.append(
                    Problem(
                        mismatch.origin[0],
                        mismatch.origin[1],
                        "",
                        MISMATCH_MESSAGES[kind]
                        % {
                            "place": self.places.label[mismatch.municipality],
                            "year": mismatch.year,
                            "reference": number(mismatch.reference),
                            "other": number(mismatch.other),
                            "deviation": percent(mismatch.deviation),
                            "tolerance": percent(TOLERANCE),
                        },
                    )
                )
            if len(found) > LISTED:
                self.implausible_more(len(found) - LISTED, found[LISTED].origin[0])
        if failing["given"] and failing["swapped"] * 2 < failing["given"]:
            self.swap_hint(
                "sysselsatte_bosted", "sysselsatte_arbeidssted", "SysselBosted", "SysselArbsted"
            )

    def merged_employment(self, year: int) -> dict[int, tuple[tuple, bool]]:
        """Municipality → ((population, residence, workplace), whether the dataset has them):
        the stored employment figures of ``year`` with the dataset's laid over them."""
        merged: dict[int, tuple[tuple, bool]] = {
            pk: (values, False)
            for pk, *values in EmploymentFigure.objects.filter(year=year).values_list(
                "municipality_id", *EMPLOYMENT_FIELDS
            )
        }
        for (figure_year, municipality), values in self.wanted.get("employment", {}).items():
            if figure_year == year:
                merged[municipality] = (values, True)
        return merged

    def against_commuting(
        self, year: int, employment: dict[int, tuple[tuple, bool]], failing: Counter[str]
    ) -> list[Mismatch]:
        """Residence against flows out, workplace against flows in (when every home is there).

        Counts in ``failing`` how many comparisons with the file's employment rows fail as
        given and how many would fail with residence and workplace swapped."""
        outflow: Counter[int] = Counter()
        inflow: Counter[int] = Counter()
        from_file: set[int] = set()
        for (figure_year, home, work), (employed,) in self.wanted.get("commuting", {}).items():
            if figure_year == year:
                outflow[home] += employed
                inflow[work] += employed
                from_file.add(home)
        stored = CommutingFlow.objects.filter(year=year).exclude(home_id__in=from_file)
        for home, total in stored.values_list("home_id").annotate(total=Sum("employed")):
            outflow[home] += total
        for work, total in stored.values_list("work_id").annotate(total=Sum("employed")):
            inflow[work] += total
        if not outflow:
            return []
        mismatches: list[Mismatch] = []
        every_home = self.places.expected(year) <= set(outflow)
        untested = False

        def compare(kind: str, pk: int, reference: Any, other: int, origin: tuple) -> None:
            if reference is None:
                return
            wrong = deviation(reference, other) > TOLERANCE
            if wrong:
                mismatches.append(Mismatch(kind, year, pk, reference, other, origin))
            values, in_file = employment[pk]
            if in_file:
                failing["given"] += wrong
                swap = values[2] if kind == "residence" else values[1]
                failing["swapped"] += swap is None or deviation(swap, other) > TOLERANCE

        for pk, (values, in_file) in employment.items():
            origin = (
                self.employment_origin(year, pk) if in_file else (self.where("commuting"), None)
            )
            if pk in outflow and (in_file or pk in from_file):
                compare("residence", pk, values[1], outflow[pk], origin)
            if in_file or from_file:
                if every_home:
                    compare("workplace", pk, values[2], inflow[pk], origin)
                else:
                    untested = True
        if untested:
            self.findings.notes.append(
                _(
                    "Employed by workplace in %(year)s was not compared with commuting inflows: "
                    "the commuting figures do not cover every municipality of residence."
                )
                % {"year": year}
            )
        return mismatches

    def against_industry(
        self, year: int, employment: dict[int, tuple[tuple, bool]]
    ) -> list[Mismatch]:
        """Workplace against the sum of the industry groups."""
        groups: Counter[int] = Counter()
        from_file: set[int] = set()
        for (figure_year, pk, _industry), (employed,) in self.wanted.get("industry", {}).items():
            if figure_year == year:
                groups[pk] += employed
                from_file.add(pk)
        stored = IndustryEmployment.objects.filter(year=year).exclude(municipality_id__in=from_file)
        for pk, total in stored.values_list("municipality_id").annotate(total=Sum("employed")):
            groups[pk] += total
        mismatches = []
        for pk, (values, in_file) in employment.items():
            if pk not in groups or values[2] is None or not (in_file or pk in from_file):
                continue
            if deviation(values[2], groups[pk]) > TOLERANCE:
                origin = (
                    self.employment_origin(year, pk) if in_file else (self.where("industry"), None)
                )
                mismatches.append(Mismatch("industry", year, pk, values[2], groups[pk], origin))
        return mismatches

    def national_sum(self, year: int, employment: dict[int, tuple[tuple, bool]]) -> None:
        """In a year with every municipality: workplace never exceeds residence nationwide."""
        known = {pk for pk, (values, _f) in employment.items() if None not in values[1:]}
        if not self.places.expected(year) <= known:
            return
        residence = sum(employment[pk][0][1] for pk in known)
        workplace = sum(employment[pk][0][2] for pk in known)
        if workplace > residence:
            self.findings.implausible.append(
                Problem(
                    self.where("employment"),
                    None,
                    "",
                    _(
                        "Employment %(year)s: %(workplace)s employed by workplace but "
                        "%(residence)s by residence in the whole country; everyone with a job in "
                        "a Norwegian municipality lives in one, so there cannot be more."
                    )
                    % {
                        "year": year,
                        "workplace": number(workplace),
                        "residence": number(residence),
                    },
                )
            )


def check_statistics(ds: StatisticsDataset, wanted: dict[str, Figures], stored: Stored) -> Findings:
    """Everything partial or implausible about importing ``wanted`` (see the module docstring).

    ``wanted`` holds each part's figures keyed as stored (year, municipality ids, …);
    ``stored`` the stored and to-be-deleted figures per year of each part (from the plan)."""
    return Checker(ds, wanted, stored).run()
