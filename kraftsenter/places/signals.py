"""What the places app tells the apps built on top of it, without importing them.

``places`` is the lowest domain layer: the organisation register (``actors``) depends on
counties and municipalities, never the other way round. Yet a reference import has
consequences above it (every municipality and county municipality needs its organisation).
So places *announces* a finished import with the signal :data:`reference_data_imported`, and
each app above that cares connects a receiver in its ``AppConfig.ready()`` (actors does).

Why a signal and not a direct call or a ``post_save`` hook: a direct call from the import
would make places import actors (the wrong arrow); ``post_save`` does not fire for the bulk
writes of the import and would fire once per row. The signal is sent once per import, after
``load_places`` has committed, by :func:`announce_reference_data`; the import command calls
it, and so should any other caller of ``load_places`` that stands for a real import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.dispatch import Signal

from kraftsenter.core.models import DataImport

#: Sent with ``sender=DataImport`` and ``run`` (the committed ``DataImport``) after a
#: reference import. A receiver returns a :class:`FollowUpReport` (or None) and may write;
#: the import itself is already committed whatever a receiver does.
reference_data_imported = Signal()


@dataclass
class FollowUpReport:
    """What a receiver did after an import, in the import's own terms (shown by the command)."""

    part: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class FollowUp:
    """The receivers' reports, and the errors of those that failed."""

    reports: list[FollowUpReport] = field(default_factory=list)
    errors: list[Exception] = field(default_factory=list)


def announce_reference_data(run: DataImport) -> FollowUp:
    """Tell the apps above that reference data has been imported; collect what they did.

    Call it after ``load_places`` has returned (its transaction is then committed, unless the
    caller holds an outer one). A failing receiver does not stop the others; its error is
    returned so the caller can report it (running the import again retries, as the import
    itself changes nothing the second time).
    """
    follow_up = FollowUp()
    for _receiver, response in reference_data_imported.send_robust(sender=DataImport, run=run):
        if isinstance(response, Exception):
            follow_up.errors.append(response)
        elif isinstance(response, FollowUpReport):
            follow_up.reports.append(response)
    return follow_up
