"""Shared write steps for every register: create, update with version check, archive, restore.

Domain services (``cooperation_update`` …) call these inside their own transaction so that
validation, the version rule and the history record are the same everywhere:

* a change that leaves every value as it was writes nothing: no save, no new version, no
  history entry;
* a change to a record and its parts (a cooperation and its participants) is one change: the
  parts are written without entries of their own (``history=False``) and the record's entry
  holds the parts in its before and after;
* archive and restore services come from one factory, :func:`archive_services`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import ConflictError
from .history import differs, record_change, snapshot
from .models import Record
from .permissions import RecordPolicy
from .rules import full_clean, full_clean_changed, still_checked

R = TypeVar("R", bound=Record)


def _label(obj: models.Model) -> str:
    return obj._meta.model_name or "record"


def record_create(
    obj: R,
    *,
    actor: Any,
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
    action: str | None = None,
    parent: models.Model | None = None,
    history: bool = True,
) -> R:
    """Validate and save a new record, then write its 'created' history entry. A record the
    service passed through ``rules.validate`` unchanged since is not checked again (the same
    ``full_clean``, with its queries, twice)."""
    if not still_checked(obj):
        full_clean(obj)
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    if history:
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


def check_not_archived(obj: Record) -> None:
    if obj.is_archived:
        raise ValidationError(_("An archived record cannot be changed. Restore it first."))


def _m2m_differs(obj: models.Model, m2m: dict[str, Iterable[models.Model]]) -> bool:
    for name, values in m2m.items():
        current = set(getattr(obj, name).values_list("pk", flat=True))
        if current != {v.pk for v in values}:
            return True
    return False


def record_update(
    obj: R,
    *,
    actor: Any,
    changes: dict[str, Any],
    expected_version: int | None,
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
    action: str | None = None,
    reason: str = "",
    parent: models.Model | None = None,
    history: bool = True,
) -> R:
    """Apply field changes after the version check; one history entry; version + 1.

    Nothing is written when no value changes. The caller must have locked the row
    (``select_for_update``) inside its transaction.
    """
    check_version(obj, expected_version)
    check_not_archived(obj)
    before = snapshot(obj)
    for field, value in changes.items():
        setattr(obj, field, value)
    full_clean_changed(obj, changes)
    m2m = {k: list(v) for k, v in (m2m or {}).items()}
    if not differs(before, snapshot(obj)) and not _m2m_differs(obj, m2m):
        return obj
    obj.version += 1
    obj.save()
    for name, values in m2m.items():
        getattr(obj, name).set(values)
    if history:
        record_change(
            actor=actor,
            action=action or f"{_label(obj)}.updated",
            target=obj,
            before=before,
            after=snapshot(obj),
            reason=reason,
            parent=parent,
        )
    return obj


def commit_change(
    obj: R,
    *,
    actor: Any,
    before: dict[str, Any],
    after: Callable[[R], dict[str, Any]],
    action: str | None = None,
    reason: str = "",
    parent: models.Model | None = None,
) -> bool:
    """Finish a change to a record and its parts: if anything differs, raise the version,
    save, and write one history entry with ``before`` and ``after(obj)``; else write nothing.

    The caller has applied the field changes to ``obj`` (unsaved) and written the parts.
    Returns whether anything changed.
    """
    candidate = after(obj)
    if not differs(before, candidate):
        return False
    obj.version += 1
    obj.save()
    candidate["version"] = obj.version
    record_change(
        actor=actor,
        action=action or f"{_label(obj)}.updated",
        target=obj,
        before=before,
        after=candidate,
        reason=reason,
        parent=parent,
    )
    return True


def record_archive(
    obj: R,
    *,
    actor: Any,
    expected_version: int | None = None,
    reason: str = "",
    parent: models.Model | None = None,
    history: bool = True,
) -> R:
    check_version(obj, expected_version)
    if obj.is_archived:
        raise ValidationError(_("The record is already archived."))
    before = snapshot(obj)
    obj.archived_at = timezone.now()
    obj.version += 1
    obj.save(update_fields=["archived_at", "version", "updated_at"])
    if history:
        record_change(
            actor=actor,
            action=f"{_label(obj)}.archived",
            target=obj,
            before=before,
            after=snapshot(obj),
            reason=reason,
            parent=parent,
        )
    return obj


def record_restore(
    obj: R,
    *,
    actor: Any,
    expected_version: int | None = None,
    reason: str = "",
    parent: models.Model | None = None,
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
        parent=parent,
    )
    return obj


def archive_services(
    model: type[R],
    *,
    policy: RecordPolicy,
    object_name: str,
    parent: Callable[[Any], Any] | None = None,
    ask_parent: bool = False,
    action: str = "archive",
    denied: str = "",
    related: tuple[str, ...] = (),
) -> tuple[Callable[..., R], Callable[..., R]]:
    """The archive and restore services of one kind of record, the same for every register.

    Both are called as ``<thing>_archive(actor=…, <object_name>=record, expected_version=…,
    reason=…)``. They lock the row, ask ``policy`` for ``action`` (``restore`` for restoring,
    unless ``action`` names another), check the version, and write one history entry.
    ``parent(record)`` names the record the entry belongs under (a commitment's agreement);
    with ``ask_parent`` the policy is asked about that parent instead (a part that its
    parent's editors remove).
    """

    def _locked(record: Any) -> Any:
        qs = model._default_manager.select_for_update()
        if related:
            qs = qs.select_related(*related)
        return qs.get(pk=record.pk)

    def _change(step: Callable[..., R], verb: str) -> Callable[..., R]:
        @transaction.atomic
        def service(
            *, actor: Any, expected_version: int | None = None, reason: str = "", **record: Any
        ) -> R:
            if set(record) != {object_name}:
                raise TypeError(f"{model.__name__}_{verb}() takes {object_name}=…")
            locked = _locked(record[object_name])
            above = parent(locked) if parent is not None else None
            policy.require(
                actor,
                action if verb == "archive" or action != "archive" else "restore",
                above if ask_parent else locked,
                denied,
            )
            return step(
                locked,
                actor=actor,
                expected_version=expected_version,
                reason=reason,
                parent=above,
            )

        service.__name__ = f"{object_name}_{verb}"
        service.__qualname__ = service.__name__
        service.__doc__ = f"{verb.capitalize()} one {model._meta.verbose_name} (never deleted)."
        return service

    return _change(record_archive, "archive"), _change(record_restore, "restore")
