"""Exceptions the services raise beyond Django's ValidationError and PermissionDenied."""

from __future__ import annotations


class ConflictError(Exception):
    """A save was based on a version of the record that is no longer current."""

    def __init__(self, *, current_version: int, sent_version: int):
        self.current_version = current_version
        self.sent_version = sent_version
        super().__init__(
            f"The record has changed since version {sent_version}; "
            f"it is now version {current_version}."
        )
