"""The in-memory shape of one import, and the way problems are reported."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kraftsenter.core.imports import ImportFailed, Problem, SourceUnavailable

__all__ = ["ImportFailed", "ImportRefused", "Problem", "SourceUnavailable"]


class ImportRefused(ImportFailed):
    """The rows are valid but the places are incomplete; nothing was written.

    ``partial`` is always True here: ``allow_partial`` (``--allow-partial``) accepts them."""

    def __init__(self, problems: list[Problem], *, partial: bool = True):
        super().__init__(problems)
        self.partial = partial


Origin = tuple[str, int | None]


@dataclass
class CountyRow:
    number: str
    name: str
    name_nb: str
    name_se: str = ""
    name_smj: str = ""
    name_sma: str = ""
    name_fkv: str = ""
    #: How many municipalities the source says the county has (``antall_kommuner``), if it says.
    municipality_count: int | None = None
    origin: Origin = ("", None)


@dataclass
class MunicipalityRow:
    number: str
    name: str
    name_nb: str
    county_number: str
    name_se: str = ""
    name_smj: str = ""
    name_sma: str = ""
    name_fkv: str = ""
    ssb_name: str = ""
    sami_language_area: bool = False
    sami_language: str = ""
    organisation_number: str = ""
    lon: float | None = None
    lat: float | None = None
    origin: Origin = ("", None)


@dataclass
class CentralityRow:
    """``index`` is None when the source gives only the class (KLASS 131→128 correspondence)."""

    number: str
    index: int | None
    klass: int
    origin: Origin = ("", None)


@dataclass
class PopulationRow:
    number: str
    year: int
    population: int | None
    note: str = ""
    origin: Origin = ("", None)


@dataclass
class NumberChangeRow:
    old_number: str
    old_name: str
    new_number: str
    new_name: str
    note: str = ""
    changed_on: dt.date | None = None
    origin: Origin = ("", None)


@dataclass
class BoundaryRow:
    number: str
    geometry: dict
    origin: Origin = ("", None)


@dataclass
class SamiAreaRow:
    """A municipality's (four digits) or county municipality's (two digits) membership of the
    administrative area for Sami languages. ``in_area_from`` None: date of entry not known;
    ``in_area_to`` None: still in the area. ``builtin``: from the built-in regulation data (a
    place the dataset does not hold is then skipped with a note instead of refused)."""

    number: str
    name: str = ""
    category: str = ""
    language: str = ""
    in_area_from: dt.date | None = None
    in_area_to: dt.date | None = None
    source: str = ""
    builtin: bool = False
    origin: Origin = ("", None)

    @property
    def is_county(self) -> bool:
        return len(self.number) == 2

    def covers(self, on: dt.date) -> bool:
        return (self.in_area_from is None or self.in_area_from <= on) and (
            self.in_area_to is None or on <= self.in_area_to
        )


@dataclass
class PlaceDataset:
    """Everything one import read. Parts that a source did not offer are ``None``."""

    source: str
    reference_date: dt.date
    counties: list[CountyRow] = field(default_factory=list)
    municipalities: list[MunicipalityRow] = field(default_factory=list)
    centrality: list[CentralityRow] | None = None
    centrality_version: str = ""
    population: list[PopulationRow] | None = None
    number_changes: list[NumberChangeRow] | None = None
    boundaries: list[BoundaryRow] | None = None
    #: The dated Sami language area (municipalities and county municipalities); None: the
    #: dataset says nothing about it and the stored memberships are kept.
    sami_area: list[SamiAreaRow] | None = None
    notes: list[str] = field(default_factory=list)
    #: Why the dataset is deliberately a selection of the places (a directory's ``utvalg.txt``,
    #: e.g. the built-in demo set); empty when it must hold every county and municipality.
    selection: str = ""
    #: Every county and municipality (number → name) of the source's own classification
    #: version, when the source has one (SSB KLASS 104 and 131 for the official sources).
    expected_counties: dict[str, str] | None = None
    expected_municipalities: dict[str, str] | None = None
    #: Where those lists come from, for messages ("SSB KLASS 131, 2026-03-01").
    county_classification: str = ""
    municipality_classification: str = ""
