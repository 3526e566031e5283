"""Writing the change history. Services call :func:`record_change` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .middleware import current_request_id
from .models import ChangeRecord


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, *, exclude: tuple[str, ...] = ("created_at", "updated_at")) -> dict:
    """The record's own field values as plain JSON (foreign keys as ids, m2m as id lists)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        data[field.name] = _plain(field.value_from_object(obj))
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(v.pk for v in getattr(obj, field.name).all())
    return data


def record_change(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    before: dict | None,
    after: dict | None,
    parent: models.Model | None = None,
    reason: str = "",
    actor_organisation: Any = None,
) -> ChangeRecord:
    """Write one ChangeRecord. ``actor`` is a user, or None for the system (imports, demo)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    if user is not None:
        actor_name = user.get_full_name() or user.get_username()
    else:
        actor_name = str(actor) if isinstance(actor, str) else "system"
    return ChangeRecord.objects.create(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        object_id=str(target.pk),
        object_repr=str(target)[:300],
        parent_content_type=(
            ContentType.objects.get_for_model(parent, for_concrete_model=True) if parent else None
        ),
        parent_object_id=str(parent.pk) if parent is not None else "",
        action=action,
        actor=user,
        actor_name=actor_name[:200],
        actor_organisation=actor_organisation,
        request_id=current_request_id(),
        before=before,
        after=after,
        reason=reason,
    )


def history_for(target: models.Model):
    """The change records of one record, newest first."""
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        object_id=str(target.pk),
    ).select_related("actor", "actor_organisation")
