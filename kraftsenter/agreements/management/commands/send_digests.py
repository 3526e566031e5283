"""`kraftsenter send_digests`: one e-mail per user with what is due or overdue (run from cron)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kraftsenter.agreements.services import send_digests


class Command(BaseCommand):
    help = (
        "Send each user one e-mail with the commitments, follow-up reports and plan deadlines "
        "of their organisations that are due or overdue. Users choose daily, weekly (default) "
        "or never; nobody gets an empty e-mail. Run it daily from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Date to compute from (YYYY-MM-DD); for tests.")
        parser.add_argument(
            "--force", action="store_true", help="Ignore when the last digest was sent."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be sent; send nothing."
        )

    def handle(self, *args, **options) -> None:
        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today: not a date (YYYY-MM-DD): {options['today']}") from exc
        counts = send_digests(today=today, force=options["force"], dry_run=options["dry_run"])
        verb = "would be sent" if options["dry_run"] else "sent"
        self.stdout.write(f"Digests {verb}: {counts['users']} ({counts['items']} items).")
