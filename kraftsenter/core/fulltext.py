"""Full-text search for the registers: organisations, cooperations and agreements.

One mechanism for every register that searches text (see docs/search.md):

* Every searchable record keeps a folded **search document** in ``search_text``
  (:class:`SearchableRecord`): its name or title, purpose and the like, folded by
  :func:`kraftsenter.core.text.fold` ("Tromsø" → "tromso", "Kárášjohka" → "karasjohka") and
  reduced to words. ``save()`` and the manager's ``bulk_create``/``bulk_update``/``update``
  keep it current, so services, imports, the demo and the benchmark need nothing of their own.
* PostgreSQL searches it through a GIN index on ``to_tsvector('norwegian', search_text)``;
  SQLite through an FTS5 table (external content, ``unicode61 remove_diacritics 2``) kept in
  step by triggers. Both are created by each app's migration (:func:`create_index`) and checked
  again after every ``migrate`` (:func:`ensure_indexes`), since SQLite drops a table's
  triggers when a later migration rebuilds the table.
* :func:`search` turns what the user typed into words, folded the same way, drops stop words,
  and builds the engine's query from those words only (never from the raw text): every word
  must occur, in any order, and the last one is a prefix ("hamar kom" finds "Hamar kommune").
  Operators, quotes, wildcards, emoji and the like are not words and are ignored; text with no
  words left finds nothing. Nine digits (spaces allowed) also find the organisation number.
* Results come best match first: the document starting with what was typed, then what was
  typed appearing as a phrase, then the rest; the list's own order breaks ties.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.db import models
from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_migrate
from django.db.models.sql.where import ExtraWhere

from .models import Record, RecordQuerySet
from .paging import PAGE_PLAN, lean_keys
from .text import fold

#: At most this many words of a query count; the rest is ignored (bounds the query's cost).
MAX_WORDS = 10
#: A word is cut to this many characters (no real word is longer; 1 000 "x" finds nothing).
MAX_WORD_LENGTH = 64
#: PostgreSQL's text search configuration for the index and the queries.
CONFIG = "norwegian"

_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"[0-9]{9}")

_M = TypeVar("_M", bound=models.Model)
_S = TypeVar("_S", bound=models.Model, covariant=True)

#: PostgreSQL's Norwegian stop words (share/tsearch_data/norwegian.stop, from Snowball). The
#: index leaves them out, so a query leaves them out too, on both databases alike.
_STOP_TEXT = """
    og i jeg det at en et den til er som på de med han av ikke ikkje der så var meg seg men ett
    har om vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor
    eller hva skal selv sjøl her alle vil bli ble blei blitt kunne inn når være kom noen noe
    ville dere deres kun ja etter ned skulle denne for deg si sine sitt mot å meget hvorfor
    dette disse uten hvordan ingen din ditt blir samme hvilken hvilke sånn inni mellom vår hver
    hvem vors hvis både bare enn fordi før mange også slik vært båe begge siden dykk dykkar dei
    deira deires deim di då eg ein eit eitt elles honom hjå ho hoe henne hennar hennes hoss
    hossen ingi inkje korleis korso kva kvar kvarhelst kven kvi kvifor me medan mi mine mykje
    no nokon noka nokor noko nokre sia sidan so somt somme um upp vere vore verte vort varte
    vart
"""
#: With their folded forms too: "på" is typed, "pa" is what the document holds.
STOP_WORDS = frozenset(_STOP_TEXT.split()) | frozenset(fold(w) for w in _STOP_TEXT.split())


def words(text: str) -> list[str]:
    """The folded words of a text: letters and digits, everything else separates them."""
    return _WORD.findall(fold(text or ""))


def document(*parts: str | None) -> str:
    """The search document of a record: each part's folded words, parts joined by " | "."""
    folded = (" ".join(words(part or "")) for part in parts)
    return " | ".join(part for part in folded if part)


@dataclass(frozen=True)
class SearchQuery:
    """What a search text means: the words to find (the last one a prefix), the phrase as
    typed (for ranking) and an organisation number (nine digits, spaces allowed)."""

    terms: tuple[str, ...]
    phrase: str
    number: str

    @property
    def empty(self) -> bool:
        return not self.terms and not self.number


def parse(text: str) -> SearchQuery:
    typed = [w[:MAX_WORD_LENGTH] for w in words(text)[:MAX_WORDS]]
    compact = "".join((text or "").split())
    return SearchQuery(
        terms=tuple(w for w in typed if w not in STOP_WORDS),
        phrase=" ".join(typed),
        number=compact if _NUMBER.fullmatch(compact) else "",
    )


