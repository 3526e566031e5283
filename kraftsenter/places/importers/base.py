"""The in-memory shape of one import, and the way problems are reported."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kraftsenter.core.imports import ImportFailed, Problem, SourceUnavailable

__all__ = ["ImportFailed", "Problem", "SourceUnavailable"]


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
    number: str
    index: int
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
    notes: list[str] = field(default_factory=list)
