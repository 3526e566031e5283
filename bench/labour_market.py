"""How long labour-market regions for the whole country take (part of `make bench`).

``kraftsenter compute_regions --mode labour-market`` loads one year's commuting matrix from the
database and computes (kraftsenter/knowledge/labour_market.py). This script builds a throw-away
SQLite database (``var/bench/labour_market.sqlite3``: ``migrate``, ``import_places`` and the
2022 flows of ``pendling_kommune_2020_2022.csv`` from ``../shared/data`` or
``$KRAFTSENTER_BENCH_DATA``), then measures ``--repeat`` times, in this process: loading the
year (``regions.load_region_data``, two queries), the labour-market computation, and the
small-town computation for comparison; it prints the median and the slowest of each.

Without the data directory it says why and skips (exit 0). The aim: load and compute together
under a second for the whole country.

Usage::

    .venv/bin/python bench/labour_market.py [--repeat N] [--format text|markdown]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_PATH = ROOT / "var" / "bench" / "labour_market.sqlite3"
YEAR = 2022
AIM_MS = 1000.0  # load and compute, the whole country


def data_dir() -> Path:
    configured = os.environ.get("KRAFTSENTER_BENCH_DATA")
    return (Path(configured) if configured else ROOT.parent / "shared" / "data").resolve()


def setup_django() -> None:
    """Django on the throw-away database; must run before anything imports the project."""
    DB_PATH.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{DB_PATH}",
            "KRAFTSENTER_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only",
            "KRAFTSENTER_SECURE_COOKIES": "0",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(source: Path) -> int:
    """Places and the year's flows (2024 numbers, flows of merged numbers added up)."""
    from django.core.management import call_command

    from kraftsenter.knowledge.models import CommutingFlow
    from kraftsenter.places.models import Municipality

    with redirect_stdout(io.StringIO()):
        call_command("migrate", verbosity=0)
        call_command("import_places", dir=str(source), verbosity=0)
    flows: dict[tuple[str, str], int] = defaultdict(int)
    with open(source / "pendling_kommune_2020_2022.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["aar"] == str(YEAR):
                key = (row["bosted_kommunenummer_2024"], row["arbeidssted_kommunenummer_2024"])
                flows[key] += int(row["sysselsatte"])
    ids = dict(Municipality.objects.filter(valid_to__isnull=True).values_list("number", "id"))
    CommutingFlow.objects.bulk_create(
        (
            CommutingFlow(year=YEAR, home_id=ids[home], work_id=ids[work], employed=n)
            for (home, work), n in flows.items()
        ),
        batch_size=5_000,
    )
    return len(flows)


def timed(step: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median ms, slowest ms) of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def measure(repeat: int) -> list[tuple[str, float, float]]:
    from kraftsenter.knowledge import labour_market
    from kraftsenter.knowledge.regions import (
        RegionParameters,
        compute_regions,
        load_region_data,
    )

    data = load_region_data(YEAR)
    market, small = labour_market.LabourMarketParameters(), RegionParameters()
    rows = [
        ("load the year (2 queries)", *timed(lambda: load_region_data(YEAR), repeat)),
        (
            "labour-market regions",
            *timed(lambda: labour_market.compute_labour_market(data, market), repeat),
        ),
        (
            "load + labour-market regions",
            *timed(
                lambda: labour_market.compute_labour_market(load_region_data(YEAR), market),
                repeat,
            ),
        ),
        ("small-town regions (comparison)", *timed(lambda: compute_regions(data, small), repeat)),
    ]
    return rows


def table(rows: Sequence[tuple[str, float, float]], *, markdown: bool) -> str:
    headers = ["step", "median ms", "slowest ms"]
    cells = [[name, f"{median:.1f}", f"{slowest:.1f}"] for name, median, slowest in rows]
    if markdown:
        return "\n".join(
            [
                "| " + " | ".join(headers) + " |",
                "| --- | ---: | ---: |",
                *("| " + " | ".join(c) + " |" for c in cells),
            ]
        )
    widths = [max(len(x) for x in col) for col in zip(headers, *cells, strict=True)]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join(
        [fmt.format(*headers), "  ".join("-" * w for w in widths), *(fmt.format(*c) for c in cells)]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=11, help="runs per step (default 11)")
    parser.add_argument("--format", choices=["text", "markdown"], default="text")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be positive")
    source = data_dir()
    if not (source / "pendling_kommune_2020_2022.csv").is_file():
        print(
            f"Skipped: no commuting matrix at {source} (pendling_kommune_2020_2022.csv). Set "
            "KRAFTSENTER_BENCH_DATA to the shared data directory to measure the whole country."
        )
        return 0
    setup_django()
    flows = build(source)
    rows = measure(args.repeat)
    print(table(rows, markdown=args.format == "markdown"))
    total = next(median for name, median, _slowest in rows if name.startswith("load +"))
    verdict = "pass" if total < AIM_MS else "MISS"
    print()
    print(
        f"{YEAR}: 357 municipalities, {flows} flows, {args.repeat} runs per step. Aim: load and "
        f"compute under {AIM_MS:.0f} ms for the whole country: {verdict} ({total:.0f} ms)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
