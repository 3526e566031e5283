"""A list API's items as their ninja schema dumps them, without validating each one again.

ninja answers a page of 50 records by wrapping each in a ``DjangoGetter``, calling the
schema's resolvers through it and letting pydantic validate every value of what our own
selectors just read from the database: on the municipality list that was about half of the
request's Python. :func:`dump` reads the same values the same way — the schema's
``resolve_<field>`` (with ``context`` when it asks for it), else the attribute; a manager or
queryset becomes a list, a callable is called, a file becomes its URL, nested schemas are
dumped in turn — and converts only what pydantic's dump would change (``Decimal`` and ``int`` to
``float`` for a ``float`` field; a lazy translation, which pydantic refuses, becomes text).
``core.api.page_response`` uses it; ``tests/test_schema_dump.py`` compares every list
endpoint's answer with ninja's own, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import inspect
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

from django.db.models import Manager, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise
from ninja import Schema
from pydantic_core import PydanticUndefined

#: A converter takes the value and the context (nested schemas' resolvers may need it).
Convert = Callable[[Any, Any], Any]
_MISSING = object()


def _identity(value: Any, _context: Any) -> Any:
    return value


def _text(value: Any, _context: Any) -> Any:
    return str(value) if isinstance(value, Promise) else value


def _number(value: Any, _context: Any) -> Any:
    # pydantic makes a float of a Decimal, an int and a bool alike (33817 is written 33817.0).
    return float(value) if isinstance(value, Decimal | int) else value


def _converter(annotation: Any) -> Convert:
    """What pydantic's dump would make of a value of this annotation, as far as it differs
    from the value itself."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _converter(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            inner = _converter(options[0])
            if inner is _identity:
                return _identity
            return lambda value, context: None if value is None else inner(value, context)
        converters = [_converter(a) for a in options]
        if all(c is _identity for c in converters):
            return _identity
        raise TypeError(f"no direct dump for the union {annotation!r}")
    if origin in (list, tuple, set, frozenset):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        item = _converter(args[0]) if len(args) == 1 else _identity
        if item is _identity:
            return lambda values, _context: list(_as_list(values))
        return lambda values, context: [item(v, context) for v in _as_list(values)]
    if inspect.isclass(annotation) and issubclass(annotation, Schema):
        nested = _plan(annotation)

        def schema(value: Any, context: Any) -> Any:
            return _dump_one(value, nested, context)

        return schema
    if annotation is str:
        return _text
    if annotation is float:
        return _number
    return _identity


def _as_list(values: Any) -> Any:
    if isinstance(values, Manager):
        return values.all()
    return values


def _getter(schema: type[Schema], name: str) -> Callable[[Any, Any], Any]:
    """How to read the field ``name``: the schema's resolver, else the attribute."""
    resolver = inspect.getattr_static(schema, f"resolve_{name}", None)
    if resolver is None:

        def attribute(obj: Any, _context: Any) -> Any:
            if isinstance(obj, dict):
                return obj.get(name, _MISSING)
            return getattr(obj, name, _MISSING)

        return attribute
    if not isinstance(resolver, staticmethod):  # pragma: no cover - ninja supports only these
        raise TypeError(f"{schema.__name__}.resolve_{name} must be a staticmethod")
    func = resolver.__func__
    parameters = inspect.signature(func).parameters
    takes_context = "context" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )
    if takes_context:
        return lambda obj, context: func(obj, context=context)
    return lambda obj, _context: func(obj)


@cache
def _plan(schema: type[Schema]) -> tuple[tuple[str, Callable[[Any, Any], Any], Convert, Any], ...]:
    """Per field: its name, how to read it, how to convert it, and a function giving its
    default (or _MISSING when the field is required)."""
    fields = []
    for name, info in schema.model_fields.items():
        if info.alias or info.validation_alias or info.serialization_alias:
            raise TypeError(f"{schema.__name__}.{name}: no direct dump for aliased fields")
        get = _getter(schema, name)
        if info.default is not PydanticUndefined:
            default: Any = lambda value=info.default: value  # noqa: E731
        elif info.default_factory is not None:
            default = info.default_factory
        else:
            default = _MISSING
        fields.append((name, get, _converter(info.annotation), default))
    return tuple(fields)


def _read(value: Any) -> Any:
    """As ninja's ``DjangoGetter`` gives an attribute's value to pydantic."""
    if isinstance(value, Manager):
        return list(value.all())
    if isinstance(value, QuerySet):
        return list(value)
    if callable(value):
        return value()
    if isinstance(value, FieldFile):
        return value.url if value else None
    return value


#: Values :func:`_read` gives back as they are (most of a record's), checked by exact type.
_PLAIN = frozenset({str, int, bool, float, type(None), Decimal, dt.date, dt.datetime, list, dict})


def _dump_one(obj: Any, plan: Any, context: Any) -> dict[str, Any]:
    item = {}
    for name, get, convert, default in plan:
        value = get(obj, context)
        if value is _MISSING:
            if default is _MISSING:
                raise AttributeError(f"{type(obj).__name__} has no {name!r} for the schema")
            value = default()
        elif type(value) not in _PLAIN:
            value = _read(value)
        item[name] = value if convert is _identity else convert(value, context)
    return item


def dump(schema: type[Schema], objects: Any, context: Any = None) -> list[dict[str, Any]]:
    """``[schema.model_validate(o, context=context).model_dump() for o in objects]``, read
    directly (see the module's docstring)."""
    plan = _plan(schema)
    return [_dump_one(obj, plan, context) for obj in objects]
