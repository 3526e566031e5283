"""The region profile: population, employment, commuting, industry and emissions of a place.

A place is a region (centre + hinterland) or one municipality. Every number is a ``Figure`` with
its source and year; a missing statistic is ``value=None`` ("no data"), never 0. A total over
several municipalities is given only when every one of them has data for that year, and the
year shown is the newest year in which they all have. All data is read with a constant number of
queries (at most ten for ``place_profile``), however many municipalities the place has.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.signals import setting_changed
from django.db import router
from django.db.models import Count, Q, QuerySet, Subquery, Sum
from django.dispatch import receiver
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kraftsenter.core import prepared
from kraftsenter.core.markup import format_html
from kraftsenter.core.models import DataImport
from kraftsenter.places.models import County, Municipality, PopulationFigure, Region

from .models import CommutingFlow, EmissionFigure, EmploymentFigure, IndustryEmployment

POPULATION = "SSB, tabell 07459"
EMPLOYMENT = "SSB, tabell 11618"
COMMUTING = "SSB, tabell 03321"
INDUSTRY = "SSB, tabell 13470"
EMISSIONS = "Miljødirektoratet, klimagassregnskap for kommuner"
TREND_YEARS = 10
STRENGTH_QUOTIENT = 1.25  # a location quotient from here up marks a relative strength
UNSPECIFIED_INDUSTRY = "Uoppgitt"  # SSB's group for unknown industry: never a strength
TOP_FLOWS = 5
PERCENT, TONNES = "%", "t CO₂e"
KINDS = {"n": ("", 0), "%": (PERCENT, 1), "x": ("", 2), "t": (TONNES, 0), "t1": (TONNES, 1)}


@dataclass(frozen=True)
class Figure:
    """One number, its source and its year. ``value is None`` means no data (never 0);
    ``note`` says why, when the reason is more than an empty cell."""

    value: float | None
    source: str
    year: int | None
    unit: str = ""
    decimals: int = 0
    note: str = ""

    @property
    def fmt(self) -> str:
        """The ``floatformat`` argument for this figure (decimals, thousands grouped)."""
        return f"{self.decimals}g"

    @property
    def html(self) -> SafeString:
        """The figure as ``knowledge/_figure.html`` shows it ("no data", or the value with
        thousands grouped and its unit), built here: a profile shows about a hundred figures,
        and an ``{% include %}`` for each was most of the page's template time. Each
        (figure, language) is formatted once per process (:func:`_figure_html`)."""
        return _figure_html(self, get_language())


@functools.lru_cache(maxsize=16384)
def _figure_html(figure: Figure, _language: str | None) -> SafeString:
    """:attr:`Figure.html` in the active language (its argument: the cache's key). A figure
    is a frozen value, so its markup is the same whenever it comes again, as the same region's
    profile does at every request; ``floatformat`` was a third of the profile's Python."""
    if figure.value is None:
        return format_html('<span class="ks-nodata">{}</span>', _("no data"))
    unit = format_html("&nbsp;{}", figure.unit) if figure.unit else ""
    return format_html(
        '<span class="ks-value">{}{}</span>', floatformat(figure.value, figure.fmt), unit
    )


@receiver(setting_changed)
def _forget_figures(**kwargs: object) -> None:
    """A changed setting (tests) may change how numbers are written."""
    _figure_html.cache_clear()


@dataclass
class MemberFigures:
    """One municipality of the place, at the place's years (the map indicators come from here)."""

    id: int
    number: str
    name: str
    role: str  # "centre", "hinterland" or "" (a municipality on its own or on a county map)
    population: Figure
    population_change_percent: Figure
    employed_residence: Figure
    employed_workplace: Figure
    jobs_per_employed: Figure  # employed by workplace / employed by residence
    out_commuting_share: Figure  # % of employed residents working in another municipality
    emissions_per_capita: Figure
    to_centre: Figure  # employed residents working in the centre (hinterland only)


@dataclass
class PopulationSection:
    latest: Figure
    base: Figure  # TREND_YEARS before latest
    change: Figure
    change_percent: Figure
    series: list[Figure]


@dataclass
class EmploymentSection:
    population_15_74: Figure
    employed_residence: Figure
    employed_workplace: Figure
    employment_rate: Figure  # employed residents / residents 15–74, %
    jobs_per_employed: Figure


@dataclass
class HinterlandCommuting:
    """Commuting between one hinterland municipality and the centre."""

    number: str
    name: str
    employed_residents: Figure
    to_centre: Figure
    to_centre_share: Figure  # % of the municipality's employed residents
    share_of_centre_jobs: Figure  # % of the centre's jobs
    from_centre: Figure


@dataclass
class FlowLine:
    number: str
    name: str
    employed: Figure


@dataclass
class CommutingSection:
    """From the commuting matrix alone, so that the shares add up (one table, one year)."""

    year: int | None
    employed_residents: Figure
    jobs: Figure
    living_and_working: Figure  # jobs in the place held by residents of the place
    self_containment: Figure  # jobs' self-containment: living_and_working / jobs, %
    residents_self_containment: Figure  # living_and_working / employed residents, %
    out_commuting_share: Figure  # residents working outside the place, %
    in_commuting_share: Figure  # jobs filled from outside the place, %
    centre_jobs: Figure
    centre_jobs_local: Figure  # the centre's jobs held by the centre's own residents
    hinterland: list[HinterlandCommuting]
    destinations: list[FlowLine]  # largest flows out of the place
    origins: list[FlowLine]  # largest flows into the place
    #: Set when the stored flows are a selection (the built-in demo set): flows to and from
    #: municipalities outside it are missing, so the shares above understate commuting.
    selection_note: str = ""


@dataclass
class IndustryRow:
    industry: str
    jobs: Figure
    share: Figure
    lq_county: Figure
    lq_country: Figure

    @property
    def strength(self) -> bool:
        return self.industry != UNSPECIFIED_INDUSTRY and any(
            q.value is not None and q.value >= STRENGTH_QUOTIENT
            for q in (self.lq_county, self.lq_country)
        )


@dataclass
class IndustrySection:
    year: int | None
    total: Figure
    county: str
    county_note: str
    country_note: str
    rows: list[IndustryRow]
    #: Says when the industry figures are of another year than the employment and commuting
    #: figures beside them (SSB publishes 13470 later and for other years than 11618/03321).
    years_note: str = ""

    @property
    def strengths(self) -> list[IndustryRow]:
        return [r for r in self.rows if r.strength]


@dataclass
class SectorRow:
    sector: str
    base: Figure
    latest: Figure
    change_percent: Figure


@dataclass
class EmissionSection:
    total: Figure
    base_total: Figure
    change_percent: Figure
    per_capita: Figure
    series: list[Figure]
    sectors: list[SectorRow]


@dataclass
class Profile:
    name: str
    centre: str | None  # the centre's municipality number
    members: list[MemberFigures]
    population: PopulationSection
    employment: EmploymentSection
    commuting: CommutingSection
    industry: IndustrySection
    emissions: EmissionSection


def _fig(
    source: str, value: float | None, year: int | None, kind: str = "n", note: str = ""
) -> Figure:
    """A Figure of one of the KINDS (count, percent, quotient, tonnes, tonnes with a decimal)."""
    unit, decimals = KINDS[kind]
    return Figure(value, source, year, unit, decimals, note)


def _total(values: Iterable[float | None]) -> float | None:
    """The sum when every part is known; None otherwise (a partial sum is not a total)."""
    total = 0.0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _ratio(num: float | None, den: float | None, scale: float = 1.0) -> float | None:
    return None if num is None or not den else num / den * scale


def _diff(new: float | None, old: float | None) -> float | None:
    return None if new is None or old is None else new - old


def _change(new: float | None, old: float | None) -> float | None:
    return _ratio(_diff(new, old), old, 100)


def _pick_year(
    ids: Sequence[int], table: dict[int, dict[int, Any]]
) -> tuple[int | None, list[int]]:
    """The newest year every member has data (else the newest anyone has); all years, sorted."""
    known = [{y for y, v in table.get(i, {}).items() if v is not None} for i in ids]
    every = set.intersection(*known) if known else set()
    anyone = set().union(*known)
    return (max(every) if every else max(anyone, default=None)), sorted(anyone)


@dataclass
class _Data:
    """Everything read from the database for one place, keyed by municipality id and year."""

    population: dict[int, dict[int, int | None]]
    employment: dict[int, dict[int, tuple[int | None, int | None, int | None]]]
    commuting_year: int | None
    flows: dict[tuple[int, int], int]  # (home id, work id) -> employed
    emissions: dict[int, dict[int, dict[str, float]]]  # id -> year -> sector -> tonnes

    def __post_init__(self) -> None:
        self.residents: dict[int, int] = defaultdict(int)
        self.jobs: dict[int, int] = defaultdict(int)
        for (h, w), n in self.flows.items():
            self.residents[h] += n
            self.jobs[w] += n

    def pop(self, mid: int, year: int | None) -> int | None:
        return self.population.get(mid, {}).get(year) if year else None

    def employed(self, mid: int, year: int | None) -> tuple[int | None, ...]:
        known = self.employment.get(mid, {}).get(year) if year is not None else None
        return known or (None, None, None)

    def flow(self, home: int | None, work: int | None) -> int:
        """The employed living in ``home`` and working in ``work`` (0 when none are known)."""
        if home is None or work is None:
            return 0
        return self.flows.get((home, work), 0)

    def emitted(self, mid: int, year: int | None) -> float | None:
        sectors = self.emissions.get(mid, {}).get(year) if year else None
        return sum(sectors.values()) if sectors else None

    def out_share(self, mid: int) -> float | None:
        if mid not in self.residents:
            return None
        return _ratio(self.residents[mid] - self.flows.get((mid, mid), 0), self.residents[mid], 100)


def _population_rows(ids: tuple[int, ...]) -> QuerySet[Any]:
    return (
        PopulationFigure.objects.filter(municipality_id__in=ids)
        .order_by()
        .values_list("municipality_id", "year", "population")
    )


def _employment_rows(ids: tuple[int, ...]) -> QuerySet[Any]:
    return (
        EmploymentFigure.objects.filter(municipality_id__in=ids)
        .order_by()
        .values_list(
            "municipality_id",
            "year",
            "population_15_74",
            "employed_residence",
            "employed_workplace",
        )
    )


def _flow_rows(ids: tuple[int, ...]) -> QuerySet[Any]:
    """The flows to, from and within the municipalities in the newest year any of them has
    (one statement: the year is a subquery)."""
    touching = Q(home_id__in=ids) | Q(work_id__in=ids)
    newest = CommutingFlow.objects.filter(touching).order_by("-year").values("year")[:1]
    return (
        CommutingFlow.objects.filter(touching, year=Subquery(newest))
        .order_by()
        .values_list("year", "home_id", "work_id", "employed")
    )


def _emission_rows(ids: tuple[int, ...]) -> QuerySet[Any]:
    return (
        EmissionFigure.objects.filter(municipality_id__in=ids)
        .values("municipality_id", "year", "sector")
        .annotate(tonnes=Sum("tonnes_co2e"))
        .order_by()
        .values_list("municipality_id", "year", "sector", "tonnes")
    )


def _load(ids: list[int], *, emissions: bool = True) -> _Data:
    """Three or four queries, whatever the number of municipalities (one less without the
    emissions), each with its statement built once per number of municipalities
    (:mod:`kraftsenter.core.prepared`: the ORM built them anew for a millisecond of a map)."""
    population: dict[int, dict[int, int | None]] = defaultdict(dict)
    employment: dict[int, dict] = defaultdict(dict)
    flows: dict[tuple[int, int], int] = {}
    emitted: dict[int, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    year = None
    if not ids:
        return _Data(population, employment, year, flows, emitted)
    key, alias = tuple(ids), router.db_for_read(PopulationFigure)
    for mid, y, value in prepared.values("profile-population", alias, _population_rows, key):
        population[mid][y] = value
    for mid, y, *values in prepared.values("profile-employment", alias, _employment_rows, key):
        employment[mid][y] = tuple(values)
    for y, h, w, n in prepared.values("profile-flows", alias, _flow_rows, key):
        year, flows[(h, w)] = y, n
    if emissions:
        for mid, y, sector, tonnes in prepared.values(
            "profile-emissions", alias, _emission_rows, key
        ):
            emitted[mid][y][sector] = tonnes
    return _Data(population, employment, year, flows, emitted)


def _members(
    municipalities: Sequence[Municipality], centre: Municipality | None, data: _Data
) -> list[MemberFigures]:
    ids = [m.id for m in municipalities]
    py, ey = _pick_year(ids, data.population)[0], _pick_year(ids, data.employment)[0]
    gy, cy = _pick_year(ids, data.emissions)[0], data.commuting_year
    c = centre.id if centre else None
    out: list[MemberFigures] = []
    for m in municipalities:
        pop, (_p, res, wp) = data.pop(m.id, py), data.employed(m.id, ey)
        to_centre = data.flow(m.id, c) if m.id in data.residents else None
        role = "" if c is None else "centre" if m.id == c else "hinterland"
        old = data.pop(m.id, py - TREND_YEARS) if py else None
        per_capita = _ratio(data.emitted(m.id, gy), data.pop(m.id, gy))
        out.append(
            MemberFigures(
                id=m.id,
                number=m.number,
                name=m.name,
                role=role,
                population=_fig(POPULATION, pop, py),
                population_change_percent=_fig(POPULATION, _change(pop, old), py, "%"),
                employed_residence=_fig(EMPLOYMENT, res, ey),
                employed_workplace=_fig(EMPLOYMENT, wp, ey),
                jobs_per_employed=_fig(EMPLOYMENT, _ratio(wp, res), ey, "x"),
                out_commuting_share=_fig(COMMUTING, data.out_share(m.id), cy, "%"),
                emissions_per_capita=_fig(EMISSIONS, per_capita, gy, "t1"),
                to_centre=_fig(COMMUTING, to_centre if role == "hinterland" else None, cy),
            )
        )
    return out


def member_figures(
    municipalities: Sequence[Municipality], centre: Municipality | None = None
) -> list[MemberFigures]:
    """Each municipality's indicators at common years (for maps); four queries at most."""
    return _members(municipalities, centre, _load([m.id for m in municipalities]))


def _population(ids: list[int], data: _Data) -> PopulationSection:
    year = _pick_year(ids, data.population)[0]
    base_year = year - TREND_YEARS if year else None

    def total(y: int | None) -> Figure:
        return _fig(POPULATION, _total(data.pop(i, y) for i in ids) if y else None, y)

    latest, base = total(year), total(base_year)
    series = [total(y) for y in range(base_year, year + 1)] if year and base_year else []
    return PopulationSection(
        latest=latest,
        base=base,
        change=_fig(POPULATION, _diff(latest.value, base.value), year),
        change_percent=_fig(POPULATION, _change(latest.value, base.value), year, "%"),
        series=series,
    )


def _employment(ids: list[int], data: _Data) -> EmploymentSection:
    year = _pick_year(ids, data.employment)[0]
    rows = [data.employed(i, year) for i in ids]
    pop, res, wp = (_fig(EMPLOYMENT, _total(r[k] for r in rows), year) for k in range(3))
    rate = _fig(EMPLOYMENT, _ratio(res.value, pop.value, 100), year, "%")
    return EmploymentSection(
        pop, res, wp, rate, _fig(EMPLOYMENT, _ratio(wp.value, res.value), year, "x")
    )


def _commuting(
    municipalities: Sequence[Municipality], centre: Municipality | None, data: _Data
) -> CommutingSection:
    year, flows, c = data.commuting_year, data.flows, centre.id if centre else None
    inside = {m.id for m in municipalities}
    complete = bool(flows) and inside <= set(data.residents)
    note = (
        ""
        if complete
        else _("Commuting figures are missing for one or more of the municipalities.")
    )
    out: dict[int, int] = defaultdict(int)
    into: dict[int, int] = defaultdict(int)
    for (h, w), n in flows.items():
        if h in inside and w not in inside:
            out[w] += n
        elif w in inside and h not in inside:
            into[h] += n
    local = sum(n for (h, w), n in flows.items() if h in inside and w in inside)

    def fig(value: float | None, kind: str = "n") -> Figure:
        return _fig(COMMUTING, value if complete else None, year, kind, note)

    res, job = fig(sum(data.residents[i] for i in inside)), fig(sum(data.jobs[i] for i in inside))
    lw = fig(local)
    centre_jobs = _fig(COMMUTING, data.jobs[c] if c in data.residents else None, year)
    hinterland = []
    for m in municipalities if c is not None else []:
        here, known_c = m.id in data.residents, c in data.residents
        to_c, residents = (data.flow(m.id, c), data.residents[m.id]) if here else (None, None)
        if m.id != c:
            hinterland.append(
                HinterlandCommuting(
                    number=m.number,
                    name=m.name,
                    employed_residents=_fig(COMMUTING, residents, year),
                    to_centre=_fig(COMMUTING, to_c, year),
                    to_centre_share=_fig(COMMUTING, _ratio(to_c, residents, 100), year, "%"),
                    share_of_centre_jobs=_fig(
                        COMMUTING, _ratio(to_c, centre_jobs.value, 100), year, "%"
                    ),
                    from_centre=_fig(COMMUTING, data.flow(c, m.id) if known_c else None, year),
                )
            )
    top_out = sorted(out.items(), key=lambda kv: -kv[1])[:TOP_FLOWS] if complete else []
    top_in = sorted(into.items(), key=lambda kv: -kv[1])[:TOP_FLOWS] if complete else []
    names: dict[int, tuple[str, str]] = {}
    if top_out or top_in:
        found = Municipality.objects.filter(id__in=[k for k, _n in top_out + top_in])
        names = {i: (nr, name) for i, nr, name in found.values_list("id", "number", "name")}

    def lines(top: list[tuple[int, int]]) -> list[FlowLine]:
        return [FlowLine(*names.get(k, ("", "?")), _fig(COMMUTING, n, year)) for k, n in top]

    return CommutingSection(
        year=year,
        employed_residents=res,
        jobs=job,
        living_and_working=lw,
        self_containment=fig(_ratio(lw.value, job.value, 100), "%"),
        residents_self_containment=fig(_ratio(lw.value, res.value, 100), "%"),
        out_commuting_share=fig(_ratio(_diff(res.value, lw.value), res.value, 100), "%"),
        in_commuting_share=fig(_ratio(_diff(job.value, lw.value), job.value, 100), "%"),
        centre_jobs=centre_jobs,
        centre_jobs_local=_fig(
            COMMUTING, flows.get((c, c), 0) if c in data.residents else None, year
        ),
        hinterland=hinterland,
        destinations=lines(top_out),
        origins=lines(top_in),
        selection_note=_selection_note() if year is not None else "",
    )


def _selection_note() -> str:
    """A note when the last import of commuting flows was a selection (one query)."""
    summary = (
        DataImport.objects.filter(kind="statistics", summary__has_key="commuting")
        .order_by("-started_at", "-id")
        .values_list("summary", flat=True)
        .first()
    )
    reason = summary.get("selection") if isinstance(summary, dict) else ""
    if not reason:
        return ""
    return _(
        "The commuting figures are a selection (%(reason)s): flows to and from municipalities "
        "outside it are missing, so commuting out of and into the place is understated."
    ) % {"reason": reason}


def _industry_rows(ids: tuple[int, ...]) -> QuerySet[Any]:
    return (
        IndustryEmployment.objects.filter(municipality_id__in=ids)
        .order_by()
        .values_list("municipality_id", "year", "industry", "employed")
    )


def _current_by_county() -> QuerySet[Any]:
    """The current municipalities of each county: (county id, number)."""
    current = Municipality.objects.filter(valid_to__isnull=True).order_by()
    return current.values_list("county_id").annotate(n=Count("id"))


def _reported(year: int) -> QuerySet[Any]:
    return IndustryEmployment.objects.filter(
        year=year, municipality__valid_to__isnull=True
    ).order_by()


def _covered_by_county(year: int) -> QuerySet[Any]:
    """The current municipalities of each county with figures by industry for the year."""
    by_county = _reported(year).values_list("municipality__county_id")
    return by_county.annotate(n=Count("municipality", distinct=True))


def _industry_sums(year: int) -> QuerySet[Any]:
    """The year's jobs by county and industry (the reference areas' shares)."""
    sums = _reported(year).values_list("municipality__county_id", "industry")
    return sums.annotate(n=Sum("employed"))


def _industry(ids: list[int], county: County) -> IndustrySection:
    """Jobs by industry, and location quotients against the county and the country, each only
    when every municipality of the reference area has figures for the year (three queries)."""
    table: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    # Each statement kept (core.prepared): the municipalities and the year their parameters.
    alias = router.db_for_read(IndustryEmployment)
    for mid, figure_year, industry, n in prepared.values(
        "profile-industry", alias, _industry_rows, tuple(ids)
    ):
        table[mid][figure_year][industry] = n
    year, _years = _pick_year(ids, table)
    if year is None or any(year not in table.get(i, {}) for i in ids):
        note = _("Figures by industry are missing for one or more of the municipalities.")
        empty = _fig(INDUSTRY, None, year, note=note)
        return IndustrySection(year, empty, county.name_nb, note, note, [])
    jobs: dict[str, int] = defaultdict(int)
    for i in ids:
        for industry, n in table[i][year].items():
            jobs[industry] += n
    total = sum(jobs.values())
    counts = dict(prepared.values("profile-industry-places", alias, _current_by_county))
    covered = dict(prepared.values("profile-industry-covered", alias, _covered_by_county, year))
    in_county = covered.get(county.id, 0) >= counts.get(county.id, 0) > 0
    in_country = sum(covered.values()) >= sum(counts.values()) > 0
    ref_county: dict[str, int] = defaultdict(int)
    ref_country: dict[str, int] = defaultdict(int)
    if in_county or in_country:
        for county_id, industry, n in prepared.values(
            "profile-industry-sums", alias, _industry_sums, year
        ):
            ref_country[industry] += n
            if county_id == county.id:
                ref_county[industry] += n
    message = _("Not every municipality in %(area)s has figures by industry for %(year)s.")
    county_note = "" if in_county else message % {"area": county.name_nb, "year": year}
    country_note = "" if in_country else message % {"area": _("Norway"), "year": year}

    def quotient(industry: str, ref: dict[str, int], note: str) -> Figure:
        ref_share = None if note else _ratio(ref.get(industry), sum(ref.values()))
        return _fig(INDUSTRY, _ratio(_ratio(jobs[industry], total), ref_share), year, "x", note)

    rows = [
        IndustryRow(
            industry=industry,
            jobs=_fig(INDUSTRY, n, year),
            share=_fig(INDUSTRY, _ratio(n, total, 100), year, "%"),
            lq_county=quotient(industry, ref_county, county_note),
            lq_country=quotient(industry, ref_country, country_note),
        )
        for industry, n in sorted(jobs.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    total_figure = _fig(INDUSTRY, total, year)
    return IndustrySection(year, total_figure, county.name_nb, county_note, country_note, rows)


def _emissions(ids: list[int], data: _Data) -> EmissionSection:
    """Totals and sectors in the newest and the oldest year every municipality has figures for."""
    every_year = _pick_year(ids, data.emissions)[1]
    complete = [y for y in every_year if all(y in data.emissions.get(i, {}) for i in ids)]
    year, base = (complete[-1], complete[0]) if complete else (max(every_year, default=None), None)

    def total(y: int | None) -> float | None:
        return _total(data.emitted(i, y) for i in ids) if y in complete else None

    def sector(name: str, y: int | None) -> float | None:
        if y is None or y not in complete:
            return None
        values = [data.emissions[i][y][name] for i in ids if name in data.emissions[i][y]]
        return sum(values) if values else None

    names = {
        s
        for i in ids
        for y in (base, year)
        if y is not None and y in complete
        for s in data.emissions[i][y]
    }
    sectors = [
        SectorRow(
            sector=s,
            base=_fig(EMISSIONS, sector(s, base), base, "t"),
            latest=_fig(EMISSIONS, sector(s, year), year, "t"),
            change_percent=_fig(EMISSIONS, _change(sector(s, year), sector(s, base)), year, "%"),
        )
        for s in names
    ]
    sectors.sort(key=lambda r: (-(r.latest.value or 0), r.sector))
    latest, pop = total(year), _total(data.pop(i, year) for i in ids) if year else None
    return EmissionSection(
        total=_fig(EMISSIONS, latest, year, "t"),
        base_total=_fig(EMISSIONS, total(base), base, "t"),
        change_percent=_fig(EMISSIONS, _change(latest, total(base)), year, "%"),
        per_capita=_fig(EMISSIONS, _ratio(latest, pop), year, "t1"),
        series=[_fig(EMISSIONS, total(y), y, "t") for y in every_year],
        sectors=sectors,
    )


def place_profile(
    *, municipalities: list[Municipality], centre: Municipality | None, name: str
) -> Profile:
    """The profile of a region (``centre`` given; it is put first) or of one municipality.

    The reference county for location quotients is the centre's county (else the first
    municipality's): pass municipalities with ``county`` selected to save a query."""
    if centre is not None:
        municipalities = [centre, *(m for m in municipalities if m.id != centre.id)]
    if not municipalities:
        raise ValueError("A profile needs at least one municipality.")
    ids = [m.id for m in municipalities]
    data = _load(ids)
    employment = _employment(ids, data)
    commuting = _commuting(municipalities, centre, data)
    industry = _industry(ids, (centre or municipalities[0]).county)
    industry.years_note = _years_note(industry.year, employment.employed_workplace.year)
    return Profile(
        name=name,
        centre=centre.number if centre else None,
        members=_members(municipalities, centre, data),
        population=_population(ids, data),
        employment=employment,
        commuting=commuting,
        industry=industry,
        emissions=_emissions(ids, data),
    )


def _years_note(industry_year: int | None, employment_year: int | None) -> str:
    """A note when the industry table is of another year than the employment figures."""
    if industry_year is None or employment_year is None or industry_year == employment_year:
        return ""
    return _(
        "The jobs by industry are from %(industry)s, the employment and commuting figures "
        "from %(employment)s: the two tables are not of the same year, so their totals differ."
    ) % {"industry": industry_year, "employment": employment_year}


def region_members_read(region: Region) -> list[Municipality]:
    """The centre, then the hinterland by number, with their county, for a region read on its
    own (``places.selectors.region_current``): one query, its statement built once
    (:mod:`kraftsenter.core.prepared`). Their boundaries are left unread
    (``places.selectors.region_municipalities`` is the same order from ``region_get``'s reads,
    boundaries on request)."""

    def build(pk: int, centre: int) -> QuerySet[Municipality]:
        links = Region.hinterland.through.objects.filter(region_id=pk)
        qs = Municipality.objects.filter(Q(id=centre) | Q(id__in=links.values("municipality_id")))
        return qs.select_related("county").defer("search_text", "boundary")

    members: list[Municipality] = prepared.instances(
        "region_members_read",
        router.db_for_read(Municipality),
        Municipality,
        build,
        region.pk,
        region.centre_id,
    )
    members.sort(key=lambda m: (m.id != region.centre_id, m.number))
    return members


@dataclass
class KeySections:
    """The sections of a region's profile the start page shows."""

    population: PopulationSection
    employment: EmploymentSection
    commuting: CommutingSection


def region_key_sections(region: Region) -> KeySections:
    """Population, employment and commuting of a region, as :func:`region_profile` gives
    them, without reading the industries and emissions the rest of the profile shows."""
    members = region_members_read(region)
    ids = [m.id for m in members]
    data = _load(ids, emissions=False)
    return KeySections(
        population=_population(ids, data),
        employment=_employment(ids, data),
        commuting=_commuting(members, members[0], data),
    )


def region_profile(region: Region) -> Profile:
    """The profile of a small-town region: the centre and its hinterland."""
    members = region_members_read(region)
    return place_profile(municipalities=members, centre=members[0], name=region.name)


def municipality_profile(municipality: Municipality) -> Profile:
    """The profile of one municipality on its own (no centre, no hinterland)."""
    return place_profile(municipalities=[municipality], centre=None, name=municipality.name)
