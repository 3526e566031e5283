"""kraftsenter import_places: counties, municipalities, centrality, boundaries and population.

    kraftsenter import_places                 # from the official sources (SSB, Kartverket)
    kraftsenter import_places --dir PATH      # from a directory in the documented format
    kraftsenter import_places --builtin       # the small built-in set the demo needs
    kraftsenter import_places --dir PATH --allow-partial   # a deliberate partial load

All or nothing: every bad row is reported with file, line and reason, and nothing is written.
The places must be complete: every county and municipality of the source's classification
(SSB KLASS 104 and 131) or of the 2024 division, unless the directory says it is a selection
(``utvalg.txt``, as the built-in set does) or ``--allow-partial`` is given.
Running it twice changes nothing. After the places are committed the import is announced
(``places.signals.reference_data_imported``): the organisation register then creates or updates
the organisation of every municipality and county municipality and the national actors, and
its counts and notes are shown here too.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kraftsenter.places.importers.base import ImportFailed, ImportRefused, SourceUnavailable
from kraftsenter.places.importers.load import load_places
from kraftsenter.places.importers.sources import builtin_dataset, read_source
from kraftsenter.places.signals import announce_reference_data


class Command(BaseCommand):
    help = "Import counties, municipalities, centrality, boundaries and population."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--dir", help="A directory in the documented import format.")
        source.add_argument(
            "--builtin",
            action="store_true",
            help="Load the small built-in set of places used by the demo.",
        )
        parser.add_argument(
            "--boundaries",
            choices=["S", "M"],
            default="S",
            help="Which boundary file to read from --dir (S: small, M: medium).",
        )
        parser.add_argument(
            "--allow-partial",
            action="store_true",
            help="Accept places that lack some current counties or municipalities.",
        )

    def progress(self, stage: str, done: int, total: int) -> None:
        self.stdout.write(f"  {stage}: {done}/{total}")

    def handle(self, *args, **options):
        try:
            if options["builtin"]:
                dataset = builtin_dataset()
            else:
                dataset = read_source(
                    directory=options["dir"],
                    boundaries=options["boundaries"],
                    progress=self.progress,
                )
            run = load_places(
                dataset, progress=self.progress, allow_partial=options["allow_partial"]
            )
        except ImportFailed as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            if isinstance(exc, ImportRefused):
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
            if isinstance(counts, dict):
                self.stdout.write(
                    _("%(part)s: %(created)s new, %(updated)s changed, %(unchanged)s unchanged")
                    % {"part": part, **counts}
                )
        for note in run.summary.get("notes", []):
            self.stdout.write(note)
        follow_up = announce_reference_data(run)
        for report in follow_up.reports:
            self.stdout.write(
                _("%(part)s: %(created)s new, %(updated)s changed, %(unchanged)s unchanged")
                % {
                    "part": report.part,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                }
            )
            for note in report.notes:
                self.stdout.write(note)
        if follow_up.errors:
            for error in follow_up.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _(
                    "The places were imported, but a follow-up step failed (see above). "
                    "Run the import again once it is fixed."
                )
            )
        if run.summary.get("partial"):
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Partial import from %(source)s: written as a selection of the places, "
                        "although some are missing (see above)."
                    )
                    % {"source": run.source}
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Import finished from %(source)s.") % {"source": run.source})
            )
