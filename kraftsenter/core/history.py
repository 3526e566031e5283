"""Writing and reading the change history. Services call :func:`record_change` in their
transaction; pages read it through :mod:`kraftsenter.core.timeline`.

A snapshot keeps each field's value as plain JSON. A reference to another record is kept as
its public identifiers and its name at the time (``{"id": 7, "organisation_number":
"974760673", "label": "Hamar kommune"}``, ``{"code": "3403", "label": "Hamar"}``), so the
history says who was a party then even after a rename, and the API shows no internal keys.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, router
from django.db.models import Q, QuerySet

from . import prepared
from .middleware import current_request_id
from .models import ChangeRecord

#: Fields left out of every snapshot: they change on every save and say nothing, or (the
#: folded search document, core.fulltext) repeat other fields.
#: Not a record's own data: timestamps, and what is derived from other records (the search
#: document, a commitment's party county).
NOT_IN_SNAPSHOT = ("created_at", "updated_at", "search_text", "party_county")


def plain(value: Any) -> Any:
    """A value as JSON: dates as ISO text, decimals as text, lists element-wise."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        # 60, 60.0 and 60.000 are one value: the history shows it once, the same way.
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def ref(obj: models.Model | None) -> dict[str, Any] | None:
    """A record as history keeps a reference to it: public identifiers and its name now.

    A model can define ``history_ref()`` to give its public code (a municipality number, an
    organisation number); otherwise the record's id (the id the API addresses it by) is used.
    """
    if obj is None:
        return None
    custom = getattr(obj, "history_ref", None)
    if callable(custom):
        custom_ref: dict[str, Any] | None = custom()
        return custom_ref
    return {"id": obj.pk, "label": str(obj)}


def _ref_key(value: dict[str, Any] | None) -> tuple[str, ...]:
    if not value:
        return ("",)
    return (str(value.get("code") or value.get("id") or ""), str(value.get("label", "")))


def snapshot(obj: models.Model, *, exclude: tuple[str, ...] = NOT_IN_SNAPSHOT) -> dict[str, Any]:
    """The record's own field values as plain JSON; references as :func:`ref`."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        if field.is_relation and field.many_to_one:
            data[field.name] = ref(getattr(obj, field.name))
        else:
            data[field.name] = plain(field.value_from_object(obj))
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            if field.name in exclude:
                continue
            data[field.name] = sorted(
                (ref(v) for v in getattr(obj, field.name).all()),
                key=_ref_key,
            )
    return data


def differs(
    before: dict[str, Any] | None, after: dict[str, Any] | None, *, ignore: tuple[str, ...] = ()
) -> bool:
    """Whether two snapshots differ in anything but ``ignore`` (``version`` by default)."""
    skip = set(ignore) | {"version"}
    before, after = before or {}, after or {}
    keys = (set(before) | set(after)) - skip
    return any(before.get(k) != after.get(k) for k in keys)


def _acting_organisation(
    user: Any, target: models.Model, parent: models.Model | None
) -> int | None:
    from .registry import register_for

    for record in (target, parent):
        if record is None:
            continue
        entry = register_for(record)
        if entry is not None:
            return entry.policy.acting_organisation(user, record)
    return None


def record_change(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    parent: models.Model | None = None,
    reason: str = "",
    actor_organisation: Any = None,
) -> ChangeRecord:
    """Write one ChangeRecord. ``actor`` is a user, or a string for the system (imports, demo).

    The actor's organisation is the one they act for on the record (their role among its
    owners), filled in here so that no service has to.
    """
    acting_for = getattr(actor, "acts_for_organisation", None)  # a system with a token
    user = actor if getattr(actor, "is_authenticated", False) and acting_for is None else None
    if user is not None:
        actor_name = user.get_full_name() or user.get_username()
    elif acting_for is not None:
        actor_name = str(actor.get_full_name())
    else:
        actor_name = str(actor) if isinstance(actor, str) else "system"
    organisation_id = getattr(actor_organisation, "pk", actor_organisation) or acting_for
    if organisation_id is None and user is not None:
        organisation_id = _acting_organisation(user, target, parent)
    record = ChangeRecord.objects.create(
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
        actor_organisation_id=organisation_id,
        request_id=current_request_id(),
        before=before,
        after=after,
        reason=reason or "",
    )
    # The newest change of the record and of its parent is this one: their ETag
    # (core.api.etag) in the answer to this change needs no query for it.
    target.__dict__[NEWEST_CHANGE] = record.pk
    if parent is not None:
        parent.__dict__[NEWEST_CHANGE] = record.pk
    return record


#: Where :func:`record_change` leaves the id of the change it wrote on the record (and on the
#: parent) it changed, and where ``core.api.etag`` remembers the newest change it read.
NEWEST_CHANGE = "_newest_change_id"


def _changes_of(
    content_type_id: int, object_id: str, include_parts: bool
) -> QuerySet[ChangeRecord]:
    query = Q(content_type_id=content_type_id, object_id=object_id)
    if include_parts:
        query |= Q(parent_content_type_id=content_type_id, parent_object_id=object_id)
    return ChangeRecord.objects.filter(query)


def history_for(target: models.Model, *, include_parts: bool = True) -> QuerySet[ChangeRecord]:
    """The change records of one record, newest first, with those of its parts (the changes
    whose parent it is: a consultation's parties and protocols, an agreement's goals)."""
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=True)
    return _changes_of(content_type.pk, str(target.pk), include_parts).select_related(
        "actor", "actor_organisation", "content_type"
    )


def _newest_change(content_type_id: int, object_id: str) -> QuerySet[Any]:
    return _changes_of(content_type_id, object_id, True).order_by("-id").values_list("id")[:1]


def newest_change_id(target: models.Model) -> int | None:
    """The id of the newest change of the record or of its parts (:func:`history_for`), or
    None: the second half of its ``ETag`` (``core.api.etag``), read at every API read of a
    record and in the answer to a change of one of its parts. Its statement is kept
    (:mod:`kraftsenter.core.prepared`): the ORM's build of it was a quarter of the API's
    answer to a follow-up report's entry (issue 14)."""
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=True)
    rows = prepared.values(
        "newest_change",
        router.db_for_read(ChangeRecord),
        _newest_change,
        content_type.pk,
        str(target.pk),
    )
    return rows[0][0] if rows else None