# --- Queries -------------------------------------------------------------------------------


def fts_table(table: str) -> str:
    return f"{table}_fts"


def _quoted(word: str, quote: str) -> str:
    """A word as a quoted string in the engine's query syntax (words have no quotes, but the
    quoting does not rely on that)."""
    if quote == "'":
        word = word.replace("\\", "\\\\")
    return quote + word.replace(quote, quote * 2) + quote


def sqlite_match(terms: Sequence[str]) -> str:
    """An FTS5 MATCH expression: every word as a string, the last one a prefix."""
    return " ".join([*(_quoted(w, '"') for w in terms[:-1]), _quoted(terms[-1], '"') + "*"])


def postgres_tsquery(terms: Sequence[str], *, prefix: bool = True) -> str:
    """A tsquery text (for ``to_tsquery``): every word quoted, the last one a prefix."""
    quoted = [_quoted(w, "'") for w in terms]
    if prefix:
        quoted[-1] += ":*"
    return " & ".join(quoted)


def _postgres_match(queryset: QuerySet[_M], terms: Sequence[str]) -> tuple[QuerySet[_M], Q]:
    from django.contrib.postgres.search import SearchQuery as PgQuery
    from django.contrib.postgres.search import SearchVector

    *first, last = terms
    prefix = postgres_tsquery([last])
    # The last word as a prefix, stemmed like the document or (should stemming cut it
    # differently from the word it begins) as typed.
    query = PgQuery(prefix, search_type="raw", config=CONFIG) | PgQuery(
        prefix, search_type="raw", config="simple"
    )
    if first:
        query = (
            PgQuery(postgres_tsquery(first, prefix=False), search_type="raw", config=CONFIG) & query
        )
    # The expression is the index's (see create_index): to_tsvector(config, COALESCE(...)).
    queryset = queryset.alias(_fulltext=SearchVector("search_text", config=CONFIG))
    # Stemming cuts "hamar" to "ham", whose prefix would find "Hammerfest": among what the
    # index found, keep the records with a word that starts as typed (as SQLite does).
    typed = Q(search_text__startswith=last) | Q(search_text__contains=" " + last)
    return queryset, Q(_fulltext=query) & typed


def _sqlite_match(queryset: QuerySet[Any], terms: Sequence[str]) -> Q:
    # The table name is ours; the user's words go in as a parameter.
    sql = _sqlite_match_sql(fts_table(queryset.model._meta.db_table))
    return Q(pk__in=RawSQL(sql, (sqlite_match(terms),)))  # noqa: S611


def _portable_match(terms: Sequence[str]) -> Q:
    """Any other database: every word somewhere in the document (no index)."""
    match = Q()
    for word in terms:
        match &= Q(search_text__contains=word)
    return match


def rank(phrase: str) -> Case:
    """0 when the document starts with what was typed (the name does), 1 when what was typed
    occurs as a phrase from a word's start, 2 otherwise."""
    return Case(
        When(search_text__startswith=phrase, then=Value(0)),
        When(search_text__contains=" " + phrase, then=Value(1)),
        default=Value(2),
        output_field=models.IntegerField(),
    )


def search(queryset: QuerySet[_M], text: str, *, number_field: str | None = None) -> QuerySet[_M]:
    """The records of ``queryset`` that the text finds, best match first.

    ``number_field``: a field holding an organisation number; nine digits (spaces allowed)
    find it exactly. Text without words (only operators, quotes, emoji or stop words) finds
    nothing. An ordering asked for afterwards (the API's ``ordering``) replaces the ranking.
    """
    query = parse(text)
    if query.empty:
        return queryset.none()
    match = Q()
    if query.terms:
        vendor = _vendor(queryset)
        if vendor == "postgresql":
            queryset, match = _postgres_match(queryset, query.terms)
        elif vendor == "sqlite":
            match = _sqlite_match(queryset, query.terms)
        else:  # pragma: no cover - the project runs on SQLite and PostgreSQL
            match = _portable_match(query.terms)
    if number_field and query.number:
        match |= Q(**{number_field: query.number})
    found = queryset.filter(match)
    ties = list(queryset.query.order_by or queryset.model._meta.ordering or ())
    if not query.phrase:
        return found
    order = (rank(query.phrase), *ties, "pk")
    ranked = found.order_by(*order)
    planned = getattr(queryset.model, "RANKED_PAGES", False)
    if (
        planned
        and query.terms
        and not (number_field and query.number)
        and _vendor(queryset) == "sqlite"
    ):
        setattr(ranked.query, PAGE_PLAN, _RankedPages(queryset.model, query, order))
    return ranked


