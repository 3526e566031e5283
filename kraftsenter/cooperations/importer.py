"""Import of existing cooperation spreadsheets (CSV or XLSX): every row checked, all or nothing.

The layout is documented in docs/cooperation-import.md: one row per cooperation and participant.
:func:`read_cooperation_file` turns a file into plans (or raises ImportFailed with every bad row);
:func:`import_cooperations` creates them through the services, so every rule and the history
apply, in one transaction; :func:`run_import` does both and reports parse and rule problems
together.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Choices
from django.utils import translation
from django.utils.translation import gettext as _

from kraftsenter.actors.choices import OrganisationKind as K
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.validators import validate_organisation_number
from kraftsenter.core.imports import ImportFailed, Problem
from kraftsenter.core.text import fold
from kraftsenter.places.models import County, Municipality

from . import rules, services
from .choices import Area, LegalForm, Status
from .models import Cooperation

COOPERATION_COLUMNS = (
    "form", "omrader", "formal", "status", "startdato", "sluttdato", "organisasjonsnummer",
    "egen_juridisk_person", "hjemmel", "vertskommune", "statsforvalter_varslet", "avtalepunkter",
)  # fmt: skip
PARTICIPANT_COLUMNS = (
    "deltaker", "eierandel", "ansvarsandel", "vedtaksdato", "vedtaksorgan", "saksnummer",
)  # fmt: skip
COLUMNS = ("samarbeid", *COOPERATION_COLUMNS, *PARTICIPANT_COLUMNS)
REQUIRED_COLUMNS = ("samarbeid", "form", "omrader", "deltaker")
#: Columns whose name starts with one of these are notes and are ignored.
NOTE_PREFIXES = ("merknad", "kommentar", "notat")
#: Service field -> column, to report a rule against the column the user wrote.
FIELD_COLUMNS = {
    "name": "samarbeid", "legal_form": "form", "areas": "omrader", "purpose": "formal",
    "status": "status", "start_date": "startdato", "end_date": "sluttdato",
    "organisation_number": "organisasjonsnummer", "legal_person": "egen_juridisk_person",
    "legal_basis": "hjemmel", "host": "vertskommune", "participants": "deltaker",
    "statsforvalter_notified_on": "statsforvalter_varslet", "ownership_share": "eierandel",
    "liability_share": "ansvarsandel", "items_covered": "avtalepunkter",
    "organisation": "deltaker", "decided_on": "vedtaksdato", "body": "vedtaksorgan",
    "case_reference": "saksnummer", NON_FIELD_ERRORS: "",
}  # fmt: skip

# Norwegian words accepted besides the codes and the English labels (matched after fold()).
FORM_WORDS = {
    LegalForm.IPR: ("interkommunalt politisk rad",),
    LegalForm.KO: ("kommunalt oppgavefellesskap",),
    LegalForm.HOST_ADMINISTRATIVE: (
        "vertskommune", "vertskommunesamarbeid", "administrativt vertskommunesamarbeid",
    ),
    LegalForm.HOST_COMMITTEE: (
        "vertskommune med felles folkevalgt nemnd", "vertskommune med folkevalgt nemnd",
        "vertskommunesamarbeid med felles folkevalgt nemnd",
    ),
    LegalForm.IKS: ("interkommunalt selskap",),
    LegalForm.AS: ("aksjeselskap",),
    LegalForm.SA: ("samvirkeforetak", "samvirke"),
    LegalForm.ASSOCIATION: ("forening",),
    LegalForm.PLAN: ("interkommunalt plansamarbeid", "plansamarbeid"),
    LegalForm.OTHER: ("annet", "annen", "annen form"),
}  # fmt: skip
AREA_WORDS = {
    Area.PLANNING: ("plan", "plankontor", "arealplan", "plankontor og arealplanlegging"),
    Area.PROCUREMENT: ("innkjop", "anskaffelser"),
    Area.BUSINESS: ("naering", "naeringsutvikling", "naerings- og samfunnsutvikling"),
    Area.CLIMATE: ("klima", "klimatilpasning", "utslippskutt og klimatilpasning"),
    Area.ICT: ("ikt", "digitalisering", "ikt og digitalisering"),
    Area.INNOVATION: ("innovasjon",),
    Area.HEALTH: ("helse", "omsorg", "helse og omsorg", "legevakt"),
    Area.CHILD_WELFARE: ("barnevern",),
    Area.EMERGENCY: ("brann", "beredskap", "brann og redning", "brann, redning og beredskap"),
    Area.UTILITIES: ("renovasjon", "avfall", "vann og avlop", "renovasjon, vann og avlop"),
    Area.ADMINISTRATION: ("regnskap", "lonn", "skatt", "arkiv", "regnskap, lonn, skatt og arkiv"),
    Area.AUDIT: ("revisjon", "kontrollutvalg", "revisjon og kontrollutvalgssekretariat"),
    Area.EDUCATION: ("utdanning", "kompetanse", "opplaering og kompetanse"),
    Area.CULTURE: ("kultur", "idrett", "friluftsliv", "kultur, idrett og friluftsliv"),
    Area.TRANSPORT: ("samferdsel", "transport", "infrastruktur"),
    Area.REGIONAL_POLICY: (
        "regionalpolitikk", "regional politikk", "regional politikk og interessepolitikk",
    ),
    Area.OTHER: ("annet", "andre tjenester"),
}  # fmt: skip
STATUS_WORDS = {
    Status.PLANNED: ("planlagt",),
    Status.ACTIVE: ("aktiv",),
    Status.DISSOLVING: ("under avvikling", "avvikles"),
    Status.DISSOLVED: ("opplost", "avviklet", "nedlagt"),
}
#: The service's status steps from "planned" to the wanted status.
STATUS_PATH = {
    Status.PLANNED: (),
    Status.ACTIVE: (Status.ACTIVE,),
    Status.DISSOLVING: (Status.ACTIVE, Status.DISSOLVING),
    Status.DISSOLVED: (Status.DISSOLVED,),
}
#: Cooperation fields taken from their column as they are.
PLAN_FIELDS = (
    "start_date",
    "organisation_number",
    "legal_basis",
    "host",
    "statsforvalter_notified_on",
)
ALL_ITEMS = "alle"
#: More lines than this is not a register of cooperations (and guards against huge sheets).
MAX_LINES = 20_000
DECISION_BODY = {K.COUNTY_MUNICIPALITY: "fylkestinget", K.IKS: "representantskapet"}


class FieldError(Exception):
    """A cell's value is wrong; the caller knows the line and column."""


