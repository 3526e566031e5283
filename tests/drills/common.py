"""What the drills share: the environment, a demo database, gunicorn, HTTP and checksums.

Standard library only (the drills run with the project's virtual environment but import no
project code, so they see the site only as its users and operators do: through HTTP, the
`kraftsenter` commands and the database file).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
HOST = "127.0.0.1"
#: A closed port: the official sources "cannot be reached" at once, so load_demo uses its
#: built-in places and nothing leaves the machine.
OFFLINE = "http://127.0.0.1:9/"


class DrillFailed(Exception):
    """The drill found what it guards against; the message says what, with numbers."""


def log(message: str) -> None:
    print(message, flush=True)


def kraftsenter_command() -> list[str]:
    script = BIN / "kraftsenter"
    return [str(script)] if script.exists() else [PYTHON, str(ROOT / "manage.py")]


def drill_env(database_url: str) -> dict[str, str]:
    """Production-like settings (no debug) on plain HTTP, offline, without the rate limit."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "KRAFTSENTER_DEBUG": "0",
            "DJANGO_SECRET_KEY": "drill-only-not-secret",
            "KRAFTSENTER_SECURE_COOKIES": "0",
            "KRAFTSENTER_API_RATE_ANONYMOUS": "",
            "KRAFTSENTER_API_RATE_AUTHENTICATED": "",
            "KRAFTSENTER_DATA_DIR": "",
            "KRAFTSENTER_STATIC_FINDERS": "1",
            "KRAFTSENTER_SOURCES_TIMEOUT": "2",
            "KRAFTSENTER_KLASS_URL": OFFLINE,
            "KRAFTSENTER_PXWEB_URL": OFFLINE,
            "KRAFTSENTER_KOMMUNEINFO_URL": OFFLINE,
            "KRAFTSENTER_BOUNDARIES_URL": OFFLINE,
            "KRAFTSENTER_EMISSIONS_URL": OFFLINE,
            "PYTHONUNBUFFERED": "1",
            # This tree's code, also where the virtual environment was installed from another.
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
    )
    return env


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def kraftsenter(
    args: Sequence[str], env: dict[str, str], *, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run a `kraftsenter` command; DrillFailed with its output when it fails."""
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from the drill
        [*kraftsenter_command(), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise DrillFailed(
            f"kraftsenter {' '.join(args)} failed (exit {result.returncode}):\n"
            f"{(result.stdout + result.stderr).strip()[-3000:]}"
        )
    return result


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (the online backup API, no -wal needed)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def demo_database(target: Path) -> Path:
    """A SQLite database with the demo content (built-in places) at ``target``.

    Copied from ``$DRILL_DEMO_TEMPLATE`` when the runner built one, otherwise built here.
    """
    template = os.environ.get("DRILL_DEMO_TEMPLATE")
    if template and Path(template).is_file():
        copy_sqlite(Path(template), target)
        return target
    build_demo(target)
    return target


def build_demo(target: Path) -> float:
    """migrate + load_demo into a new SQLite file; returns the seconds it took."""
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    env = drill_env(sqlite_url(target))
    kraftsenter(["migrate", "--noinput", "-v", "0"], env)
    kraftsenter(["load_demo"], env)
    return time.perf_counter() - started


def create_token(env: dict[str, str], username: str) -> str:
    result = kraftsenter(["create_token", username, "--name", "drill", "--days", "1"], env)
    return result.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn on 127.0.0.1 in its own session, stopped by ``stop()`` (by its process id)."""

    def __init__(self, env: dict[str, str], log_path: Path, *, workers: int = 2, threads: int = 1):
        self.env = env
        self.log_path = log_path
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 60) -> None:
        args = [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "-w",
            str(self.workers),
            "-b",
            f"{HOST}:{self.port}",
            "--graceful-timeout",
            "5",
            "--timeout",
            "60",
            "--no-control-socket",
        ]
        if self.threads > 1:
            args += ["-k", "gthread", "--threads", str(self.threads)]
        with self.log_path.open("wb") as log_file:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
                args,
                cwd=ROOT,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DrillFailed(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            try:
                status, _headers, _body = request(self.port, "GET", "/api/v1/code-lists")
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return
            raise DrillFailed(f"gunicorn answers HTTP {status} at start:\n{self.tail()}")
        raise DrillFailed(f"gunicorn did not answer within {timeout:g} s:\n{self.tail()}")

    def warm_up(self, path: str = "/api/v1/organisations", requests: int = 0) -> None:
        """Let every worker load what it loads on its first request, before measuring."""
        count = requests or self.workers * self.threads * 4
        threads = [
            threading.Thread(target=request, args=(self.port, "GET", path)) for _ in range(count)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:]) or "(server log is empty)"


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request on a fresh connection; JSON bodies are encoded here."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    sent = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def api_json(port: int, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, str], Any]:
    status, headers, body = request(port, method, path, **kwargs)
    try:
        return status, headers, json.loads(body) if body else None
    except ValueError:
        return status, headers, body.decode("utf-8", "replace")


def table_checksums(path: Path) -> dict[str, tuple[int, str]]:
    """(row count, SHA-256 of every row in rowid order) per table of a SQLite file.

    Opening the file after a kill -9 also runs SQLite's recovery (the WAL's uncommitted
    frames are ignored), which is what the site would see next.
    """
    db = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
            # The full-text indexes (core/fulltext.py: FTS5 tables and their shadow tables) are
            # derived from the rows, written by triggers in the same transactions; some of
            # them have no rowid. The rows they index are compared.
            if "_fts" not in row[0]
        ]
        out = {}
        for table in tables:
            digest = hashlib.sha256()
            count = 0
            quoted = '"' + table.replace('"', '""') + '"'
            for row in db.execute(f"SELECT * FROM {quoted} ORDER BY rowid"):  # noqa: S608
                digest.update(repr(row).encode())
                count += 1
            out[table] = (count, digest.hexdigest())
        return out
    finally:
        db.close()


def integrity(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()


def percentile_ms(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of latencies in seconds, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1] * 1000


def work_directory(name: str) -> Path:
    """A fresh directory under var/drills for one drill's files (kept for a look afterwards)."""
    path = ROOT / "var" / "drills" / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(run: Any) -> None:
    """Run a drill's ``run()``: exit 0, or 1 with the failure, always with the time taken.

    SIGTERM (the runner's time bound) ends it like Ctrl-C, so gunicorn is stopped on the way.
    """
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.perf_counter()
    try:
        run()
    except DrillFailed as exc:
        log(f"FAILED after {time.perf_counter() - started:.1f} s: {exc}")
        sys.exit(1)
    except KeyboardInterrupt:
        log(f"INTERRUPTED after {time.perf_counter() - started:.1f} s")
        sys.exit(130)
    log(f"passed in {time.perf_counter() - started:.1f} s")
