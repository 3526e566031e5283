"""Reader for the official web sources: the online twin of :mod:`.files`.

``fetch_official`` makes seven or eight GET requests, in this order (base addresses from
``settings.KRAFTSENTER_SOURCES``; parsing lives in :mod:`.kartverket` and :mod:`.ssb`):

1. Kartverket kommuneinfo ``fylkerkommuner?utkoordsys=4258``: counties, municipalities, name
   variants by language, the Sami language area flag and a point inside each municipality.
2. SSB KLASS ``classifications/131/codesAt`` and ``classifications/104/codesAt`` with
   ``date=<reference date>``: the municipalities and counties of the division, which the
   import must hold (``validate.check_complete``).
3. SSB KLASS ``classifications/128/codesAt?date=<reference date>``: centrality index and class;
   when it gives only the six classes (the version in force), also
   ``classifications/131/correspondsAt?targetClassificationId=128&date=<reference date>``: each
   municipality's class (no index).
4. SSB PxWebApi v2 ``tables/07459/data``: population 1 January from ``POPULATION_FROM_YEAR``,
   codelist ``agg_KommSummer`` with aggregated output (current borders back-cast, codes
   ``K-3103``). Sex and age are left out of the query, so SSB eliminates them (totals).
5. SSB KLASS ``classifications/131/changes?from=2020-01-01&to=2024-01-02``: renumberings.
6. Geonorge's municipal boundaries zip.

The dated Sami language area (categories and dates of entry) has no machine-readable official
source: it comes from the built-in regulation data (``places/builtin/``), reconciled with
kommuneinfo's ``samiskForvaltningsomrade`` flag on the reference date (see :func:`_sami_area`).

Connection errors, timeouts, HTTP 5xx, 408 and 429 are tried again (``Retry-After`` honoured,
else an exponential backoff) and PxWebApi's rate limit of 30 requests a minute is kept
(:mod:`.throttle`); when the retries are spent, :class:`SourceUnavailable` is raised (a caller
that wants to fall back quickly, like ``load_demo``, sets ``KRAFTSENTER_SOURCES_RETRIES`` to 0;
the first request is the small kommuneinfo one). Other HTTP errors
and malformed bodies are collected as problems over all the sources, then :class:`ImportFailed`
is raised. Rows for municipality numbers that kommuneinfo does not list are skipped with a note in
``PlaceDataset.notes``. Organisation numbers are not fetched (left blank).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from . import throttle
from .base import ImportFailed, PlaceDataset, Problem, SamiAreaRow, SourceUnavailable
from .files import REGULATION_DIR, SAMI_AREA_FILE, read_sami_area
from .kartverket import parse_boundaries_zip, parse_counties_municipalities
from .ssb import (
    NUMBER_CHANGES_FROM,
    NUMBER_CHANGES_TO,
    parse_centrality,
    parse_centrality_correspondence,
    parse_division,
    parse_number_changes,
    parse_population,
)

Progress = Callable[[str, int, int], None]
Sleep = Callable[[float], None]

POPULATION_FROM_YEAR = 2015
STAGES = (
    "municipalities",
    "division",
    "centrality",
    "population",
    "number_changes",
    "boundaries",
)


class _Fetcher:
    """GETs with the error policy above; HTTP 4xx and bad JSON become problems.

    Transient failures are tried again and a source's published rate limit is respected
    (:mod:`.throttle`); ``sleep`` is how the fetcher waits."""

    def __init__(self, client: httpx.Client, problems: list[Problem], *, sleep: Sleep = time.sleep):
        self.client = client
        self.problems = problems
        self.sleep = sleep

    def get(
        self, url: str, what: str, params: Any = None, accept: str = "application/json"
    ) -> httpx.Response | None:
        limiter = throttle.limiter_for(url)
        attempts = throttle.retries() + 1
        for attempt in range(attempts):
            if limiter is not None:
                limiter.acquire()
            wait: float | None = None
            try:
                response = self.client.get(
                    url, params=params, headers={"Accept": accept}, follow_redirects=True
                )
            except httpx.TimeoutException:
                failure = f"{what}: timed out ({url})"
            except httpx.RequestError as exc:
                failure = f"{what}: {type(exc).__name__}: {exc} ({url})"
            else:
                if not throttle.transient(response.status_code):
                    return self._answer(response)
                failure = f"{what}: HTTP {response.status_code} {response.reason_phrase} ({url})"
                wait = throttle.retry_after(response)
            if attempt == attempts - 1:
                tries = f" ({attempts} attempts)" if attempts > 1 else ""
                raise SourceUnavailable(failure + tries)
            delay = wait if wait is not None else throttle.backoff(attempt)
            if delay > throttle.max_wait():
                raise SourceUnavailable(f"{failure}; the server asks to wait {delay:.0f} s")
            self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _answer(self, response: httpx.Response) -> httpx.Response | None:
        if not response.is_success:
            self.problems.append(
                Problem(
                    _path(response.url),
                    None,
                    "",
                    _("The server answered HTTP %(status)s %(reason)s: %(detail)s")
                    % {
                        "status": response.status_code,
                        "reason": response.reason_phrase,
                        "detail": _error_detail(response),
                    },
                )
            )
            return None
        return response

    def get_json(self, url: str, what: str, params: Any = None) -> tuple[Any, str] | None:
        response = self.get(url, what, params)
        if response is None:
            return None
        source = _path(response.url)
        try:
            return response.json(), source
        except json.JSONDecodeError as exc:
            self.problems.append(
                Problem(source, exc.lineno, "", _("Malformed JSON: %(error)s") % {"error": exc.msg})
            )
        except UnicodeDecodeError:
            self.problems.append(Problem(source, None, "", _("The answer is not UTF-8 text.")))
        return None


def _error_detail(response: httpx.Response) -> str:
    """The server's own error message (KLASS and PxWebApi answer JSON), else the body's start."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("message", "error", "title", "detail"):
            if isinstance(body.get(key), str) and body[key].strip():
                return body[key].strip()[:200]
    return " ".join(response.text.split())[:200] or "—"


