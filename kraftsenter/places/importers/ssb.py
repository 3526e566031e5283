"""Parsers for SSB's answers: KLASS 104 and 131 (the division), 128 (centrality), 131→128
(centrality classes), 131 changes, PxWebApi 07459.

KLASS JSON shapes are taken from the KLASS API source (statisticsnorway/klass, ``CodeList``,
``CodeItem`` and ``CodeChangeItem``): ``codesAt`` gives ``{"codes": [{code, parentCode, level,
name, shortName, presentationName, validFrom, validTo, notes}]}`` and ``changes`` gives
``{"codeChanges": [{oldCode, oldName, oldShortName, newCode, newName, newShortName,
changeOccurred}]}``, where a missing ``oldCode`` or ``newCode`` means a code began or ended.

Centrality (KLASS 128): level 1 holds the six classes (codes ``01``–``06``, names like
"Sentralitet: 1 (925-1000) - høy"); level 2 holds one item per municipality whose ``parentCode``
is its class and whose ``notes`` carry the index, as in SSB's code list download
``klassifikasjon-koder-2682-nb.csv``. When ``parentCode`` is not a class, the class is derived
from the index with ``validate.CENTRALITY_CLASS_LIMITS``. A municipality without an index is left
out with a note. When none has one (the version in force gives only the six classes), the
reader asks KLASS's correspondence between 131 and 128 (``correspondsAt``, shape from the KLASS
source's ``CorrespondenceItem``: ``{"correspondenceItems": [{sourceCode, sourceName,
targetCode, targetName}]}``) for each municipality's class, without an index.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from kraftsenter.core.jsonstat import parse_jsonstat2

from .base import CentralityRow, ImportFailed, NumberChangeRow, PopulationRow, Problem
from .kartverket import digits, expected
from .validate import CENTRALITY_CLASS_LIMITS

NUMBER_CHANGES_FROM = dt.date(2020, 1, 1)
NUMBER_CHANGES_TO = dt.date(2024, 1, 2)


def parse_division(
    data: Any, source: str, problems: list[Problem], width: int
) -> dict[str, str] | None:
    """Number → name of every county (104, ``width`` 2) or municipality (131, ``width`` 4) in a
    KLASS ``codesAt`` answer, without SSB's code for "unknown" (all nines: ``99``, ``9999``)."""
    codes = data.get("codes") if isinstance(data, dict) else None
    if not isinstance(codes, list):
        problems.append(expected(source, "codes", _("a list of codes"), codes))
        return None
    division: dict[str, str] = {}
    count = len(problems)
    for i, item in enumerate(codes):
        raw = item.get("code") if isinstance(item, dict) else item
        number = digits(raw, width)
        if number is None:
            what = _("%(width)s digits") % {"width": width}
            problems.append(expected(source, f"codes[{i}].code", what, raw))
        elif number != "9" * width:
            division[number] = str(item.get("name") or "").strip()
    if not division and len(problems) == count:
        problems.append(expected(source, "codes", _("a list of codes"), "[]"))
    return division if len(problems) == count else None


