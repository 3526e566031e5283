"""kraftsenter compute_regions: small-town regions from the commuting figures of one year.

    kraftsenter compute_regions --year 2022                       # defaults, as a table
    kraftsenter compute_regions --year 2022 --format csv          # one row per municipality
    kraftsenter compute_regions --year 2022 --centres 3403,5601   # the centres are given
    kraftsenter compute_regions --year 2022 --min-population 8000 --centrality 3,4
    kraftsenter compute_regions --year 2022 --save [--replace]    # save as computed regions

The method and its defaults: docs/small-town-regions-method.md. Bad input stops the command
with a precise message, and nothing is written.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kraftsenter.knowledge.regions import (
    ALONE,
    CENTRE,
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
}


def _numbers(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class Command(BaseCommand):
    help = "Compute small-town regions from commuting: centres, hinterland, and the rest."

    def add_arguments(self, parser):
        defaults = RegionParameters()
        parser.add_argument("--year", type=int, required=True, help="Commuting year.")
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
            default=defaults.threshold_percent,
            help="Percent of employed residents working in a centre that makes a municipality "
            "its hinterland (default %(default)s).",
        )
        parser.add_argument(
            "--larger-market",
            type=float,
            default=defaults.larger_market_percent,
            help="Percent of employed residents working in one place with more jobs that is no "
            "centre, which keeps a municipality out of small-town regions (default %(default)s).",
        )
        parser.add_argument("--format", choices=["table", "csv"], default="table")
        parser.add_argument("--save", action="store_true", help="Save as computed regions.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="With --save: archive the computed regions of the year first.",
        )

    def parameters(self, options) -> RegionParameters:
        rule = (options["min_population"], options["max_population"], options["centrality"])
        if options["centres"] is not None and any(value is not None for value in rule):
            raise CommandError(
                _("Give either --centres or the population and centrality options, not both.")
            )
        if options["replace"] and not options["save"]:
            raise CommandError(_("--replace is only used together with --save."))
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
            threshold_percent=options["threshold"],
            larger_market_percent=options["larger_market"],
        )

    def handle(self, *args, **options):
        params = self.parameters(options)
        started = time.perf_counter()
        try:
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
        self.stdout.write(
            _(
                "%(year)s: %(centre)s centres, %(hinterland)s hinterland municipalities, "
                "%(alone)s in no region. Computed in %(ms).0f ms."
            )
            % {"year": result.year, **counts, "ms": elapsed * 1000}
        )


def _default(value: int | None, default: int) -> int:
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
