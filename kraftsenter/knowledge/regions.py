"""Small-town regions computed from commuting (method: docs/small-town-regions-method.md).

Centres are chosen by population and centrality (or given as a list); every other municipality
joins the centre that enough of its employed residents commute to, directly or one step via a
hinterland municipality. :func:`compute_regions` is pure and O(flows); the data comes from
:func:`load_region_data` in two queries.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from kraftsenter.core.spreadsheets import SafeWriter
from kraftsenter.places.choices import RegionSource
from kraftsenter.places.models import Municipality, PopulationFigure, Region
from kraftsenter.places.permissions import REGION_POLICY
from kraftsenter.places.services import region_archive, region_create

from .models import CommutingFlow

if TYPE_CHECKING:
    from .labour_market import LabourMarketParameters

METHOD, METHOD_VERSION = "small-town-regions/commuting", 1
REGION_NAME = "{centre}-regionen (beregnet {year})"
# The modes of compute_regions: small-town regions (this module, the default) and labour-market
# regions for the whole country (labour_market.py), which gives the same RegionResult.
SMALL_TOWN, LABOUR_MARKET = "small-town", "labour-market"
MODES = (SMALL_TOWN, LABOUR_MARKET)
SYSTEM_ACTOR = "compute_regions"
CENTRE, HINTERLAND, ALONE = "centre", "hinterland", "alone"


class RegionInputError(ValueError):
    """Bad input: ``errors`` maps a parameter name to its precise, translated messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(" ".join(m for msgs in errors.values() for m in msgs))


@dataclass(frozen=True)
class RegionParameters:
    """Settings of the method; the defaults are argued in the method document."""

    centres: tuple[str, ...] = ()  # an explicit list replaces the population/centrality rule
    min_population: int = 5_000
    max_population: int = 50_000
    centrality_classes: tuple[int, ...] = (2, 3, 4, 5)
    threshold_percent: float = 10.0  # share of employed residents that makes a hinterland
    larger_market_percent: float = 15.0  # share to one bigger job market that rules a place out


@dataclass
class RegionData:
    """Everything the method reads, for one commuting year."""

    year: int
    names: dict[str, str]  # current municipalities by number
    population: dict[str, int | None]
    centrality: dict[str, int | None]
    flows: dict[str, dict[str, int]]  # home -> work -> employed persons (home == work included)
    old_numbers: frozenset[str] = frozenset()  # municipalities that are no longer valid


@dataclass
class Assignment:
    """Where one municipality ends up; shares are percent of its employed residents.

    ``share``: centre — working at home; hinterland — to the centre (indirect: via + centre);
    alone — to ``via`` (the nearest centre, or the larger labour market). ``secondary``: the
    other centre of a split."""

    number: str
    name: str
    role: str
    centre: str
    share: float
    reason: str
    via: str = ""
    secondary: str = ""
    secondary_share: float = 0.0


@dataclass
class RegionResult:
    year: int
    parameters: RegionParameters | LabourMarketParameters
    assignments: dict[str, Assignment]  # by number, sorted
    method: str = METHOD  # with method_version and region_name: what save_regions records
    method_version: int = METHOD_VERSION
    region_name: str = REGION_NAME  # {centre} and {year}

    @property
    def mode(self) -> str:
        return SMALL_TOWN if self.method == METHOD else LABOUR_MARKET

    def regions(self) -> dict[str, list[str]]:
        """Centre number -> [centre, hinterland by number…], centres by number."""
        out = {n: [n] for n, a in self.assignments.items() if a.role == CENTRE}
        for a in self.assignments.values():
            if a.role == HINTERLAND:
                out[a.centre].append(a.number)
        return out

    def to_csv(self) -> str:
        """Header ``kommunenummer,centre_kommunenummer,role``, one row per municipality
        (written through ``core.spreadsheets``, as every export)."""
        out = io.StringIO()
        writer = SafeWriter(out, lineterminator="\n")
        writer.writerow(("kommunenummer", "centre_kommunenummer", "role"))
        writer.writerows((a.number, a.centre, a.role) for a in self.assignments.values())
        return out.getvalue()


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


