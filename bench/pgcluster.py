"""A throwaway PostgreSQL cluster for `make bench-pg`, started the way `.ci/run` starts it.

Debian's server binaries (``/usr/lib/postgresql/*/bin``, the newest), a temporary directory,
a free loopback port, the socket in that directory, ``fsync=off`` (the data is thrown away);
as root the server runs as ``postgres`` through ``runuser``. ``throwaway_cluster()`` stops the
server and removes the directory on the way out, whatever ends the block (an error, Ctrl-C,
SIGTERM turned into KeyboardInterrupt by bench/run.py).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HOST = "127.0.0.1"
DATABASE = "kraftsenter_bench"


class ClusterError(Exception):
    """PostgreSQL is not installed or did not start; the message says which."""


def server_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: [int(x) if x.isdigit() else x for x in Path(p).parts[-3].split(".")],
    )
    if not found:
        raise ClusterError(
            "PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb): "
            "apt-get install postgresql, or set DATABASE_URL to a server of your own."
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _run(args: list[str]) -> None:
    done = subprocess.run(  # noqa: S603 - fixed argument lists, no shell
        _as_postgres(args), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise ClusterError(f"{Path(args[0]).name} failed:\n{done.stdout}{done.stderr}".strip())


@contextmanager
def throwaway_cluster(log: Callable[[str], None] = print) -> Iterator[str]:
    """Start a cluster; yield the URL of an empty database ``kraftsenter_bench`` in it."""
    bin_dir = server_bin()
    folder = Path(tempfile.mkdtemp(prefix="ks-bench-pg."))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    started = False
    try:
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "--auth=trust",
                "--username=postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        options = (
            f"-p {port} -k {folder} -c listen_addresses={HOST} -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off -c max_connections=100"
        )
        _run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(folder / "log"),
                "-o",
                options,
                "start",
            ]
        )
        started = True
        _run(
            [
                str(bin_dir / "createdb"),
                "-h",
                HOST,
                "-p",
                str(port),
                "-U",
                "postgres",
                DATABASE,
            ]
        )
        version = bin_dir.parent.name
        log(f"PostgreSQL {version}: throwaway cluster in {folder}, port {port}")
        yield f"postgres://postgres@{HOST}:{port}/{DATABASE}"
    finally:
        if started:
            subprocess.run(  # noqa: S603 - fixed argument list
                _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                capture_output=True,
                check=False,
            )
        shutil.rmtree(folder, ignore_errors=True)


def reset_database(url: str) -> None:
    """Drop and recreate the database ``url`` names (an existing server: DATABASE_URL)."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def vacuum_analyze(url: str) -> None:
    """Vacuum and gather the planner's statistics now, as autovacuum would soon after a bulk
    load in a running database (PostgreSQL 13 and later vacuum insert-only tables too).
    Without statistics the planner guesses row counts from a nearly empty table (a
    municipality's 1 200 participations estimated at 360); without the vacuum no page is
    marked all-visible, so an index-only scan still reads every row from the table. Either
    way the runs would measure the load's aftermath and autovacuum's timing, not the code."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        # The cluster commits asynchronously (synchronous_commit=off above): a row whose commit
        # is not yet flushed cannot be marked as committed, nor its page all-visible.
        conn.execute("CHECKPOINT")
        conn.execute("VACUUM (ANALYZE)")


def server_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]).split(" ")[0] if row else "?"
