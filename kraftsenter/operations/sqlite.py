"""SQLite: copies through SQLite's online backup API, safe while the site runs.

The copy is made in one step from the open connection, so it is one consistent snapshot:
in WAL mode (config/settings.py) writers go on meanwhile and readers are never blocked. A
restore copies the backup's pages into the configured database the same way, replacing all
of it (tables the backup does not have disappear), in one transaction of SQLite's own.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .archive import BackupError


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def raw_connection(connection: Any) -> sqlite3.Connection:
    """The sqlite3 connection under Django's, outside any transaction."""
    if connection.in_atomic_block:
        raise BackupError(
            _("A backup or restore cannot run inside a transaction."), code="unsupported"
        )
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def snapshot(connection: Any, target: Path) -> None:
    """Copy the whole database behind ``connection`` into the new file ``target``."""
    source = raw_connection(connection)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one consistent snapshot
        # A backup is one self-contained file: no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


def read_state(path: Path) -> tuple[set[tuple[str, str]], dict[str, int]]:
    """The applied migrations (app, name) and the row count of every table in a copy."""
    database = sqlite3.connect(path)
    try:
        if database.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError(_("The SQLite database in the backup is damaged."), code="damaged")
        tables = [
            row[0]
            for row in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        if "django_migrations" not in tables:
            raise BackupError(
                _("The database in the backup is not a Kraftsenter database (no migrations)."),
                code="not_a_backup",
            )
        applied = {
            (str(app), str(name))
            for app, name in database.execute("SELECT app, name FROM django_migrations")
        }
        counts = {
            table: int(database.execute(f"SELECT COUNT(*) FROM {quote(table)}").fetchone()[0])  # noqa: S608
            for table in tables
        }
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            _("The SQLite database in the backup cannot be read: %(error)s") % {"error": exc},
            code="damaged",
        ) from None
    finally:
        database.close()
    return applied, counts


def restore(source: Path, connection: Any) -> None:
    """Replace the whole database behind ``connection`` with the SQLite file ``source``."""
    target = raw_connection(connection)
    backup = sqlite3.connect(source)
    try:
        backup.backup(target)  # waits while another connection writes (SQLITE_BUSY)
    except sqlite3.Error as exc:
        raise BackupError(
            _("The restore failed and the database was left as it was: %(error)s") % {"error": exc},
            code="failed",
        ) from None
    finally:
        backup.close()


def table_counts(connection: Any) -> dict[str, int]:
    """Row counts of every table in the configured database (after a restore)."""
    raw = raw_connection(connection)
    tables = [
        row[0]
        for row in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: int(raw.execute(f"SELECT COUNT(*) FROM {quote(table)}").fetchone()[0])  # noqa: S608
        for table in tables
    }


def sqlite_version() -> str:
    return sqlite3.sqlite_version
