"""Green-transition scenarios: baseline by sector, a target cut, per-sector measures, a pathway.

Pure arithmetic on figures read once; the scenario record itself is written by services.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from kraftsenter.places.models import Municipality

from .models import EmissionFigure, Scenario

SOURCE = "Miljødirektoratet, kommunefordelt klimagassregnskap"


@dataclass
class SectorLine:
    """One sector: emissions in the base year and in the latest year, the cut the measures
    give (applied to the latest year, where the pathway starts) and what is left by the
    target year."""

    sector: str
    base: float
    cut_percent: float
    projected: float
    latest: float = 0.0


@dataclass
class ScenarioResult:
    """Everything the scenario page and API show; ``None`` where there is no data."""

    base_year: int
    target_year: int
    latest_year: int | None
    history: list[tuple[int, float]] = field(default_factory=list)
    sectors: list[SectorLine] = field(default_factory=list)
    base_total: float | None = None
    target_total: float | None = None
    projected_total: float | None = None
    gap: float | None = None
    pathway: list[tuple[int, float, float]] = field(default_factory=list)
    source: str = SOURCE

    @property
    def has_data(self) -> bool:
        return self.base_total is not None


def place_municipalities(scenario: Scenario) -> list[Municipality]:
    if scenario.municipality is not None:
        return [scenario.municipality]
    region = scenario.region
    assert region is not None, "A scenario is for either a region or a municipality."
    return [region.centre, *region.hinterland.all()]


def emission_years(municipalities: list[Municipality]) -> list[int]:
    """Years with emission figures for every one of these municipalities."""
    ids = [m.pk for m in municipalities]
    per_year: dict[int, set[int]] = {}
    for year, muni in (
        EmissionFigure.objects.filter(municipality_id__in=ids)
        .values_list("year", "municipality_id")
        .distinct()
    ):
        per_year.setdefault(year, set()).add(muni)
    return sorted(y for y, found in per_year.items() if len(found) == len(ids))


def known_sectors(scenario: Scenario) -> list[str]:
    """The sectors the emission figures of the scenario's place name, in any year."""
    if scenario.municipality_id is None and scenario.region_id is None:
        return []
    return list(
        EmissionFigure.objects.filter(municipality__in=place_municipalities(scenario))
        .order_by("sector")
        .values_list("sector", flat=True)
        .distinct()
    )


def sector_baseline(municipalities: list[Municipality], year: int) -> dict[str, float]:
    rows = (
        EmissionFigure.objects.filter(municipality__in=municipalities, year=year)
        .values("sector")
        .annotate(total=Sum("tonnes_co2e"))
        .order_by("sector")
    )
    return {r["sector"]: float(r["total"]) for r in rows}


def compute(scenario: Scenario) -> ScenarioResult:
    municipalities = place_municipalities(scenario)
    years = emission_years(municipalities)
    result = ScenarioResult(
        base_year=scenario.base_year,
        target_year=scenario.target_year,
        latest_year=years[-1] if years else None,
    )
    if scenario.base_year not in years:
        return result
    totals = dict(
        EmissionFigure.objects.filter(municipality__in=municipalities, year__in=years)
        .values_list("year")
        .annotate(total=Sum("tonnes_co2e"))
        .order_by("year")
    )
    result.history = [(y, float(totals[y])) for y in years if y in totals]
    base = sector_baseline(municipalities, scenario.base_year)
    latest = sector_baseline(municipalities, years[-1])
    measures = {k: float(v) for k, v in (scenario.measures or {}).items()}
    for sector in sorted(set(base) | set(latest)):
        start = latest.get(sector, 0.0)
        cut = measures.get(sector, 0.0)
        result.sectors.append(
            SectorLine(sector, base.get(sector, 0.0), cut, start * (1 - cut / 100), start)
        )
    result.base_total = sum(base.values())
    result.target_total = result.base_total * (
        1 - float(Decimal(scenario.target_cut_percent)) / 100
    )
    result.projected_total = sum(s.projected for s in result.sectors)
    result.gap = result.projected_total - result.target_total
    start_year, start_total = years[-1], sum(latest.values())
    span = max(scenario.target_year - start_year, 1)
    result.pathway = [
        (
            year,
            start_total + (result.projected_total - start_total) * (year - start_year) / span,
            result.target_total,
        )
        for year in range(start_year, scenario.target_year + 1)
    ]
    return result