def validate_parameters(params: RegionParameters) -> dict[str, list[str]]:
    """Checks that need no data: {parameter: [messages]}, empty when all is well."""
    errors: dict[str, list[str]] = defaultdict(list)
    for name in ("threshold_percent", "larger_market_percent"):
        value = getattr(params, name)
        if not 0 <= value <= 100:
            errors[name].append(
                _("A threshold must be between 0 and 100 %%, not %(value)s.")
                % {"value": f"{value:g}"}
            )
    if not params.centres:
        if params.min_population < 0 or params.max_population < 0:
            errors["min_population"].append(_("A population limit cannot be negative."))
        elif params.min_population > params.max_population:
            errors["min_population"].append(
                _("The minimum population (%(min)s) is larger than the maximum (%(max)s).")
                % {"min": params.min_population, "max": params.max_population}
            )
        bad = sorted(c for c in params.centrality_classes if not 1 <= c <= 6)
        if bad:
            errors["centrality_classes"].append(
                _("Centrality classes are 1 to 6; got %(values)s.")
                % {"values": ", ".join(map(str, bad))}
            )
        elif not params.centrality_classes:
            errors["centrality_classes"].append(_("Choose at least one centrality class."))
    malformed = [n for n in params.centres if not (len(n) == 4 and n.isascii() and n.isdigit())]
    if malformed:
        errors["centres"].append(
            _("A municipality number has four digits: %(values)s.")
            % {"values": ", ".join(malformed)}
        )
    return dict(errors)


def _validate_centres(params: RegionParameters, data: RegionData) -> list[str]:
    """Messages for listed centres that are unknown or no longer valid municipalities."""
    wanted = [
        n
        for n in params.centres
        if len(n) == 4 and n.isascii() and n.isdigit() and n not in data.names
    ]
    unknown = ", ".join(n for n in wanted if n not in data.old_numbers)
    old = ", ".join(n for n in wanted if n in data.old_numbers)
    texts = [
        (unknown, _("Unknown municipality number in the centre list: %(numbers)s.")),
        (old, _("Not a current municipality (use the 2024 number): %(numbers)s.")),
    ]
    return [text % {"numbers": numbers} for numbers, text in texts if numbers]


def _flow_summaries(flows: dict[str, dict[str, int]]):
    """Employed residents; per home, the largest flow to another municipality, and the largest
    to one with more jobs than home ((number, persons), ("", 0) if none). Two passes."""
    employed = {home: sum(row.values()) for home, row in flows.items()}
    jobs: dict[str, int] = defaultdict(int)
    for row in flows.values():
        for work, n in row.items():
            jobs[work] += n
    largest: dict[str, tuple[str, int]] = {}
    bigger: dict[str, tuple[str, int]] = {}
    for home, row in flows.items():
        best, best_bigger = ("", 0), ("", 0)
        for work, n in row.items():
            if work != home and (n, work) > (best[1], best[0]):
                best = (work, n)
            if jobs[work] > jobs[home] and (n, work) > (best_bigger[1], best_bigger[0]):
                best_bigger = (work, n)
        largest[home], bigger[home] = best, best_bigger
    return employed, largest, bigger


def _choose_centres(data: RegionData, params: RegionParameters, employed, bigger) -> set[str]:
    """Listed centres, or: population in range, centrality class chosen, and not part of a
    larger labour market (under ``larger_market_percent`` to each place with more jobs)."""
    if params.centres:
        return set(params.centres)
    classes = set(params.centrality_classes)
    return {
        n
        for n in data.names
        if (pop := data.population.get(n)) is not None
        and params.min_population <= pop <= params.max_population
        and data.centrality.get(n) in classes
        and employed.get(n)
        and _pct(bigger[n][1], employed[n]) < params.larger_market_percent
    }


