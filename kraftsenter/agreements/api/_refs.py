"""Turning ids in API input into records, with field-named errors (422) for unknown ids."""

from __future__ import annotations

from typing import Any, TypeVar, overload

from django.core.exceptions import ValidationError
from django.db.models import Manager, Model, QuerySet
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.places.models import Municipality, Region

M = TypeVar("M", bound=Model)


def organisations(ids: list[int], field: str) -> list[Organisation]:
    found = Organisation.objects.filter(archived_at__isnull=True).in_bulk(ids)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {field: _("Unknown organisation id(s): %(ids)s.") % {"ids": ", ".join(missing)}}
        )
    return [found[i] for i in dict.fromkeys(ids)]


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
    return [found[n] for n in numbers]


def resolve(data: dict[str, Any], refs: dict[str, Any]) -> dict[str, Any]:
    """Replace each id in ``data`` with its record (only the keys present)."""
    for key, lookup in refs.items():
        if key in data:
            data[key] = lookup(data[key])
    return data