def _path(url: httpx.URL) -> str:
    return url.path.lstrip("/")


def _known_only(
    rows: list | None, known: set[str], what: str, notes: list[str], attribute: str = "number"
) -> list | None:
    if rows is None or not known:
        return rows
    unknown = sorted({getattr(r, attribute) for r in rows} - known)
    if unknown:
        notes.append(
            _("%(what)s: numbers not in the municipality list were skipped: %(numbers)s.")
            % {"what": what, "numbers": ", ".join(unknown)}
        )
    return [r for r in rows if getattr(r, attribute) in known]


KARTVERKET_SAMI_FLAG = "Kartverket kommuneinfo (samiskForvaltningsomrade)"


def _sami_area(ds: PlaceDataset, problems: list[Problem]) -> list[SamiAreaRow]:
    """The built-in regulation data, and kommuneinfo's flag compared with it on the reference
    date: a municipality only Kartverket puts in the area is added without category or date of
    entry, one only the regulation data puts there is kept; both get a note."""
    rows = read_sami_area(REGULATION_DIR, problems)
    date = ds.reference_date
    regulation = {r.number for r in rows if not r.is_county and r.covers(date)}
    for m in ds.municipalities:
        values = {"number": m.number, "name": m.name_nb, "file": f"builtin/{SAMI_AREA_FILE}"}
        if m.sami_language_area and m.number not in regulation:
            rows.append(SamiAreaRow(number=m.number, name=m.name_nb, source=KARTVERKET_SAMI_FLAG))
            ds.notes.append(
                _(
                    "%(number)s %(name)s is in the Sami language area according to Kartverket "
                    "but not in the regulation data (%(file)s): added without category or date "
                    "of entry. Check the regulation and update the file."
                )
                % values
            )
        elif not m.sami_language_area and m.number in regulation:
            ds.notes.append(
                _(
                    "%(number)s %(name)s is in the Sami language area by the regulation data "
                    "(%(file)s), but Kartverket does not mark it: the regulation is followed."
                )
                % values
            )
    return rows


