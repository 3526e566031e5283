"""Where the time of a page goes: SQL, Python and template rendering, in-process.

Runs against the database the last ``bench/run.py`` built (``var/bench/bench.sqlite3``, with
its facts in ``var/bench/facts.json``), with the same settings as the bench server, through
Django's test client — logged in as the bench editor unless ``--anonymous``. Each page is
requested ``--repeat`` times after one warm-up request; the medians are printed:

* total: the whole request through the middleware stack;
* SQL: the time spent in the database cursor (every query, wherever it ran);
* template: the time in the outermost template render, less the SQL run from inside it
  (lazy querysets evaluated by the template count as SQL);
* Python: the rest (views, selectors, forms, middleware).

Usage::

    .venv/bin/python bench/split.py [--repeat N] [--anonymous] [--postgres] [NAME ...]

With ``--postgres`` it measures the PostgreSQL database ``KRAFTSENTER_BENCH_DATABASE_URL`` names,
as the last ``bench/run.py --database postgres`` built it (facts in ``facts-postgres.json``).

NAME is a name from bench/run.py's URLS or LOGGED_IN_URLS (default: the pages listed in
``DEFAULT_NAMES``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402 - after the path is set
    BENCH_DATABASE_URL,
    BENCH_EDITOR,
    DB_PATH,
    FACTS_PATH,
    LOGGED_IN_URLS,
    URLS,
    bench_env,
)

DEFAULT_NAMES = [
    "region-coverage",
    "municipality-cooperations",
    "county-dashboard",
    "agreement-list-filtered",
    "commitment-list-filtered",
    "cooperation-list-filtered",
    "organisation-search",
    "dashboard",
    "cooperation-edit",
]


class Clock:
    """Accumulates SQL time, template time and the SQL run inside templates."""

    def __init__(self) -> None:
        self._depth = 0
        self.reset()

    def reset(self) -> None:
        self.sql = 0.0
        self.template = 0.0
        self.sql_in_template = 0.0
        self.queries = 0

    def execute(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.sql += spent
            self.queries += 1
            if self._depth:
                self.sql_in_template += spent

    @contextmanager
    def rendering(self) -> Iterator[None]:
        self._depth += 1
        started = time.perf_counter()
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth:
                self.template += time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--anonymous", action="store_true", help="do not log in")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help=f"measure the PostgreSQL database {BENCH_DATABASE_URL} names",
    )
    args = parser.parse_args(argv)
    url = os.environ.get(BENCH_DATABASE_URL, "") if args.postgres else None
    facts_path = FACTS_PATH.with_name("facts-postgres.json") if args.postgres else FACTS_PATH
    if args.postgres and not url:
        print(f"--postgres needs {BENCH_DATABASE_URL} (the database bench/run.py built).")
        return 2
    if not facts_path.exists() or not (url or DB_PATH.exists()):
        print("No bench database: run bench/run.py first (it builds var/bench/).")
        return 2
    facts = json.loads(facts_path.read_text())
    env = bench_env(url=url)
    env["KRAFTSENTER_PAGE_CACHE"] = "0"
    os.environ.update(env)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.template.backends.django import Template
    from django.test import Client

    # As each gunicorn worker does at start (config/wsgi.py): the OpenAPI description built
    # and the start-up objects frozen out of the garbage collector, whose full collections
    # over them would otherwise be charged to whichever page happened to trigger one.
    import config.wsgi  # noqa: F401

    paths = dict([*URLS, *LOGGED_IN_URLS])
    names = args.names or DEFAULT_NAMES
    unknown = [n for n in names if n not in paths]
    if unknown:
        parser.error(f"unknown names: {', '.join(unknown)}")

    clock = Clock()
    original_render = Template.render

    def timed_render(self: Template, *a: Any, **kw: Any) -> Any:
        with clock.rendering():
            return original_render(self, *a, **kw)

    Template.render = timed_render  # type: ignore[assignment,method-assign]
    client = Client()
    if not args.anonymous:
        client.force_login(get_user_model().objects.get(username=BENCH_EDITOR[0]))
    who = "anonymous" if args.anonymous else f"logged in as {BENCH_EDITOR[0]}"
    print(f"Median of {args.repeat} requests per page, {who}, page cache off (ms)\n")
    header = f"{'name':<28} {'total':>7} {'SQL':>7} {'Python':>7} {'template':>8} {'queries':>7}"
    print(header)
    print("-" * len(header))
    with connection.execute_wrapper(clock.execute):
        for name in names:
            path = paths[name].format(
                region=facts.get("region_slug"),
                organisation=facts.get("organisation_id"),
                region_id=facts.get("region_id"),
                cooperation=facts.get("cooperation_id"),
                **{k[3:]: v for k, v in facts.items() if k.startswith("ag_")},
            )
            samples = []
            for i in range(args.repeat + 1):
                clock.reset()
                started = time.perf_counter()
                response = client.get(path)
                total = time.perf_counter() - started
                if response.status_code != 200:
                    print(f"{name}: HTTP {response.status_code}")
                    return 1
                if i:  # the first is a warm-up
                    template = clock.template - clock.sql_in_template
                    samples.append(
                        (total, clock.sql, total - clock.sql - template, template, clock.queries)
                    )
            med = [statistics.median(s[k] for s in samples) for k in range(5)]
            print(
                f"{name:<28} {med[0] * 1000:7.1f} {med[1] * 1000:7.1f} {med[2] * 1000:7.1f} "
                f"{med[3] * 1000:8.1f} {med[4]:7.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
