"""Shared write steps for every register: create, update with version check, archive, restore.

Domain services (``region_create`` …) call these inside their own transaction so that
validation, the version rule and the history record are the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import ConflictError
from .history import record_change, snapshot
from .models import Record

R = TypeVar("R", bound=Record)


def _label(obj: models.Model) -> str:
    return obj._meta.model_name or "record"


def record_create(
    obj: R,
    *,
    actor: Any,
    m2m: dict[str, Iterable[models.Model]] | None = None,
    action: str | None = None,
    parent: models.Model | None = None,
) -> R:
    """Validate and save a new record, then write its 'created' history entry."""
    obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    record_change(
        actor=actor,
        action=action or f"{_label(obj)}.created",
        target=obj,
        before=None,
        after=snapshot(obj),
        parent=parent,
    )
    return obj


def check_version(obj: Record, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != obj.version:
        raise ConflictError(current_version=obj.version, sent_version=expected_version)


def record_update(
    obj: R,
    *,
    actor: Any,
    changes: dict[str, Any],
    expected_version: int | None,
    m2m: dict[str, Iterable[models.Model]] | None = None,
    action: str | None = None,
    reason: str = "",
    parent: models.Model | None = None,
) -> R:
    """Apply field changes after the version check; one history entry; version + 1.

    The caller must have locked the row (``select_for_update``) inside its transaction.
    """
    check_version(obj, expected_version)
    if obj.is_archived:
        raise ValidationError(_("An archived record cannot be changed. Restore it first."))
    before = snapshot(obj)
    for field, value in changes.items():
        setattr(obj, field, value)
    obj.full_clean()
    obj.version += 1
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    after = snapshot(obj)
    record_change(
        actor=actor,
        action=action or f"{_label(obj)}.updated",
        target=obj,
        before=before,
        after=after,
        reason=reason,
        parent=parent,
    )
    return obj


def record_archive(
    obj: R, *, actor: Any, expected_version: int | None = None, reason: str = ""
) -> R:
    check_version(obj, expected_version)
    if obj.is_archived:
        raise ValidationError(_("The record is already archived."))
    before = snapshot(obj)
    obj.archived_at = timezone.now()
    obj.version += 1
    obj.save(update_fields=["archived_at", "version", "updated_at"])
    record_change(
        actor=actor,
        action=f"{_label(obj)}.archived",
        target=obj,
        before=before,
        after=snapshot(obj),
        reason=reason,
    )
    return obj


def record_restore(
    obj: R, *, actor: Any, expected_version: int | None = None, reason: str = ""
) -> R:
    check_version(obj, expected_version)
    if not obj.is_archived:
        raise ValidationError(_("The record is not archived."))
    before = snapshot(obj)
    obj.archived_at = None
    obj.version += 1
    obj.save(update_fields=["archived_at", "version", "updated_at"])
    record_change(
        actor=actor,
        action=f"{_label(obj)}.restored",
        target=obj,
        before=before,
        after=snapshot(obj),
        reason=reason,
    )
    return obj
