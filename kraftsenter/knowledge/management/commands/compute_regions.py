"""kraftsenter compute_regions: regions from the commuting figures of one year.

    kraftsenter compute_regions --year 2022                       # defaults, as a table
    kraftsenter compute_regions --year 2022 --format csv          # one row per municipality
    kraftsenter compute_regions --year 2022 --centres 3403,5601   # the centres are given
    kraftsenter compute_regions --year 2022 --min-population 8000 --centrality 3,4
    kraftsenter compute_regions --year 2022 --save [--replace]    # save as computed regions
    kraftsenter compute_regions --year 2022 --mode labour-market  # the whole country

Two modes: small-town regions (the default; docs/small-town-regions-method.md) and
labour-market regions for the whole country (docs/labour-market-regions-method.md). Bad input
stops the command with a precise message, and nothing is written.
"""

from __future__ import annotations

import time
from typing import TypeVar

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kraftsenter.knowledge import labour_market
from kraftsenter.knowledge.labour_market import LabourMarketParameters
from kraftsenter.knowledge.regions import (
    ALONE,
    CENTRE,
    LABOUR_MARKET,
    MODES,
    SMALL_TOWN,
    SYSTEM_ACTOR,
    RegionInputError,
    RegionParameters,
    RegionResult,
    compute_for_year,
    save_regions,
)

OPTION_NAMES = {
    "year": "--year",
    "centres": "--centres",
    "min_population": "--min-population",
    "max_population": "--max-population",
    "centrality_classes": "--centrality",
    "threshold_percent": "--threshold",
    "larger_market_percent": "--larger-market",
    "replace": "--replace",
    "centre_percent": "--centre-threshold",
    "fold_percent": "--fold-threshold",
    "large_jobs": "--large-jobs",
    "large_percent": "--large-threshold",
}
Number = TypeVar("Number", int, float)
# The options of each mode; an option of the other mode is refused.
SMALL_TOWN_OPTIONS = (
    "centres",
    "min_population",
    "max_population",
    "centrality",
    "threshold",
    "larger_market",
)
LABOUR_MARKET_OPTIONS = ("centre_threshold", "fold_threshold", "large_jobs", "large_threshold")


