"""Turning public identifiers in API input into records, with field-named errors (422).

Organisations are given by id or organisation number (``kraftsenter.actors.api``),
municipalities by number, regions by slug, the app's own records by id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

from django.core.exceptions import ValidationError
from django.db.models import Manager, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kraftsenter.actors.api import resolve_organisation, resolve_organisations
from kraftsenter.actors.models import Organisation
from kraftsenter.core.api import refuse_null as refuse_null
from kraftsenter.core.api import resolve_refs
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


#: The shared request helpers of the API kit (``core.api``), under the names this package uses.
resolve = resolve_refs


def api_root(request: HttpRequest) -> str:
    """The API's address prefix (``/api/v1``) as this request reached it."""
    path = request.path
    for segment in ("/agreements", "/commitments", "/plans", "/partnerships"):
        if segment in path:
            return path[: path.index(segment)]
    return path.rstrip("/")
