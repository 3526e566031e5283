"""kraftsenter import_statistics: commuting, employment, industry and emission statistics.

    kraftsenter import_statistics                    # from the official sources (SSB, Miljødir.)
    kraftsenter import_statistics --dir PATH         # from a directory in the documented format
    kraftsenter import_statistics --year 2022 2023   # only these years
    kraftsenter import_statistics --dir PATH --allow-partial   # e.g. one county's files

Municipalities come first (``import_places``). All or nothing: every bad row is reported with
file, line and reason, and nothing is written. Running it twice changes nothing.

The data must also be plausible as a whole (``importers/checks.py``): a year without every
municipality, a year asked for that is missing, an industry group missing or fewer figures than
are stored is refused unless ``--allow-partial`` says that is meant; figures that contradict
each other or the other tables (employment against commuting and industry) are always refused.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kraftsenter.knowledge.importers.base import ImportFailed, ImportRefused, SourceUnavailable
from kraftsenter.knowledge.importers.files import read_directory
from kraftsenter.knowledge.importers.load import load_statistics


class Command(BaseCommand):
    help = "Import commuting, employment, industry and emission statistics per municipality."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", help="A directory in the documented statistics format.")
        parser.add_argument(
            "--year",
            type=int,
            nargs="+",
            action="extend",
            metavar="YEAR",
            help="Import only these years (default: every year the source has).",
        )
        parser.add_argument(
            "--allow-partial",
            action="store_true",
            help=(
                "Accept data that does not cover every municipality, year or industry group, or "
                "that has fewer figures than are stored (for example one county's files)."
            ),
        )

    def progress(self, stage: str, done: int, total: int) -> None:
        self.stdout.write(f"  {stage}: {done}/{total}")

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["year"] or None
        try:
            if options["dir"]:
                dataset = read_directory(options["dir"], years=years)
            else:
                from kraftsenter.knowledge.importers.official import fetch_official

                dataset = fetch_official(years=years, progress=self.progress)
            run = load_statistics(
                dataset, progress=self.progress, allow_partial=options["allow_partial"]
            )
        except ImportFailed as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            if isinstance(exc, ImportRefused) and exc.partial:
                self.stderr.write(
                    _("If a partial import is meant, run the import again with --allow-partial.")
                )
            raise CommandError(
                _("The import found %(count)s problem(s) and wrote nothing.")
                % {"count": len(exc.problems)}
            ) from None
        except SourceUnavailable as exc:
            raise CommandError(
                _("The official sources could not be reached: %(error)s") % {"error": exc}
            ) from None
        for part, counts in run.summary.items():
            if isinstance(counts, dict) and "created" in counts:
                self.stdout.write(
                    _("%(part)s: %(created)s new, %(updated)s changed, %(unchanged)s unchanged")
                    % {"part": part, **counts}
                )
                if counts.get("deleted"):
                    self.stdout.write(
                        _("%(part)s: %(deleted)s no longer in the source, deleted")
                        % {"part": part, "deleted": counts["deleted"]}
                    )
        for part, part_years in run.summary.get("years", {}).items():
            if part_years:
                self.stdout.write(
                    _("%(part)s: years %(first)s–%(last)s")
                    % {"part": part, "first": part_years[0], "last": part_years[-1]}
                )
        for note in run.summary.get("notes", []):
            self.stdout.write(note)
        if run.summary.get("partial"):
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Partial import from %(source)s: written as --allow-partial asked, "
                        "although the data is incomplete (see above)."
                    )
                    % {"source": run.source}
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Import finished from %(source)s.") % {"source": run.source})
            )
