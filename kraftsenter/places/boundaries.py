"""Municipality boundaries as stored GeoJSON text, kept per process on PostgreSQL.

Every page and answer that draws or gives boundaries reads them here, apart from the
municipalities themselves (which are read with ``boundary`` deferred): :func:`stored` and
:func:`resolve` for a query of texts, :func:`fill` for municipalities already read (a
region's members, a county's). The maps (a county's or a region's page, the indicator maps)
draw from the texts, kept per process for the same texts
(:func:`kraftsenter.core.svg.stored_map_svg`, ``knowledge.maps``).

SQLite stores JSON as text and hands it over as it is (0.08 ms for a county's 46 boundaries
in the bench). PostgreSQL stores it as ``jsonb`` and writes every
coordinate out as text again at each read: 4.6 ms of the county page for Innlandet's 55 kB,
2.6 ms of a county map's (issue 14). There, a request reads each row's version instead and
the text only for rows that are not kept or have changed since.

A row's version is its ``xmin`` (the transaction that wrote it) and ``ctid`` (where the
version lies), PostgreSQL's system columns: every ``UPDATE`` writes a new version with a new
pair, so an import or an edit of a boundary is seen by every process at its next request,
whichever node made it. The transaction alone is not enough: one that updated a row twice
would give both versions the same ``xmin``; two live versions never share a ``ctid``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.models import Expression, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from kraftsenter.core import prepared
from kraftsenter.core.svg import decoded_geometry

from .models import Municipality

#: (database alias, municipality id) -> (row version, boundary text or None).
_kept: dict[tuple[str, int], tuple[str, str | None]] = {}


def versioned(alias: str) -> bool:
    """Whether reads on this database give a row's version instead of its boundary's text."""
    return bool(connections[alias].vendor == "postgresql")


def row_version(alias: str) -> RawSQL:
    """A municipality row's version on PostgreSQL, as text (``xmin:ctid``), for a query on
    the municipality table without joins (the columns are not qualified otherwise)."""
    table = connections[alias].ops.quote_name(Municipality._meta.db_table)
    return RawSQL(f"{table}.xmin::text || ':' || {table}.ctid::text", (), output_field=TextField())  # noqa: S611 - the table name is the model's


def stored(alias: str) -> Expression:
    """What a read of the municipality table gives for a boundary on this database: the
    row's version where :func:`versioned`, else the boundary's text itself. :func:`resolve`
    makes texts of either."""
    if versioned(alias):
        return row_version(alias)
    return Cast("boundary", output_field=TextField())


def with_boundary(queryset: QuerySet[Any], alias: str) -> QuerySet[Any]:
    """``queryset`` (municipalities, no joins) annotated with :func:`stored` as
    ``boundary_stored``, for :func:`fill`."""
    return queryset.annotate(boundary_stored=stored(alias))


def resolve(alias: str, pairs: Iterable[tuple[int, str | None]]) -> dict[int, str | None]:
    """Each municipality's boundary text by id, for ``(id, stored)`` pairs read with
    :func:`stored`: the texts themselves, or on PostgreSQL those of :func:`texts`."""
    if not versioned(alias):
        return dict(pairs)
    return texts(alias, [(pk, str(version)) for pk, version in pairs])


def by_id(alias: str, ids: Sequence[int]) -> dict[int, str | None]:
    """The boundary texts of these municipalities by id: one query, its statement built once
    per number of municipalities (:mod:`kraftsenter.core.prepared`)."""
    if not ids:
        return {}

    def build(wanted: tuple[int, ...]) -> QuerySet[Any]:
        return Municipality.objects.filter(pk__in=wanted).values_list("pk", stored(alias))

    rows = prepared.values("boundaries_by_id", alias, build, tuple(ids))
    return resolve(alias, [(pk, kept) for pk, kept in rows])


def fill(alias: str, municipalities: Sequence[Any]) -> None:
    """Give each municipality (read with its boundary deferred) its ``boundary_text`` and its
    ``boundary`` decoded once per process for the same text
    (:func:`~kraftsenter.core.svg.decoded_geometry`: shared, for reading only). Those read
    through :func:`with_boundary` need no further query on SQLite; others are read by id."""
    if municipalities and all(hasattr(m, "boundary_stored") for m in municipalities):
        found = resolve(alias, [(m.pk, m.boundary_stored) for m in municipalities])
    else:
        found = by_id(alias, [m.pk for m in municipalities])
    for m in municipalities:
        text = found.get(m.pk)
        m.boundary_text = text
        m.boundary = decoded_geometry(text) if text else None


def texts(alias: str, versions: Iterable[tuple[int, str]]) -> dict[int, str | None]:
    """Each municipality's boundary text by id, for ``(id, row version)`` pairs read on a
    :func:`versioned` database: kept ones whose version is the same, the others read (with
    their version, in one query) and kept."""
    found: dict[int, str | None] = {}
    stale: list[int] = []
    for pk, version in versions:
        kept = _kept.get((alias, pk))
        if kept is not None and kept[0] == version:
            found[pk] = kept[1]
        else:
            stale.append(pk)
    if stale:
        rows = (
            Municipality.objects.using(alias)
            .filter(pk__in=stale)
            .values_list("pk", row_version(alias), Cast("boundary", output_field=TextField()))
        )
        for pk, version, text in rows:
            _kept[(alias, pk)] = (version, text)
            found[pk] = text
    return found


def forget() -> None:
    """Drop every kept text (tests that recreate the database)."""
    _kept.clear()
