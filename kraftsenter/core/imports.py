"""What every import shares: a problem report (where and why) and the two ways an import ends.

Readers collect every :class:`Problem` they find and raise :class:`ImportFailed` with all of them;
nothing is written. :class:`SourceUnavailable` means an official source could not be reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (file or address, line, field) and why."""

    source: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = (
            self.source
            if self.line is None
            else _("%(source)s, line %(line)s") % {"source": self.source, "line": self.line}
        )
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


class ImportFailed(Exception):
    """The input had problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class SourceUnavailable(Exception):
    """An official source could not be reached (network, timeout, HTTP error)."""