def _numbers(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class Command(BaseCommand):
    help = (
        "Compute regions from commuting: small-town regions (centres, hinterland, and the rest), "
        "or labour-market regions for the whole country."
    )

    def add_arguments(self, parser):
        defaults = RegionParameters()
        parser.add_argument("--year", type=int, required=True, help="Commuting year.")
        parser.add_argument(
            "--mode",
            choices=MODES,
            default=SMALL_TOWN,
            help="small-town regions (default) or labour-market regions for the whole country.",
        )
        parser.add_argument("--centres", help="Centre municipality numbers, comma-separated.")
        parser.add_argument(
            "--min-population",
            type=int,
            help=f"Smallest centre population (default {defaults.min_population}).",
        )
        parser.add_argument(
            "--max-population",
            type=int,
            help=f"Largest centre population (default {defaults.max_population}).",
        )
        parser.add_argument(
            "--centrality",
            help="Centrality classes of centres, comma-separated (default "
            + ",".join(map(str, defaults.centrality_classes))
            + ").",
        )
        parser.add_argument(
            "--threshold",
            type=float,
            help="Percent of employed residents working in a centre that makes a municipality "
            f"its hinterland (default {defaults.threshold_percent:g}).",
        )
        parser.add_argument(
            "--larger-market",
            type=float,
            help="Percent of employed residents working in one place with more jobs that is no "
            "centre, which keeps a municipality out of small-town regions "
            f"(default {defaults.larger_market_percent:g}).",
        )
        market = LabourMarketParameters()
        parser.add_argument(
            "--centre-threshold",
            type=float,
            help="Labour-market mode: percent of employed residents working in one place with "
            f"more jobs that makes a municipality no centre (default {market.centre_percent:g}).",
        )
        parser.add_argument(
            "--fold-threshold",
            type=float,
            help="Labour-market mode: percent of a centre's employed residents working in a "
            f"region with a bigger centre that folds it into that region "
            f"(default {market.fold_percent:g}).",
        )
        parser.add_argument(
            "--large-jobs",
            type=int,
            help="Labour-market mode: jobs that make a large job centre "
            f"(default {market.large_jobs}).",
        )
        parser.add_argument(
            "--large-threshold",
            type=float,
            help="Labour-market mode: the fold threshold of a large job centre "
            f"(default {market.large_percent:g}).",
        )
        parser.add_argument("--format", choices=["table", "csv"], default="table")
        parser.add_argument("--save", action="store_true", help="Save as computed regions.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="With --save: archive the computed regions of the year first.",
        )

    def parameters(self, options) -> RegionParameters | LabourMarketParameters:
        other = LABOUR_MARKET_OPTIONS if options["mode"] == SMALL_TOWN else SMALL_TOWN_OPTIONS
        given = ["--" + name.replace("_", "-") for name in other if options[name] is not None]
        if given:
            raise CommandError(
                _("%(options)s cannot be used in the %(mode)s mode.")
                % {"options": ", ".join(given), "mode": options["mode"]}
            )
        if options["replace"] and not options["save"]:
            raise CommandError(_("--replace is only used together with --save."))
        if options["mode"] == LABOUR_MARKET:
            market = LabourMarketParameters()
            return LabourMarketParameters(
                centre_percent=_default(options["centre_threshold"], market.centre_percent),
                fold_percent=_default(options["fold_threshold"], market.fold_percent),
                large_jobs=_default(options["large_jobs"], market.large_jobs),
                large_percent=_default(options["large_threshold"], market.large_percent),
            )
        rule = (options["min_population"], options["max_population"], options["centrality"])
        if options["centres"] is not None and any(value is not None for value in rule):
            raise CommandError(
                _("Give either --centres or the population and centrality options, not both.")
            )
        defaults = RegionParameters()
        classes = defaults.centrality_classes
        if options["centrality"] is not None:
            texts = _numbers(options["centrality"])
            if not all(t.isdigit() for t in texts):
                raise CommandError(
                    "--centrality: "
                    + _("Centrality classes are 1 to 6; got %(values)s.")
                    % {"values": options["centrality"]}
                )
            classes = tuple(int(t) for t in texts)
        return RegionParameters(
            centres=tuple(_numbers(options["centres"] or "")),
            min_population=_default(options["min_population"], defaults.min_population),
            max_population=_default(options["max_population"], defaults.max_population),
            centrality_classes=classes,
            threshold_percent=_default(options["threshold"], defaults.threshold_percent),
            larger_market_percent=_default(
                options["larger_market"], defaults.larger_market_percent
            ),
        )

    def handle(self, *args, **options):
        params = self.parameters(options)
        started = time.perf_counter()
        try:
            if isinstance(params, LabourMarketParameters):
                result = labour_market.compute_for_year(options["year"], params)
            else:
                result = compute_for_year(options["year"], params)
            elapsed = time.perf_counter() - started
            saved = (
                save_regions(result, actor=SYSTEM_ACTOR, replace=options["replace"])
                if options["save"]
                else None
            )
        except RegionInputError as exc:
            raise CommandError(
                "\n".join(
                    f"{OPTION_NAMES.get(name, name)}: {message}"
                    for name, messages in exc.errors.items()
                    for message in messages
                )
            ) from None
        if options["format"] == "csv":
            self.stdout.write(result.to_csv(), ending="")
        else:
            self.write_table(result, elapsed)
        if saved is not None:
            created, archived = saved
            report = self.stderr if options["format"] == "csv" else self.stdout
            report.write(
                _("Saved %(created)s computed regions for %(year)s; archived %(archived)s.")
                % {"created": len(created), "year": result.year, "archived": archived}
            )

    def write_table(self, result: RegionResult, elapsed: float) -> None:
        self.stdout.write(
            f"{'nr':<5} {'kommune':<28} {'role':<10} {'centre':<6} {'%':>5}  reason / via"
        )
        assignments = result.assignments
        for members in result.regions().values():
            for number in members:
                self.stdout.write(_row(assignments[number]))
        for a in assignments.values():
            if a.role == ALONE:
                self.stdout.write(_row(a))
        counts = {role: 0 for role in ("centre", "hinterland", "alone")}
        for a in assignments.values():
            counts[a.role] += 1
        if result.method == labour_market.METHOD:
            sizes = [len(members) for members in result.regions().values()]
            self.stdout.write(
                _(
                    "%(year)s: %(regions)s labour-market regions, %(single)s of them a single "
                    "municipality; every municipality is in one. Computed in %(ms).0f ms."
                )
                % {
                    "year": result.year,
                    "regions": len(sizes),
                    "single": sizes.count(1),
                    "ms": elapsed * 1000,
                }
            )
            return
        self.stdout.write(
            _(
                "%(year)s: %(centre)s centres, %(hinterland)s hinterland municipalities, "
                "%(alone)s in no region. Computed in %(ms).0f ms."
            )
            % {"year": result.year, **counts, "ms": elapsed * 1000}
        )


def _default(value: Number | None, default: Number) -> Number:
    return default if value is None else value


def _row(a) -> str:
    extra = a.via or ""
    if a.secondary:
        extra = f"{a.secondary} {a.secondary_share:.1f}"
    name = a.name[:28]
    marker = "" if a.role == CENTRE else "  "
    return (
        f"{a.number:<5} {marker + name:<28} {a.role:<10} {a.centre:<6} {a.share:>5.1f}  "
        f"{a.reason} {extra}".rstrip()
    )
