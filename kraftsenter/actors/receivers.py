"""What the organisation register does when another app announces something.

``places`` may not import ``actors`` (it is the lower layer), so it announces a finished
reference import with ``places.signals.reference_data_imported``; ``ActorsConfig.ready()``
connects :func:`sync_organisations_after_import` to it.
"""

from __future__ import annotations

from typing import Any

from kraftsenter.places.signals import FollowUpReport

from .services import organisations_sync_from_places

IMPORT_ACTOR = "import"


def sync_organisations_after_import(sender: Any, run: Any = None, **kwargs: Any) -> FollowUpReport:
    """Bring the organisations of places and the national actors up to date (actor "import")."""
    counts = organisations_sync_from_places(actor=IMPORT_ACTOR)
    return FollowUpReport(
        part="organisations",
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        notes=list(counts["notes"]),
    )
