"""Cells that a spreadsheet cannot run: the one place every CSV export writes through.

A spreadsheet program treats a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula,
and a formula can open links, start programs or send the sheet's data elsewhere ("CSV
injection"). Any text a user typed (an organisation's name, an agreement's title) can end up
in such a cell, so every export writes its rows through :func:`safe_row` (or
:class:`SafeWriter`) and follows OWASP's rule:

* **Text** that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or with
  one of ``=+-@`` after leading white space, is prefixed with a single quote ``'``, so that it
  is shown as the text it is. Nothing else about the text changes; quoting of separators and
  quotes is the csv module's.
* **Numbers** stay numbers: an ``int``, ``float`` or ``Decimal`` value (``-3.5``) is data, not
  a formula, and is written unchanged. So is a :class:`NumberText`, a number already written
  for Norwegian spreadsheets (``"-3,5"``), which is checked to be nothing but a number.
* ``None`` is an empty cell; anything else (dates, booleans, lazy translations) is text.

So a negative figure in a numeric column opens as a number, while a name typed as ``-2+3``
opens as the text ``-2+3``. An XLSX export would pass its rows through :func:`safe_row` too
(openpyxl stores a string that begins with ``=`` as a formula).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

#: A text cell beginning with one of these is prefixed (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(,[0-9]+)?")


class NumberText(str):
    """A number already formatted for a Norwegian spreadsheet (``"-3,5"``, ``"12"``).

    Written unchanged. Only digits with an optional leading minus and decimal comma are
    accepted, so no text can pass for a number.
    """

    def __new__(cls, text: str) -> NumberText:
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"Not a plain number: {text!r}")
        return super().__new__(cls, text)


def decimal_comma(value: Decimal | int | None) -> NumberText | str:
    """A number with a decimal comma and without trailing zeros; ``""`` for ``None``."""
    if value is None:
        return ""
    number = Decimal(value)
    exact = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return NumberText(format(exact, "f").replace(".", ","))


def safe_cell(value: Any) -> Any:
    """The value as a cell that a spreadsheet shows and never runs (see the module docs)."""
    if value is None:
        return ""
    if isinstance(value, NumberText):
        return str(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START[:4]):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`safe_cell`.

    ``writerow`` returns what the target's ``write`` returns, so that a streaming response can
    use a target that echoes the line.
    """

    def __init__(self, target: _Writable, **options: Any) -> None:
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
