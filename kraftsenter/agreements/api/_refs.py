"""Turning public identifiers in API input into records, with field-named errors (422).

Organisations are given by id or organisation number (``kraftsenter.actors.api``),
municipalities by number, regions by slug, the app's own records by id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Manager, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kraftsenter.actors.api import resolve_organisation, resolve_organisations
from kraftsenter.actors.models import Organisation
from kraftsenter.places.models import Municipality, Region

M = TypeVar("M", bound=Model)


def organisation(field: str) -> Callable[[Any], Organisation | None]:
    """A lookup for one organisation (id or organisation number) named ``field`` in errors."""
    return lambda value: resolve_organisation(value, field)


def required_organisation(field: str) -> Callable[[Any], Organisation]:
    """Like :func:`organisation`, for a field that must name one (empty is a 422)."""

    def lookup(value: Any) -> Organisation:
        found = resolve_organisation(value, field)
        if found is None:
            raise ValidationError({field: _("This field is required.")})
        return found

    return lookup


def organisations(field: str) -> Callable[[list[Any]], list[Organisation]]:
    return lambda values: resolve_organisations(values, field)


@overload
def one(queryset: Manager[M] | QuerySet[M], pk: int, field: str) -> M: ...
@overload
def one(queryset: Manager[M] | QuerySet[M], pk: int | None, field: str) -> M | None: ...
def one(queryset: Manager[M] | QuerySet[M], pk: int | None, field: str) -> M | None:
    """The record ``pk`` of ``queryset`` (None for no id); an unknown id is a 422 on ``field``."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("Unknown id: %(id)s.") % {"id": pk}})
    return found


def region(slug: str | None) -> Region | None:
    if not slug:
        return None
    found = Region.objects.filter(slug=slug, archived_at__isnull=True).first()
    if found is None:
        raise ValidationError({"scope_region": _("Unknown region: %(slug)s.") % {"slug": slug}})
    return found


def municipalities(numbers: list[str]) -> list[Municipality]:
    found = {m.number: m for m in Municipality.objects.filter(number__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise ValidationError(
            {
                "scope_municipalities": _("Unknown municipality number(s): %(numbers)s.")
                % {"numbers": ", ".join(missing)}
            }
        )
    return [found[n] for n in dict.fromkeys(numbers)]


def resolve(data: dict[str, Any], refs: dict[str, Any]) -> dict[str, Any]:
    """Replace each identifier in ``data`` with its record (only the keys present)."""
    for key, lookup in refs.items():
        if key in data:
            data[key] = lookup(data[key])
    return data


def refuse_null(data: dict[str, Any], model: type[Model], *always: str) -> dict[str, Any]:
    """A change's ``null`` only where the field can be empty: ``null`` for a field that must
    have a value (a title, a status, a list such as ``parties``) is a 422 naming the field,
    never "unchanged". ``always`` names fields of the request that are not model fields."""
    errors: dict[str, ValidationError] = {}
    for name, value in data.items():
        if value is not None or name in ("version", "reason"):
            continue
        if name in always:
            nullable = False
        else:
            try:
                nullable = bool(getattr(model._meta.get_field(name), "null", True))
            except FieldDoesNotExist:
                nullable = True
        if not nullable:
            errors[name] = ValidationError(
                _("This field cannot be null: send a value, or leave it out."), code="null"
            )
    if errors:
        raise ValidationError(errors)
    return data


def api_root(request: HttpRequest) -> str:
    """The API's address prefix (``/api/v1``) as this request reached it."""
    path = request.path
    for segment in ("/agreements", "/commitments", "/plans", "/partnerships"):
        if segment in path:
            return path[: path.index(segment)]
    return path.rstrip("/")
