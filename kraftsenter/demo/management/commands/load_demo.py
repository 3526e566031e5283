"""kraftsenter load_demo: reference data and demo content for `make demo` (works offline)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kraftsenter.demo.loader import load_demo_content, load_demo_places
from kraftsenter.places.importers.base import ImportFailed


class Command(BaseCommand):
    help = "Load places (data directory, official sources or built-in set) and demo content."

    def handle(self, *args, **options):
        try:
            source = load_demo_places(say=self.stdout.write)
        except ImportFailed as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError("Stedsdata kunne ikke importeres; ingenting ble skrevet.") from None
        self.stdout.write(f"Steder lastet fra {source}.")
        load_demo_content(say=self.stdout.write)
