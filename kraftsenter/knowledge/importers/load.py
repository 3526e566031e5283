"""Writing a checked StatisticsDataset to the database: all or nothing, and idempotent.

Each part present in the dataset is compared with what is stored: new figures are created and
changed ones updated, in bulk. A source gives the complete set of figures for each municipality
and year it covers, so stored figures of such a (year, municipality) that the source no longer
has are deleted (commuting: per year and municipality of residence). Figures of other years and
municipalities are left alone, so importing one county or one year never removes the rest.

Before writing, the plan is checked for plausibility (:mod:`.checks`): a dataset that covers
less than it should or would shrink what is stored is refused unless ``allow_partial``, and one
that contradicts itself or the other tables is always refused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.core.models import DataImport
from kraftsenter.places.models import Municipality

from ..models import CommutingFlow, EmissionFigure, EmploymentFigure, IndustryEmployment
from .base import ImportFailed, ImportRefused, Problem, StatisticsDataset
from .checks import check_statistics

Progress = Callable[[str, int, int], None]
BATCH = 1000


@dataclass(frozen=True)
class Part:
    """How one part of a dataset maps to its model."""

    model: type[models.Model]
    key_fields: tuple[str, ...]  # year first; the municipality fields as ``<name>_id``
    number_attrs: tuple[str, ...]  # the row attributes holding those municipality numbers
    extra_key_attrs: tuple[str, ...]  # the rest of the key (industry, sector and source)
    value_fields: tuple[str, ...]  # the same names on the row and on the model


PARTS = {
    "commuting": Part(
        CommutingFlow, ("year", "home_id", "work_id"), ("home", "work"), (), ("employed",)
    ),
    "employment": Part(
        EmploymentFigure,
        ("year", "municipality_id"),
        ("number",),
        (),
        ("population_15_74", "employed_residence", "employed_workplace"),
    ),
    "industry": Part(
        IndustryEmployment,
        ("year", "municipality_id", "industry"),
        ("number",),
        ("industry",),
        ("employed",),
    ),
    "emissions": Part(
        EmissionFigure,
        ("year", "municipality_id", "sector", "source"),
        ("number",),
        ("sector", "source"),
        ("tonnes_co2e",),
    ),
}


def _wanted(
    name: str, part: Part, rows: Iterable[Any], ids: dict[str, int], problems: list[Problem]
) -> dict[tuple, tuple]:
    """Key → values for every row; unknown numbers and repeated keys become problems."""
    wanted: dict[tuple, tuple] = {}
    for row in rows:
        numbers = [getattr(row, attr) for attr in part.number_attrs]
        unknown = [n for n in numbers if n not in ids]
        source, line = row.origin
        for number in unknown:
            problems.append(
                Problem(
                    source,
                    line,
                    name,
                    _("Unknown municipality number %(number)s.") % {"number": number},
                )
            )
        if unknown:
            continue
        key = (
            row.year,
            *(ids[n] for n in numbers),
            *(getattr(row, a) for a in part.extra_key_attrs),
        )
        if key in wanted:
            problems.append(
                Problem(source, line, name, _("The same figure appears twice in the source."))
            )
            continue
        wanted[key] = tuple(getattr(row, f) for f in part.value_fields)
    return wanted


def _write(model: type[models.Model], sql: str, params: list[tuple]) -> None:
    """Run ``sql`` (with ``{table}``) once per parameter tuple, in batches.

    Plain ``executemany`` instead of ``bulk_create``/``bulk_update``: the values are already
    plain ints, floats and strings, and building 80 000 model instances took most of the time.
    """
    sql = sql.format(table=connection.ops.quote_name(model._meta.db_table))
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start : start + BATCH])


def _columns(model: type[models.Model], names: Iterable[str]) -> list[str]:
    quote = connection.ops.quote_name
    column_of = {field.name: field.column for field in model._meta.concrete_fields}
    return [quote(column_of[name.removesuffix("_id")]) for name in names]


@dataclass
class Plan:
    """What writing one part would do, worked out before anything is written."""

    create: list[tuple]
    update: list[tuple]
    stale: list[int]  # ids of stored figures in the dataset's scopes that it no longer has
    unchanged: int
    stored: Counter[int]  # stored figures per year, for the years the part has
    deleted: Counter[int]  # of those, the ones the import would delete, per year


def _plan(part: Part, wanted: dict[tuple, tuple]) -> Plan:
    """Compare ``wanted`` with what is stored: what to create, update and delete."""
    model, width = part.model, len(part.key_fields)
    scopes = {key[:2] for key in wanted}  # (year, municipality or municipality of residence)
    existing: dict[tuple, tuple[int, tuple]] = {}
    stale: list[int] = []
    stored_per_year: Counter[int] = Counter()
    deleted_per_year: Counter[int] = Counter()
    stored = model._default_manager.filter(year__in={key[0] for key in wanted}).values_list(
        "id", *part.key_fields, *part.value_fields
    )
    for pk, *rest in stored.iterator(chunk_size=5000):
        key = tuple(rest[:width])
        stored_per_year[key[0]] += 1
        if key in wanted:
            existing[key] = (pk, tuple(rest[width:]))
        elif key[:2] in scopes:
            stale.append(pk)
            deleted_per_year[key[0]] += 1
    create, update = [], []
    for key, values in wanted.items():
        current = existing.get(key)
        if current is None:
            create.append((*key, *values))
        elif current[1] != values:
            update.append((*values, current[0]))
    unchanged = len(wanted) - len(create) - len(update)
    return Plan(create, update, stale, unchanged, stored_per_year, deleted_per_year)


def _apply(part: Part, plan: Plan) -> dict[str, int]:
    """Create, update and delete so that the stored figures equal the planned ones."""
    model = part.model
    for start in range(0, len(plan.stale), BATCH):
        model._default_manager.filter(pk__in=plan.stale[start : start + BATCH]).delete()
    # Only quoted names from the model's own metadata go into the SQL; values are parameters.
    columns = _columns(model, (*part.key_fields, *part.value_fields))
    placeholders = ", ".join(["%s"] * len(columns))
    insert = f"INSERT INTO {{table}} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    _write(model, insert, plan.create)
    assignments = ", ".join(f"{c} = %s" for c in _columns(model, part.value_fields))
    _write(model, f"UPDATE {{table}} SET {assignments} WHERE id = %s", plan.update)  # noqa: S608
    return {
        "created": len(plan.create),
        "updated": len(plan.update),
        "unchanged": plan.unchanged,
        "deleted": len(plan.stale),
    }


def load_statistics(
    ds: StatisticsDataset, *, progress: Progress | None = None, allow_partial: bool = False
) -> DataImport:
    """Check the dataset, then write it in one transaction: all or nothing.

    Returns the ``DataImport`` (kind ``statistics``) whose summary has, per part present,
    the counts of created, updated, unchanged and deleted figures, the years per part, the
    notes and ``partial`` (True when ``allow_partial`` let partial data through; what it
    accepted is among the notes). Raises ImportFailed (nothing written) when a row names an
    unknown municipality or a figure appears twice, and ImportRefused when the data is not
    plausible as a whole (:mod:`.checks`): partial data unless ``allow_partial``, data that
    contradicts itself or the other tables always.
    """
    report = progress or (lambda stage, done, total: None)
    ids = dict(Municipality.objects.values_list("number", "id"))
    problems: list[Problem] = []
    wanted = {
        name: _wanted(name, PARTS[name], getattr(ds, name), ids, problems) for name in ds.present()
    }
    if problems:
        raise ImportFailed(problems)
    summary: dict[str, Any] = {}
    with transaction.atomic():
        plans = {name: _plan(PARTS[name], figures) for name, figures in wanted.items()}
        findings = check_statistics(
            ds, wanted, {n: (p.stored, p.deleted) for n, p in plans.items()}
        )
        refused = [*findings.implausible, *([] if allow_partial else findings.partial)]
        if refused:
            raise ImportRefused(refused, partial=not findings.implausible)
        run = DataImport.objects.create(kind="statistics", source=ds.source)
        for done, (name, plan) in enumerate(plans.items(), start=1):
            summary[name] = _apply(PARTS[name], plan)
            report(name, done, len(plans))
        summary["years"] = ds.years()
        summary["notes"] = [*ds.notes, *findings.notes, *(str(p) for p in findings.partial)]
        summary["partial"] = bool(findings.partial)
        if ds.selection:
            summary["selection"] = ds.selection
        run.summary = summary
        run.finished_at = timezone.now()
        run.save(update_fields=["summary", "finished_at"])
    return run
