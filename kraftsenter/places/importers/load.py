"""Writing a checked PlaceDataset to the database: all or nothing, and idempotent.

A dataset must hold every current county and municipality (``validate.check_complete``) unless
it says it is a selection (``utvalg.txt``, the built-in demo set) or the caller allows a
partial load (``allow_partial``); what was missing is then kept among the import's notes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.core.models import DataImport

from ..models import (
    County,
    Municipality,
    MunicipalityNumberChange,
    PopulationFigure,
    SamiLanguageAreaMembership,
)
from .base import ImportFailed, ImportRefused, PlaceDataset, SamiAreaRow
from .validate import check_complete, check_dataset

Progress = Callable[[str, int, int], None]

COUNTY_FIELDS = [
    "name",
    "name_nb",
    "name_se",
    "name_smj",
    "name_sma",
    "name_fkv",
    "search_text",
    "valid_from",
]
MUNICIPALITY_FIELDS = [
    "name",
    "name_nb",
    "name_se",
    "name_smj",
    "name_sma",
    "name_fkv",
    "search_text",
    "valid_from",
    "county_id",
    "ssb_name",
    "sami_language_area",
    "sami_language",
    "organisation_number",
    "lon",
    "lat",
]


def _sync(
    model, existing: dict[str, Any], wanted: dict[str, dict], fields: list[str], key: str = "number"
) -> dict[str, int]:
    """Create missing rows, update changed ones; return counts."""
    to_create, to_update = [], []
    for number, values in wanted.items():
        obj = existing.get(number)
        if obj is None:
            to_create.append(model(**{key: number}, **values))
            continue
        changed = False
        for name in fields:
            if name in values and getattr(obj, name) != values[name]:
                setattr(obj, name, values[name])
                changed = True
        if changed:
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(
            to_update, [f for f in fields if f in next(iter(wanted.values()))], batch_size=500
        )
    return {
        "created": len(to_create),
        "updated": len(to_update),
        "unchanged": len(wanted) - len(to_create) - len(to_update),
    }


def _sami_area_rows(
    ds: PlaceDataset, known_municipalities: set[str], known_counties: set[str]
) -> tuple[list[SamiAreaRow], list[str]]:
    """The area rows for places the database will hold, and notes for those skipped (a
    selection, or the built-in regulation data naming places this import does not hold)."""
    rows, skipped = [], []
    for row in ds.sami_area or []:
        if row.number in (known_counties if row.is_county else known_municipalities):
            rows.append(row)
        else:
            skipped.append(f"{row.number} {row.name}".strip())
    notes = []
    if skipped:
        notes.append(
            _("The Sami language area names places this import does not hold; skipped: %(places)s.")
            % {"places": ", ".join(sorted(skipped))}
        )
    return rows, notes


def _sync_sami_area(
    rows: list[SamiAreaRow],
    ds: PlaceDataset,
    county_ids: dict[str, int],
    muni_ids: dict[str, int],
) -> dict[str, int]:
    """Replace the memberships of every place the dataset holds or the area rows name; the
    memberships of other places are kept. Only changed rows are written."""
    covered_munis = {muni_ids[m.number] for m in ds.municipalities} | {
        muni_ids[r.number] for r in rows if not r.is_county
    }
    covered_counties = {county_ids[c.number] for c in ds.counties} | {
        county_ids[r.number] for r in rows if r.is_county
    }
    wanted: dict[tuple, SamiAreaRow] = {}
    for row in rows:
        if row.is_county:
            wanted[("county", county_ids[row.number], row.in_area_from)] = row
        else:
            wanted[("municipality", muni_ids[row.number], row.in_area_from)] = row
    existing = {
        (("county", m.county_id) if m.county_id else ("municipality", m.municipality_id))
        + (m.in_area_from,): m
        for m in SamiLanguageAreaMembership.objects.filter(
            Q(municipality_id__in=covered_munis) | Q(county_id__in=covered_counties)
        )
    }
    create, update = [], []
    for key, row in wanted.items():
        values = {
            "category": "" if row.is_county else row.category,
            "in_area_to": row.in_area_to,
            "source": row.source[:300],
        }
        obj = existing.pop(key, None)
        if obj is None:
            create.append(
                SamiLanguageAreaMembership(
                    municipality_id=None if row.is_county else key[1],
                    county_id=key[1] if row.is_county else None,
                    in_area_from=row.in_area_from,
                    **values,
                )
            )
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            update.append(obj)
    SamiLanguageAreaMembership.objects.bulk_create(create)
    SamiLanguageAreaMembership.objects.bulk_update(update, ["category", "in_area_to", "source"])
    SamiLanguageAreaMembership.objects.filter(pk__in=[m.pk for m in existing.values()]).delete()
    # The current flag of places the dataset does not hold but the area names.
    today = timezone.localdate()
    current = {
        key[1] for key, row in wanted.items() if key[0] == "municipality" and row.covers(today)
    }
    Municipality.objects.filter(pk__in=covered_munis - current, sami_language_area=True).update(
        sami_language_area=False
    )
    Municipality.objects.filter(pk__in=current, sami_language_area=False).update(
        sami_language_area=True
    )
    return {
        "created": len(create),
        "updated": len(update),
        "deleted": len(existing),
        "unchanged": len(wanted) - len(create) - len(update),
    }


def load_places(
    ds: PlaceDataset, *, progress: Progress | None = None, allow_partial: bool = False
) -> DataImport:
    """Check the dataset against itself and the database, then write it in one transaction.

    Raises ImportFailed when a row is wrong, and ImportRefused when the dataset lacks current
    counties or municipalities, unless it is a selection (``ds.selection``) or
    ``allow_partial``. The summary's ``partial`` then says so, and its notes what is missing.
    """
    report = progress or (lambda stage, done, total: None)
    known = set(Municipality.objects.values_list("number", flat=True))
    problems = check_dataset(ds, known_municipalities=known)
    if problems:
        raise ImportFailed(problems)

    summary: dict[str, Any] = {}
    with transaction.atomic():
        incomplete = check_complete(
            ds,
            stored_counties=dict(County.objects.values_list("number", "name")),
            stored_municipalities=dict(Municipality.objects.values_list("number", "name")),
        )
        if incomplete and not (allow_partial or ds.selection):
            raise ImportRefused(incomplete)
        run = DataImport.objects.create(
            kind="places", source=ds.source, reference_date=ds.reference_date
        )
        # Counties
        wanted_counties = {}
        for row in ds.counties:
            county = County(
                number=row.number,
                name=row.name,
                name_nb=row.name_nb,
                name_se=row.name_se,
                name_smj=row.name_smj,
                name_sma=row.name_sma,
                name_fkv=row.name_fkv,
            )
            wanted_counties[row.number] = {
                "name": row.name,
                "name_nb": row.name_nb,
                "name_se": row.name_se,
                "name_smj": row.name_smj,
                "name_sma": row.name_sma,
                "name_fkv": row.name_fkv,
                "search_text": county.build_search_text(),
                "valid_from": ds.reference_date,
            }
        summary["counties"] = _sync(
            County, {c.number: c for c in County.objects.all()}, wanted_counties, COUNTY_FIELDS
        )
        report("counties", len(wanted_counties), len(wanted_counties))
        county_ids = dict(County.objects.values_list("number", "id"))

        # The dated Sami language area decides the current flag (on today's date).
        area_rows: list[SamiAreaRow] | None = None
        area_notes: list[str] = []
        in_area_today: set[str] = set()
        if ds.sami_area is not None:
            area_rows, area_notes = _sami_area_rows(
                ds, known | {m.number for m in ds.municipalities}, set(county_ids)
            )
            today = timezone.localdate()
            in_area_today = {r.number for r in area_rows if not r.is_county and r.covers(today)}

        # Municipalities (with centrality and boundaries when the source has them)
        centrality = {r.number: r for r in ds.centrality or []}
        boundaries = {r.number: r.geometry for r in ds.boundaries or []}
        wanted_munis: dict[str, dict[str, Any]] = {}
        for muni_row in ds.municipalities:
            muni = Municipality(
                number=muni_row.number,
                name=muni_row.name,
                name_nb=muni_row.name_nb,
                name_se=muni_row.name_se,
                name_smj=muni_row.name_smj,
                name_sma=muni_row.name_sma,
                name_fkv=muni_row.name_fkv,
            )
            values: dict[str, Any] = {
                "name": muni_row.name,
                "name_nb": muni_row.name_nb,
                "name_se": muni_row.name_se,
                "name_smj": muni_row.name_smj,
                "name_sma": muni_row.name_sma,
                "name_fkv": muni_row.name_fkv,
                "search_text": muni.build_search_text(muni_row.ssb_name, muni_row.number),
                "valid_from": ds.reference_date,
                "county_id": county_ids[muni_row.county_number],
                "ssb_name": muni_row.ssb_name,
                "sami_language_area": muni_row.number in in_area_today
                if area_rows is not None
                else muni_row.sami_language_area,
                "sami_language": muni_row.sami_language,
                "organisation_number": muni_row.organisation_number,
                "lon": muni_row.lon,
                "lat": muni_row.lat,
            }
            wanted_munis[muni_row.number] = values
        fields = list(MUNICIPALITY_FIELDS)
        if ds.centrality is not None:
            fields += ["centrality_index", "centrality_class", "centrality_version"]
            for number, values in wanted_munis.items():
                c = centrality.get(number)
                values["centrality_index"] = c.index if c else None
                values["centrality_class"] = c.klass if c else None
                values["centrality_version"] = ds.centrality_version if c else ""
        if ds.boundaries is not None:
            fields.append("boundary")
            for number, values in wanted_munis.items():
                values["boundary"] = boundaries.get(number)
        summary["municipalities"] = _sync(
            Municipality, {m.number: m for m in Municipality.objects.all()}, wanted_munis, fields
        )
        report("municipalities", len(wanted_munis), len(wanted_munis))
        muni_ids = dict(Municipality.objects.values_list("number", "id"))
        if area_rows is not None:
            summary["sami_area"] = _sync_sami_area(area_rows, ds, county_ids, muni_ids)

        if ds.number_changes is not None:
            existing_changes = {
                (c.old_number, c.new_number, c.changed_on): c
                for c in MunicipalityNumberChange.objects.all()
            }
            create: list[MunicipalityNumberChange] = []
            update: list[MunicipalityNumberChange] = []
            for change in ds.number_changes:
                changed_on = change.changed_on or ds.reference_date
                obj = existing_changes.get((change.old_number, change.new_number, changed_on))
                if obj is None:
                    create.append(
                        MunicipalityNumberChange(
                            old_number=change.old_number,
                            old_name=change.old_name,
                            new_number=change.new_number,
                            new_name=change.new_name,
                            changed_on=changed_on,
                            note=change.note,
                        )
                    )
                elif (obj.old_name, obj.new_name, obj.note) != (
                    change.old_name,
                    change.new_name,
                    change.note,
                ):
                    obj.old_name, obj.new_name, obj.note = (
                        change.old_name,
                        change.new_name,
                        change.note,
                    )
                    update.append(obj)
            MunicipalityNumberChange.objects.bulk_create(create, batch_size=500)
            MunicipalityNumberChange.objects.bulk_update(update, ["old_name", "new_name", "note"])
            summary["number_changes"] = {
                "created": len(create),
                "updated": len(update),
                "unchanged": len(ds.number_changes) - len(create) - len(update),
            }

        if ds.population is not None:
            existing_pop = {
                (m, y): (pk, p, n)
                for pk, m, y, p, n in PopulationFigure.objects.values_list(
                    "id", "municipality_id", "year", "population", "note"
                )
            }
            new_figures: list[PopulationFigure] = []
            changed_figures: list[PopulationFigure] = []
            total = len(ds.population)
            for i, figure in enumerate(ds.population, start=1):
                key = (muni_ids[figure.number], figure.year)
                current = existing_pop.get(key)
                if current is None:
                    new_figures.append(
                        PopulationFigure(
                            municipality_id=key[0],
                            year=figure.year,
                            population=figure.population,
                            note=figure.note,
                        )
                    )
                elif (current[1], current[2]) != (figure.population, figure.note):
                    changed_figures.append(
                        PopulationFigure(
                            id=current[0], population=figure.population, note=figure.note
                        )
                    )
                if i % 5000 == 0:
                    report("population", i, total)
            PopulationFigure.objects.bulk_create(new_figures, batch_size=1000)
            PopulationFigure.objects.bulk_update(
                changed_figures, ["population", "note"], batch_size=1000
            )
            report("population", total, total)
            summary["population"] = {
                "created": len(new_figures),
                "updated": len(changed_figures),
                "unchanged": total - len(new_figures) - len(changed_figures),
            }

        summary["notes"] = ds.notes + area_notes + [str(problem) for problem in incomplete]
        if ds.selection:
            summary["notes"].append(
                _("A selection of the places: %(reason)s") % {"reason": ds.selection}
            )
        summary["partial"] = bool(incomplete)
        run.summary = summary
        run.finished_at = timezone.now()
        run.save(update_fields=["summary", "finished_at"])
    return run