# --- A ranked page on SQLite, one rank at a time ---------------------------------------------

#: From this many matches a text search's page is found one rank at a time (below it the one
#: statement costs no more: 846 matches, 3.8 against 4.2 ms; PERFORMANCE, round 26).
PLANNED_FROM = 1000

#: What the ranked pages' plan assumes SQLite costs (µs, measured on the bench's 50 000
#: organisations; docs/PERFORMANCE.md, round 26): stepping over one row of the order's
#: index, reading one row found there or by its key, and reading, ranking and sorting one
#: match of the whole search.
_STEP_US, _READ_US, _SORT_US = 0.4, 1.5, 1.7


class _RankedPages:
    """The keys of a page of a text search's results, best match first, on SQLite
    (``core.paging.PAGE_PLAN``), and the count of all of them.

    The one statement of ``core.paging`` reads, ranks and sorts every match to keep fifty (a
    search that finds 5 000 organisations: 8.5 ms). Here, for a list filtered by the search
    and "not archived" alone that finds at least :data:`PLANNED_FROM` records, the count is
    the full-text index's less the archived records among the matches (a partial index holds
    the archived ones), and each rank is read on its own, in the list's order: rank 0 (the
    document starts with what was typed) through the full-text index's "first words" query;
    ranks 1 and 2 by walking the order's index and keeping the rows the search found, when the
    matches are dense enough that the walk meets the page soon (else as one statement).

    The rows, their order and the count are the one statement's: the ranks are its ``CASE``
    (``rank``) as filters. Any other list, and a page past a rank whose size the rows read do
    not give, is left to the one statement (None).
    """

    def __init__(self, model: type[models.Model], query: SearchQuery, order: tuple[Any, ...]):
        self.table = model._meta.db_table
        self.fts = fts_table(self.table)
        self.expression = sqlite_match(query.terms)
        self.phrase = query.phrase
        self.order = order
        self.ties = order[1:]

    def _matches(self, node: Any) -> bool:
        rhs = getattr(node, "rhs", None)
        return (
            isinstance(rhs, RawSQL)
            and rhs.sql == _sqlite_match_sql(self.fts)
            and tuple(rhs.params) == (self.expression,)
        )

    def __call__(
        self, queryset: QuerySet[Any], bottom: int, top: int
    ) -> tuple[list[Any], int] | None:
        query = queryset.query
        where = query.where
        if query.order_by != self.order or where.connector != "AND" or where.negated:
            return None  # an order asked for afterwards (the API's ordering) replaced the rank
        nodes = [c for c in where.children if self._matches(c)]
        if len(nodes) != 1:
            return None
        node = nodes[0]
        if not all(_is_active(c, self.table) for c in where.children if c is not node):
            return None  # other filters (kind, county): the one statement
        total, phrased, size = self._counts(queryset.db)
        if total < PLANNED_FROM:
            return None  # the one statement ranks and sorts a few hundred at no more cost
        if bottom >= total:
            return [], total  # past the end
        keys = lean_keys(queryset.order_by())  # each rank is read in the list's order
        if any(keys.query.alias_refcount[a] for a in list(keys.query.alias_map)[1:]):
            return None  # a join the filter or the order needs
        ranked = keys.order_by(*self.ties)
        starts = Q(search_text__startswith=self.phrase)
        within = Q(search_text__contains=" " + self.phrase)
        first = RawSQL(_sqlite_match_sql(self.fts), (_first_words(self.phrase),))  # noqa: S611
        ranks = (
            _walking(ranked.filter(starts, pk__in=first), node, self),
            ranked.filter(~starts, within),
            ranked.filter(~starts, ~within),
        )
        want = top - bottom
        found: list[Any] = []
        before = 0  # the records of the ranks read so far
        for number, rows in enumerate(ranks):
            skip = max(0, bottom - before)
            need = want - len(found)
            # The matches of this rank, as far as known (rank 1: the phrase's, rank 0's too).
            dense = phrased - before if number == 1 else total - before
            if number and (skip + need) * (_READ_US + _STEP_US * size / max(dense, 1)) < (
                total * _SORT_US
            ):
                rows = _walking(rows, node, self)
            got = [key for (key,) in rows[skip : skip + need]]
            found += got
            if len(found) == want or number == len(ranks) - 1:
                break
            if got or not skip:
                before += skip + len(got)
            elif number == 0:
                before += rows.count()
            else:
                return None  # a page past rank 1, whose size is not known
        return found, total

    def _counts(self, using: str) -> tuple[int, int, int]:
        """The count of the active matches, of the documents with the phrase, and the
        table's largest key (its size, near enough)."""
        from django.db import connections

        fts, table = self.fts, self.table
        counted = f'SELECT count(*) FROM "{fts}" WHERE "{fts}" MATCH %s'  # noqa: S608
        archived = f'SELECT id FROM "{table}" WHERE archived_at IS NOT NULL'  # noqa: S608
        active = f"({counted}) - ({counted} AND rowid IN ({archived}))"
        largest = f'SELECT max(id) FROM "{table}"'  # noqa: S608
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"SELECT {active}, ({counted}), ({largest})",
                [self.expression, self.expression, _phrase(self.phrase)],
            )
            total, phrased, size = cursor.fetchone()
        return total, phrased, size or 0


