"""Small fixed reads that every request makes, their SQL built by the ORM once per database.

Building a query (``QuerySet`` → SQL, its columns, their converters) costs the ORM ten times
what running a one-line read on an index costs: 0.3–0.5 ms for the newest population year or
the counties of a filter's select on every list page, at national scale (issue 14). For a
query that is the same at every request, the statement is built once per process and
database and then run as it is; its rows are converted and made into model instances as the
ORM would (the same converters, ``Model.from_db``). ``accounts.backends`` and
``core.permissions`` read the user and the user's roles the same way.

Only queries with nothing per request in them belong here: no parameters that change, no
user, no language.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple[Any, ...]
    names: list[str]  # each column's attribute name (for model instances)
    converters: dict[int, tuple[list[Any], Any]]
    compiler: Any


_statements: dict[tuple[Hashable, str], _Statement] = {}


def _statement(key: Hashable, alias: str, build: Callable[[], QuerySet[Any]]) -> _Statement:
    statement = _statements.get((key, alias))
    if statement is None:
        compiler = build().query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        columns = [column for column, _sql, _alias in compiler.select]
        names = [getattr(getattr(c, "target", None), "attname", "") for c in columns]
        converters = compiler.get_converters(columns)
        statement = _statements[(key, alias)] = _Statement(
            sql, tuple(params), names, converters, compiler
        )
    return statement


def _rows(statement: _Statement, alias: str) -> list[list[Any]]:
    with connections[alias].cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        rows = cursor.fetchall()
    if not statement.converters:
        return [list(row) for row in rows]
    return [list(row) for row in statement.compiler.apply_converters(rows, statement.converters)]


def values(key: Hashable, alias: str, build: Callable[[], QuerySet[Any]]) -> list[list[Any]]:
    """The rows ``build()`` (a ``values_list`` query without changing parameters) reads from
    the database ``alias``; ``key`` names the query (with ``alias``, what it is kept by)."""
    return _rows(_statement(key, alias, build), alias)


def plain_all(queryset: QuerySet[Any]) -> bool:
    """Whether the queryset reads every row of its model, all its columns, in the model's
    default order (``Model.objects.all()``): what :func:`all_instances` reads."""
    query = queryset.query
    return (
        not query.where
        and not query.annotations
        and not query.select_related
        and not query.deferred_loading[0]
        and query.deferred_loading[1]
        and not query.order_by
        and query.default_ordering
        and not query.distinct
        and not query.extra
        and query.low_mark == 0
        and query.high_mark is None
        and not query.combinator
        and not getattr(queryset, "_prefetch_related_lookups", ())
        and queryset._iterable_class is ModelIterable
    )


def all_instances(queryset: QuerySet[Any]) -> list[Model]:
    """Every row of the model, in its default order, as model instances: ``list(queryset)``
    for a queryset :func:`plain_all` accepts (others are read through the ORM)."""
    if not plain_all(queryset):
        return list(queryset)
    model = queryset.model
    alias = queryset.db
    statement = _statement(("all", model._meta.label), alias, lambda: model._base_manager.all())
    return [model.from_db(alias, statement.names, row) for row in _rows(statement, alias)]