def fetch_official(
    *,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
    reference_date: dt.date | None = None,
    sleep: Sleep = time.sleep,
) -> PlaceDataset:
    """Read counties, municipalities and their facts from the official web sources.

    ``progress(stage, done, total)`` is called after each of the five sources (``done`` counts
    sources). ``reference_date`` (default today) is the KLASS date for centrality.
    """
    report = progress or (lambda stage, done, total: None)
    date = reference_date or dt.date.today()
    sources = settings.KRAFTSENTER_SOURCES
    own_client = client is None
    http = client or httpx.Client(
        timeout=settings.KRAFTSENTER_SOURCES_TIMEOUT,
        headers={"Accept": "application/json", "User-Agent": "kraftsenter"},
    )
    problems: list[Problem] = []
    ds = PlaceDataset(source="official", reference_date=date)
    fetch = _Fetcher(http, problems, sleep=sleep)
    done = iter(range(1, len(STAGES) + 1))
    try:
        got = fetch.get_json(
            f"{sources['kommuneinfo']}fylkerkommuner",
            "Kartverket kommuneinfo",
            {"utkoordsys": "4258"},
        )
        if got:
            ds.counties, ds.municipalities = parse_counties_municipalities(*got, problems, ds.notes)
            ds.sami_area = _sami_area(ds, problems)
        known = {m.number for m in ds.municipalities}
        report(STAGES[0], next(done), len(STAGES))

        for classification, width in (("131", 4), ("104", 2)):
            got = fetch.get_json(
                f"{sources['klass']}classifications/{classification}/codesAt",
                f"SSB KLASS {classification}",
                {"date": date.isoformat()},
            )
            division = parse_division(*got, problems, width) if got else None
            name = f"SSB KLASS {classification}, {date.isoformat()}"
            if width == 4:
                ds.expected_municipalities, ds.municipality_classification = division, name
            else:
                ds.expected_counties, ds.county_classification = division, name
        extra = sorted(known - set(ds.expected_municipalities or known))
        if extra:
            ds.notes.append(
                _("Municipalities that SSB KLASS 131 does not list: %(numbers)s.")
                % {"numbers": ", ".join(extra)}
            )
        report(STAGES[1], next(done), len(STAGES))

        got = fetch.get_json(
            f"{sources['klass']}classifications/128/codesAt",
            "SSB KLASS 128",
            {"date": date.isoformat()},
        )
        if got:
            count = len(problems)
            centrality, ds.centrality_version = parse_centrality(
                *got, problems, ds.notes, date, quiet=True
            )
            if centrality is None and len(problems) == count:
                # Only the six classes: each municipality's class from the correspondence.
                got = fetch.get_json(
                    f"{sources['klass']}classifications/131/correspondsAt",
                    "SSB KLASS 131→128",
                    {"targetClassificationId": "128", "date": date.isoformat()},
                )
                if got:
                    centrality, ds.centrality_version = parse_centrality_correspondence(
                        *got, problems, ds.notes, date
                    )
            ds.centrality = _known_only(centrality, known, _("Centrality"), ds.notes)
        report(STAGES[2], next(done), len(STAGES))

        params = [
            ("lang", "no"),
            ("outputFormat", "json-stat2"),
            ("valueCodes[Region]", "*"),
            ("codelist[Region]", "agg_KommSummer"),
            ("outputValues[Region]", "aggregated"),
            ("valueCodes[ContentsCode]", "Personer1"),
            ("valueCodes[Tid]", f"from({POPULATION_FROM_YEAR})"),
        ]
        got = fetch.get_json(f"{sources['pxweb']}tables/07459/data", "SSB PxWebApi 07459", params)
        if got:
            ds.population = _known_only(
                parse_population(*got, problems, ds.notes), known, _("Population"), ds.notes
            )
        report(STAGES[3], next(done), len(STAGES))

        got = fetch.get_json(
            f"{sources['klass']}classifications/131/changes",
            "SSB KLASS 131",
            {"from": NUMBER_CHANGES_FROM.isoformat(), "to": NUMBER_CHANGES_TO.isoformat()},
        )
        if got:
            ds.number_changes = _known_only(
                parse_number_changes(*got, problems),
                known,
                _("Number changes"),
                ds.notes,
                "new_number",
            )
        report(STAGES[4], next(done), len(STAGES))

        response = fetch.get(sources["boundaries"], "Geonorge boundaries", accept="*/*")
        if response is not None:
            rows = parse_boundaries_zip(response.content, _path(response.url), problems)
            ds.boundaries = _known_only(rows, known, _("Boundaries"), ds.notes)
        report(STAGES[5], next(done), len(STAGES))
    finally:
        if own_client:
            http.close()
    if problems:
        raise ImportFailed(problems)
    return ds
