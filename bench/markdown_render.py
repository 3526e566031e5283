"""How long the Markdown renderer takes on pathological input (part of `make bench`).

Descriptions are Markdown written by anyone with an editor role, so the renderer must not
take time that grows faster than the text: issue 12 found 6 KB of ``[`` taking 6.3 s per view
with the previous renderer. Each input below is rendered ``--repeat`` times with
:func:`kraftsenter.core.markdown.render_markdown` (parse, render, sanitise) in this process,
and the median is printed.

Usage::

    .venv/bin/python bench/markdown_render.py [--repeat N] [--format text|markdown]

``bench/run.py`` runs it after the HTTP measurements and writes its table to
docs/PERFORMANCE.md with ``--write-docs``. The unit test
``kraftsenter/core/tests/test_markdown.py`` renders the same inputs and checks the output.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The aim: a description of the maximum length (``core.bounds.TEXT_LENGTH``, 10 000
#: characters) renders in at most 250 ms, whatever it holds: at most 25 µs per character (the
#: render runs once, when the text is saved). The 100 KB inputs are ten times that length.
AIM_US_PER_CHARACTER = 25.0


def _code_spans(longest: int) -> str:
    """Backtick runs of every length 1, 2, 3 … ``longest`` (a known quadratic case for code
    spans: each run looks for a closing run of its own length)."""
    return "".join("`" * n + "a" for n in range(1, longest + 1))


#: (name, text): the pathological inputs, each at most 100 KB (the longest text field is
#: shorter; see docs/bounds.md).
PROSE = (
    "Hamar kommune samarbeider med **Innlandet fylkeskommune** om [regional plan]"
    "(https://www.innlandetfylke.no/) og _næringsutvikling_ i regionen. "
)
INPUTS: list[tuple[str, str]] = [
    ("ordinary prose 100 KB (yardstick)", "\n\n".join(PROSE * 3 for _ in range(250))),
    ("brackets 6 KB", "[" * 6_000),
    ("brackets 100 KB", "[" * 100_000),
    ("link openers 100 KB", "[a](" * 25_000),
    ("stars 100 KB", "*" * 100_000),
    ("emphasis *a 100 KB", "*a" * 50_000),
    ("emphasis _a 100 KB", "_a" * 50_000),
    ("strong/emphasis mix 100 KB", "**a*b_c__" * 11_111),
    ("nested lists 1 000 deep", "- " * 1_000 + "x"),
    ("nested ordered lists 1 000 deep", "1. " * 1_000 + "x"),
    ("nested blockquotes 1 000 deep", "> " * 1_000 + "x"),
    ("indented lists 1 000 lines", "\n".join(" " * (2 * (i % 50)) + "- x" for i in range(1_000))),
    ("backticks 100 KB", "`" * 100_000),
    ("code spans 1, 2, 3 … 100 KB", _code_spans(445)),
]


def measure(
    render: Callable[[str], object], repeat: int, inputs: Sequence[tuple[str, str]] = INPUTS
) -> list[tuple[str, int, float, float]]:
    """(name, characters, median ms, slowest ms) for each input."""
    results = []
    for name, text in inputs:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            render(text)
            times.append((time.perf_counter() - start) * 1000)
        results.append((name, len(text), statistics.median(times), max(times)))
    return results


def per_character(size: int, median_ms: float) -> float:
    return median_ms * 1000 / max(size, 1)


def table(results: Sequence[tuple[str, int, float, float]], *, markdown: bool) -> str:
    headers = ["input", "characters", "median ms", "slowest ms", "µs/character", "aim"]
    rows = [
        [
            name,
            f"{size:,}".replace(",", " "),
            f"{median:.1f}",
            f"{slowest:.1f}",
            f"{per_character(size, median):.2f}",
            "pass" if per_character(size, median) <= AIM_US_PER_CHARACTER else "MISS",
        ]
        for name, size, median, slowest in results
    ]
    if markdown:
        lines = [
            "| " + " | ".join(headers) + " |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
            *("| " + " | ".join(r) + " |" for r in rows),
        ]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join(
        [fmt.format(*headers), "  ".join("-" * w for w in widths), *(fmt.format(*r) for r in rows)]
    )


AIM_TEXT = (
    f"Aim: at most {AIM_US_PER_CHARACTER:g} µs per character, so that a description of the "
    "maximum length (10 000 characters) renders in at most 0.25 s, once, when it is saved."
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="renders per input (default 5)")
    parser.add_argument("--format", choices=["text", "markdown"], default="text")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be positive")
    sys.path.insert(0, str(ROOT))
    from kraftsenter.core.markdown import render_markdown

    results = measure(render_markdown, args.repeat)
    print(table(results, markdown=args.format == "markdown"))
    print()
    print(AIM_TEXT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
