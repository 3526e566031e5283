"""kraftsenter import_cooperations FILE [--dry-run]: register cooperations from a spreadsheet.

    kraftsenter import_cooperations samarbeid.csv --dry-run   # check, show what would be created
    kraftsenter import_cooperations samarbeid.xlsx            # create them

The layout (CSV or XLSX, one row per cooperation and participant) is documented in
docs/cooperation-import.md. All or nothing: every bad row is reported with file, line, column
and reason, and nothing is written. Acts as the system actor "import".
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kraftsenter.cooperations.importer import run_import
from kraftsenter.core.imports import ImportFailed

ACTOR = "import"


class Command(BaseCommand):
    help = "Register cooperations from a CSV or XLSX file in the documented layout."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv or .xlsx file in the documented layout.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and show what would be created, without saving.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("The file %(path)s does not exist.") % {"path": path})
        dry_run = options["dry_run"]
        try:
            summary = run_import(path, filename=path.name, actor=ACTOR, dry_run=dry_run)
        except ImportFailed as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("The import found %(count)s problem(s) and wrote nothing.")
                % {"count": len(exc.problems)}
            ) from None
        for result in summary.cooperations:
            line = _(
                "%(name)s (%(form)s, %(status)s) – participants: %(count)s, "
                "council decisions: %(decisions)s"
            ) % {
                "name": result.name,
                "form": result.legal_form_label,
                "status": result.status_label,
                "count": len(result.participants),
                "decisions": result.decisions,
            }
            self.stdout.write(("  " if dry_run else "+ ") + line)
        if dry_run:
            message = _("Dry run: %(count)s cooperation(s) would be created; nothing was written.")
        else:
            message = _("Created %(count)s cooperation(s).")
        self.stdout.write(self.style.SUCCESS(message % {"count": summary.count}))
