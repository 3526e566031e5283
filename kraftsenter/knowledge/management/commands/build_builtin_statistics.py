"""kraftsenter build_builtin_statistics: refresh the built-in demo set from official statistics.

    kraftsenter build_builtin_statistics --dir PATH --out kraftsenter/places/builtin/
    kraftsenter build_builtin_statistics --out kraftsenter/places/builtin/   # official sources

Reads places and statistics with the import readers (a directory in the documented import
formats, or the official sources) and writes the demo's places, population, centrality,
simplified boundaries, commuting, employment, industry and emissions in the same formats, with
``KILDER.md`` naming sources, licences and years (``knowledge/importers/builtin.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kraftsenter.knowledge.importers.base import ImportFailed, SourceUnavailable
from kraftsenter.knowledge.importers.builtin import build, read_sources


class Command(BaseCommand):
    help = "Write the built-in demo set (places and statistics) from official statistics."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", help="A data directory in the documented import formats (else: online)."
        )
        parser.add_argument("--out", required=True, help="Where to write (places/builtin/).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            places, stats, origin = read_sources(options["dir"])
        except ImportFailed as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("The source has %(count)s problem(s); nothing was written.")
                % {"count": len(exc.problems)}
            ) from None
        except SourceUnavailable as exc:
            raise CommandError(
                _("The official sources could not be reached: %(error)s") % {"error": exc}
            ) from None
        files = build(places, stats, options["out"], origin=origin)
        out = Path(options["out"])
        for path in files:
            self.stdout.write(f"{path.relative_to(out)}: {path.stat().st_size} B")
        self.stdout.write(
            self.style.SUCCESS(
                _("Wrote %(count)s files to %(out)s.") % {"count": len(files), "out": out}
            )
        )