def parse_centrality(
    data: Any,
    source: str,
    problems: list[Problem],
    notes: list[str],
    reference_date: dt.date,
    *,
    quiet: bool = False,
) -> tuple[list[CentralityRow] | None, str]:
    """Centrality rows and version (year of the codes' ``validFrom``) from KLASS 128 codesAt.

    ``quiet``: no note when the answer has only the classes (the caller then asks the
    correspondence 131→128, :func:`parse_centrality_correspondence`)."""
    codes = data.get("codes") if isinstance(data, dict) else None
    if not isinstance(codes, list):
        problems.append(expected(source, "codes", _("a list of codes"), codes))
        return None, ""
    rows: list[CentralityRow] = []
    without_index: list[str] = []
    years: Counter[str] = Counter()
    for i, item in enumerate(codes):
        number = digits(item.get("code"), 4) if isinstance(item, dict) else None
        if number is None:
            continue  # the class items of level 1
        raw = item.get("notes")
        note = str(raw).strip() if raw is not None else ""
        if not note:
            without_index.append(number)
            continue
        if not re.fullmatch(r"[0-9]{1,4}", note) or int(note) > 1000:
            problems.append(
                expected(source, f"codes[{i}].notes", _("the centrality index (0–1000)"), raw)
            )
            continue
        index = int(note)
        parent = re.fullmatch(r"0?([1-6])", str(item.get("parentCode") or "").strip())
        klass = (
            int(parent.group(1))
            if parent
            else next(
                k for k, (low, high) in CENTRALITY_CLASS_LIMITS.items() if low <= index <= high
            )
        )
        rows.append(CentralityRow(number=number, index=index, klass=klass, origin=(source, None)))
        years[str(item.get("validFrom") or "")[:4]] += 1
    if without_index:
        notes.append(
            _(
                "Centrality: KLASS 128 gives no index for %(count)s municipalities "
                "(%(numbers)s); they were left out."
            )
            % {"count": len(without_index), "numbers": ", ".join(without_index[:10])}
        )
    if not rows:
        if not quiet:
            notes.append(
                _(
                    "Centrality: KLASS 128 has no municipality indices at %(date)s; "
                    "centrality was not imported."
                )
                % {"date": reference_date.isoformat()}
            )
        return None, ""
    year = years.most_common(1)[0][0]
    return rows, year if year.isdigit() else reference_date.isoformat()


def parse_centrality_correspondence(
    data: Any, source: str, problems: list[Problem], notes: list[str], reference_date: dt.date
) -> tuple[list[CentralityRow] | None, str]:
    """Each municipality's centrality class from KLASS ``classifications/131/correspondsAt?
    targetClassificationId=128``: ``{"correspondenceItems": [{sourceCode, sourceName,
    targetCode, targetName}]}``, where the source is the municipality (131) and the target its
    class (128: ``1``–``6``, also written ``01``–``06``). The correspondence has no index: the
    rows have ``index`` None. A municipality given two classes is a problem."""
    items = data.get("correspondenceItems") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(
            expected(source, "correspondenceItems", _("a list of correspondence items"), items)
        )
        return None, ""
    count = len(problems)
    classes: dict[str, tuple[int, int]] = {}
    for i, item in enumerate(items):
        where = f"correspondenceItems[{i}]"
        if not isinstance(item, dict):
            problems.append(expected(source, where, _("an object"), item))
            continue
        number = digits(item.get("sourceCode"), 4)
        if number is None:
            problems.append(
                expected(source, f"{where}.sourceCode", _("four digits"), item.get("sourceCode"))
            )
            continue
        if number == "9999":
            continue  # SSB's code for "unknown"
        target = re.fullmatch(r"0?([1-6])", str(item.get("targetCode") or "").strip())
        if target is None:
            problems.append(
                expected(
                    source,
                    f"{where}.targetCode",
                    _("a centrality class (1–6)"),
                    item.get("targetCode"),
                )
            )
            continue
        klass = int(target.group(1))
        if number in classes and classes[number][0] != klass:
            problems.append(
                Problem(
                    source,
                    None,
                    f"{where}.targetCode",
                    _("%(number)s has class %(klass)s here and %(other)s in item %(index)s.")
                    % {
                        "number": number,
                        "klass": klass,
                        "other": classes[number][0],
                        "index": classes[number][1],
                    },
                )
            )
            continue
        classes.setdefault(number, (klass, i))
    if len(problems) > count:
        return None, ""
    if not classes:
        notes.append(
            _(
                "Centrality: neither KLASS 128 nor its correspondence with 131 gives the "
                "municipalities' classes at %(date)s; centrality was not imported."
            )
            % {"date": reference_date.isoformat()}
        )
        return None, ""
    notes.append(
        _(
            "Centrality: KLASS 128 gives only the six classes at %(date)s; each municipality's "
            "class comes from the correspondence KLASS 131→128, which has no index."
        )
        % {"date": reference_date.isoformat()}
    )
    rows = [
        CentralityRow(number=n, index=None, klass=k, origin=(source, None))
        for n, (k, _i) in sorted(classes.items())
    ]
    return rows, reference_date.isoformat()


