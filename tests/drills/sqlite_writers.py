"""Drill: 10 concurrent writers on SQLite, while an import and a backup run.

gunicorn with 10 sync workers (10 processes, 10 SQLite connections) serves the demo database.
10 clients, as the editor `hamar-redaktor`, each register organisations and change them twice
(If-Match chain) for DURATION seconds. Meanwhile the reference-data import runs (its two
write transactions hold SQLite's write lock for seconds) and `kraftsenter backup` copies the
database. Every write must succeed (201/200; no 500, no "database is locked" in an answer or
in gunicorn's log); afterwards every organisation the clients were told exists must be there
with the right version and exactly one history entry per write, and the backup taken under
load must restore into an empty database with the counts of its manifest.

    .venv/bin/python tests/drills/sqlite_writers.py
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

from common import (
    ROOT,
    DrillFailed,
    Server,
    api_json,
    create_token,
    demo_database,
    drill_env,
    integrity,
    kraftsenter,
    kraftsenter_command,
    log,
    main,
    percentile_ms,
    sqlite_url,
    work_directory,
)

WRITERS = 10
DURATION = 15.0
PATCHES = 2
EDITOR = "hamar-redaktor"
PREFIX = "Drill-skriver"


def data_dir() -> Path | None:
    configured = os.environ.get("KRAFTSENTER_DRILL_DATA") or os.environ.get(
        "KRAFTSENTER_BENCH_DATA"
    )
    path = Path(configured) if configured else ROOT.parent / "shared" / "data"
    return path if (path / "kommuner_2024.csv").is_file() else None


class Writer(threading.Thread):
    def __init__(self, number: int, port: int, token: str, until: float) -> None:
        super().__init__(name=f"writer-{number}", daemon=True)
        self.number = number
        self.port = port
        self.auth = {"Authorization": f"Bearer {token}"}
        self.until = until
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.created: dict[int, int] = {}  # id → version the client was last told

    def call(self, method: str, path: str, body: dict, expected: int, **headers: str):
        started = time.perf_counter()
        try:
            status, response_headers, answer = api_json(
                self.port, method, path, body=body, headers={**self.auth, **headers}
            )
        except OSError as exc:
            self.errors.append(f"{method} {path}: {type(exc).__name__}: {exc}")
            return None
        finally:
            self.latencies.append(time.perf_counter() - started)
        if status != expected:
            self.errors.append(f"{method} {path}: HTTP {status}: {str(answer)[:300]}")
            return None
        return response_headers, answer

    def run(self) -> None:
        n = 0
        while time.perf_counter() < self.until and len(self.errors) < 5:
            n += 1
            body = {
                "name": f"{PREFIX} {self.number}-{n}",
                "kind": "voluntary",
                "municipality": "3403",
            }
            created = self.call("POST", "/api/v1/organisations", body, 201)
            if created is None:
                continue
            headers, record = created
            record_id, etag = int(record["id"]), headers["etag"]
            self.created[record_id] = int(record["version"])
            for change in range(PATCHES):
                changed = self.call(
                    "PATCH",
                    f"/api/v1/organisations/{record_id}",
                    {"description": f"Endring {change + 1} fra skriver {self.number}"},
                    200,
                    **{"If-Match": etag},
                )
                if changed is None:
                    break
                headers, record = changed
                etag = headers["etag"]
                self.created[record_id] = int(record["version"])


def check_database(path: Path, created: dict[int, int]) -> str:
    """Every organisation a client was told about, with its version and one entry per write."""
    db = sqlite3.connect(path)
    try:
        stored = dict(
            db.execute(
                "SELECT id, version FROM actors_organisation WHERE name LIKE ?", [f"{PREFIX} %"]
            ).fetchall()
        )
        content_type = db.execute(
            "SELECT id FROM django_content_type WHERE app_label = 'actors' AND model = "
            "'organisation'"
        ).fetchone()[0]
        history = dict(
            db.execute(
                "SELECT CAST(object_id AS INTEGER), COUNT(*) FROM core_changerecord "
                "WHERE content_type_id = ? GROUP BY object_id",
                [content_type],
            ).fetchall()
        )
    finally:
        db.close()
    problems = []
    if set(stored) != set(created):
        problems.append(
            f"{len(created)} organisations acknowledged, {len(stored)} stored "
            f"({len(set(created) - set(stored))} missing, {len(set(stored) - set(created))} "
            "not acknowledged)"
        )
    wrong_version = [pk for pk, version in created.items() if stored.get(pk) != version]
    if wrong_version:
        problems.append(f"{len(wrong_version)} organisations with another version than answered")
    wrong_history = [pk for pk, version in created.items() if history.get(pk, 0) != version]
    if wrong_history:
        problems.append(
            f"{len(wrong_history)} organisations whose history does not have one entry per write"
        )
    if problems:
        raise DrillFailed("; ".join(problems))
    return f"{len(stored)} organisations, {sum(created.values())} history entries, all as answered"


def run() -> None:
    work = work_directory("sqlite_writers")
    database = demo_database(work / "demo.sqlite3")
    env = drill_env(sqlite_url(database))
    token = create_token(env, EDITOR)
    source = data_dir()
    import_args = (
        ["import_places", "--dir", str(source)] if source else ["import_places", "--builtin"]
    )
    backup_path = work / "under-load.tar"

    with Server(env, work / "gunicorn.log", workers=WRITERS) as server:
        server.warm_up()
        log(
            f"gunicorn {WRITERS} sync workers on port {server.port}; {WRITERS} writers for "
            f"{DURATION:g} s"
        )
        started = time.perf_counter()
        writers = [Writer(i + 1, server.port, token, started + DURATION) for i in range(WRITERS)]
        for writer in writers:
            writer.start()
        time.sleep(2)
        log(f"  at {time.perf_counter() - started:.1f} s: kraftsenter {' '.join(import_args)}")
        importing = subprocess.Popen(  # noqa: S603 - fixed program, arguments from the drill
            [*kraftsenter_command(), *import_args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        import_output, _ = importing.communicate(timeout=120)
        at = time.perf_counter() - started
        log(f"  at {at:.1f} s: import finished (exit {importing.returncode}); kraftsenter backup")
        backup = kraftsenter(["backup", str(backup_path)], env)
        log(f"  at {time.perf_counter() - started:.1f} s: {backup.stdout.strip()}")
        for writer in writers:
            writer.join()
        elapsed = time.perf_counter() - started
        server_log = (work / "gunicorn.log").read_text(errors="replace")

    latencies = [t for w in writers for t in w.latencies]
    errors = [e for w in writers for e in w.errors]
    created = {pk: v for w in writers for pk, v in w.created.items()}
    log(
        f"writes: {len(latencies)} in {elapsed:.1f} s ({len(latencies) / elapsed:.0f}/s), "
        f"errors {len(errors)}, p50 {percentile_ms(latencies, 50):.0f} ms, "
        f"p95 {percentile_ms(latencies, 95):.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    problems = []
    if importing.returncode != 0:
        problems.append(f"the import failed beside the writers:\n{import_output[-2000:]}")
    if errors:
        problems.append(f"{len(errors)} writes failed, e.g. " + " | ".join(errors[:3]))
    for marker in ("database is locked", "Traceback"):
        if marker in server_log:
            problems.append(f"gunicorn's log has «{marker}» ({server_log.count(marker)}×)")
    if problems:
        raise DrillFailed("\n".join(problems))
    if integrity(database) != "ok":
        raise DrillFailed(f"integrity_check: {integrity(database)}")
    log(f"database: {check_database(database, created)}")

    scratch = work / "restored.sqlite3"
    restore_env = drill_env(sqlite_url(scratch))
    restored = kraftsenter(["restore", str(backup_path), "--yes"], restore_env)
    if integrity(scratch) != "ok":
        raise DrillFailed(f"the backup taken under load restores damaged: {integrity(scratch)}")
    log(f"backup under load: {restored.stdout.strip().splitlines()[-2]}")


if __name__ == "__main__":
    main(run)