@dataclass
class ParticipantPlan:
    line: int
    organisation: Organisation
    ownership_share: Decimal | None = None
    liability_share: Decimal | None = None
    decided_on: dt.date | None = None
    decision_body: str = ""
    case_reference: str = ""


@dataclass
class CooperationPlan:
    """One cooperation to create, from the rows starting at ``line`` of ``source``."""

    source: str
    line: int
    name: str
    legal_form: str
    areas: list[str]
    participants: list[ParticipantPlan]
    status: str = Status.PLANNED
    fields: dict[str, Any] = field(default_factory=dict)
    end_date: dt.date | None = None
    #: Items of agreement version 1; None: no agreement is registered.
    agreement_items: list[str] | None = None


@dataclass
class CooperationResult:
    line: int
    name: str
    legal_form: str
    status: str
    participants: list[str]
    agreement_items: int | None
    decisions: int
    pk: int | None = None
    url: str = ""

    @property
    def legal_form_label(self) -> str:
        return str(LegalForm(self.legal_form).label)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


@dataclass
class ImportSummary:
    source: str
    dry_run: bool
    cooperations: list[CooperationResult]

    @property
    def count(self) -> int:
        return len(self.cooperations)


CodeT = TypeVar("CodeT", bound=str)


# --- values ------------------------------------------------------------------------------------