def compute_regions(data: RegionData, params: RegionParameters) -> RegionResult:
    """Assign every current municipality: centre, hinterland (direct, split, indirect) or alone.

    Raises :class:`RegionInputError` for bad parameters; touches no database."""
    errors = validate_parameters(params)
    if messages := _validate_centres(params, data):
        errors.setdefault("centres", []).extend(messages)
    if errors:
        raise RegionInputError(errors)
    employed, largest, bigger = _flow_summaries(data.flows)
    centres = _choose_centres(data, params, employed, bigger)
    threshold, market = params.threshold_percent, params.larger_market_percent
    out: dict[str, Assignment] = {}

    def assign(number: str, role: str, centre: str, share: float, reason: str, **extra) -> None:
        name = data.names[number]
        out[number] = Assignment(number, name, role, centre, round(share, 1), reason, **extra)

    # 1. Centres, then direct hinterland: the centre with the largest flow above the threshold,
    #    unless a larger flow goes to a bigger labour market that is no centre (a city region).
    undecided: list[str] = []
    for number in data.names:
        total, row = employed.get(number, 0), data.flows.get(number, {})
        if number in centres:
            reason = "listed" if params.centres else "selected"
            assign(number, CENTRE, number, _pct(row.get(number, 0), total), reason)
            continue
        if not total:
            assign(number, ALONE, number, 0.0, "no_commuting_data")
            continue
        above = sorted(
            ((v, c) for c, v in row.items() if c in centres and _pct(v, total) >= threshold),
            key=lambda item: (-item[0], item[1]),
        )
        city, city_flow = bigger[number]
        if (
            city
            and city not in centres
            and _pct(city_flow, total) >= market
            and (not above or city_flow > above[0][0])
        ):
            assign(number, ALONE, number, _pct(city_flow, total), "larger_labour_market", via=city)
        elif len(above) > 1:
            (v1, c1), (v2, c2) = above[:2]
            second = {"secondary": c2, "secondary_share": round(_pct(v2, total), 1)}
            assign(number, HINTERLAND, c1, _pct(v1, total), "split", **second)
        elif above:
            assign(number, HINTERLAND, above[0][1], _pct(above[0][0], total), "direct")
        else:
            undecided.append(number)

    # 2. Indirect, one step: the largest flow goes to a direct hinterland municipality.
    direct = {n: a.centre for n, a in out.items() if a.role == HINTERLAND}
    for number in undecided:
        total, row, target = employed[number], data.flows[number], largest[number][0]
        if target in direct:
            combined = _pct(row[target] + row.get(direct[target], 0), total)
            if combined >= threshold:
                assign(number, HINTERLAND, direct[target], combined, "indirect", via=target)
                continue
        best = max(((v, c) for c, v in row.items() if c in centres), default=(0, ""))
        assign(number, ALONE, number, _pct(best[0], total), "below_threshold", via=best[1])
    return RegionResult(data.year, params, dict(sorted(out.items())))


def available_years() -> list[int]:
    return sorted(CommutingFlow.objects.order_by().values_list("year", flat=True).distinct())


def load_region_data(year: int) -> RegionData:
    """Municipalities with population and centrality (one query), the year's flows (one more).

    Population: 1 January after the commuting year (flows are for the 4th quarter), or the
    latest earlier figure. Raises :class:`RegionInputError` when the year has no flows."""
    population = PopulationFigure.objects.filter(
        municipality=OuterRef("pk"), year__lte=year + 1, population__isnull=False
    ).order_by("-year")
    rows = Municipality.objects.annotate(pop=Subquery(population.values("population")[:1]))
    data = RegionData(year, names={}, population={}, centrality={}, flows={})
    numbers: dict[int, str] = {}
    old: set[str] = set()
    for pk, number, name, centrality, pop, valid_to in rows.values_list(
        "id", "number", "name", "centrality_class", "pop", "valid_to"
    ):
        numbers[pk] = number
        if valid_to is not None:
            old.add(number)
            continue
        data.names[number], data.population[number] = name, pop
        data.centrality[number] = centrality
    data.old_numbers = frozenset(old - set(data.names))
    flows: dict[str, dict[str, int]] = defaultdict(dict)
    for home, work, employed in (
        CommutingFlow.objects.filter(year=year)
        .order_by()
        .values_list("home_id", "work_id", "employed")
    ):
        flows[numbers[home]][numbers[work]] = employed
    if not flows:
        years = ", ".join(map(str, available_years()))
        message = (
            _("There are no commuting figures for %(year)s. Years with figures: %(years)s.")
            if years
            else _("There are no commuting figures for %(year)s; none are imported yet.")
        )
        raise RegionInputError({"year": [message % {"year": year, "years": years}]})
    data.flows = dict(flows)
    return data


