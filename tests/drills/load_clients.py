"""Drill: 200 concurrent clients against gunicorn on the bench dataset for 60 s, 0 errors.

The dataset is `make bench`'s (bench/run.py `build_dataset`: the whole country, 50 000
organisations, 20 000 cooperations, 5 000 agreements …) in a database of the drill's own.
gunicorn runs as in `make bench` (2 sync workers, the anonymous response cache on, as in
production). 200 clients (asyncio, one connection per request) read for DURATION seconds,
each going round the pages and API endpoints that `make bench` measures plus every
municipality's page and searches for 10 prefixes in 4 places (so that the cache also
misses). The API's rate limit is off: all 200 clients share one address.

Fails on any answer other than 200, any connection error or any timeout
(REQUEST_TIMEOUT_S); prints requests, throughput and p50/p95/max latency.

    .venv/bin/python tests/drills/load_clients.py [--clients 200] [--duration 60]

`run.py` builds the dataset (`--build-only`, into var/drills/bench-dataset/) while the other
drills run, and then runs this drill with `--prebuilt`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from common import (
    HOST,
    ROOT,
    DrillFailed,
    Server,
    drill_env,
    log,
    main,
    percentile_ms,
    sqlite_url,
    work_directory,
)

sys.path.insert(0, str(ROOT))
from bench.run import URLS, BenchError, bench_env, build_dataset  # noqa: E402

CLIENTS = 200
DURATION_S = 60.0
REQUEST_TIMEOUT_S = 30.0
WORKERS = 2
DATASET = ROOT / "var" / "drills" / "bench-dataset" / "bench.sqlite3"
PREFIXES = ["ha", "ka", "ås", "sø", "be", "ve", "ro", "st", "le", "ma"]


def paths(facts: dict[str, str], database: Path) -> list[str]:
    """The bench's URLs with its facts filled in, every municipality, and some searches."""
    out = []
    for name, template in URLS:
        if name == "floor":
            continue
        out.append(
            template.format(
                region=facts.get("region_slug", "missing"),
                organisation=facts.get("organisation_id", "missing"),
                region_id=facts.get("region_id", "missing"),
                **{k[3:]: v for k, v in facts.items() if k.startswith("ag_")},
            )
        )
    db = sqlite3.connect(database)
    try:
        numbers = [
            row[0]
            for row in db.execute(
                "SELECT number FROM places_municipality WHERE valid_to IS NULL ORDER BY number"
            )
        ]
    finally:
        db.close()
    out += [f"/kommuner/{number}/" for number in numbers]
    for prefix in PREFIXES:
        query = urllib.parse.urlencode({"q": prefix})
        out += [
            f"/sok/?{query}",
            f"/api/v1/places/search?{query}",
            f"/organisasjoner/?{query}",
            f"/api/v1/organisations?{query}",
        ]
    return out


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.samples: list[str] = []

    def add(self, seconds: float, outcome: str, path: str) -> None:
        self.latencies.append(seconds)
        self.statuses[outcome] += 1
        if outcome != "200" and len(self.samples) < 5:
            self.samples.append(f"{outcome} {path}")


async def fetch(port: int, path: str) -> str:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n"
            "User-Agent: kraftsenter-drill\r\n\r\n".encode()
        )
        await writer.drain()
        data = await reader.read()  # until the server closes
    finally:
        writer.close()
    status_line = data.split(b"\r\n", 1)[0].split()
    return status_line[1].decode() if len(status_line) > 1 else "empty answer"


async def client(number: int, port: int, urls: list[str], until: float, tally: Tally) -> None:
    index = number * 7
    while time.perf_counter() < until:
        path = urls[index % len(urls)]
        index += 1
        started = time.perf_counter()
        try:
            outcome = await asyncio.wait_for(fetch(port, path), REQUEST_TIMEOUT_S)
        except TimeoutError:
            outcome = "timeout"
        except OSError as exc:
            outcome = type(exc).__name__
        tally.add(time.perf_counter() - started, outcome, path)


async def load(port: int, urls: list[str], clients: int, duration: float) -> tuple[Tally, float]:
    tally = Tally()
    started = time.perf_counter()
    until = started + duration
    await asyncio.gather(*(client(i, port, urls, until, tally) for i in range(clients)))
    return tally, time.perf_counter() - started


def dataset_env(database: Path) -> dict[str, str]:
    """`make bench`'s settings for ``database``, without the API's rate limit."""
    return {
        **bench_env(database),
        **{
            k: v
            for k, v in drill_env(sqlite_url(database)).items()
            if k.startswith(("KRAFTSENTER_API_RATE", "PYTHONPATH", "KRAFTSENTER_SOURCES"))
        },
    }


def build(database: Path = DATASET) -> dict[str, str]:
    """Build the bench dataset at ``database``; its facts are kept beside it (JSON)."""
    facts_file = database.with_suffix(".facts.json")
    facts_file.unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        facts = build_dataset(dataset_env(database), database)
    except BenchError as exc:
        raise DrillFailed(str(exc)) from None
    facts_file.write_text(json.dumps(facts))
    log(f"dataset built in {time.perf_counter() - started:.1f} s")
    return facts


def run(clients: int = CLIENTS, duration: float = DURATION_S, prebuilt: bool = False) -> None:
    work = work_directory("load_clients")
    facts_file = DATASET.with_suffix(".facts.json")
    if prebuilt and facts_file.is_file():
        facts = json.loads(facts_file.read_text())
        log(f"dataset: {DATASET.relative_to(ROOT)}, built beforehand by the runner")
    else:
        facts = build(DATASET)
    env = dataset_env(DATASET)
    urls = paths(facts, DATASET)
    with Server(env, work / "gunicorn.log", workers=WORKERS) as server:
        server.warm_up("/kommuner/", requests=20)
        log(
            f"gunicorn {WORKERS} sync workers on port {server.port}; {clients} clients for "
            f"{duration:g} s over {len(urls)} paths"
        )
        tally, elapsed = asyncio.run(load(server.port, urls, clients, duration))
        server_log = (work / "gunicorn.log").read_text(errors="replace")
    count = len(tally.latencies)
    errors = count - tally.statuses["200"]
    log(
        f"{count} requests in {elapsed:.1f} s: {count / elapsed:.0f} req/s, "
        f"p50 {percentile_ms(tally.latencies, 50):.0f} ms, "
        f"p95 {percentile_ms(tally.latencies, 95):.0f} ms, "
        f"max {max(tally.latencies) * 1000:.0f} ms, errors {errors} "
        f"({dict(tally.statuses.most_common())})"
    )
    problems = []
    if errors:
        problems.append(f"{errors} failed requests, e.g. {'; '.join(tally.samples)}")
    if "Traceback" in server_log or "WORKER TIMEOUT" in server_log:
        problems.append("gunicorn's log has errors:\n" + server_log[-2000:])
    if problems:
        raise DrillFailed("\n".join(problems))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--duration", type=float, default=DURATION_S)
    parser.add_argument(
        "--build-only", action="store_true", help="only build the dataset (the runner does)"
    )
    parser.add_argument(
        "--prebuilt", action="store_true", help="use the dataset --build-only made, if there"
    )
    args = parser.parse_args()
    if args.build_only:
        main(build)
    else:
        main(lambda: run(args.clients, args.duration, args.prebuilt))
