"""PostgreSQL: ``pg_dump`` (custom format) and ``pg_restore`` piped into ``psql``.

The client programs come from Debian's postgresql-client packages: the newest major version
found on ``PATH`` or under ``/usr/lib/postgresql/*/bin``. ``pg_dump`` must be at least the
server's major version; for a restore, the client of the server's own major version is
preferred when it is installed (its script then uses only what that server knows).

A backup exports a snapshot from a read-only REPEATABLE READ transaction, reads the migration
state and the row counts in it, and lets ``pg_dump`` dump exactly that snapshot, so the
manifest and the dump agree although the site keeps writing. A restore runs in one ``psql``
transaction: every table, view and sequence of the database's schema is dropped, then the
script that ``pg_restore`` makes of the archive (without owners and privileges, so another
role may restore) is run; any error rolls all of it back.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .archive import BackupError

PROGRAMS = ("pg_dump", "pg_restore", "psql")
SEARCH_GLOB = "/usr/lib/postgresql/*/bin"
VERSION_PATTERN = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class ClientTools:
    """One directory with pg_dump, pg_restore and psql of one major version."""

    directory: Path
    major: int
    version: str

    def path(self, program: str) -> str:
        return str(self.directory / program)


def _version_of(program: Path) -> tuple[int, str] | None:
    try:
        result = subprocess.run(  # noqa: S603 - a fixed program path and argument
            [str(program), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = VERSION_PATTERN.search(result.stdout)
    if result.returncode != 0 or match is None:
        return None
    return int(match.group(1)), match.group(0).split()[-1]


def installed_tools() -> list[ClientTools]:
    """Every usable set of client programs, newest first."""
    directories: list[Path] = []
    on_path = shutil.which("pg_dump")
    if on_path:
        directories.append(Path(on_path).parent)
    directories += [Path(d) for d in sorted(glob.glob(SEARCH_GLOB))]
    found: dict[Path, ClientTools] = {}
    for directory in directories:
        if directory in found or not all((directory / p).exists() for p in PROGRAMS):
            continue
        version = _version_of(directory / "pg_dump")
        if version is not None:
            found[directory] = ClientTools(directory, *version)
    return sorted(found.values(), key=lambda tools: tools.major, reverse=True)


def server_major(connection: Any) -> int:
    connection.ensure_connection()
    version = int(connection.pg_version)
    return version // 10000 if version >= 100000 else version // 100


def server_version(connection: Any) -> str:
    """The server's version as people write it ("15.18")."""
    connection.ensure_connection()
    version = int(connection.pg_version)
    if version >= 100000:
        return f"{version // 10000}.{version % 10000}"
    return f"{version // 10000}.{version // 100 % 100}.{version % 100}"


def choose_tools(connection: Any, *, for_restore: bool) -> ClientTools:
    """The client programs to use with this server (see the module's docstring)."""
    major = server_major(connection)
    tools = installed_tools()
    if not tools:
        raise BackupError(
            _(
                "pg_dump, pg_restore and psql were not found on PATH or under %(glob)s. "
                "Install the PostgreSQL client programs (Debian: postgresql-client-%(major)s)."
            )
            % {"glob": SEARCH_GLOB, "major": major},
            code="tools",
        )
    if for_restore:
        for candidate in tools:
            if candidate.major == major:
                return candidate
    newest = tools[0]
    if newest.major < major:
        raise BackupError(
            _(
                "The newest PostgreSQL client programs found (%(client)s in %(directory)s) are "
                "older than the server (%(server)s). Install postgresql-client-%(server)s."
            )
            % {"client": newest.version, "directory": newest.directory, "server": major},
            code="tools",
        )
    return newest


def libpq_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The connection of Django's settings as libpq variables (no password on a command line)."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS") or {}
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    for name, value in pairs.items():
        if value:
            env[name] = str(value)
    return env


def _tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
        "ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _counts(cursor: Any, quote: Any) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _failed(program: str, stderr: str) -> BackupError:
    return BackupError(
        _("%(program)s failed; nothing was changed:\n%(output)s")
        % {"program": program, "output": stderr.strip()[-4000:]},
        code="failed",
    )


