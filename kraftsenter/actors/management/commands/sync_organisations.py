"""kraftsenter sync_organisations: refresh the registered organisation numbers from
Enhetsregisteret (Brønnøysundregistrene's open API).

    kraftsenter sync_organisations            # look up, apply name changes and status (history)
    kraftsenter sync_organisations --dry-run  # only report what would change

Every active organisation with a number is looked up; name changes, deletions, bankruptcies
and units that are not found are reported, one line each, and a summary line ends the output.
Nothing is archived or deleted. An error for one organisation is reported and the rest goes on;
the command exits with status 1 when any organisation could not be checked.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kraftsenter.actors.services import organisations_sync_from_register


class Command(BaseCommand):
    help = "Look every registered organisation number up in Enhetsregisteret and report changes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change; write nothing.",
        )

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        report = organisations_sync_from_register(dry_run=dry_run)
        for line in report.lines or []:
            self.stdout.write(f"  {line}")
        self.stdout.write(report.summary(dry_run=dry_run))
        if report.errors:
            raise CommandError(f"{report.errors} organisation(s) could not be checked.")
