"""The built-in demo set, derived from the official statistics: ``build_builtin_statistics``.

The demo runs without a data directory and without the official sources (``load_demo``); it
then uses ``places/builtin/``. This module makes that directory's place and statistics files
from a source in the documented import formats — a data directory (docs/import-format.md and
docs/statistics-import-format.md) or the official sources — read with the same readers the
imports use, keeping only the demo's places and the years the pages need:

- the places: the municipalities the demo content names (:data:`DEMO_MUNICIPALITIES`) and
  every municipality of :data:`STATISTICS_COUNTY` (the county with industry and emission
  figures), all counties;
- population on 1 January in the latest year and the ten before (:data:`POPULATION_YEARS`);
  centrality;
- boundaries simplified (Douglas–Peucker, :data:`SIMPLIFY_DEGREES`, coordinates rounded to
  :data:`COORDINATE_DECIMALS` decimals) so that the whole set stays a few hundred kilobytes;
- commuting flows between the kept municipalities and their employment figures, every year
  the source has; employment by industry in those years and the latest; emissions in the base
  years :data:`EMISSION_BASE_YEARS` and the last :data:`EMISSION_RECENT_YEARS` years.

Flows to or from a municipality outside the set are left out (the places tables hold only the
set), so the written files are a selection: ``utvalg.txt`` says so, and the statistics import
then does not compare employment with commuting flows (``checks.py``). ``KILDER.md`` names each
file's source, table, licence and years. Writing is deterministic: the same source gives the
same files.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kraftsenter.places.importers.base import PlaceDataset

from .base import NumberLookup, StatisticsDataset

#: The municipalities the demo content (demo/loader.py and the demo modules) names.
DEMO_MUNICIPALITIES = (
    "1804", "1806", "1824", "1826", "1833", "1840", "1841", "1865", "1870", "1875",
    "3403", "3411", "3412", "3413", "3420",
    "5006", "5037", "5038", "5041", "5053",
    "5501", "5503", "5510", "5512",
    "5601", "5603", "5610", "5612",
)  # fmt: skip
#: The county whose every municipality is kept: the one with industry and emission figures.
STATISTICS_COUNTY = "40"
#: The latest year and the ten before it: the profile compares with ten years earlier.
POPULATION_YEARS = 11
EMISSION_BASE_YEARS = (2009, 2015)
EMISSION_RECENT_YEARS = 5
SIMPLIFY_DEGREES = 0.004  # about 450 m north–south
COORDINATE_DECIMALS = 3
SAMI_LANGUAGE_NAMES = {"se": "nordsamisk", "smj": "lulesamisk", "sma": "sorsamisk"}

SSB = "Statistisk sentralbyrå (SSB)"
SSB_LICENCE = "CC BY 4.0 (Kilde: Statistisk sentralbyrå)"
KARTVERKET_LICENCE = "CC BY 4.0 (© Kartverket)"
MILJODIR_LICENCE = "NLOD 2.0 (Kilde: Miljødirektoratet)"
SELECTION_TEXT = (
    "Det innebygde demosettet: de 15 fylkene, de {demo} kommunene demoinnholdet trenger og "
    "de {county} kommunene i fylke {number}, ikke hele landet."
)


def selection(places: PlaceDataset) -> list[str]:
    """The numbers of the municipalities to keep, sorted."""
    known = {m.number for m in places.municipalities}
    wanted = set(DEMO_MUNICIPALITIES) | {
        m.number for m in places.municipalities if m.county_number == STATISTICS_COUNTY
    }
    return sorted(wanted & known)


# Boundaries -------------------------------------------------------------------------------


def _distance(point: Sequence[float], a: Sequence[float], b: Sequence[float]) -> float:
    """Distance from ``point`` to the segment a–b, longitude scaled by the latitude's cosine."""
    scale = math.cos(math.radians(a[1]))
    px, py = (point[0] - a[0]) * scale, point[1] - a[1]
    bx, by = (b[0] - a[0]) * scale, b[1] - a[1]
    length = bx * bx + by * by
    t = 0.0 if length == 0 else max(0.0, min(1.0, (px * bx + py * by) / length))
    return math.hypot(px - t * bx, py - t * by)


