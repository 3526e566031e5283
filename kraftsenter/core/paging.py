"""Pages of a list that count only when they must.

Django's paginator counts every list before it reads a page: two queries for each list page,
and the count of a filtered list at national scale costs about as much as the page (issue
14). Most filtered lists fit on one page, and any page that is not full is the last one: its
rows give the count. :class:`ListPaginator` reads the page first and counts only when the page
is full (there may be more) or empty past the first page (is there such a page at all?). The
pages, their numbers and their errors are Django's.

When a list is counted, :func:`count` counts its records without the joins only its columns
need: a page's rows show the municipality of each organisation, the party of each commitment,
and Django's count kept those joins, one more row read per record counted (a search that
finds 5 000 organisations read 5 000 municipalities to count them; issue 14).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Value, Window
from django.db.models.expressions import Col
from django.db.models.query import ModelIterable, ValuesIterable
from django.db.models.sql import Query
from django.db.models.sql.constants import INNER, LOUTER
from django.db.models.sql.datastructures import Join
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property


def _aliases(node: Any, found: set[str]) -> None:
    """Every table alias an expression tree refers to, its subqueries' references included
    (a correlated subquery refers to the outer query's tables; ``Subquery`` and ``Exists``
    give their query as their source expression)."""
    if isinstance(node, Col):
        found.add(node.alias)
    if isinstance(node, Query):
        _aliases(node.where, found)
        for expression in (*node.select, *node.annotations.values()):
            _aliases(expression, found)
        return
    children = getattr(node, "children", None)  # WhereNode
    if children is None:
        get = getattr(node, "get_source_expressions", None)
        children = get() if get is not None else ()
    for child in children:
        if child is not None:
            _aliases(child, found)


def _one_row_per_record(query: Query) -> bool:
    """Not grouped, distinct, sliced or combined: what :func:`count` and a page read with its
    count (:func:`page_with_count`) take apart or add a window to as they stand."""
    return not (query.distinct or query.combinator or query.is_sliced or query.group_by is not None)


def _single(join: Any) -> bool:
    """A join that gives each row at most one row (a foreign key, one-to-one)."""
    if not isinstance(join, Join) or join.filtered_relation is not None:
        return False
    field = join.join_field
    return bool(getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False))


def _droppable(join: Any) -> bool:
    """A join that gives each row at most one row (:func:`_single`) and keeps every row (a
    left join, or an inner join along a column that is never null)."""
    keeps = join.join_type == LOUTER or (join.join_type == INNER and not join.nullable)
    return _single(join) and keeps


def _countable(query: Query) -> bool:
    """One row per record, no extra SQL and no aggregate: a query :func:`count` and
    :func:`counting` count without the joins only its columns need."""
    return (
        _one_row_per_record(query)
        and not query.extra
        and not query.extra_tables
        and not any(getattr(a, "contains_aggregate", False) for a in query.annotations.values())
    )


def count(queryset: QuerySet[Any]) -> int:
    """``queryset.count()`` without the joins that only the selected columns, annotations or
    the order need: each of them is single-valued and keeps every row, so the number is the
    same. A query with grouping, DISTINCT, a slice, a combination or extra SQL is counted
    as Django counts it."""
    query = queryset.query
    if not _countable(query):
        return queryset.count()
    needed: set[str] = set()
    _aliases(query.where, needed)
    clone = query.clone()
    _drop_joins(clone, needed)
    clone.clear_select_clause()
    clone.clear_ordering(force=True)
    return int(clone.get_count(using=queryset.db))


def counting(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """A query of one row, the number of records :func:`count` counts (the same joins left
    out), as a queryset (for a statement kept by ``core.prepared``; ``core.kept``). A query
    with grouping, DISTINCT, a slice, a combination or extra SQL is refused (ValueError)."""
    query = queryset.query
    if not _countable(query):
        raise ValueError("counted as Django counts it")
    needed: set[str] = set()
    _aliases(query.where, needed)
    counted = (
        queryset.order_by()
        .values(ks_all=Value(1))
        .annotate(ks_count=Count("*"))
        .values_list("ks_count")
    )
    _drop_joins(counted.query, needed)
    return counted


def _drop_joins(query: Query, needed: set[str], droppable: Any = _droppable) -> None:
    """Leave out of ``query`` (in place) the joins that neither ``needed`` (the aliases its
    filters or order refer to) nor the joins those hang from use, where leaving one out
    changes no row (``droppable``)."""
    aliases = list(query.alias_map)
    needed = {aliases[0], *needed}  # the table itself
    for referred in list(needed):
        at: str | None = referred
        while at is not None and at in query.alias_map:  # and the joins it hangs from
            needed.add(at)
            at = getattr(query.alias_map[at], "parent_alias", None)
    for alias in aliases[1:]:
        if (
            alias not in needed
            and query.alias_refcount[alias]
            and droppable(query.alias_map[alias])
        ):
            query.alias_refcount[alias] = 0


#: The mark a queryset's query carries when its page is read with the count (it is copied
#: with the query, so it survives ``values()``, ``annotate()`` and other chaining).
_WITH_PAGE = "ks_count_with_page"
#: The window column that carries the count on each row of such a page.
TOTAL = "ks_total"


def count_with_page(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The queryset, marked so that its page is read with the count of all its rows in one
    statement (``COUNT(*) OVER ()``, taken before the page's LIMIT): for a filter that makes
    the database read every match anyway, the count costs nothing more, and a second
    statement would work the filter out again (``core.filtering.FilterSet.count_with_page``).
    """
    marked = queryset.all()
    setattr(marked.query, _WITH_PAGE, True)
    return marked