def compute_for_year(year: int, params: RegionParameters) -> RegionResult:
    """Load the year's data and compute; every input problem is reported at once."""
    errors = validate_parameters(params)
    try:
        data = load_region_data(year)
    except RegionInputError as exc:
        raise RegionInputError({**exc.errors, **errors}) from None
    if messages := _validate_centres(params, data):
        errors.setdefault("centres", []).extend(messages)
    if errors:
        raise RegionInputError(errors)
    return compute_regions(data, params)


@transaction.atomic
def save_regions(
    result: RegionResult, *, actor: Any = SYSTEM_ACTOR, replace: bool = False
) -> tuple[list[Region], int]:
    """One computed region per centre; returns (created regions, number archived).

    Refuses, writing nothing, when computed regions of the year exist, unless ``replace``:
    then those are archived first (they keep their history and can be restored). Only site
    administrators (and the command) may save."""
    REGION_POLICY.require(actor, "save_computed_regions")
    existing = list(
        Region.objects.active()
        .filter(
            source=RegionSource.COMPUTED,
            source_detail__year=result.year,
            source_detail__method=result.method,
        )
        .select_for_update()
    )
    if existing and not replace:
        message = _(
            "%(count)s computed regions for %(year)s are saved already. Replace them to save anew."
        ) % {"count": len(existing), "year": result.year}
        raise RegionInputError({"replace": [message]})
    for region in existing:
        region_archive(actor=actor, region=region, reason=_("Replaced by a new computation."))
    wanted = Municipality.objects.filter(number__in=list(result.assignments))
    places = {m.number: m for m in wanted.defer("boundary", "search_text")}
    detail = {
        "year": result.year,
        "parameters": asdict(result.parameters),
        "method": result.method,
        "method_version": result.method_version,
    }
    created = []
    for centre, members in result.regions().items():
        shares = {n: asdict(result.assignments[n]) for n in members[1:]}
        for item in shares.values():
            del item["number"], item["name"], item["role"], item["centre"]
        created.append(
            region_create(
                actor=actor,
                name=result.region_name.format(centre=places[centre].name_nb, year=result.year),
                centre=places[centre],
                hinterland=[places[n] for n in members[1:]],
                source=RegionSource.COMPUTED,
                source_detail={**detail, "members": shares},
            )
        )
    return created, len(existing)


@dataclass
class RegionComparison:
    """A saved region (None: a computed one no saved region matches) against the computed region
    with the same centre, or the one its centre belongs to. Members are (number, name)."""

    saved: Region | None
    computed_centre: str  # "" when no computed region matches
    same: list[tuple[str, str]] = field(default_factory=list)
    added: list[tuple[str, str]] = field(default_factory=list)  # computed, not saved
    removed: list[tuple[str, str]] = field(default_factory=list)  # saved, not computed


@dataclass
class Comparison:
    municipalities: list[tuple[Assignment, list[str]]]  # computed, names of its saved regions
    regions: list[RegionComparison]


def compare_with_saved(result: RegionResult, regions: list[Region]) -> Comparison:
    """Per municipality the computed centre and its saved regions; per region the differences."""
    computed = result.regions()
    names = {n: a.name for n, a in result.assignments.items()}
    member_of: dict[str, list[str]] = defaultdict(list)
    rows, matched = [], set()
    for region in regions:
        places = [region.centre, *region.hinterland.all()]
        saved = {m.number for m in places}
        for m in places:
            names.setdefault(m.number, m.name)
            member_of[m.number].append(region.name)
        centre = region.centre.number
        if centre not in computed and centre in result.assignments:
            centre = result.assignments[centre].centre  # the saved centre is hinterland here
        members = set(computed.get(centre, ()))
        matched.add(centre)
        row = RegionComparison(region, centre if members else "")
        diff = {"same": saved & members, "added": members - saved, "removed": saved - members}
        for target, numbers in diff.items():
            getattr(row, target).extend((n, names[n]) for n in sorted(numbers))
        rows.append(row)
    for centre, hinterland in computed.items():
        if centre not in matched:
            rows.append(RegionComparison(None, centre, added=[(n, names[n]) for n in hinterland]))
    assignments = [(a, sorted(member_of.get(n, []))) for n, a in result.assignments.items()]
    return Comparison(assignments, rows)
