"""kraftsenter backup PATH: the whole database in one file, safe while the site runs.

    kraftsenter backup var/backups/kraftsenter-2026-11-30.tar

SQLite is copied with SQLite's online backup API, PostgreSQL with ``pg_dump`` (custom
format); the file is a tar archive with ``manifest.json`` (time, database kind, Kraftsenter's
version, migration state, rows per table) and the database. See docs/operations.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from kraftsenter.operations.archive import BackupError, manifest_summary
from kraftsenter.operations.backup import backup_create


class Command(BaseCommand):
    help = "Back up the whole database to one file (SQLite backup API or pg_dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The backup file to write (replaced if it exists).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            manifest = backup_create(path, using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backed up the %(kind)s database %(database)s to %(path)s (%(size)s): "
                    "%(records)s rows in %(tables)s tables, of which %(changes)s change "
                    "records and %(users)s users; %(migrations)s migrations in %(apps)s apps, "
                    "Kraftsenter %(version)s."
                )
                % {
                    "kind": manifest.kind_name,
                    "database": manifest.database,
                    "path": path,
                    "size": filesizeformat(path.stat().st_size),
                    "version": manifest.app_version,
                    **manifest_summary(manifest),
                }
            )
        )
        if options["verbosity"] >= 2:
            for label, count in manifest.counts.items():
                self.stdout.write(f"  {label}: {count}")