#: The mark a queryset's query carries when its page is found by its keys first.
_KEYS_FIRST = "ks_keys_first"


def keys_first(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The queryset, marked so that a page (of model instances, or of values or light rows
    that read ``pk``) is found by the keys of its rows first (the filter and the order, no
    other column and no join they do not need), and only that page's rows are then read
    whole, by key: for a filter that matches thousands
    of records (a text search for "idrettslag": 5 000 organisations), the database otherwise
    joins and carries every match's columns to the sort that keeps fifty
    (``core.filtering.FilterSet.keys_first``)."""
    marked = queryset.all()
    setattr(marked.query, _KEYS_FIRST, True)
    return marked


#: The attribute of a query that names a plan of its own for finding a page's keys: a callable
#: taking the queryset, ``bottom`` and ``top``, and giving the page's keys and the count of
#: all the records, or None to leave the page to :func:`_page_by_keys`'s one statement (a
#: text search's ranked pages on SQLite: ``core.fulltext``).
PAGE_PLAN = "ks_page_plan"


def lean_keys(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The keys of ``queryset``'s records (``values_list("pk")``) in its order, without the
    joins that neither its filter nor its order need."""
    return _lean(queryset.values_list("pk"))


def _lean(keys: QuerySet[Any]) -> QuerySet[Any]:
    """``keys`` (in place) without the joins that neither its filter nor its order need."""
    query = keys.query
    needed: set[str] = set()
    _aliases(query.where, needed)
    compiler = query.get_compiler(using=keys.db)
    compiler.setup_query()
    for expression, _sql in compiler.get_order_by():
        _aliases(expression, needed)
    _drop_joins(query, needed)
    return keys


def _page_by_keys(queryset: QuerySet[Any], bottom: int, top: int) -> tuple[list[Any], int | None]:
    """The rows ``bottom:top`` found by their keys first (:func:`keys_first`), and the count
    of all the records (None when there are no rows there and no plan counted them). The
    keys are read with the count
    (``COUNT(*) OVER ()``): their order makes the database read every match anyway, and a
    second statement worked the filter out again (a search finding 5 000 organisations: 7.9
    -> 6.3 ms of SQL on PostgreSQL, 9.9 -> 9.0 on SQLite; issue 14). A query with a plan of
    its own (:data:`PAGE_PLAN`) finds the keys by that plan where it applies."""
    plan = getattr(queryset.query, PAGE_PLAN, None)
    planned = plan(queryset, bottom, top) if plan is not None else None
    if planned is not None:
        found, total = planned
        if not found:
            return [], total
    else:
        read = list(
            _lean(queryset.values_list("pk").annotate(**{TOTAL: Window(Count("*"))}))[bottom:top]
        )
        if not read:
            return [], None
        found = [key for key, _total in read]
        total = int(read[0][1])
    rows = {
        row["pk"] if isinstance(row, dict) else row.pk: row for row in _rows_of(queryset, found)
    }
    return [rows[key] for key in found if key in rows], total


def _rows_of(queryset: QuerySet[Any], keys: list[Any]) -> QuerySet[Any]:
    """The rows of ``queryset`` with these keys, read by key alone: the filter found them
    already (a text search's would be worked out again), so it is left out with the joins
    only it needed (each gives a found row its one related row: leaving it out changes no
    row), and so is the order (the caller puts the rows in the keys' order). When a join
    that could repeat a row would be left without its filter, the filter stays."""
    rows = queryset._chain()  # type: ignore[attr-defined] # Django's own, not in the stubs
    query = rows.query
    needed: set[str] = set()
    for expression in (*query.select, *query.annotations.values()):
        _aliases(expression, needed)
    query.where = WhereNode()
    _drop_joins(query, needed, droppable=_single)
    base = next(iter(query.alias_map))
    kept = [a for a in query.alias_map if a != base and query.alias_refcount[a]]
    if any(a not in needed and not _single(query.alias_map[a]) for a in kept):
        return queryset.filter(pk__in=keys).order_by()
    query.clear_ordering(force=True)
    return rows.filter(pk__in=keys)


def page_with_count(queryset: Any, bottom: int, top: int) -> tuple[list[Any], int | None]:
    """The rows ``bottom:top`` and, for a marked queryset whose page is not empty, the count
    of all its rows (else None: count it, :func:`count`). Rows are model instances, values
    or light rows (their ``ks_total`` is left on them). A queryset marked
    :func:`keys_first` finds the page by its keys first, with the count."""
    from .kept import KeptList  # it builds on this module

    if isinstance(queryset, KeptList):
        return queryset.page(bottom, top)
    if not isinstance(queryset, QuerySet):
        return list(queryset[bottom:top]), None
    if not _counts_with_page(queryset):
        if _keys_first(queryset):
            return _page_by_keys(queryset, bottom, top)
        return list(queryset[bottom:top]), None
    rows = list(queryset.annotate(**{TOTAL: Window(Count("*"))})[bottom:top])
    if not rows:
        return rows, None
    first = rows[0]
    total = first[TOTAL] if isinstance(first, dict) else getattr(first, TOTAL)
    return rows, int(total)


def _keys_first(queryset: QuerySet[Any]) -> bool:
    """Marked, and a query of one row per record read as model instances, values or light
    rows (each with its ``pk``)."""
    query = queryset.query
    return (
        bool(getattr(query, _KEYS_FIRST, False))
        and _one_row_per_record(query)
        and not query.extra
        and (
            issubclass(queryset._iterable_class, ModelIterable)
            or (
                issubclass(queryset._iterable_class, ValuesIterable)
                and "pk" in (*query.values_select, *query.annotation_select)
            )
        )
    )


def _counts_with_page(queryset: QuerySet[Any]) -> bool:
    """Marked, and a query whose rows a window can count: not grouped, distinct, sliced or
    combined, read as instances or values (light rows are values)."""
    return (
        bool(getattr(queryset.query, _WITH_PAGE, False))
        and _one_row_per_record(queryset.query)
        and issubclass(queryset._iterable_class, (ModelIterable, ValuesIterable))
    )


class ListPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        """How many records the list has in all (:func:`count` for a queryset)."""
        if isinstance(self.object_list, QuerySet):
            return count(self.object_list)
        return len(self.object_list)

    def page(self, number: Any) -> Page:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # PageNotAnInteger, as Django says it
        if wanted < 1 or self.orphans or "count" in self.__dict__:
            return super().page(number)
        bottom = (wanted - 1) * self.per_page
        rows, total = page_with_count(self.object_list, bottom, bottom + self.per_page)
        if total is not None:  # read with the page
            self.__dict__["count"] = total
            self.validate_number(wanted)
            return Page(rows, wanted, self)
        if len(rows) < self.per_page and (rows or wanted == 1):
            # The last page: everything before it was full.
            self.__dict__["count"] = bottom + len(rows)
            if not rows and not self.allow_empty_first_page:
                return super().page(number)  # EmptyPage, as Django says it
            return Page(rows, wanted, self)
        # A full page (there may be more) or nothing past the first page: the count decides
        # whether the page exists and how many there are.
        self.validate_number(wanted)
        return Page(rows, wanted, self)
