"""Small fixed reads that every request makes, their SQL built by the ORM once per database.

Building a query (``QuerySet`` → SQL, its columns, their converters) costs the ORM ten times
what running a one-line read on an index costs: 0.3–0.5 ms for the newest population year or
the counties of a filter's select on every list page, at national scale (issue 14). For a
query that is the same at every request, the statement is built once per process and
database and then run as it is; its rows are converted and made into model instances as the
ORM would (the same converters, ``Model.from_db``). ``accounts.backends`` and
``core.permissions`` read the user and the user's roles the same way.

A query may take int, str and date parameters (:func:`instances`, :func:`values` with
``args``):
``build`` is called twice with different stand-ins for them, and a parameter is where both
builds hold their stand-in, unchanged (an equality on an id, a number, a slug); a parameter
the ORM transforms (``contains``) or writes into the statement's text is refused when the
statement is built, so a mistake fails the first request in tests, not silently. Nothing else
per request may be in them: no user, no language. A date is put in as the ORM adapts it for
the database (a string on SQLite, the date itself on PostgreSQL), so "due before today" keeps
its statement across days.

A tuple (of ints or strs) is a list parameter (``id__in=ids``): each of its elements is a
parameter of its own, and a statement is kept for each length of the tuple (the ORM writes one
placeholder per element). The profile's and the maps' figures are read so for the
municipalities of a place. An empty tuple, or one of more than :data:`MAX_LIST` elements, is
read through the ORM as it stands (no statement is kept for it).

A :class:`Composite` is a parameter made of several: the build receives what the composite
makes of stand-ins for its values, and a statement is kept for each of its shapes.
``core.permissions.Viewer`` is one: a user as the permission filters read one (site admin or
not, signed in or not, the roles in organisations), so a read filtered by what the user may
see keeps its statement for every user with the same kinds of roles, the organisations' ids
its parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import connections
from django.db.models import Count, Model, QuerySet, Value
from django.db.models.query import (  # type: ignore[attr-defined] # not in the stubs
    ModelIterable,
    ValuesIterable,
    get_related_populators,
)

from .bounds import fits_key


class _Arg:
    """The place of the ``index``-th parameter among a statement's parameters, and what the
    ORM made of it there (on PostgreSQL an int is bound as psycopg's ``Int2``/``Int4``/``Int8``
    for its column; a date is adapted by the database's operations)."""

    __slots__ = ("index", "wrap")

    def __init__(self, index: int, wrap: Callable[[Any], Any]) -> None:
        self.index = index
        self.wrap = wrap


class Composite:
    """A parameter made of several plain ones (ints, strs, dates): ``values`` are the
    statement's parameters it stands for, ``shape`` what else the statement depends on (part
    of the key it is kept by), ``build_arg(values)`` what the query's build receives for it,
    made of ``values`` (stand-ins when the statement is built, the values themselves when a
    query is read through the ORM)."""

    def shape(self) -> Hashable:
        raise NotImplementedError

    def values(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def build_arg(self, values: tuple[Any, ...]) -> Any:
        raise NotImplementedError


#: The most elements a tuple parameter (or a composite) may have: each is a parameter of the
#: statement, and its stand-in must fit a small integer column.
MAX_LIST = 1000
#: The most parameters a kept statement may have (their int stand-ins fit a small column).
MAX_PARAMETERS = 1700


def _parts(a: Any) -> tuple[Any, ...] | None:
    """The plain parameters a tuple or a composite stands for; None for a plain one."""
    if isinstance(a, tuple):
        return a
    if isinstance(a, Composite):
        return a.values()
    return None


def _shape(args: tuple[Any, ...]) -> tuple[Hashable, ...]:
    """Each argument's length when it is a tuple (a list parameter), its shape and length
    when it is a composite, else -1."""
    return tuple(
        len(a)
        if isinstance(a, tuple)
        else (type(a), a.shape(), len(a.values()))
        if isinstance(a, Composite)
        else -1
        for a in args
    )


def _unkept(args: tuple[Any, ...]) -> bool:
    """Whether a list parameter is empty or longer than :data:`MAX_LIST`, a composite longer
    than that, there are more than :data:`MAX_PARAMETERS` parameters in all, or an integer is
    one no 64-bit column holds: read through the ORM, with no statement kept. (The ORM finds
    nothing for such a key, where the driver refuses it: `/organisasjoner/99999999999999999999/`
    was a server error.)"""
    counts = [len(parts) if (parts := _parts(a)) is not None else 1 for a in args]
    return (
        any(isinstance(a, tuple) and not a for a in args)
        or any(n > MAX_LIST for n in counts)
        or sum(counts) > MAX_PARAMETERS
        or any(type(v) is int and not fits_key(v) for v in _flat(args))
    )


def _flat(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """The parameters one by one: a tuple's elements or a composite's values in its place."""
    if not any(isinstance(a, tuple | Composite) for a in args):
        return args
    out: list[Any] = []
    for a in args:
        parts = _parts(a)
        if parts is None:
            out.append(a)
        else:
            out.extend(parts)
    return tuple(out)


def _nested(flat: list[Any], given: tuple[Any, ...]) -> list[Any]:
    """``flat`` grouped back into the arguments ``given`` has: a tuple for a tuple, what a
    composite builds of its values for a composite."""
    out, at = [], 0
    for a in given:
        parts = _parts(a)
        if parts is None:
            out.append(flat[at])
            at += 1
            continue
        mine = tuple(flat[at : at + len(parts)])
        at += len(parts)
        out.append(a.build_arg(mine) if isinstance(a, Composite) else mine)
    return out


def _composite_indices(given: tuple[Any, ...]) -> set[int]:
    """The places among the flat parameters that composites' values take."""
    found: set[int] = set()
    at = 0
    for a in given:
        parts = _parts(a)
        n = 1 if parts is None else len(parts)
        if isinstance(a, Composite):
            found.update(range(at, at + n))
        at += n
    return found


def _as_built(args: tuple[Any, ...]) -> list[Any]:
    """The arguments as a build receives them for a read through the ORM."""
    return [a.build_arg(a.values()) if isinstance(a, Composite) else a for a in args]


def _kind(value: Any) -> type:
    """The parameter's kind (int, str or date), or TypeError for anything else."""
    if isinstance(value, bool | dt.datetime):
        kind: type | None = None
    else:
        kind = next((k for k in (int, str, dt.date) if isinstance(value, k)), None)
    if kind is None:
        raise TypeError(f"a prepared statement takes int, str and date parameters, not {value!r}")
    return kind


def _stand_in(index: int, value: Any, turn: int) -> Any:
    """A stand-in for the ``index``-th parameter in the ``turn``-th build (0 or 1): an int
    within every integer column's range (a smallint's too: the ORM refuses a value outside a
    column's range), a string or a date no real value is. A string has what any escaping,
    change of case or trimming would change (``%``, ``_``, a backslash, both cases, spaces at
    both ends), so a query that transforms a parameter on its way in (``iexact`` escapes it on
    SQLite) is refused even where the transformation happens to leave a plain word as it is."""
    kind = _kind(value)
    if kind is int:
        # The two builds' stand-ins differ by 1024, so a set of them (a user's organisations)
        # is iterated in the same order in both: the same parameter at the same place.
        return 30_001 + index + 1024 * turn
    if kind is dt.date:
        return dt.date(1111 + turn, 1, 1) + dt.timedelta(days=index)
    return f" \x00Ks%_\\prepared-{index}-{turn}\x00 "


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple[Any, ...]  # constants, and an _Arg where a parameter goes
    kinds: tuple[type, ...]  # each parameter's kind (int, str or date)
    names: list[str]  # each column's attribute name (for model instances)
    converters: dict[int, tuple[list[Any], Any]]
    compiler: Any
    iterable: type  # the queryset's iterable class (model instances, values, light rows …)
    prefetched: bool  # whether the queryset has prefetches (records() refuses them)

    def bind(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        if len(args) != len(self.kinds):
            raise TypeError(f"parameters {args!r} do not match the statement's {self.kinds!r}")
        for a, k in zip(args, self.kinds, strict=True):
            # The exact kind first: a county dashboard binds a few hundred ids per statement.
            if type(a) is not k and (isinstance(a, bool | dt.datetime) or not isinstance(a, k)):
                raise TypeError(f"parameters {args!r} do not match the statement's {self.kinds!r}")
        return tuple(p.wrap(args[p.index]) if type(p) is _Arg else p for p in self.params)


_statements: dict[tuple[Hashable, str, tuple[Hashable, ...]], _Statement] = {}
#: The most statements a process keeps; past it they are dropped and built again as used.
MAX_STATEMENTS = 4096


def _statement(
    key: Hashable, alias: str, build: Callable[..., QuerySet[Any]], given: tuple[Any, ...] = ()
) -> _Statement:
    shape = _shape(given)
    statement = _statements.get((key, alias, shape))
    if statement is None:
        # Built twice with different stand-ins: a parameter is where the two builds hold
        # their stand-ins for it; everything else must be the same in both (a constant that
        # happens to equal a stand-in cannot be taken for a parameter).
        args = _flat(given)
        builds = []
        for turn in (0, 1):
            stand_ins = [_stand_in(i, a, turn) for i, a in enumerate(args)]
            built = build(*_nested(stand_ins, given))
            compiler = built.query.get_compiler(using=alias)
            sql, compiled = compiler.as_sql()
            builds.append((stand_ins, compiler, sql, list(compiled)))
        (first, _c, sql, compiled), (second, _c2, sql2, compiled2) = builds
        if sql != sql2 or len(compiled) != len(compiled2):
            raise ValueError(f"prepared {key!r}: a parameter changes the statement's text")
        adapt_date = connections[alias].ops.adapt_datefield_value
        params: list[Any] = []
        for one, two in zip(compiled, compiled2, strict=True):
            arg: _Arg | None = None
            for i in range(len(args)):
                if isinstance(first[i], dt.date):
                    if one == adapt_date(first[i]) and two == adapt_date(second[i]):
                        arg = _Arg(i, adapt_date)
                elif isinstance(one, type(first[i])) and one == first[i] and two == second[i]:
                    arg = _Arg(i, type(one))
                if arg is not None:
                    break
            if arg is None and one != two:
                raise ValueError(f"prepared {key!r}: a parameter is changed on its way in")
            params.append(one if arg is None else arg)
        # Every parameter must be in the statement, but a composite's values need not be: a
        # site admin's roles filter nothing (the statement is kept for that shape of user).
        reached = {p.index for p in params if isinstance(p, _Arg)}
        if reached | _composite_indices(given) != set(range(len(args))):
            raise ValueError(f"prepared {key!r}: a parameter does not reach the statement as given")
        compiler = builds[0][1]
        columns = [column for column, _sql, _alias in compiler.select]
        names = [getattr(getattr(c, "target", None), "attname", "") for c in columns]
        converters = compiler.get_converters(columns)
        kinds = tuple(_kind(a) for a in args)
        if len(_statements) >= MAX_STATEMENTS:
            # A bound on what a process keeps: statements are kept per read, kind of user and
            # length of a tuple, and those in use are built again after this (twice the ORM's
            # build, once).
            _statements.clear()
        statement = _statements[(key, alias, shape)] = _Statement(
            sql,
            tuple(params),
            kinds,
            names,
            converters,
            compiler,
            built._iterable_class,
            bool(getattr(built, "_prefetch_related_lookups", ())),
        )
    return statement


#: Values from a database driver that key a column's converted values (`_rows`). Not bool
#: (True == 1); an int and a float that are equal (SQLite gives both for one number column)
#: convert alike.
_KEYED = frozenset({str, int, float, bytes})
#: Converted values that rows may share: none of them can be changed in place.
_IMMUTABLE = frozenset(
    {
        type(None),
        bool,
        int,
        float,
        str,
        bytes,
        Decimal,
        dt.date,
        dt.datetime,
        dt.time,
        dt.timedelta,
        UUID,
    }
)
_MISSING = object()


def _rows(statement: _Statement, alias: str, args: tuple[Any, ...] = ()) -> list[Any]:
    """The statement's rows: as the database driver gives them (tuples) when no column needs
    converting (a region's 3 119 participations are read so), else each a list with its
    columns converted as the compiler's ``apply_converters`` does."""
    connection = connections[alias]  # this thread's, not the one the statement was built on
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.bind(_flat(args)))
        fetched = cursor.fetchall()
    if not statement.converters:
        return list(fetched)
    rows = [list(row) for row in fetched]
    # As the compiler's apply_converters does, column by column, each distinct value of a
    # column converted once: a page of the cooperation API has some 500 participants whose
    # shares and dates repeat. Only a result that cannot change is shared between rows (not a
    # JSON field's dict), and only for a value from the driver that is its own key.
    for position, (converters, expression) in statement.converters.items():
        converted: dict[Any, Any] = {}
        for row in rows:
            value = row[position]
            kind = type(value)
            if kind in _KEYED:
                known = converted.get(value, _MISSING)
                if known is not _MISSING:
                    row[position] = known
                    continue
            raw = value
            for convert in converters:
                value = convert(value, expression, connection)
            row[position] = value
            if kind in _KEYED and type(value) in _IMMUTABLE:
                converted[raw] = value
    return rows


def values(
    key: Hashable, alias: str, build: Callable[..., QuerySet[Any]], *args: Any
) -> list[list[Any]]:
    """The rows ``build(*args)`` (a ``values``/``values_list`` query, aggregates and
    subqueries too) reads from the database ``alias``, each a sequence of its columns in the
    query's order (a tuple, or a list where a column was converted); ``key`` names the query
    (with ``alias``, what its statement is kept by)."""
    if _unkept(args):
        compiler = build(*_as_built(args)).query.get_compiler(using=alias)
        return [list(row) for row in compiler.results_iter()]
    return _rows(_statement(key, alias, build, args), alias, args)


def count(key: Hashable, alias: str, build: Callable[..., QuerySet[Any]], *args: Any) -> int:
    """``build(*args).count()`` (a query of model instances, not sliced), its statement built
    once: ``COUNT(DISTINCT pk)`` over a ``DISTINCT`` query's rows (the same number: each
    row is one record), ``COUNT(*)`` over any other (as the ORM's ``count()``), without the
    query's order. ``COUNT(*)`` lets PostgreSQL count from an index that lacks the key: a
    county's 6 500 organisations from the index of their county and place, not from the
    table's rows (``COUNT(pk)`` read them; issue 14)."""

    def counting(*given: Any) -> QuerySet[Any]:
        built = build(*given)
        query = built.query
        if query.is_sliced or query.values_select or query.annotations or query.distinct_fields:
            raise ValueError(f"prepared count {key!r}: not a plain query of records")
        queryset = built.order_by()
        query = queryset.query
        distinct = query.distinct
        query.distinct = False  # the clone order_by() made
        return (
            queryset.values(ks_all=Value(1))
            .annotate(ks_count=Count("pk", distinct=True) if distinct else Count("*"))
            .values_list("ks_count")
        )

    rows = values(("count", key), alias, counting, *args)
    return int(rows[0][0]) if rows else 0


def _value_names(query: Any) -> list[str]:
    """The names of a ``values`` query's columns, in order (as Django's ``ValuesIterable``:
    in the order ``values()`` named them when it names annotations among the fields)."""
    if query.selected:
        return list(query.selected)
    return [*query.extra_select, *query.values_select, *query.annotation_select]


def named_values(
    key: Hashable, alias: str, build: Callable[..., QuerySet[Any]], *args: Any
) -> tuple[list[str], list[list[Any]]]:
    """:func:`values` of a ``values()`` query (``core.light``'s rows), with its columns' names
    (``name``, ``related__name``, annotations)."""
    if _unkept(args):
        query = build(*_as_built(args)).query
        rows = [list(row) for row in query.get_compiler(using=alias).results_iter()]
        return _value_names(query), rows
    statement = _statement(key, alias, build, args)
    return _value_names(statement.compiler.query), _rows(statement, alias, args)


#: One read of :func:`named_values_together`: its key (what its own statement is kept by), its
#: build and the build's arguments.
Part = tuple[Hashable, Callable[..., QuerySet[Any]], tuple[Any, ...]]

#: The statements of :func:`named_values_together`, by key, database and the reads' keys and
#: shapes.
_together: dict[tuple[Hashable, str, tuple[Hashable, ...]], str] = {}


def named_values_together(
    key: Hashable, alias: str, parts: Sequence[Part]
) -> tuple[list[str], list[list[list[Any]]]]:
    """:func:`named_values` of several ``values()`` reads with the same columns, in one
    statement: each read a subquery of its own (its filter, order and limit as they are), their
    rows put together (``UNION ALL``) and given back per read, in ``parts``' order. For the
    reads a page makes once per organisation (the start page's desks): one round trip to the
    database for all of them (on PostgreSQL a statement costs about 0.3 ms more than its
    work). Each read's statement is kept under its own key, the whole under ``key`` and the
    reads' keys and shapes. The database gives each read's rows in the read's order in
    practice (a subquery's sorted rows, the parts one after the other), but SQL does not
    promise it: a caller that needs the order sorts each read's rows by it again.

    A read whose arguments cannot be kept (an empty tuple, a long one) makes the whole read
    separately, one :func:`named_values` per part."""
    if not parts:
        return [], []
    if any(_unkept(args) for _key, _build, args in parts):
        read = [named_values(k, alias, build, *args) for k, build, args in parts]
        return read[0][0], [rows for _names, rows in read]
    statements = [_statement(k, alias, build, args) for k, build, args in parts]
    names = _value_names(statements[0].compiler.query)
    shape = tuple((k, _shape(args)) for k, _build, args in parts)
    sql = _together.get((key, alias, shape))
    if sql is None:
        for statement in statements[1:]:
            if _value_names(statement.compiler.query) != names:
                raise ValueError(f"prepared {key!r}: the reads put together differ in columns")
        quote = connections[alias].ops.quote_name
        sql = " UNION ALL ".join(
            # The statements are the ORM's, their values parameters; the rest is ours.
            f"SELECT {i} AS {quote('ks_part')}, {quote(f'ks_{i}')}.* FROM ({statement.sql}) "  # noqa: S608
            f"{quote(f'ks_{i}')}"
            for i, statement in enumerate(statements)
        )
        if len(_together) >= MAX_STATEMENTS:
            _together.clear()
        _together[(key, alias, shape)] = sql
    params: list[Any] = []
    for statement, (_k, _build, args) in zip(statements, parts, strict=True):
        params.extend(statement.bind(_flat(args)))
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    out: list[list[list[Any]]] = [[] for _ in parts]
    for row in fetched:
        values = list(row[1:])
        # Each read's own converters (the parts' columns are the same, their converters too).
        for position, (converters, expression) in statements[0].converters.items():
            value = values[position]
            for convert in converters:
                value = convert(value, expression, connection)
            values[position] = value
        out[int(row[0])].append(values)
    return names, out


def instances(
    key: Hashable, alias: str, model: type[Model], build: Callable[..., QuerySet[Any]], *args: Any
) -> list[Any]:
    """``list(build(*args))``: instances of ``model`` with the columns the query reads (the
    others deferred, as ``only()`` leaves them) and the objects it selects with them
    (``select_related``), made as Django's own iterator makes them; no annotations."""
    if _unkept(args):
        return list(build(*_as_built(args)).using(alias))
    statement = _statement(key, alias, build, args)
    if statement.compiler.annotation_col_map:
        raise ValueError(f"prepared {key!r}: not a plain read of {model.__name__}")
    return _instances(statement, alias, model, _rows(statement, alias, args), key)


def _instances(
    statement: _Statement, alias: str, model: type[Model], rows: list[list[Any]], key: Hashable
) -> list[Any]:
    """The rows as instances of ``model``, with the objects selected with them and the
    query's annotations as attributes, as Django's ``ModelIterable`` makes them."""
    compiler = statement.compiler
    klass_info = compiler.klass_info
    if klass_info is None or klass_info["model"] is not model:
        raise ValueError(f"prepared {key!r}: not a plain read of {model.__name__}")
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    names = statement.names[start:end]
    populators = get_related_populators(klass_info, compiler.select, alias)
    annotations = list(compiler.annotation_col_map.items())
    found = []
    for row in rows:
        obj = model.from_db(alias, names, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations:
            setattr(obj, name, row[position])
        found.append(obj)
    return found


def records(
    key: Hashable, alias: str, build: Callable[..., QuerySet[Any]], *args: Any
) -> list[Any]:
    """``list(build(*args))`` for a query of model instances (with the objects it selects
    with them and its annotations) or of values: dicts, or what the queryset's iterable class
    makes of the columns' names and the rows when it has a ``from_rows`` (``core.light``'s
    rows). A query with prefetches is refused (a prefetch's own query is not kept)."""
    if _unkept(args):
        return list(build(*_as_built(args)).using(alias))
    statement = _statement(key, alias, build, args)
    if statement.prefetched:
        raise ValueError(f"prepared {key!r}: a query with prefetches")
    rows = _rows(statement, alias, args)
    iterable = statement.iterable
    query = statement.compiler.query
    if issubclass(iterable, ModelIterable):
        return _instances(statement, alias, query.model, rows, key)
    if issubclass(iterable, ValuesIterable):
        names = _value_names(query)
        from_rows = getattr(iterable, "from_rows", None)
        if from_rows is not None:
            return list(from_rows(names, rows))
        return [dict(zip(names, row, strict=True)) for row in rows]
    raise ValueError(f"prepared {key!r}: rows of {iterable.__name__} are not kept")


def fill_prefetched(
    instance: Model, name: str, objects: list[Any], *, to_attr: str | None = None
) -> None:
    """Leave on ``instance`` what ``prefetch_related`` leaves for the relation ``name`` (a
    reverse foreign key or a many-to-many relation) when it reads ``objects``: the related
    manager's ``all()`` filled with them, or, with ``to_attr``, the list in that attribute;
    for a reverse foreign key each object's link back to ``instance`` is cached too, as
    Django's prefetch does. For relations read with :func:`instances` (by the instance's
    key), where ``prefetch_related`` would build its query again at every request."""
    manager = getattr(instance, name)
    back = getattr(manager, "field", None)  # a reverse foreign key's field on the objects
    if back is not None:
        for obj in objects:
            back.set_cached_value(obj, instance)
    if to_attr is not None:
        setattr(instance, to_attr, objects)
        return
    cache_name = back.remote_field.cache_name if back is not None else manager.prefetch_cache_name
    filled = manager.get_queryset()
    filled._result_cache = objects
    filled._prefetch_done = True
    vars(instance).setdefault("_prefetched_objects_cache", {})[cache_name] = filled


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
