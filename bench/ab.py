"""Two versions side by side: ``bench/run.py --ab REF`` (issue 14).

A full run's ratio to the floor moves with the machine: the floor itself was 1 602 req/s in one
round's PostgreSQL run and 2 241 in the next, so a change's effect cannot be read from two
runs. ``--ab REF`` serves the commit ``REF`` (a checkout of it, :func:`worktree`) and the
working tree side by side on the same dataset, one gunicorn each, and loads them in alternating
rounds (base then change, change then base, …): whatever the machine does during a round, both
get it. Per URL it prints each side's median throughput and p95 over the rounds and the ratio
of the change to the base.

The checkout shares the project's virtual environment, so ``REF`` must run on the installed
dependencies and on the dataset's schema (the same migrations); a page that fails on either
side is reported with its errors. Reads only (the anonymous passes and the logged-in pass):
the writes would change the dataset under the other side.
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

#: Rounds per URL; each side is loaded once per round, the order swapped every round.
ROUNDS = 6


class Measured(Protocol):
    errors: int

    @property
    def throughput(self) -> float: ...

    def percentile_ms(self, p: float) -> float: ...


def resolve(root: Path, ref: str) -> str:
    """The commit ``ref`` names, or ValueError with git's answer."""
    found = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],  # noqa: S607
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0 or not found.stdout.strip():
        raise ValueError(f"--ab {ref!r}: no such commit in {root}")
    return found.stdout.strip()


@contextlib.contextmanager
def worktree(root: Path, commit: str) -> Iterator[Path]:
    """A checkout of ``commit`` in a temporary directory (``git worktree``, detached), with the
    compiled message catalogues (``locale/*/LC_MESSAGES/*.mo``, built by ``make install``,
    not in git) copied from ``root``; removed afterwards, also after an error."""
    path = Path(tempfile.mkdtemp(prefix="kraftsenter-ab-"))
    subprocess.run(  # noqa: S603 - fixed argument list, no shell
        ["git", "worktree", "add", "--detach", "--quiet", str(path), commit],  # noqa: S607
        cwd=root,
        check=True,
    )
    try:
        for catalogue in root.glob("locale/*/LC_MESSAGES/*.mo"):
            target = path / catalogue.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(catalogue, target)
        yield path
    finally:
        subprocess.run(  # noqa: S603 - fixed argument list, no shell
            ["git", "worktree", "remove", "--force", str(path)],  # noqa: S607
            cwd=root,
            check=False,
            capture_output=True,
        )
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run(  # noqa: S603
            ["git", "worktree", "prune"],  # noqa: S607
            cwd=root,
            check=False,
            capture_output=True,
        )


def order(round_number: int) -> tuple[int, int]:
    """Which side goes first in a round: the base (0) in even rounds, the change (1) in odd."""
    return (0, 1) if round_number % 2 == 0 else (1, 0)


@dataclass
class Comparison:
    name: str
    path: str
    #: Per side (base, change): the median over the rounds.
    throughput: tuple[float, float]
    p95_ms: tuple[float, float]
    errors: tuple[int, int]

    @property
    def ratio(self) -> float:
        """The change's median throughput over the base's (above 1: the change is faster)."""
        base, change = self.throughput
        return change / base if base else float("nan")


def compare(
    name: str, path: str, base: Sequence[Measured], change: Sequence[Measured]
) -> Comparison:
    """One URL's rounds on both sides, summed up by their medians."""

    def medians(rounds: Sequence[Measured]) -> tuple[float, float, int]:
        return (
            statistics.median(r.throughput for r in rounds),
            statistics.median(r.percentile_ms(95) for r in rounds),
            sum(r.errors for r in rounds),
        )

    b, c = medians(base), medians(change)
    return Comparison(name, path, (b[0], c[0]), (b[1], c[1]), (b[2], c[2]))


def table(comparisons: Sequence[Comparison], base_label: str, change_label: str) -> str:
    """The comparisons as a text table."""
    header = [
        "name",
        f"req/s {base_label}",
        f"req/s {change_label}",
        "ratio",
        f"p95 ms {base_label}",
        f"p95 ms {change_label}",
        "errors",
    ]
    lines: list[list[Any]] = [header]
    for c in comparisons:
        lines.append(
            [
                c.name,
                f"{c.throughput[0]:.0f}",
                f"{c.throughput[1]:.0f}",
                f"{c.ratio:.2f}",
                f"{c.p95_ms[0]:.1f}",
                f"{c.p95_ms[1]:.1f}",
                f"{c.errors[0]}/{c.errors[1]}",
            ]
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    )
