"""Backup and restore of the configured database (``kraftsenter backup`` / ``restore``).

:func:`backup_create` writes one file (see :mod:`.archive`) with a manifest: time, database
kind and server version, Kraftsenter's version, the migration state and the number of rows
of every table, all read from the same snapshot as the copy. :func:`backup_restore` refuses
a file that is not a backup, a backup of the other kind of database, a damaged one and one
from a newer migration state than the code (it reads the migrations from the backed-up
database itself); it asks ``confirm`` before it changes anything, replaces the whole
database, and checks the row counts against the manifest afterwards.
"""

from __future__ import annotations

import importlib.metadata
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from . import postgresql, sqlite
from .archive import (
    KIND_NAMES,
    POSTGRESQL,
    SQLITE,
    BackupError,
    Manifest,
    extract_database,
    read_manifest,
    work_directory,
    write_archive,
)

Migration = tuple[str, str]


@dataclass
class RestoreResult:
    """What a restore did: the backup's manifest and what the code still has to apply."""

    manifest: Manifest
    pending: list[Migration] = field(default_factory=list)


def database_kind(connection: Any) -> str:
    if connection.vendor == "sqlite":
        return SQLITE
    if connection.vendor == "postgresql":
        return POSTGRESQL
    raise BackupError(
        _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": connection.vendor},
        code="unsupported",
    )


def database_label(connection: Any) -> str:
    """How the operator knows the database: a file for SQLite, host and name for PostgreSQL."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(settings_dict.get("NAME"))
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"{settings_dict.get('NAME')} @ {host}:{port}"


def app_version() -> str:
    try:
        return importlib.metadata.version("kraftsenter")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def model_labels() -> dict[str, str]:
    """Table name → model label ("actors.Organisation") for every model with a table."""
    labels = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy:
            labels[meta.db_table] = meta.label
    return labels


def labelled(counts: dict[str, int]) -> dict[str, int]:
    """Counts by model label; a table without a model keeps its name (django_migrations)."""
    labels = model_labels()
    return {labels.get(table, table): count for table, count in sorted(counts.items())}


def grouped(applied: set[Migration]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for app, name in sorted(applied):
        out.setdefault(app, []).append(name)
    return out


def code_migrations() -> tuple[set[Migration], dict[Migration, list[Migration]]]:
    """The migrations this code knows (with those squashed ones replace) and its graph."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known: set[Migration] = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    nodes = {key: list(loader.graph.nodes[key].replaces) for key in loader.graph.nodes}
    return known, nodes


def compare_migrations(applied: set[Migration]) -> tuple[list[Migration], list[Migration]]:
    """(migrations in the backup the code does not know, code migrations the backup lacks)."""
    known, nodes = code_migrations()
    unknown = sorted(applied - known)
    pending = sorted(
        key
        for key, replaces in nodes.items()
        if key not in applied and not (replaces and set(replaces) <= applied)
    )
    return unknown, pending


def backup_create(path: Path, *, using: str = "default") -> Manifest:
    """Back up the whole database to ``path`` (replaced only once the new file is complete)."""
    connection = connections[using]
    kind = database_kind(connection)
    path = Path(path)
    if path.is_dir():
        raise BackupError(
            _("%(path)s is a directory; give the name of the backup file.") % {"path": path},
            code="unsupported",
        )
    if not path.parent.is_dir():
        raise BackupError(
            _("The directory %(path)s does not exist.") % {"path": path.parent}, code="missing"
        )
    created_at = timezone.now()
    work = work_directory(path)
    try:
        if kind == SQLITE:
            copy = work / "database.sqlite3"
            sqlite.snapshot(connection, copy)
            applied, counts = sqlite.read_state(copy)
            server = f"SQLite {sqlite.sqlite_version()}"
        else:
            copy = work / "database.pgdump"
            applied, counts, client = postgresql.dump(connection, copy)
            server = f"PostgreSQL {postgresql.server_version(connection)} ({client})"
        manifest = Manifest(
            created_at=created_at.isoformat(timespec="seconds"),
            kind=kind,
            server_version=server,
            database=database_label(connection),
            app_version=app_version(),
            migrations=grouped(applied),
            counts=labelled(counts),
        )
        write_archive(path, manifest, copy)
    except OSError as exc:
        raise BackupError(
            _("The backup could not be written: %(error)s") % {"error": exc}, code="failed"
        ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def _checked(path: Path, connection: Any, work: Path) -> tuple[Manifest, Path, list[Migration]]:
    """Every check before a restore; the database copied out into ``work``."""
    kind = database_kind(connection)
    manifest = read_manifest(path)
    if manifest.kind != kind:
        raise BackupError(
            _(
                "%(path)s is a backup of a %(backup)s database, but the configured database is "
                "%(live)s. A backup can only be restored into the same kind of database."
            )
            % {"path": path, "backup": manifest.kind_name, "live": KIND_NAMES[kind]},
            code="wrong_kind",
        )
    copy = extract_database(path, manifest, work)
    if kind == SQLITE:
        applied, _counts = sqlite.read_state(copy)
    else:
        applied = postgresql.archive_migrations(connection, copy)
    unknown, pending = compare_migrations(applied)
    if unknown:
        shown = ", ".join(f"{app}.{name}" for app, name in unknown[:10])
        raise BackupError(
            _(
                "%(path)s comes from a newer version of Kraftsenter: it has %(count)s "
                "migration(s) this code does not know (%(names)s). Update Kraftsenter to the "
                "version that made the backup (%(version)s) before restoring it."
            )
            % {
                "path": path,
                "count": len(unknown),
                "names": shown + (" …" if len(unknown) > 10 else ""),
                "version": manifest.app_version,
            },
            code="newer_migrations",
        )
    return manifest, copy, pending


def backup_inspect(path: Path, *, using: str = "default") -> tuple[Manifest, list[Migration]]:
    """Check that ``path`` can be restored here; return its manifest and pending migrations.

    Reads the migration state from the backed-up database itself, not only the manifest.
    Changes nothing.
    """
    path = Path(path)
    work = work_directory(path)
    try:
        manifest, _copy, pending = _checked(path, connections[using], work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest, pending


def backup_restore(
    path: Path, *, confirm: Callable[[Manifest], bool], using: str = "default"
) -> RestoreResult:
    """Replace the whole configured database with the backup at ``path``.

    Every check of :func:`backup_inspect` comes first; then ``confirm(manifest)`` must answer
    True, or nothing is changed. Afterwards the row count of every table must match the
    manifest.
    """
    connection = connections[using]
    path = Path(path)
    work = work_directory(path)
    try:
        manifest, copy, pending = _checked(path, connection, work)
        if not confirm(manifest):
            raise BackupError(_("Restore cancelled; nothing was changed."), code="cancelled")
        if manifest.kind == SQLITE:
            sqlite.restore(copy, connection)
        else:
            postgresql.restore(copy, connection)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ContentType.objects.clear_cache()
    counts = labelled(
        sqlite.table_counts(connection)
        if manifest.kind == SQLITE
        else postgresql.table_counts(connection)
    )
    if counts != manifest.counts:
        differing = sorted(
            label
            for label in set(counts) | set(manifest.counts)
            if counts.get(label) != manifest.counts.get(label)
        )
        raise BackupError(
            _(
                "The restore finished, but the row counts differ from the backup's manifest "
                "in %(tables)s. Check the database before using it."
            )
            % {"tables": ", ".join(differing[:10])},
            code="failed",
        )
    return RestoreResult(manifest=manifest, pending=pending)