def _sqlite_match_sql(fts: str) -> str:
    return f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s'  # noqa: S608


def _phrase(phrase: str) -> str:
    """An FTS5 query for the words typed as a phrase, the last a prefix."""
    return _quoted(phrase, '"') + "*"


def _first_words(phrase: str) -> str:
    """An FTS5 query for documents that begin with the words typed, the last a prefix."""
    return "^ " + _phrase(phrase)


def _is_active(node: Any, table: str) -> bool:
    """The filter "not archived" on ``table`` (``archived_at IS NULL``)."""
    lhs = getattr(node, "lhs", None)
    return (
        getattr(node, "lookup_name", None) == "isnull"
        and node.rhs is True
        and getattr(lhs, "alias", None) == table
        and getattr(getattr(lhs, "target", None), "column", None) == "archived_at"
    )


def _walking(rows: QuerySet[Any], node: Any, plan: _RankedPages) -> QuerySet[Any]:
    """``rows`` with the search's ``IN`` made one that SQLite cannot look rows up by
    (``id + 0``), so that it walks the order's index and keeps the rows the search found."""
    walking = rows.all()
    where = walking.query.where
    walk = f'"{plan.table}"."id" + 0 IN ({_sqlite_match_sql(plan.fts)})'
    replaced: list[Any] = [
        ExtraWhere([walk], [plan.expression]) if child is node else child
        for child in where.children
    ]
    where.children = replaced
    return walking


def named(queryset: QuerySet[_M], field: str, value: str) -> QuerySet[_M]:
    """Records whose ``field`` is ``value`` (case-insensitive), narrowed through the index
    first instead of comparing every row (the organisation field's lookup by name)."""
    narrowed = queryset if parse(value).empty else search(queryset, value)
    return narrowed.filter(**{f"{field}__iexact": value})


def _vendor(queryset: QuerySet[Any]) -> str:
    from django.db import connections

    return str(connections[queryset.db].vendor)


# --- The search document on the model ------------------------------------------------------


class SearchableQuerySet(RecordQuerySet[_S]):
    """Bulk writes that keep ``search_text`` current (``bulk_create`` and ``bulk_update``
    bypass ``save()``; ``update()`` with a document field recomputes the rows it changed)."""

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[_S]:
        objs = list(objs)
        for obj in objs:
            obj.search_text = obj.build_search_text()
        return super().bulk_create(objs, *args, **kwargs)

    def _searched(self) -> set[str]:
        return set(getattr(self.model, "SEARCH_FIELDS", ()))

    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        objs = list(objs)
        fields = list(fields)
        if set(fields) & self._searched():
            for obj in objs:
                obj.search_text = obj.build_search_text()
            fields = [*fields, "search_text"] if "search_text" not in fields else fields
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def update(self, **kwargs: Any) -> int:
        if not set(kwargs) & self._searched():
            return super().update(**kwargs)
        pks = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        rows: list[Any] = list(self.model._base_manager.filter(pk__in=pks))
        for row in rows:
            row.search_text = row.build_search_text()
        self.model._base_manager.bulk_update(rows, ["search_text"], batch_size=1000)
        return count


class SearchableRecord(Record):
    """A register record that text search finds: ``SEARCH_FIELDS`` make its document."""

    #: The fields whose text the search document holds, the name or title first.
    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()
    #: A large search's pages found one rank at a time on SQLite (:class:`_RankedPages`);
    #: only for a model with a partial index on its archived records (the plan counts them).
    RANKED_PAGES: ClassVar[bool] = False

    search_text = models.TextField(editable=False, blank=True)

    objects = SearchableQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        abstract = True

    def build_search_text(self) -> str:
        return document(*(str(getattr(self, f) or "") for f in self.SEARCH_FIELDS))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.SEARCH_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


