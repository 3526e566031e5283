"""Filtered lists whose statements are kept: a page of a register's list without the ORM.

A list page or API list is built from the filters a user picks: the FilterSet applies each
filter to the register's base queryset (what the user may see), the paginator slices it and
the ORM compiles it, and building and compiling were 2–3 ms of a 7–10 ms list at national
scale, every request, although the same few combinations of filters are used over and over
(issue 14). Here a list is a :class:`KeptList`: the statements of its page and its count are
kept (:mod:`.prepared`) for each *shape* of the request — which filters have a value, the kind
of user (:class:`~.permissions.Viewer`), the order and the page's bounds — with the filters'
values and the user's organisations as their parameters. Its rows are what the ORM would
have made of the same query: model instances, or ``core.light`` rows.

Only filters a FilterSet names in ``kept_filters`` are taken this way: each must put its value
into the query as a parameter, unchanged (an equality, a comparison, ``pk IN`` a subquery on
it) and read nothing else — no database read while the query is built, no branch on the value
beyond whether it is given, nothing from the request. A value that is a model instance (a
county chosen from a select) is a parameter by its key; a number (django-filter's ``Decimal``)
by its integer; a yes/no value is part of the shape. Anything else — a text search, a filter
not named, a value of another kind, an ``updated_after`` — reads the list through the ORM as
before. When a statement cannot be kept after all (``core.prepared`` refuses a parameter that
the query changes on its way in), that shape is read through the ORM from then on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, QuerySet, Window

from . import paging, prepared

#: Shapes whose statements could not be kept (read through the ORM); bounded as the statements.
_refused: set[Hashable] = set()
#: Counts kept with the base's values bound into them (:meth:`KeptList.count`).
_bound: set[Hashable] = set()


class KeptList:
    """A filtered list, read a page or a count at a time with kept statements.

    ``build(*args)`` makes the list's queryset (the base for the user, each filter with its
    value, the order) from ``args`` (a :class:`~.permissions.Viewer` and the filters' values);
    ``key`` names the shape. ``with_count``: a page is read with the count of the whole list
    (:func:`.paging.count_with_page`). ``base``: how many of ``args`` after the user are the
    base queryset's own (``FilterSet.kept_list``'s ``base_args``). Paginators take it as they
    take a queryset (:class:`.paging.ListPaginator`, ``core.api.paginate``)."""

    ordered = True  # the build orders the list (Django's Paginator asks)

    def __init__(
        self,
        key: Hashable,
        alias: str,
        build: Callable[..., QuerySet[Any]],
        args: tuple[Any, ...],
        *,
        with_count: bool = False,
        base: int = 0,
    ) -> None:
        self.key = key
        self.alias = alias
        self.build = build
        self.args = args
        self.with_count = with_count
        self.base = base
        self._count: int | None = None

    def queryset(self) -> QuerySet[Any]:
        """The list as a queryset, built through the ORM with the values themselves."""
        queryset = self.build(*prepared._as_built(self.args))
        return paging.count_with_page(queryset) if self.with_count else queryset

    def _kept(self, key: Hashable, read: Callable[[], Any], fallback: Callable[[], Any]) -> Any:
        if key in _refused:
            return fallback()
        try:
            return read()
        except (ValueError, ObjectDoesNotExist):
            # core.prepared refused the statement (a parameter changed on its way in, a
            # value that does not reach the query), or a filter read a record's column while
            # it was built (a stand-in is no record): this shape is read through the ORM.
            if len(_refused) >= prepared.MAX_STATEMENTS:
                _refused.clear()
            _refused.add(key)
            return fallback()

    def page(self, bottom: int, top: int) -> tuple[list[Any], int | None]:
        """The rows ``bottom:top`` and, when the page is read with the count and is not
        empty, the count (as :func:`.paging.page_with_count`)."""
        with_count = self.with_count

        def paged(*args: Any) -> QuerySet[Any]:
            queryset = self.build(*args)
            if with_count:
                if not paging._one_row_per_record(queryset.query):
                    raise ValueError("a window cannot count this list's records")
                queryset = queryset.annotate(**{paging.TOTAL: Window(Count("*"))})
            return queryset[bottom:top]

        def read() -> tuple[list[Any], int | None]:
            rows = prepared.records(key, self.alias, paged, *self.args)
            if not with_count or not rows:
                return rows, None
            first = rows[0]
            total = first[paging.TOTAL] if isinstance(first, dict) else getattr(first, paging.TOTAL)
            return rows, int(total)

        key = (self.key, "page", bottom, top)
        rows, total = self._kept(
            key, read, lambda: paging.page_with_count(self.queryset(), bottom, top)
        )
        if total is not None:
            self._count = total
        return rows, total

    def count(self) -> int:
        """How many records the list has (as :func:`.paging.count` counts them)."""
        if self._count is None:
            key = (self.key, "count")
            self._count = self._kept(
                key, lambda: self._kept_count(key), lambda: paging.count(self.queryset())
            )
        return self._count

    def _kept_count(self, key: Hashable) -> int:
        """The count by its kept statement. A value of the base the count does not use (the
        population year a list shows, which the count leaves out with its column) cannot be
        a parameter of it (``core.prepared`` refuses a parameter that does not reach the
        statement): then the count is kept per value of the base's ``base`` arguments, bound
        into the statement, the rest parameters as before."""

        def counting(*args: Any) -> QuerySet[Any]:
            return paging.counting(self.build(*args))

        if key not in _bound:
            try:
                return int(prepared.values(key, self.alias, counting, *self.args)[0][0])
            except ValueError:
                if not self.base:
                    raise
                if len(_bound) >= prepared.MAX_STATEMENTS:
                    _bound.clear()
                _bound.add(key)
        who, fixed, rest = self.args[0], self.args[1 : 1 + self.base], self.args[1 + self.base :]

        def bound(who_: Any, *params: Any) -> QuerySet[Any]:
            return counting(who_, *fixed, *params)

        rows = prepared.values((key, "bound", fixed), self.alias, bound, who, *rest)
        return int(rows[0][0])

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("a kept list is read a page at a time")
        bottom = index.start or 0
        top = index.stop if index.stop is not None else self.count()
        return self.page(bottom, top)[0]


def parameter(value: Any) -> tuple[Hashable, Any] | None:
    """How a filter's cleaned value goes into a kept statement: (its kind, part of the shape;
    the parameter, or None when the value itself is part of the shape), or None when it
    cannot (the list is read through the ORM)."""
    if isinstance(value, bool):
        return ("bool", value), None
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, int | str | dt.date):
        return type(value).__name__, value
    if isinstance(value, Decimal):
        if value != value.to_integral_value() or not -(2**31) < value < 2**31:
            return None
        return "decimal", int(value)
    model = getattr(type(value), "_meta", None)
    if model is not None and getattr(value, "pk", None) is not None and not model.abstract:
        if isinstance(value.pk, bool) or not isinstance(value.pk, int | str):
            return None
        return ("record", model.label), value.pk
    return None


def argument(kind: Hashable, given: Any, alias: str) -> Any:
    """What a filter receives for a parameter of ``kind`` (:func:`parameter`): the value or
    its stand-in, a ``Decimal`` for a number, a record by its key for a record (with no other
    column: a filter that reads one fails the build, and the shape is read through the ORM)."""
    if kind == "decimal":
        return Decimal(given)
    if isinstance(kind, tuple) and kind[0] == "record":
        from django.apps import apps

        model = apps.get_model(kind[1])
        return model.from_db(alias, [model._meta.pk.attname], [given])
    return given