def dump(connection: Any, target: Path) -> tuple[set[tuple[str, str]], dict[str, int], str]:
    """Dump the database to ``target``; return its migrations, counts and pg_dump's version."""
    if connection.in_atomic_block:
        raise BackupError(
            _("A backup or restore cannot run inside a transaction."), code="unsupported"
        )
    tools = choose_tools(connection, for_restore=False)
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_catalog.pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = {(str(app), str(name)) for app, name in cursor.fetchall()}
        counts = _counts(cursor, quote)
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from our own values
            [
                tools.path("pg_dump"),
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=libpq_environment(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise _failed("pg_dump", result.stderr)
    return applied, counts, f"pg_dump {tools.version}"


def _unescape(value: str) -> str | None:
    """A field of PostgreSQL's COPY text format."""
    if value == r"\N":
        return None
    escapes = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
    out, chars = [], iter(value)
    for char in chars:
        out.append(escapes.get(next(chars, ""), "") if char == "\\" else char)
    return "".join(out)


def archive_migrations(connection: Any, archive: Path) -> set[tuple[str, str]]:
    """The rows of django_migrations in a pg_dump archive, read with ``pg_restore``."""
    tools = choose_tools(connection, for_restore=True)
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from our own values
        [
            tools.path("pg_restore"),
            "--data-only",
            "--table=django_migrations",
            "--file=-",
            str(archive),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise _failed("pg_restore", result.stderr)
    applied: set[tuple[str, str]] = set()
    columns: list[str] | None = None
    for line in result.stdout.splitlines():
        if columns is None:
            match = re.match(r"COPY \S*django_migrations \(([^)]*)\) FROM stdin;", line)
            if match:
                columns = [c.strip().strip('"') for c in match.group(1).split(",")]
            continue
        if line == r"\.":
            break
        row = dict(zip(columns, (_unescape(v) for v in line.split("\t")), strict=False))
        applied.add((str(row.get("app")), str(row.get("name"))))
    if columns is None:
        raise BackupError(
            _("The database in the backup is not a Kraftsenter database (no migrations)."),
            code="not_a_backup",
        )
    return applied


def _drop_statements(cursor: Any, quote: Any) -> list[str]:
    """DROP statements for everything in the live schema that a restore replaces."""
    cursor.execute(
        "SELECT c.relkind, c.relname FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
        "ORDER BY c.relname"
    )
    kinds = {
        "v": "VIEW",
        "m": "MATERIALIZED VIEW",
        "r": "TABLE",
        "p": "TABLE",
        "f": "FOREIGN TABLE",
        "S": "SEQUENCE",
    }
    statements: dict[str, list[str]] = {}
    for relkind, name in cursor.fetchall():
        statements.setdefault(kinds[relkind], []).append(quote(name))
    return [
        f"DROP {kind} IF EXISTS {', '.join(names)} CASCADE;"
        for kind in ("VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE", "TABLE", "SEQUENCE")
        if (names := statements.get(kind))
    ]


def restore(archive: Path, connection: Any) -> None:
    """Replace the contents of the configured database with the archive, in one transaction."""
    if connection.in_atomic_block:
        raise BackupError(
            _("A backup or restore cannot run inside a transaction."), code="unsupported"
        )
    tools = choose_tools(connection, for_restore=True)
    major = server_major(connection)
    with connection.cursor() as cursor:
        prelude = [
            "SET client_min_messages = warning;",
            *_drop_statements(cursor, connection.ops.quote_name),
        ]
    # Nothing of ours may hold a lock on the tables that psql drops.
    connection.close()
    env = libpq_environment(connection.settings_dict)
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        script = subprocess.Popen(  # noqa: S603 - fixed program, arguments from our own values
            [tools.path("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(archive)],
            stdout=subprocess.PIPE,
            stderr=restore_err,
        )
        psql = subprocess.Popen(  # noqa: S603 - fixed program and arguments
            [
                tools.path("psql"),
                "--no-psqlrc",
                "--quiet",
                "--no-password",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                "--file=-",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_err,
            env=env,
        )
        assert script.stdout is not None and psql.stdin is not None
        broken = False
        try:
            psql.stdin.write("\n".join(prelude).encode() + b"\n")
            for line in script.stdout:
                # A newer pg_restore sets transaction_timeout (PostgreSQL 17), which an older
                # server does not know; it only concerns the session, so leave it out.
                if major < 17 and line.startswith(b"SET transaction_timeout"):
                    continue
                psql.stdin.write(line)
        except BrokenPipeError:
            broken = True  # psql stopped at an error; its message follows
        script.stdout.close()
        script_code = script.wait()
        if script_code != 0 and not broken:
            # The script is incomplete: psql must not reach its end and commit.
            psql.kill()
        else:
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
        psql_code = psql.wait()
        restore_err.seek(0)
        psql_err.seek(0)
        if script_code != 0:
            raise _failed("pg_restore", restore_err.read().decode(errors="replace"))
        if psql_code != 0:
            raise _failed("psql", psql_err.read().decode(errors="replace"))


def table_counts(connection: Any) -> dict[str, int]:
    """Row counts of every table in the configured database (after a restore)."""
    with connection.cursor() as cursor:
        return _counts(cursor, connection.ops.quote_name)
