"""kraftsenter restore PATH [--yes]: replace the whole database with a backup.

    kraftsenter restore var/backups/kraftsenter-2026-11-30.tar

Refuses (and changes nothing) when the file is not a backup, is damaged, is of the other kind
of database (SQLite or PostgreSQL), or comes from a newer migration state than this code.
Asks before it replaces anything unless ``--yes`` (or ``--noinput``) is given. See
docs/operations.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.operations.archive import BackupError, Manifest, manifest_summary
from kraftsenter.operations.backup import backup_restore, database_label


def backup_time(manifest: Manifest) -> str:
    try:
        created = dt.datetime.fromisoformat(manifest.created_at)
    except ValueError:
        return manifest.created_at
    return f"{timezone.localtime(created):%Y-%m-%d %H:%M}"


class Command(BaseCommand):
    help = "Replace the whole database with a backup written by `kraftsenter backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A backup file written by `kraftsenter backup`.")
        parser.add_argument(
            "--yes",
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to restore into."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        using = options["database"]
        target = database_label(connections[using])

        def confirm(manifest: Manifest) -> bool:
            self.stdout.write(
                _(
                    "Backup of %(time)s: %(kind)s, Kraftsenter %(version)s, %(records)s rows in "
                    "%(tables)s tables, of which %(changes)s change records and %(users)s users."
                )
                % {
                    "time": backup_time(manifest),
                    "kind": manifest.kind_name,
                    "version": manifest.app_version,
                    **manifest_summary(manifest),
                }
            )
            if not options["interactive"]:
                return True
            word = _("yes")
            try:
                answer = input(
                    _(
                        "This replaces everything in the database %(database)s. "
                        'Type "%(word)s" to go on: '
                    )
                    % {"database": target, "word": word}
                )
            except EOFError:
                return False
            return answer.strip().lower() in {word.lower(), "yes"}

        try:
            result = backup_restore(path, confirm=confirm, using=using)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored %(path)s into %(database)s: %(records)s rows in %(tables)s "
                    "tables, of which %(changes)s change records and %(users)s users."
                )
                % {"path": path, "database": target, **manifest_summary(manifest)}
            )
        )
        if result.pending:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "The backup is from an older version of Kraftsenter: %(count)s "
                        "migration(s) to apply. Run `kraftsenter migrate` now."
                    )
                    % {"count": len(result.pending)}
                )
            )
        self.stdout.write(
            _(
                "Restart the site's processes (gunicorn) so that none of them serves pages "
                "from before the restore."
            )
        )