def parse_population(
    data: Any, source: str, problems: list[Problem], notes: list[str]
) -> list[PopulationRow] | None:
    """Population per municipality and year from a JSON-stat 2.0 answer for table 07459."""
    try:
        ds = parse_jsonstat2(data, source=source)
        ds.require("Region", "Tid")
    except ImportFailed as exc:
        problems.extend(exc.problems)
        return None
    years: dict[str, int] = {}
    for code in ds.dimensions["Tid"].codes:
        if re.fullmatch(r"[0-9]{4}", code):
            years[code] = int(code)
        else:
            problems.append(expected(source, "dimension.Tid.category.index", _("a year"), code))
    contents = ds.dimensions.get("ContentsCode")
    wanted = "Personer1" if contents and "Personer1" in contents.codes else None
    cells: dict[tuple[str, int], list] = {}
    skipped: set[str] = set()
    for row in ds.rows():
        if (wanted and row["ContentsCode"] != wanted) or row["Tid"] not in years:
            continue
        region = row["Region"]
        number = digits(region[2:] if region.startswith("K-") else region, 4)
        if number is None:
            skipped.add(region)
            continue
        cell = cells.setdefault((number, years[row["Tid"]]), [0, None])
        if row["value"] is None:
            cell[1] = row["status"] or "null"
        else:
            cell[0] += row["value"]
    if skipped:
        notes.append(
            _("Population: region codes that are not municipalities were skipped: %(codes)s.")
            % {"codes": ", ".join(sorted(skipped))}
        )
    return [
        PopulationRow(
            number=n,
            year=y,
            population=None if missing else int(total),
            note=_("missing in SSB 07459 (status “%(status)s”)") % {"status": missing}
            if missing
            else "",
            origin=(source, None),
        )
        for (n, y), (total, missing) in sorted(cells.items())
    ]


def parse_number_changes(
    data: Any, source: str, problems: list[Problem]
) -> list[NumberChangeRow] | None:
    """Renumberings after 2020-01-01 from KLASS 131 ``changes``; starts and ends are skipped."""
    changes = data.get("codeChanges") if isinstance(data, dict) else None
    if not isinstance(changes, list):
        problems.append(expected(source, "codeChanges", _("a list of changes"), changes))
        return None
    rows = []
    for i, item in enumerate(changes):
        where = f"codeChanges[{i}]"
        if not isinstance(item, dict):
            problems.append(expected(source, where, _("an object"), item))
            continue
        if not item.get("oldCode") or not item.get("newCode"):
            continue  # a code that started or ceased to exist, not a renumbering
        try:
            occurred = dt.date.fromisoformat(str(item.get("changeOccurred")))
        except ValueError:
            problems.append(
                expected(source, f"{where}.changeOccurred", _("a date"), item.get("changeOccurred"))
            )
            continue
        if not NUMBER_CHANGES_FROM < occurred <= NUMBER_CHANGES_TO:
            continue
        values: dict[str, str] = {}
        for key in ("oldCode", "oldName", "newCode", "newName"):
            value = item.get(key)
            ok = (
                digits(value, 4)
                if key.endswith("Code")
                else (value.strip() if isinstance(value, str) else "")
            )
            if not ok:
                problems.append(
                    expected(
                        source,
                        f"{where}.{key}",
                        _("four digits") if key.endswith("Code") else _("a name"),
                        value,
                    )
                )
            values[key] = ok or ""
        if all(values.values()):
            rows.append(
                NumberChangeRow(
                    old_number=values["oldCode"],
                    old_name=values["oldName"],
                    new_number=values["newCode"],
                    new_name=values["newName"],
                    changed_on=occurred,
                    origin=(source, None),
                )
            )
    return rows
