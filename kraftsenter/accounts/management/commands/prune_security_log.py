"""kraftsenter prune_security_log [--days N]: delete security-log entries older than N days.

The log holds IP addresses and user names, which are personal data: it is kept only as long as
``KRAFTSENTER_SECURITY_LOG_DAYS`` says (run daily from cron, as ``send_digests``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kraftsenter.accounts.models import SecurityEvent


class Command(BaseCommand):
    help = "Delete security-log entries older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days (default: KRAFTSENTER_SECURITY_LOG_DAYS).",
        )

    def handle(self, *args, days: int | None, **options):
        keep = settings.KRAFTSENTER_SECURITY_LOG_DAYS if days is None else days
        if keep < 1:
            raise CommandError("--days must be at least 1.")
        cutoff = timezone.now() - dt.timedelta(days=keep)
        deleted, _ = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"Security log: {deleted} entries older than {keep} days deleted.")