def _lookup(choices: type[Choices], words: Mapping[CodeT, Iterable[str]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, label in choices.choices:
        table[fold(code)] = table[fold(code.replace("_", " "))] = code
        for language in ("en", "nb"):
            with translation.override(language):
                table.setdefault(fold(str(label)), code)
    for code, synonyms in words.items():
        table.update({fold(w): code for w in synonyms})
    return table


def _choice(value: str, table: dict[str, str], what: str) -> str:
    code = table.get(fold(value))
    if code is None:
        codes = ", ".join(sorted(set(table.values())))
        raise FieldError(
            _("Unknown %(what)s “%(value)s”; use a code (%(codes)s) or its Norwegian name.")
            % {"what": what, "value": value, "codes": codes}
        )
    return code


def _date(value: str) -> dt.date:
    iso = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", value)
    nor = re.fullmatch(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", value)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if nor:
            return dt.date(int(nor[3]), int(nor[2]), int(nor[1]))
    except ValueError:
        pass
    raise FieldError(_("“%(value)s” is not a date (YYYY-MM-DD or DD.MM.YYYY).") % {"value": value})


def _share(value: str) -> Decimal:
    text = re.sub(r"[\s%]", "", value).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise FieldError(_("“%(value)s” is not a percentage.") % {"value": value})
    if not 0 <= number <= 100:
        raise FieldError(_("%(value)s is outside 0–100 %%.") % {"value": value})
    if number != number.quantize(Decimal("0.001")):
        raise FieldError(_("Give at most three decimals: “%(value)s”.") % {"value": value})
    return number


def _bool(value: str) -> bool:
    folded = fold(value)
    if folded in {"ja", "j", "yes", "true", "1"}:
        return True
    if folded in {"nei", "n", "no", "false", "0"}:
        return False
    raise FieldError(_("Expected ja or nei, got “%(value)s”.") % {"value": value})


def _organisation_number(value: str) -> str:
    number = re.sub(r"\s", "", value)
    try:
        validate_organisation_number(number)
    except ValidationError as exc:
        raise FieldError(" ".join(exc.messages)) from None
    return number


def _codes(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;|]", value) if part.strip()]


class OrganisationResolver:
    """Finds participants by number or by any official name variant, folded."""

    MUNICIPALITY_SUFFIX = " kommune"
    COUNTY_SUFFIX = " fylkeskommune"

    def __init__(self) -> None:
        self.municipalities: dict[str, Organisation] = {}
        self.counties: dict[str, Organisation] = {}
        self.numbers: dict[str, Organisation] = {}
        self.names: dict[str, dict[int, Organisation]] = {}
        for org in Organisation.objects.active().select_related("municipality", "county"):
            if org.organisation_number:
                self.numbers[org.organisation_number] = org
            self._add(org.name, org)
            place: Municipality | County | None = None
            suffix = ""
            if org.kind == K.MUNICIPALITY and org.municipality:
                place, suffix = org.municipality, self.MUNICIPALITY_SUFFIX
                self.municipalities[place.number] = org
            elif org.kind == K.COUNTY_MUNICIPALITY and org.county:
                place, suffix = org.county, self.COUNTY_SUFFIX
                self.counties[place.number] = org
            if place is not None:
                names = [place.name, *place.name.split(" - ")]
                names += [getattr(place, f, "") for f in place.NAME_FIELDS]
                for name in filter(None, names):
                    self._add(name, org)
                    self._add(name + suffix, org)

    def _add(self, name: str, org: Organisation) -> None:
        self.names.setdefault(fold(name), {})[org.pk] = org

    def __call__(self, value: str) -> Organisation:
        digits = re.sub(r"\s", "", value)
        if digits.isascii() and digits.isdigit():
            if len(digits) == 9:
                table, key = self.numbers, digits
                missing = _("No organisation has the organisation number %(value)s.")
            elif len(digits) in (3, 4):  # a spreadsheet may have dropped the leading zero
                table, key = self.municipalities, digits.zfill(4)
                missing = _("No municipality has the number %(value)s.")
            elif len(digits) in (1, 2):
                table, key = self.counties, digits.zfill(2)
                missing = _("No county municipality has the county number %(value)s.")
            else:
                raise FieldError(
                    _(
                        "“%(value)s” is neither a municipality number (4 digits), a county number "
                        "(2 digits) nor an organisation number (9 digits)."
                    )
                    % {"value": value}
                )
            if key not in table:
                raise FieldError(missing % {"value": key})
            return table[key]
        found = self.names.get(fold(value), {})
        if len(found) == 1:
            return next(iter(found.values()))
        if not found:
            raise FieldError(
                _(
                    "No municipality, county municipality or organisation is called “%(value)s”. "
                    "Use an official name, the municipality or county number, or the "
                    "organisation number."
                )
                % {"value": value}
            )
        raise FieldError(
            _("“%(value)s” matches more than one organisation (%(names)s); use the number.")
            % {"value": value, "names": "; ".join(sorted(o.name for o in found.values()))}
        )


# --- reading -----------------------------------------------------------------------------------


def _column_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", re.sub(r"\(.*?\)", "", fold(header))).strip("_")


def _keep(lines: list[tuple[int, list[str]]], line: int, cells: list[str]) -> bool:
    """Keep the header and non-empty rows; True when there are too many to go on."""
    cells = [c.strip() for c in cells]
    if line == 1 or any(cells):
        lines.append((line, cells))
    return len(lines) > MAX_LINES


def _csv_lines(data: bytes, name: str, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(name, None, "", _("The file is not UTF-8 text.")))
        return []
    first = text.splitlines()[0] if text else ""
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    lines: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if _keep(lines, start, cells):
                break
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(
            Problem(name, reader.line_num, "", _("Malformed CSV: %(error)s") % {"error": exc})
        )
    return lines


def _cell_text(cell: Any) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        if "%" in (getattr(cell, "number_format", "") or ""):
            value *= 100
        value = round(value, 9)
        return str(int(value)) if float(value).is_integer() else str(value)
    return str(value)


def _xlsx_lines(data: bytes, name: str, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        problems.append(Problem(name, None, "", _("The file is not a readable XLSX workbook.")))
        return []
    lines: list[tuple[int, list[str]]] = []
    try:
        for line, row in enumerate(book.worksheets[0].iter_rows(min_row=1), start=1):
            if _keep(lines, line, [_cell_text(c) for c in row]):
                break
    finally:
        book.close()
    return lines


def _records(
    lines: list[tuple[int, list[str]]], name: str, problems: list[Problem]
) -> list[tuple[int, dict[str, str]]]:
    """Rows as {column: text}; header problems and rows with stray cells are reported."""
    if not lines:
        problems.append(Problem(name, None, "", _("The file is empty.")))
        return []
    if len(lines) > MAX_LINES:
        message = _("The file has more than %(count)s lines.") % {"count": MAX_LINES}
        problems.append(Problem(name, None, "", message))
        return []
    header = [_column_key(c) for c in lines[0][1]]
    known = _("Unknown column; the columns are: %(columns)s.") % {"columns": ", ".join(COLUMNS)}
    for index, key in enumerate(header):
        if key and key not in COLUMNS and not key.startswith(NOTE_PREFIXES):
            problems.append(Problem(name, 1, lines[0][1][index], known))
        elif key and key in header[:index]:
            problems.append(Problem(name, 1, key, _("The column appears twice.")))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    problems += [Problem(name, 1, c, _("The column is missing.")) for c in missing]
    if missing:
        return []
    records = []
    for line, cells in lines[1:]:
        if any(cells[len(header) :]):
            problems.append(Problem(name, line, "", _("The row has more cells than the header.")))
            continue
        record = {k: (cells[i] if i < len(cells) else "") for i, k in enumerate(header)}
        records.append((line, {k: v for k, v in record.items() if k in COLUMNS and v}))
    if not records:
        problems.append(Problem(name, None, "", _("The file has no rows below the header.")))
    return records


def _parsers(resolve: OrganisationResolver) -> dict[str, Any]:
    forms, areas = _lookup(LegalForm, FORM_WORDS), _lookup(Area, AREA_WORDS)
    statuses = _lookup(Status, STATUS_WORDS)
    parsers: dict[str, Any] = dict.fromkeys(
        ("samarbeid", "formal", "hjemmel", "vedtaksorgan", "saksnummer"), str.strip
    )
    dates = ("startdato", "sluttdato", "statsforvalter_varslet", "vedtaksdato")
    parsers |= dict.fromkeys(dates, _date)
    parsers |= dict.fromkeys(("eierandel", "ansvarsandel"), _share)
    parsers |= dict.fromkeys(("vertskommune", "deltaker"), resolve)
    return parsers | {
        "form": lambda v: _choice(v, forms, _("legal form")),
        "omrader": lambda v: sorted({_choice(a, areas, _("area")) for a in _codes(v)}),
        "status": lambda v: _choice(v, statuses, _("status")),
        "organisasjonsnummer": _organisation_number,
        "egen_juridisk_person": _bool,
        "avtalepunkter": lambda v: ALL_ITEMS if fold(v) in {"alle", "all"} else _codes(v),
    }


def _plan(
    source: str, rows: list[tuple[int, dict, set]], problems: list[Problem], taken: set[str]
) -> CooperationPlan | None:
    """Check one cooperation's rows together; a plan, or None after adding its problems."""
    before, first = len(problems), rows[0][0]
    failed = set().union(*(bad for _line, _values, bad in rows))
    coop: dict[str, Any] = {}
    lines: dict[str, int] = {}

    def problem(line: int, column: str, message: str) -> None:
        problems.append(Problem(source, line, column, message))

    for line, values, _bad in rows:
        for column in COOPERATION_COLUMNS:
            if column not in values:
                continue
            if column in coop and values[column] != coop[column]:
                problem(line, column, _("Differs from line %(line)s.") % {"line": lines[column]})
            coop.setdefault(column, values[column])
            lines.setdefault(column, line)
    title = rows[0][1].get("samarbeid", "")
    if fold(title) in taken:
        problem(first, "samarbeid", _("A cooperation with this name is already registered."))
    for column in ("form", "omrader"):
        if column not in coop and column not in failed:
            problem(first, column, _("Give a value on one of the cooperation's rows."))
    participants: dict[int, ParticipantPlan] = {}
    for line, values, bad in rows:
        org = values.get("deltaker")
        if org is None:
            if "deltaker" not in bad:
                problem(line, "deltaker", _("A value is required."))
            continue
        if org.pk in participants:
            earlier = participants[org.pk].line
            problem(line, "deltaker", _("Already listed on line %(line)s.") % {"line": earlier})
            continue
        if ({"vedtaksorgan", "saksnummer"} & set(values)) and "vedtaksdato" not in values:
            problem(line, "vedtaksdato", _("Give the date of the decision."))
        participants[org.pk] = ParticipantPlan(
            line=line,
            organisation=org,
            ownership_share=values.get("eierandel"),
            liability_share=values.get("ansvarsandel"),
            decided_on=values.get("vedtaksdato"),
            decision_body=values.get("vedtaksorgan")
            or DECISION_BODY.get(org.kind, "kommunestyret"),
            case_reference=values.get("saksnummer", ""),
        )
    form = coop.get("form", "")
    host = coop.get("vertskommune")
    if host is not None and host.pk not in participants and "deltaker" not in failed:
        problem(lines["vertskommune"], "vertskommune", _("Must be one of the participants."))
    items = coop.get("avtalepunkter")
    if items == ALL_ITEMS:
        items = sorted(rules.mandatory_codes(form))
    elif items is not None and form:
        known = sorted(rules.mandatory_codes(form))
        unknown = [c for c in items if c not in known]
        message = _("Not a mandatory item of this form: %(codes)s (the items are: %(known)s).")
        if unknown:
            values = {"codes": ", ".join(unknown), "known": ", ".join(known) or "–"}
            problem(lines["avtalepunkter"], "avtalepunkter", message % values)
    if len(problems) > before or failed:
        return None
    fields = {"purpose": coop.get("formal", "")}
    for name in PLAN_FIELDS:
        if FIELD_COLUMNS[name] in coop:
            fields[name] = coop[FIELD_COLUMNS[name]]
    default_person = form in {LegalForm.IKS, LegalForm.AS, LegalForm.SA}
    fields["legal_person"] = coop.get("egen_juridisk_person", default_person)
    if items is None and any(p.decided_on for p in participants.values()):
        items = []
    return CooperationPlan(
        source=source,
        line=first,
        name=title,
        legal_form=form,
        areas=coop["omrader"],
        participants=list(participants.values()),
        status=coop.get("status", Status.PLANNED),
        fields=fields,
        end_date=coop.get("sluttdato"),
        agreement_items=items,
    )


def _read(path_or_file: str | Path | IO[bytes], filename: str) -> tuple[list, list[Problem]]:
    problems: list[Problem] = []
    if isinstance(path_or_file, str | Path):
        data = Path(path_or_file).read_bytes()
    else:
        data = path_or_file.read()
        data = data.encode() if isinstance(data, str) else data
    suffix = Path(filename).suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        return [], [Problem(filename, None, "", _("Expected a .csv or .xlsx file."))]
    reader = _csv_lines if suffix == ".csv" else _xlsx_lines
    records = _records(reader(data, filename, problems), filename, problems)
    parsers = _parsers(OrganisationResolver())
    groups: dict[str, list[tuple[int, dict, set]]] = {}
    for line, raw in records:
        values, bad = {}, set()
        for column, text in raw.items():
            try:
                values[column] = parsers[column](text)
            except FieldError as exc:
                problems.append(Problem(filename, line, column, str(exc)))
                bad.add(column)
        if not values.get("samarbeid"):
            if "samarbeid" not in bad:
                problems.append(Problem(filename, line, "samarbeid", _("A value is required.")))
            continue
        groups.setdefault(fold(values["samarbeid"]), []).append((line, values, bad))
    taken = {fold(n) for n in Cooperation.objects.active().values_list("name", flat=True)}
    plans = [_plan(filename, rows, problems, taken) for rows in groups.values()]
    return [p for p in plans if p is not None], problems


def read_cooperation_file(
    path_or_file: str | Path | IO[bytes], *, filename: str
) -> list[CooperationPlan]:
    """Read and check a file in the documented layout. Raises ImportFailed with every problem."""
    plans, problems = _read(path_or_file, filename)
    if problems:
        raise ImportFailed(problems)
    return plans


# --- writing -----------------------------------------------------------------------------------


def _service_problems(plan: CooperationPlan, exc: ValidationError, line: int = 0) -> list:
    where = line or plan.line
    if not hasattr(exc, "error_dict"):
        return [Problem(plan.source, where, "", m) for m in exc.messages]
    return [
        Problem(plan.source, where, FIELD_COLUMNS.get(f, f), m)
        for f, messages in exc.message_dict.items()
        for m in messages
    ]


def _create(plan: CooperationPlan, actor: Any) -> CooperationResult:
    """Create one cooperation, its agreement, decisions and final status through the services."""
    coop = services.cooperation_create(
        actor=actor,
        name=plan.name,
        legal_form=plan.legal_form,
        areas=plan.areas,
        participants=[
            services.ParticipantInput(p.organisation, p.ownership_share, p.liability_share)
            for p in plan.participants
        ],
        **plan.fields,
    )
    decided = [(p, p.decided_on) for p in plan.participants if p.decided_on]
    if plan.agreement_items is not None:
        version = services.agreement_version_add(
            actor=actor, cooperation=coop, items_covered=plan.agreement_items
        )
        problems: list[Problem] = []
        for p, decided_on in decided:
            try:
                services.council_decision_record(
                    actor=actor,
                    agreement_version=version,
                    organisation=p.organisation,
                    decided_on=decided_on,
                    body=p.decision_body,
                    case_reference=p.case_reference,
                )
            except ValidationError as exc:
                problems += _service_problems(plan, exc, p.line)
        if problems:
            raise ImportFailed(problems)
    steps = list(STATUS_PATH[Status(plan.status)]) or ([Status.PLANNED] if plan.end_date else [])
    for index, step in enumerate(steps):
        last = index == len(steps) - 1
        extra: dict[str, Any] = {"end_date": plan.end_date} if last and plan.end_date else {}
        coop = services.cooperation_update(
            actor=actor, cooperation=coop, expected_version=None, status=step, **extra
        )
    return CooperationResult(
        line=plan.line,
        name=coop.name,
        legal_form=coop.legal_form,
        status=coop.status,
        participants=[p.organisation.name for p in plan.participants],
        agreement_items=None if plan.agreement_items is None else len(plan.agreement_items),
        decisions=len(decided),
        pk=coop.pk,
    )


def import_cooperations(
    plans: list[CooperationPlan], *, actor: Any, dry_run: bool
) -> ImportSummary:
    """Create every plan in one transaction, or nothing. A dry run rolls back at the end."""
    problems: list[Problem] = []
    results: list[CooperationResult] = []
    with transaction.atomic():
        for plan in plans:
            try:
                with transaction.atomic():
                    results.append(_create(plan, actor))
            except ValidationError as exc:
                problems += _service_problems(plan, exc)
            except ImportFailed as exc:
                problems += exc.problems
            except PermissionDenied as exc:
                problems.append(Problem(plan.source, plan.line, "deltaker", str(exc)))
        if problems or dry_run:
            transaction.set_rollback(True)
    if problems:
        raise ImportFailed(problems)
    if dry_run:
        for result in results:
            result.pk = None
    return ImportSummary(plans[0].source if plans else "", dry_run, results)


def run_import(
    path_or_file: str | Path | IO[bytes], *, filename: str, actor: Any, dry_run: bool
) -> ImportSummary:
    """Read, check and import a file; parse and rule problems are reported together."""
    plans, problems = _read(path_or_file, filename)
    if problems:
        if plans:  # also check the rules of the cooperations whose rows were fine
            try:
                import_cooperations(plans, actor=actor, dry_run=True)
            except ImportFailed as exc:
                problems += exc.problems
        raise ImportFailed(sorted(problems, key=lambda p: p.line or 0))
    return import_cooperations(plans, actor=actor, dry_run=dry_run)