def simplify_line(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas–Peucker, without recursion (rings have thousands of positions)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, worst = 0, 0.0
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                index, worst = i, d
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]] | None:
    """The ring simplified and rounded, closed; None when fewer than four positions are left."""
    # Split at the position farthest from the first, so a closed ring keeps its extent.
    start = ring[0]
    far = max(range(len(ring)), key=lambda i: math.dist(ring[i][:2], start[:2]))
    halves = simplify_line(ring[: far + 1], tolerance)[:-1] + simplify_line(ring[far:], tolerance)
    rounded: list[list[float]] = []
    for lon, lat, *_rest in halves:
        point = [round(lon, COORDINATE_DECIMALS), round(lat, COORDINATE_DECIMALS)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded if len(rounded) >= 4 else None


def simplify_geometry(geometry: dict[str, Any], tolerance: float) -> dict[str, Any]:
    """A (Multi)Polygon simplified; polygons whose outer ring vanishes (small islands) are
    dropped, and if all would vanish the largest is kept at a finer tolerance."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    kept = []
    for polygon in polygons:
        outer = simplify_ring(polygon[0], tolerance)
        if outer is None:
            continue
        holes = [r for r in (simplify_ring(h, tolerance) for h in polygon[1:]) if r]
        kept.append([outer, *holes])
    if not kept:
        largest = max(polygons, key=lambda p: len(p[0]))
        return simplify_geometry({"type": "Polygon", "coordinates": largest}, tolerance / 4)
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


# Writing ----------------------------------------------------------------------------------


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
            count += 1
    return count


def _span(years: Iterable[int]) -> str:
    ordered = sorted(set(years))
    return f"{ordered[0]}_{ordered[-1]}" if ordered else "ingen"


def _tonnes(value: float) -> str:
    return format(round(value, 2), ".2f").rstrip("0").rstrip(".")


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _places_files(places: PlaceDataset, keep: set[str], out: Path) -> list[dict[str, Any]]:
    written: list[dict[str, Any]] = []
    _write_csv(
        out / "fylker_2024.csv",
        ["fylkesnummer", "fylkesnavn_offisielt", "navn_norsk", "navn_nordsamisk"]
        + ["navn_sorsamisk", "navn_kvensk"],
        (
            (c.number, c.name, c.name_nb, c.name_se, c.name_sma, c.name_fkv)
            for c in sorted(places.counties, key=lambda c: c.number)
        ),
    )
    munis = sorted((m for m in places.municipalities if m.number in keep), key=lambda m: m.number)
    count = _write_csv(
        out / "kommuner_2024.csv",
        ["kommunenummer", "kommunenavn", "navn_norsk", "navn_nordsamisk", "navn_lulesamisk"]
        + ["navn_sorsamisk", "navn_kvensk", "fylkesnummer", "ssb_navn_2026"]
        + ["samisk_forvaltningsomrade", "samisk_sprak", "organisasjonsnummer", "lon", "lat"],
        (
            (
                m.number,
                m.name,
                m.name_nb,
                m.name_se,
                m.name_smj,
                m.name_sma,
                m.name_fkv,
                m.county_number,
                m.ssb_name,
                _bool(m.sami_language_area),
                SAMI_LANGUAGE_NAMES.get(m.sami_language, "") if m.sami_language_area else "",
                m.organisation_number,
                m.lon,
                m.lat,
            )
            for m in munis
        ),
    )
    written.append(
        {
            "file": "kommuner_2024.csv",
            "what": "Fylker og kommuner 2024 (navn, fylke, samisk forvaltningsområde, punkt)",
            "source": "Kartverket (kommuneinfo / administrative enheter 2024)",
            "licence": KARTVERKET_LICENCE,
            "years": "2024",
            "rows": count,
        }
    )
    if places.population is not None:
        years = sorted({r.year for r in places.population if r.population is not None})
        recent = set(years[-POPULATION_YEARS:])
        rows = sorted(
            (r for r in places.population if r.number in keep and r.year in recent),
            key=lambda r: (r.number, r.year),
        )
        name = f"befolkning_kommune_{_span(recent)}.csv"
        count = _write_csv(
            out / name,
            ["kommunenummer", "aar", "befolkning", "merknad"],
            ((r.number, r.year, r.population, r.note) for r in rows),
        )
        written.append(
            {
                "file": name,
                "what": "Folkemengde 1. januar, kommuneinndeling 2024",
                "source": f"{SSB}, tabell 07459",
                "licence": SSB_LICENCE,
                "years": _span(recent).replace("_", "–"),
                "rows": count,
            }
        )
    if places.centrality is not None:
        names = {m.number: m.name_nb for m in munis}
        count = _write_csv(
            out / "sentralitet_2024.csv",
            ["kommunenummer", "kommunenavn", "sentralitetsindeks", "sentralitetsklasse"],
            (
                (r.number, names[r.number], r.index, r.klass)
                for r in sorted(places.centrality, key=lambda r: r.number)
                if r.number in keep
            ),
        )
        written.append(
            {
                "file": "sentralitet_2024.csv",
                "what": "Sentralitetsindeks og -klasse (standard for sentralitet)",
                "source": f"{SSB}, KLASS 128",
                "licence": SSB_LICENCE,
                "years": places.centrality_version or "—",
                "rows": count,
            }
        )
    if places.boundaries is not None:
        names = {m.number: m.name_nb for m in munis}
        features = [
            {
                "type": "Feature",
                "properties": {"kommunenummer": b.number, "kommunenavn": names[b.number]},
                "geometry": simplify_geometry(b.geometry, SIMPLIFY_DEGREES),
            }
            for b in sorted(places.boundaries, key=lambda b: b.number)
            if b.number in keep
        ]
        path = out / "geo" / "kommuner_2024_S.geojson"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(
                {"type": "FeatureCollection", "features": features},
                ensure_ascii=False,
                separators=(",", ":"),
            )
            + "\n",
            encoding="utf-8",
        )
        written.append(
            {
                "file": "geo/kommuner_2024_S.geojson",
                "what": (
                    "Kommunegrenser, forenklet (Douglas–Peucker "
                    f"{SIMPLIFY_DEGREES}°, {COORDINATE_DECIMALS} desimaler)"
                ),
                "source": "Kartverket, administrative enheter 2024",
                "licence": KARTVERKET_LICENCE,
                "years": "2024",
                "rows": len(features),
            }
        )
    demo = len(set(DEMO_MUNICIPALITIES) & keep)
    (out / "utvalg.txt").write_text(
        SELECTION_TEXT.format(demo=demo, county=len(keep) - demo, number=STATISTICS_COUNTY) + "\n",
        encoding="utf-8",
    )
    return written


def _statistics_files(stats: StatisticsDataset, keep: set[str], out: Path) -> list[dict[str, Any]]:
    written: list[dict[str, Any]] = []
    flow_years: set[int] = set()
    if stats.commuting is not None:
        rows = sorted(
            (r for r in stats.commuting if r.home in keep and r.work in keep),
            key=lambda r: (r.year, r.home, r.work),
        )
        flow_years = {r.year for r in rows}
        name = f"pendling_kommune_{_span(flow_years)}.csv"
        count = _write_csv(
            out / name,
            ["aar", "bosted_kommunenummer", "arbeidssted_kommunenummer", "sysselsatte"],
            ((r.year, r.home, r.work, r.employed) for r in rows),
        )
        written.append(
            {
                "file": name,
                "what": "Sysselsatte 15–74 år etter bosted og arbeidssted (4. kvartal), "
                "bare strømmer mellom kommunene i settet",
                "source": f"{SSB}, tabell 03321",
                "licence": SSB_LICENCE,
                "years": _span(flow_years).replace("_", "–"),
                "rows": count,
            }
        )
    employment_years: set[int] = set()
    if stats.employment is not None:
        rows_e = sorted(
            (r for r in stats.employment if r.number in keep), key=lambda r: (r.year, r.number)
        )
        employment_years = {r.year for r in rows_e}
        name = f"sysselsatte_bosted_arbeidssted_{_span(employment_years)}.csv"
        count = _write_csv(
            out / name,
            ["aar", "kommunenummer", "befolkning_15_74_bosted", "sysselsatte_bosted"]
            + ["sysselsatte_arbeidssted"],
            (
                (
                    r.year,
                    r.number,
                    r.population_15_74,
                    r.employed_residence,
                    r.employed_workplace,
                )
                for r in rows_e
            ),
        )
        written.append(
            {
                "file": name,
                "what": "Befolkning 15–74 år og sysselsatte etter bosted og arbeidssted",
                "source": f"{SSB}, tabell 11618",
                "licence": SSB_LICENCE,
                "years": _span(employment_years).replace("_", "–"),
                "rows": count,
            }
        )
    if stats.industry is not None:
        available = {r.year for r in stats.industry if r.number in keep}
        years = (available & (employment_years | flow_years)) | set(sorted(available)[-1:])
        rows_i = sorted(
            (r for r in stats.industry if r.number in keep and r.year in years),
            key=lambda r: (r.year, r.number, r.industry),
        )
        name = f"sysselsatte_naering_{_span(years)}.csv"
        count = _write_csv(
            out / name,
            ["kommunenummer", "aar", "naering_sn2007_gruppe", "sysselsatte_arbeidssted"],
            ((r.number, r.year, r.industry, r.employed) for r in rows_i),
        )
        written.append(
            {
                "file": name,
                "what": "Sysselsatte etter arbeidssted og næring (SN2007-grupper), 4. kvartal",
                "source": f"{SSB}, tabell 13470",
                "licence": SSB_LICENCE,
                "years": ", ".join(map(str, sorted(years))),
                "rows": count,
            }
        )
    if stats.emissions is not None:
        emission_years = sorted({r.year for r in stats.emissions if r.number in keep})
        years = (set(EMISSION_BASE_YEARS) & set(emission_years)) | set(
            emission_years[-EMISSION_RECENT_YEARS:]
        )
        rows_x = sorted(
            (r for r in stats.emissions if r.number in keep and r.year in years),
            key=lambda r: (r.year, r.number, r.sector, r.source),
        )
        name = f"klimagass_{_span(years)}.csv"
        count = _write_csv(
            out / name,
            ["kommunenummer", "aar", "sektor", "utslippskilde", "utslipp_tonn_co2e"],
            ((r.number, r.year, r.sector, r.source, _tonnes(r.tonnes_co2e)) for r in rows_x),
        )
        written.append(
            {
                "file": name,
                "what": "Klimagassutslipp (tonn CO₂-ekvivalenter, alle gasser) etter sektor "
                "og utslippskilde, kommunefordelt klimagassregnskap",
                "source": "Miljødirektoratet, utslippsstatistikk for alle kommuner",
                "licence": MILJODIR_LICENCE,
                "years": ", ".join(map(str, sorted(years))),
                "rows": count,
            }
        )
    return written


def _sources_file(out: Path, written: list[dict[str, Any]], origin: str) -> None:
    lines = [
        "# Kilder for det innebygde demosettet",
        "",
        "Laget av `kraftsenter build_builtin_statistics` fra " + origin + ". Ikke rediger for "
        "hånd: kjør kommandoen på nytt (se README.md).",
        "",
        "| fil | innhold | kilde | lisens | år | rader |",
        "|---|---|---|---|---|---|",
    ]
    for item in written:
        lines.append(
            f"| `{item['file']}` | {item['what']} | {item['source']} | {item['licence']} | "
            f"{item['years']} | {item['rows']} |"
        )
    (out / "KILDER.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def generated_files(out: Path) -> list[Path]:
    """The files a build writes (and a rebuild replaces) in ``out``."""
    patterns = (
        "fylker_2024.csv",
        "kommuner_2024.csv",
        "sentralitet_2024.csv",
        "befolkning_kommune_*.csv",
        "pendling_kommune_*.csv",
        "sysselsatte_bosted_arbeidssted_*.csv",
        "sysselsatte_naering_*.csv",
        "klimagass_*.csv",
        "geo/kommuner_2024_S.geojson",
        "utvalg.txt",
        "KILDER.md",
    )
    return sorted(p for pattern in patterns for p in out.glob(pattern))


def build(
    places: PlaceDataset, stats: StatisticsDataset, out: str | Path, *, origin: str
) -> list[Path]:
    """Write the built-in set to ``out`` from the two datasets; returns the files written.

    Statistics files of an earlier build are removed first (their names carry the years)."""
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    for path in generated_files(target):
        path.unlink()
    keep = set(selection(places))
    written = _places_files(places, keep, target) + _statistics_files(stats, keep, target)
    _sources_file(target, written, origin)
    return generated_files(target)


def read_sources(directory: str | Path | None) -> tuple[PlaceDataset, StatisticsDataset, str]:
    """Places and statistics from a data directory, or from the official sources."""
    if directory:
        from kraftsenter.places.importers.files import read_directory as read_places

        from .files import read_directory as read_statistics

        places = read_places(directory, boundaries="S")
        lookup = _lookup(places)
        stats = read_statistics(directory, lookup=lookup)
        return places, stats, f"en datakatalog i importformatet ({Path(directory).name}/)"
    from kraftsenter.places.importers.official import fetch_official as fetch_places

    from .official import fetch_official as fetch_statistics

    places = fetch_places()
    stats = fetch_statistics(lookup=_lookup(places))
    return places, stats, "de offisielle kildene (SSB PxWebApi og KLASS, Kartverket, Miljødir.)"


def _lookup(places: PlaceDataset) -> NumberLookup:
    changes = [
        (c.old_number, c.old_name, c.new_number, c.new_name) for c in places.number_changes or []
    ]
    return NumberLookup.build([m.number for m in places.municipalities], changes)
