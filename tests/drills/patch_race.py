"""Drill: 20 parallel PATCHes with the same version to one record, over HTTP.

Against gunicorn (2 workers × 10 threads, so all 20 are in flight at once) on the demo
database, as the editor `hamar-redaktor` with a personal token, on Hamar kommune's
organisation. Half the clients send the version as `If-Match` (the ETag), half in the body.
Each of ROUNDS rounds must give exactly one 200, 412 for every other `If-Match` client and
409 for every other body-version client, the record's version up by exactly one with the
winner's text, and exactly one new history entry.

SQLite always; PostgreSQL too when DRILL_POSTGRES_URL names a server
(postgres://user@host:port/postgres): a database is created for the drill and dropped after.

    .venv/bin/python tests/drills/patch_race.py
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from common import (
    HOST,
    DrillFailed,
    Server,
    api_json,
    create_token,
    demo_database,
    drill_env,
    kraftsenter,
    log,
    main,
    sqlite_url,
    work_directory,
)

CLIENTS = 20
ROUNDS = 5
EDITOR = "hamar-redaktor"
RECORD_NAME = "Hamar kommune"


def find_record(port: int, auth: dict[str, str]) -> int:
    query = urllib.parse.urlencode({"q": RECORD_NAME, "kind": "municipality"})
    status, _headers, page = api_json(port, "GET", f"/api/v1/organisations?{query}", headers=auth)
    if status != 200:
        raise DrillFailed(f"listing organisations answered {status}: {page}")
    for item in page["items"]:
        if item["name"] == RECORD_NAME:
            return int(item["id"])
    raise DrillFailed(f"{RECORD_NAME} is not in the demo database")


def history_count(port: int, path: str, auth: dict[str, str]) -> int:
    status, _headers, page = api_json(port, "GET", f"{path}/history", headers=auth)
    if status != 200:
        raise DrillFailed(f"history answered {status}: {page}")
    return int(page["count"])


def race(port: int, path: str, auth: dict[str, str], round_no: int) -> str:
    status, headers, record = api_json(port, "GET", path, headers=auth)
    if status != 200:
        raise DrillFailed(f"reading the record answered {status}: {record}")
    version, etag = int(record["version"]), headers["etag"]
    history_before = history_count(port, path, auth)
    barrier = threading.Barrier(CLIENTS)
    results: list[tuple[int, bool, str, str]] = [(0, False, "", "")] * CLIENTS

    def client(index: int) -> None:
        with_if_match = index % 2 == 1
        text = f"Drill round {round_no}, client {index}"
        body: dict[str, object] = {"description": text}
        headers = {**auth, "Content-Type": "application/json"}
        if with_if_match:
            headers["If-Match"] = etag
        else:
            body["version"] = version
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            conn.connect()
            barrier.wait(timeout=30)
            conn.request("PATCH", path, body=json.dumps(body), headers=headers)
            response = conn.getresponse()
            answer = response.read().decode("utf-8", "replace")
            results[index] = (response.status, with_if_match, text, answer)
        except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as exc:
            results[index] = (-1, with_if_match, text, f"{type(exc).__name__}: {exc}")
        finally:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    tally = Counter(status for status, *_ in results)
    winners = [r for r in results if r[0] == 200]
    wrong = [
        r
        for r in results
        if r[0] != 200 and r[0] != (412 if r[1] else 409)  # If-Match: 412, body version: 409
    ]
    status, _headers, after = api_json(port, "GET", path, headers=auth)
    history_after = history_count(port, path, auth)
    summary = (
        f"round {round_no}: {dict(sorted(tally.items()))} in {elapsed:.2f} s; "
        f"version {version}→{after['version']}; history {history_before}→{history_after}"
    )
    log(f"  {summary}")
    problems = []
    if len(winners) != 1:
        problems.append(f"{len(winners)} requests got 200 (expected exactly one)")
    if wrong:
        samples = "; ".join(
            f"{s} {'If-Match' if m else 'body'}: {a[:200]}" for s, m, _t, a in wrong
        )
        problems.append(f"{len(wrong)} unexpected answers: {samples}")
    if after["version"] != version + 1:
        problems.append(f"version went {version}→{after['version']} (expected +1)")
    if winners and after["description"] != winners[0][2]:
        problems.append("the stored description is not the winner's")
    if history_after != history_before + 1:
        problems.append(f"history went {history_before}→{history_after} (expected +1)")
    if problems:
        raise DrillFailed(f"{summary}: " + "; ".join(problems))
    return summary


def drill(database: str, env: dict[str, str], work: Path) -> None:
    started = time.perf_counter()
    token = create_token(env, EDITOR)
    auth = {"Authorization": f"Bearer {token}"}
    with Server(env, work / f"gunicorn-{database}.log", workers=2, threads=10) as server:
        log(f"{database}: gunicorn 2 workers × 10 threads on port {server.port}")
        record_id = find_record(server.port, auth)
        path = f"/api/v1/organisations/{record_id}"
        for round_no in range(1, ROUNDS + 1):
            race(server.port, path, auth, round_no)
        log(
            f"{database}: {ROUNDS} rounds of {CLIENTS} parallel PATCHes: one winner and one "
            f"history entry each ({time.perf_counter() - started:.1f} s)"
        )


def postgres_database(server_url: str, name: str, *, create: bool) -> str:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def run() -> None:
    work = work_directory("patch_race")
    database = demo_database(work / "demo.sqlite3")
    drill("SQLite", drill_env(sqlite_url(database)), work)

    server_url = os.environ.get("DRILL_POSTGRES_URL", "")
    if not server_url:
        log("PostgreSQL: skipped (set DRILL_POSTGRES_URL=postgres://user@host:port/postgres)")
        return
    name = f"kraftsenter_drill_patch_{os.getpid()}"
    url = postgres_database(server_url, name, create=True)
    try:
        env = drill_env(url)
        setup = time.perf_counter()
        kraftsenter(["migrate", "--noinput", "-v", "0"], env)
        kraftsenter(["load_demo"], env)
        log(f"PostgreSQL: demo database {name} in {time.perf_counter() - setup:.1f} s")
        drill("PostgreSQL", env, work)
    finally:
        postgres_database(server_url, name, create=False)


if __name__ == "__main__":
    main(run)
