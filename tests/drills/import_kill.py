"""Drill: kill -9 during each import; the database is as before and the rerun succeeds.

SQLite. For each import, an uninterrupted reference run on a copy of the starting database
shows its write transactions: a probe connection asks every few milliseconds for SQLite's
write lock (`BEGIN IMMEDIATE` without waiting), so it sees when the import holds it. Then,
for each write transaction, a fresh copy is imported again and the import is killed with
SIGKILL halfway through that transaction (earlier, when a run is quicker than the
reference), right after the probe saw the lock held. Afterwards:

* `PRAGMA integrity_check` is ok, and every table has the same checksum (rows in rowid order)
  as before the import, except the tables of a transaction that had committed earlier (the
  reference-data import commits the places first and then, in its own transaction, brings
  the organisations up to date: `places.signals`);
* the import run again on the killed database succeeds and gives the same row counts as the
  uninterrupted run (the `DataImport` log aside: an interrupted run can leave its entry).

Imports: `import_places --dir DATA` (onto the demo database, built-in places),
`import_statistics --dir` (DATA's commuting and employment files, onto the demo database
with the whole country) and `import_cooperations FILE` (200 cooperations written here in the
documented layout). DATA is $KRAFTSENTER_DRILL_DATA, else $KRAFTSENTER_BENCH_DATA, else
../shared/data.

    .venv/bin/python tests/drills/import_kill.py
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import (
    ROOT,
    DrillFailed,
    copy_sqlite,
    demo_database,
    drill_env,
    integrity,
    kraftsenter_command,
    log,
    main,
    sqlite_url,
    table_checksums,
    work_directory,
)

POLL_S = 0.002
#: A write transaction shorter than this is not a kill target (nor counted as one).
MIN_TRANSACTION_S = 0.05
#: Where to kill, as a share of the transaction's length in the reference run; the next
#: share is tried when a run was quicker and finished first.
KILL_AT = (0.5, 0.2, 0.05)
COOPERATIONS = 200
#: Tables the import may change without it being a change of the database's contents.
IMPORT_LOG = ("core_dataimport",)


@dataclass
class ImportDrill:
    name: str
    args: list[str]
    #: transaction number (1-based) → table prefixes committed by earlier transactions
    committed_before: dict[int, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Run:
    returncode: int
    seconds: float
    transactions: list[tuple[float, float]]  # (start, length) in seconds from the start
    output: str
    killed_at: float | None = None


def data_dir() -> Path:
    configured = os.environ.get("KRAFTSENTER_DRILL_DATA") or os.environ.get(
        "KRAFTSENTER_BENCH_DATA"
    )
    path = (Path(configured) if configured else ROOT.parent / "shared" / "data").resolve()
    if not (path / "kommuner_2024.csv").is_file():
        raise DrillFailed(
            f"No reference data at {path}. Set KRAFTSENTER_DRILL_DATA to a directory in the "
            "documented import format (docs/import-format.md), e.g. ../shared/data."
        )
    return path


def write_lock_held(probe: sqlite3.Connection) -> bool:
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    probe.execute("ROLLBACK")
    return False


def run_import(
    drill: ImportDrill, database: Path, log_path: Path, *, kill: tuple[int, float] | None = None
) -> Run:
    """Run the import on ``database``, watching its write transactions.

    ``kill=(n, delay)``: SIGKILL once the n-th write transaction has held the lock for
    ``delay`` seconds, at a moment the probe has just seen it held.
    """
    probe = sqlite3.connect(database, timeout=0, isolation_level=None)
    started = time.perf_counter()
    with log_path.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed program, arguments from the drill
            [*kraftsenter_command(), *drill.args],
            cwd=ROOT,
            env=drill_env(sqlite_url(database)),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        transactions: list[list[float]] = []
        current: list[float] | None = None
        killed_at = None
        try:
            while process.poll() is None:
                now = time.perf_counter() - started
                if write_lock_held(probe):
                    if current is None:
                        current = [now, now]
                        transactions.append(current)
                    current[1] = now
                    if kill is not None:
                        number, delay = kill
                        long_ones = [t for t in transactions if t[1] - t[0] >= MIN_TRANSACTION_S]
                        if (
                            current in long_ones
                            and len(long_ones) == number
                            and now - current[0] >= delay
                        ):
                            os.kill(process.pid, signal.SIGKILL)
                            killed_at = now
                            break
                else:
                    current = None
                time.sleep(POLL_S)
            process.wait(timeout=300)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            probe.close()
    return Run(
        returncode=process.returncode,
        seconds=time.perf_counter() - started,
        transactions=[(a, b - a) for a, b in transactions if b - a >= MIN_TRANSACTION_S],
        output=log_path.read_text(errors="replace"),
        killed_at=killed_at,
    )


def counts(checksums: dict[str, tuple[int, str]]) -> dict[str, int]:
    return {t: c for t, (c, _digest) in checksums.items() if t not in IMPORT_LOG}


def drill_import(drill: ImportDrill, before: Path, work: Path) -> Path:
    """Reference run, then one kill per write transaction; returns the reference result."""
    reference = work / f"{drill.name}-reference.sqlite3"
    copy_sqlite(before, reference)
    ref = run_import(drill, reference, work / f"{drill.name}-reference.log")
    if ref.returncode != 0:
        raise DrillFailed(f"{drill.name} failed without a kill:\n{ref.output[-3000:]}")
    shown = ", ".join(f"{length:.2f} s at {start:.2f} s" for start, length in ref.transactions)
    log(f"{drill.name}: reference run {ref.seconds:.1f} s; write transactions: {shown}")
    if not ref.transactions:
        raise DrillFailed(f"{drill.name}: no write transaction seen; nothing to kill")
    expected = counts(table_checksums(reference))
    original = table_checksums(before)

    for number, (_start, length) in enumerate(ref.transactions, start=1):
        target = work / f"{drill.name}-kill{number}.sqlite3"
        for fraction in KILL_AT:
            copy_sqlite(before, target)
            killed = run_import(
                drill,
                target,
                work / f"{drill.name}-kill{number}.log",
                kill=(number, fraction * length),
            )
            if killed.killed_at is not None:
                break
            # This run was quicker than the reference: aim earlier in the transaction.
            log(
                f"  write transaction {number} ended before {fraction:.0%} of its reference "
                f"length (exit {killed.returncode}); again, earlier"
            )
        else:
            raise DrillFailed(
                f"{drill.name}: finished every time before the kill point in write transaction "
                f"{number} (aimed at {', '.join(f'{f:.0%}' for f in KILL_AT)} of {length:.2f} s)"
            )
        checked = integrity(target)
        if checked != "ok":
            raise DrillFailed(f"{drill.name}: integrity_check after kill -9: {checked}")
        after = table_checksums(target)
        committed = drill.committed_before.get(number, ())
        changed = sorted(t for t in set(original) | set(after) if original.get(t) != after.get(t))
        unexpected = [t for t in changed if not t.startswith(committed)]
        if unexpected:
            details = ", ".join(
                f"{t} ({original.get(t, (0, ''))[0]}→{after.get(t, (0, ''))[0]} rows)"
                for t in unexpected
            )
            raise DrillFailed(
                f"{drill.name}: killed {killed.killed_at:.2f} s into the run (write transaction "
                f"{number}), these tables changed: {details}"
            )
        kept = f"; committed earlier: {', '.join(changed)}" if changed else ""
        rerun = run_import(drill, target, work / f"{drill.name}-rerun{number}.log")
        if rerun.returncode != 0:
            raise DrillFailed(
                f"{drill.name}: the rerun after kill -9 failed:\n{rerun.output[-3000:]}"
            )
        got = counts(table_checksums(target))
        differ = sorted(t for t in set(got) | set(expected) if got.get(t) != expected.get(t))
        if differ:
            raise DrillFailed(
                f"{drill.name}: after kill and rerun, row counts differ from the uninterrupted "
                f"run in {', '.join(f'{t} ({got.get(t)} vs {expected.get(t)})' for t in differ)}"
            )
        log(
            f"  kill -9 at {killed.killed_at:.2f} s (write transaction {number}, "
            f"{fraction:.0%} in): integrity ok, {len(original) - len(changed)} of {len(original)} "
            f"tables unchanged{kept}; rerun {rerun.seconds:.1f} s, same counts as the reference"
        )
    return reference


def statistics_directory(source: Path, target: Path) -> Path:
    """The statistics files of ``source`` that cover the whole country (commuting and
    employment), in a directory of their own; ../shared/data also holds a county's industry
    and emission figures, which the import refuses as partial without --allow-partial."""
    target.mkdir()
    files = [
        path
        for pattern in ("pendling_kommune_*.csv", "sysselsatte_bosted_arbeidssted_*.csv")
        for path in sorted(source.glob(pattern))
    ]
    if not files:
        raise DrillFailed(f"no commuting or employment files in {source}")
    for path in files:
        shutil.copy(path, target / path.name)
    return target


def cooperation_file(database: Path, path: Path) -> Path:
    """COOPERATIONS IKS with two municipal owners each, in the documented layout."""
    db = sqlite3.connect(database)
    try:
        numbers = [
            row[0]
            for row in db.execute(
                "SELECT m.number FROM actors_organisation o JOIN places_municipality m "
                "ON m.id = o.municipality_id WHERE o.kind = 'municipality' "
                "AND o.archived_at IS NULL AND m.valid_to IS NULL ORDER BY m.number"
            )
        ]
    finally:
        db.close()
    if len(numbers) < 3:
        raise DrillFailed(f"only {len(numbers)} municipal organisations to cooperate")
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["samarbeid", "form", "omrader", "deltaker", "eierandel"])
        for i in range(COOPERATIONS):
            first = numbers[i % len(numbers)]
            second = numbers[(i * 7 + 1) % len(numbers)]
            if second == first:
                second = numbers[(i + 1) % len(numbers)]
            name = f"Drillselskap {i + 1} IKS"
            out.writerow([name, "iks", "ikt", first, "50"])
            out.writerow([name, "", "", second, "50"])
    return path


def run() -> None:
    work = work_directory("import_kill")
    source = data_dir()
    demo = demo_database(work / "demo.sqlite3")

    places = ImportDrill(
        "import_places",
        ["import_places", "--dir", str(source)],
        committed_before={2: ("places_", *IMPORT_LOG)},
    )
    country = drill_import(places, demo, work)

    figures = statistics_directory(source, work / "statistics")
    statistics = ImportDrill("import_statistics", ["import_statistics", "--dir", str(figures)])
    drill_import(statistics, country, work)

    csv_file = cooperation_file(country, work / "samarbeid.csv")
    cooperations = ImportDrill("import_cooperations", ["import_cooperations", str(csv_file)])
    drill_import(cooperations, country, work)


if __name__ == "__main__":
    main(run)
