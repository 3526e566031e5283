"""Labour-market regions for the whole country, from commuting.

The method, its defaults and what it cannot see: docs/labour-market-regions-method.md.

Every current municipality gets a region, centre first:

1. **Centres**: a municipality is a centre unless it sends at least ``centre_percent`` of its
   employed residents to one municipality with more jobs. A municipality without flows is a
   centre of its own.
2. **Attach**: every other municipality joins the centre that receives most of its commuters.
3. **Fold**: centres in order of jobs, smallest first, fold into the region (as it stands then)
   that receives most of their employed residents, when its centre has more jobs and the share
   reaches ``fold_percent``, or ``large_percent`` for a large job centre (at least ``large_jobs``
   jobs). What was attached to a centre goes with it.

The functions down to :func:`delimit` are pure: they read a commuting matrix (employed persons by
municipality of residence × municipality of work, ``home == work`` included) and nothing else,
and each looks at every flow a fixed number of times. :func:`compute_labour_market` gives the same
:class:`~.regions.RegionResult` as the small-town mode, so the command, the page, the CSV and
saving treat both modes alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import regions
from .regions import (
    CENTRE,
    HINTERLAND,
    LABOUR_MARKET,
    Assignment,
    RegionData,
    RegionInputError,
    RegionParameters,
    RegionResult,
    load_region_data,
)

METHOD, METHOD_VERSION = "labour-market-regions/commuting", 1
REGION_NAME = "{centre} arbeidsmarkedsregion (beregnet {year})"

Flows = Mapping[str, Mapping[str, int]]  # home -> work -> employed persons

# Reasons. A centre sends less than centre_percent to every place with more jobs, or has no
# flows. A hinterland municipality commutes to its centre, or (sending nothing to any centre) to
# a hinterland municipality of it (step 2); or it was a centre and folded (step 3).
SELF_CONTAINED, NO_FLOWS, COMMUTES, VIA_HINTERLAND, FOLDED = (
    "self_contained",
    "no_commuting_data",
    "commutes",
    "via_hinterland",
    "folded",
)


@dataclass(frozen=True)
class LabourMarketParameters:
    """Settings of the method; the defaults are argued in the method document."""

    centre_percent: float = 15.0  # to one place with more jobs: no centre (step 1)
    fold_percent: float = 10.0  # to a region with a bigger centre: a centre folds (step 3)
    large_jobs: int = 5_000  # jobs that make a large job centre ...
    large_percent: float = 20.0  # ... which folds only at this share (step 3)


@dataclass(frozen=True)
class Placement:
    """Where one municipality ends up.

    ``share`` is a percentage of its employed residents: for a centre, working at home; for an
    attached municipality, working in the place it commutes to (``via``: the centre, or the
    hinterland municipality that led to it); for a folded centre, working in the region it
    folded into (``via``: that region's centre then)."""

    number: str
    region: str  # the centre of its region
    role: str  # CENTRE or HINTERLAND
    reason: str
    share: float
    via: str = ""


@dataclass(frozen=True)
class Totals:
    """Employed residents and jobs per municipality, from the matrix itself, and their rank."""

    employed: dict[str, int]  # row sums: residents working in a Norwegian municipality
    jobs: dict[str, int]  # column sums: jobs held by anyone in the matrix
    ranks: dict[str, int]  # 0 = fewest jobs; at equal jobs the lower number ranks higher

    def rank(self, number: str) -> int:
        return self.ranks.get(number, -1)

    def outranks(self, a: str, b: str) -> bool:
        return self.rank(a) > self.rank(b)


def totals(flows: Flows) -> Totals:
    employed = {home: sum(row.values()) for home, row in flows.items()}
    jobs: dict[str, int] = defaultdict(int)
    for row in flows.values():
        for work, n in row.items():
            jobs[work] += n
    places = set(employed) | set(jobs)
    ordered = sorted(places, key=lambda n: (jobs.get(n, 0), -int(n)))
    return Totals(employed, dict(jobs), {n: i for i, n in enumerate(ordered)})


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


def largest_to_bigger(flows: Flows, t: Totals, home: str) -> tuple[str, int]:
    """The municipality with more jobs than ``home`` that receives most of its commuters, and
    how many (ties: the higher ranked); ("", 0) when there is none."""
    best, best_key = ("", 0), (0, -1)
    for work, n in flows.get(home, {}).items():
        if n and t.outranks(work, home) and (n, t.rank(work)) > best_key:
            best, best_key = (work, n), (n, t.rank(work))
    return best


def find_centres(
    flows: Flows, numbers: Iterable[str], t: Totals, params: LabourMarketParameters
) -> set[str]:
    """Step 1: the municipalities that send less than ``centre_percent`` of their employed
    residents to each single place with more jobs (and those with no such place at all)."""
    centres = set()
    for number in numbers:
        work, n = largest_to_bigger(flows, t, number)
        if not work or _pct(n, t.employed.get(number, 0)) < params.centre_percent:
            centres.add(number)
    return centres


def attach(
    flows: Flows, numbers: Iterable[str], centres: set[str], t: Totals
) -> dict[str, tuple[str, str]]:
    """Step 2: municipality -> (its centre, the place it commutes to): the centre receiving most
    of its commuters (ties: the higher ranked centre); a centre -> (itself, itself). Only when no
    centre receives any of them does a municipality follow its largest flow to a place with more
    jobs, on to that place's centre; the place is then that first step."""
    placed: dict[str, tuple[str, str]] = {c: (c, c) for c in centres}
    pending = []
    for number in numbers:
        if number in centres:
            continue
        received = [(n, t.rank(c), c) for c, n in flows.get(number, {}).items() if c in centres]
        if received and max(received)[0]:
            centre = max(received)[2]
            placed[number] = (centre, centre)
        else:
            pending.append(number)
    for number in pending:  # ever more jobs at each step, so the walk ends at a placed one
        first = step = largest_to_bigger(flows, t, number)[0]
        while step not in placed:
            step = largest_to_bigger(flows, t, step)[0]
        placed[number] = (placed[step][0], first)
    return placed


def fold(
    flows: Flows,
    centres: set[str],
    placed: Mapping[str, tuple[str, str]],
    t: Totals,
    params: LabourMarketParameters,
) -> dict[str, tuple[str, float]]:
    """Step 3: centre -> (centre of the region it folded into, share) for the centres that fold.

    One pass over the centres, fewest jobs first, so a small centre is decided before the larger
    ones it might join; a region's share counts every municipality in it at that moment."""
    folded: dict[str, tuple[str, float]] = {}

    def region_of(number: str) -> str:
        centre = placed[number][0]
        while centre in folded:
            centre = folded[centre][0]
        return centre

    for centre in sorted(centres, key=t.rank):
        employed = t.employed.get(centre, 0)
        by_region: dict[str, int] = defaultdict(int)
        for work, n in flows.get(centre, {}).items():
            by_region[region_of(work)] += n
        bigger = [(n, t.rank(r), r) for r, n in by_region.items() if t.outranks(r, centre)]
        if not bigger:
            continue
        n, _rank, target = max(bigger)
        share = _pct(n, employed)
        large = t.jobs.get(centre, 0) >= params.large_jobs
        if n and share >= (params.large_percent if large else params.fold_percent):
            folded[centre] = (target, share)
    return folded


def delimit(
    flows: Flows, numbers: Iterable[str], params: LabourMarketParameters
) -> dict[str, Placement]:
    """Every municipality in ``numbers`` placed in a region, by number; flows from or to other
    places are left out."""
    wanted = sorted(set(numbers))
    inside = set(wanted)
    matrix = {
        home: {work: n for work, n in row.items() if work in inside}
        for home, row in flows.items()
        if home in inside
    }
    t = totals(matrix)
    centres = find_centres(matrix, wanted, t, params)
    placed = attach(matrix, wanted, centres, t)
    folded = fold(matrix, centres, placed, t, params)

    def final(centre: str) -> str:
        while centre in folded:
            centre = folded[centre][0]
        return centre

    out: dict[str, Placement] = {}
    for number in wanted:
        employed, row = t.employed.get(number, 0), matrix.get(number, {})
        centre, place = placed[number]
        region = final(centre)
        if number in folded:
            target, share = folded[number]
            out[number] = Placement(number, region, HINTERLAND, FOLDED, share, target)
        elif number in centres:
            reason = SELF_CONTAINED if employed else NO_FLOWS
            share = _pct(row.get(number, 0), employed)
            out[number] = Placement(number, region, CENTRE, reason, share)
        else:
            reason = COMMUTES if place == centre else VIA_HINTERLAND
            share = _pct(row.get(place, 0), employed)
            out[number] = Placement(number, region, HINTERLAND, reason, share, place)
    return out


@dataclass(frozen=True)
class SelfContainment:
    """Both sides of a place's self-containment (a municipality or a region).

    ``residents``: employed residents who work in the place ÷ its employed residents, in percent
    (supply side). ``jobs``: jobs in the place held by people who live there ÷ its jobs, in percent
    (demand side). None without employed residents, or without jobs."""

    employed: int
    jobs: int
    living_and_working: int

    @property
    def residents_percent(self) -> float | None:
        return _pct(self.living_and_working, self.employed) if self.employed else None

    @property
    def jobs_percent(self) -> float | None:
        return _pct(self.living_and_working, self.jobs) if self.jobs else None


def self_containment(flows: Flows, region_of: Mapping[str, str]) -> dict[str, SelfContainment]:
    """Both measures for every region at once (one pass over the flows); ``region_of`` maps a
    municipality to its region's key, and municipalities not in it belong to no region."""
    employed: dict[str, int] = defaultdict(int)
    jobs: dict[str, int] = defaultdict(int)
    local: dict[str, int] = defaultdict(int)
    for home, row in flows.items():
        home_region = region_of.get(home)
        for work, n in row.items():
            work_region = region_of.get(work)
            if home_region is not None:
                employed[home_region] += n
            if work_region is not None:
                jobs[work_region] += n
                if work_region == home_region:
                    local[work_region] += n
    return {r: SelfContainment(employed[r], jobs[r], local[r]) for r in set(region_of.values())}


# --- The mode in the platform -------------------------------------------------------------


def validate_parameters(params: LabourMarketParameters) -> dict[str, list[str]]:
    """Checks that need no data: {parameter: [messages]}, empty when all is well."""
    errors: dict[str, list[str]] = defaultdict(list)
    for name in ("centre_percent", "large_percent", "fold_percent"):
        value = getattr(params, name)
        if not 0 <= value <= 100:
            errors[name].append(
                _("A threshold must be between 0 and 100 %%, not %(value)s.")
                % {"value": f"{value:g}"}
            )
    if params.large_jobs < 0:
        errors["large_jobs"].append(
            _("A number of jobs cannot be negative, not %(value)s.") % {"value": params.large_jobs}
        )
    return dict(errors)


def compute_labour_market(data: RegionData, params: LabourMarketParameters) -> RegionResult:
    """Every current municipality in a region, as a :class:`RegionResult` with the roles centre
    and hinterland (``alone`` is not used). ``via`` is kept only where it is not the region's
    centre. Raises :class:`RegionInputError` for bad parameters."""
    if errors := validate_parameters(params):
        raise RegionInputError(errors)
    assignments = {}
    for n, p in delimit(data.flows, data.names, params).items():
        via = p.via if p.via != p.region else ""
        share = round(p.share, 1)
        assignments[n] = Assignment(n, data.names[n], p.role, p.region, share, p.reason, via=via)
    return RegionResult(
        data.year,
        params,
        assignments,
        method=METHOD,
        method_version=METHOD_VERSION,
        region_name=REGION_NAME,
    )


def compute_for_year(year: int, params: LabourMarketParameters) -> RegionResult:
    """Load the year's data and compute; every input problem is reported at once."""
    errors = validate_parameters(params)
    try:
        data = load_region_data(year)
    except RegionInputError as exc:
        raise RegionInputError({**exc.errors, **errors}) from None
    return compute_labour_market(data, params)


@dataclass
class BothModes:
    """The two modes computed from one year's data, for the page that shows them side by side."""

    small_town: RegionResult
    labour_market: RegionResult
    flows: Flows

    def result(self, mode: str) -> RegionResult:
        return self.labour_market if mode == LABOUR_MARKET else self.small_town


def compute_both_for_year(
    year: int, small_town: RegionParameters, market: LabourMarketParameters
) -> BothModes:
    """Load the year's data once and compute both modes; every input problem of either mode is
    reported at once (the centre list is checked only when the year has data)."""
    errors = {**regions.validate_parameters(small_town), **validate_parameters(market)}
    try:
        data = load_region_data(year)
    except RegionInputError as exc:
        raise RegionInputError({**exc.errors, **errors}) from None
    try:
        small = regions.compute_regions(data, small_town)
    except RegionInputError as exc:
        errors.update(exc.errors)
    if errors:
        raise RegionInputError(errors)
    return BothModes(small, compute_labour_market(data, market), data.flows)


# --- Regions and the two modes side by side -------------------------------------------------


@dataclass
class RegionSummary:
    """One region of a result: its members and both sides of its self-containment; in a
    comparison, also the small-town regions inside a labour-market region."""

    centre: str
    members: list[str]  # centre first, then by number
    containment: SelfContainment
    small_town_centres: list[str] = field(default_factory=list)
    in_no_small_town_region: list[str] = field(default_factory=list)


def region_summaries(result: RegionResult, flows: Flows) -> list[RegionSummary]:
    """The result's regions (a centre and its hinterland), most employed residents first."""
    regions = result.regions()
    region_of = {n: centre for centre, members in regions.items() for n in members}
    containment = self_containment(flows, region_of)
    summaries = [RegionSummary(c, members, containment[c]) for c, members in regions.items()]
    return sorted(summaries, key=lambda s: (-s.containment.employed, s.centre))


@dataclass(frozen=True)
class Move:
    """A municipality that the two modes put with different places: its small-town centre lies
    in another labour-market region than itself."""

    number: str
    small_town_centre: str
    labour_market_centre: str  # the municipality's labour-market region
    centre_labour_market: str  # the small-town centre's labour-market region


@dataclass
class ModeComparison:
    regions: list[RegionSummary]  # the labour-market regions, most employed residents first
    moves: list[Move]  # by number


def compare_modes(small_town: RegionResult, labour: RegionResult, flows: Flows) -> ModeComparison:
    """Per labour-market region the small-town centres and the municipalities in no small-town
    region inside it; and the moves (:class:`Move`). Small-town regions nest when there are none."""
    summaries = region_summaries(labour, flows)
    by_centre = {s.centre: s for s in summaries}
    region_of = {n: a.centre for n, a in labour.assignments.items()}
    moves = []
    for number, a in small_town.assignments.items():
        if number not in region_of:
            continue
        region = region_of[number]
        if a.role == CENTRE:
            by_centre[region].small_town_centres.append(number)
        elif a.role == HINTERLAND and region_of.get(a.centre) != region:
            moves.append(Move(number, a.centre, region, region_of.get(a.centre, "")))
        elif a.role not in (CENTRE, HINTERLAND):
            by_centre[region].in_no_small_town_region.append(number)
    return ModeComparison(summaries, moves)
