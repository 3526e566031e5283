"""The documented reference list of organisations that come with every installation.

``reference_organisations.csv`` (next to this module, shipped as package data) holds

* the organisation number of each county municipality (``entry`` ``county_municipality``,
  keyed by county number; the organisation itself and its name come from the places import),
* the national actors every region works with (``entry`` ``national_actor``): Sametinget, the
  statsforvalter offices, KS, Distriktssenteret, Innovasjon Norge, Husbanken, DOGA.

Each row says where its number comes from and when it was recorded. The format, the sources
and how to correct a row are in docs/reference-organisations.md. The list is read on every
sync (it is small) and checked as a whole: a bad row stops the sync with every problem named,
like a bad import file.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kraftsenter.core.imports import ImportFailed, Problem

from .choices import OrganisationKind
from .validators import validate_organisation_number

REFERENCE_FILE = Path(__file__).with_name("reference_organisations.csv")

COUNTY_MUNICIPALITY = "county_municipality"
NATIONAL_ACTOR = "national_actor"
ENTRIES = (COUNTY_MUNICIPALITY, NATIONAL_ACTOR)
COLUMNS = (
    "entry",
    "kind",
    "county",
    "name",
    "organisation_number",
    "source",
    "recorded_on",
    "note",
)
PLACE_KINDS = (OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY_MUNICIPALITY)


@dataclass(frozen=True)
class ReferenceOrganisation:
    """One row of the reference list."""

    entry: str
    kind: str
    county: str
    name: str
    organisation_number: str
    source: str
    recorded_on: dt.date | None
    note: str
    line: int


class _RowError(Exception):
    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message


def _parse(row: dict[str, str], line: int) -> ReferenceOrganisation:
    value = {c: (row.get(c) or "").strip() for c in COLUMNS}
    entry, kind, county, number = (
        value["entry"],
        value["kind"],
        value["county"],
        value["organisation_number"],
    )
    if entry not in ENTRIES:
        raise _RowError(
            "entry",
            _("Expected %(what)s, got “%(value)s”.")
            % {"what": " / ".join(ENTRIES), "value": entry},
        )
    if kind not in OrganisationKind.values:
        raise _RowError("kind", _("Unknown kind “%(value)s”.") % {"value": kind})
    if entry == COUNTY_MUNICIPALITY and kind != OrganisationKind.COUNTY_MUNICIPALITY:
        raise _RowError(
            "kind",
            _("Expected %(what)s, got “%(value)s”.")
            % {"what": OrganisationKind.COUNTY_MUNICIPALITY, "value": kind},
        )
    if entry == NATIONAL_ACTOR and kind in PLACE_KINDS:
        raise _RowError(
            "kind",
            _(
                "The organisations of municipalities and county municipalities come from the "
                "places import, not from this list."
            ),
        )
    if (county or entry == COUNTY_MUNICIPALITY) and not re.fullmatch(r"[0-9]{2}", county):
        raise _RowError(
            "county",
            _("Expected %(width)s digits, got “%(value)s”.") % {"width": 2, "value": county},
        )
    if not value["name"]:
        raise _RowError("name", _("A value is required."))
    if number:
        try:
            validate_organisation_number(number)
        except ValidationError as exc:
            raise _RowError("organisation_number", " ".join(exc.messages)) from None
        if not value["source"]:
            raise _RowError("source", _("A value is required."))
    elif not value["note"]:
        raise _RowError("note", _("Say in the note why the organisation number is missing."))
    recorded_on = None
    if value["recorded_on"]:
        try:
            recorded_on = dt.date.fromisoformat(value["recorded_on"])
        except ValueError:
            raise _RowError(
                "recorded_on",
                _("Expected %(what)s, got “%(value)s”.")
                % {"what": "YYYY-MM-DD", "value": value["recorded_on"]},
            ) from None
    return ReferenceOrganisation(
        entry=entry,
        kind=kind,
        county=county,
        name=value["name"],
        organisation_number=number,
        source=value["source"],
        recorded_on=recorded_on,
        note=value["note"],
        line=line,
    )


def read_reference_organisations(path: Path = REFERENCE_FILE) -> list[ReferenceOrganisation]:
    """Every row of the reference list, checked; raise ImportFailed naming every problem."""
    problems: list[Problem] = []
    rows: list[ReferenceOrganisation] = []
    source = path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, strict=True)
            header = reader.fieldnames or []
            missing = [c for c in COLUMNS if c not in header]
            for column in missing:
                problems.append(Problem(source, 1, column, _("The column is missing.")))
            if missing:
                raise ImportFailed(problems)
            for row in reader:
                line = reader.line_num
                if None in row:
                    problems.append(
                        Problem(source, line, "", _("The row has more cells than the header."))
                    )
                elif any(v is None for v in row.values()):
                    problems.append(
                        Problem(source, line, "", _("The row has fewer cells than the header."))
                    )
                else:
                    try:
                        rows.append(_parse(row, line))
                    except _RowError as exc:
                        problems.append(Problem(source, line, exc.field, exc.message))
    except OSError as exc:
        problems.append(
            Problem(source, None, "", _("Cannot open the file: %(error)s") % {"error": exc})
        )
    except csv.Error as exc:
        problems.append(Problem(source, None, "", _("Malformed CSV: %(error)s") % {"error": exc}))
    except UnicodeDecodeError:
        problems.append(Problem(source, None, "", _("The file is not UTF-8 text.")))
    problems.extend(_duplicates(rows, source))
    if problems:
        raise ImportFailed(problems)
    return rows


def _duplicates(rows: list[ReferenceOrganisation], source: str) -> list[Problem]:
    """The same organisation number, national actor name or county twice."""
    problems = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        keys = [("organisation_number", row.organisation_number)] if row.organisation_number else []
        if row.entry == NATIONAL_ACTOR:
            keys.append(("name", row.name))
        else:
            keys.append(("county", row.county))
        for key in keys:
            if key in seen:
                problems.append(
                    Problem(
                        source,
                        row.line,
                        key[0],
                        _("Already listed on line %(line)s.") % {"line": seen[key]},
                    )
                )
            else:
                seen[key] = row.line
    return problems