# --- Indexes -------------------------------------------------------------------------------


#: The triggers that keep an FTS5 table in step with its table ("{fts}" and "{table}" are
#: replaced by table names of ours, never by input). The update trigger fires only when the
#: document changes: Django's save writes every column, ``search_text`` too, and an FTS5
#: delete and insert of the same document on every change of a status or a share (each
#: follow-up report entry saves its commitment) wrote the index's pages for nothing, inside
#: the write lock (issue 14).
_SQLITE_TRIGGERS = (
    'CREATE TRIGGER IF NOT EXISTS "{fts}_ai" AFTER INSERT ON "{table}" BEGIN '
    'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text); END',
    'CREATE TRIGGER IF NOT EXISTS "{fts}_ad" AFTER DELETE ON "{table}" BEGIN '
    'INSERT INTO "{fts}"("{fts}", rowid, search_text) '
    "VALUES ('delete', old.id, old.search_text); END",
    'CREATE TRIGGER IF NOT EXISTS "{fts}_au" AFTER UPDATE OF search_text ON "{table}" '
    "WHEN old.search_text IS NOT new.search_text BEGIN "
    'INSERT INTO "{fts}"("{fts}", rowid, search_text) '
    "VALUES ('delete', old.id, old.search_text); "
    'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text); END',
)


def _sqlite_statements(table: str) -> list[str]:
    fts = fts_table(table)
    return [t.replace("{fts}", fts).replace("{table}", table) for t in _SQLITE_TRIGGERS]


def create_index(connection: Any, table: str) -> None:
    """Create the table's full-text index if it is missing (idempotent, both databases).

    SQLite: the FTS5 table and its three triggers; when any was missing the index is rebuilt
    from the table. PostgreSQL: the GIN index on the Norwegian tsvector of ``search_text``.
    """
    fts = fts_table(table)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
                [fts, f"{fts}_ai", f"{fts}_ad", f"{fts}_au"],
            )
            present = dict(cursor.fetchall())
            if len(present) == 4:
                # An update trigger of an earlier version (without its WHEN) is replaced;
                # the index itself is in step, so nothing is rebuilt.
                wanted = _sqlite_statements(table)[2].replace("IF NOT EXISTS ", "")
                if present[f"{fts}_au"] != wanted:
                    cursor.execute(f'DROP TRIGGER "{fts}_au"')
                    cursor.execute(wanted)
                return
            cursor.execute(
                f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5(search_text, '
                f"content='{table}', content_rowid='id', "
                f"tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
            )
            for statement in _sqlite_statements(table):
                cursor.execute(statement)
            cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (%s)', ["rebuild"])  # noqa: S608
        elif connection.vendor == "postgresql":
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS "{table}_search_gin" ON "{table}" USING gin '
                f"(to_tsvector('{CONFIG}'::regconfig, COALESCE(search_text, '')))"
            )


def drop_index(connection: Any, table: str) -> None:
    fts = fts_table(table)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f'DROP TRIGGER IF EXISTS "{fts}_{suffix}"')
            cursor.execute(f'DROP TABLE IF EXISTS "{fts}"')
        elif connection.vendor == "postgresql":
            cursor.execute(f'DROP INDEX IF EXISTS "{table}_search_gin"')


def fill_search_text(model: Any, fields: Sequence[str]) -> None:
    """A data migration's step: write every row's document (``model`` a historical model)."""
    rows = []
    for row in model._base_manager.only("pk", *fields).iterator(chunk_size=2000):
        row.search_text = document(*(str(getattr(row, f) or "") for f in fields))
        rows.append(row)
    model._base_manager.bulk_update(rows, ["search_text"], batch_size=1000)


def ensure_indexes(sender: Any, app_config: Any = None, using: str = "default", **kwargs: Any):
    """After ``migrate``: every searchable model's index exists (SQLite drops a table's
    triggers when a migration rebuilds it; this restores them and rebuilds the index)."""
    from django.db import connections

    if app_config is None:
        return
    searchable = [m for m in app_config.get_models() if issubclass(m, SearchableRecord)]
    if not searchable:
        return
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    for model in searchable:
        table = model._meta.db_table
        if table not in tables:
            continue
        with connection.cursor() as cursor:
            columns = connection.introspection.get_table_description(cursor, table)
        if "search_text" in {c.name for c in columns}:
            create_index(connection, table)


post_migrate.connect(ensure_indexes, dispatch_uid="kraftsenter.core.fulltext.ensure_indexes")
