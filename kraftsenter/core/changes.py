"""``GET /api/v1/changes?after=`` — every change the caller may see, oldest first.

A system that keeps a copy of the registers polls this feed instead of every list: it keeps the
``id`` of the last change it has seen and asks for those after it. Each change names its
register, the record by its public identifiers and address, the part it was about (a protocol,
a goal) if any, and the full before and after, as the record's history does. Changes to records
the caller may not see, and to exempt parts, are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import router as db_router
from django.db.models import IntegerField, Model
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from . import prepared
from .api import ErrorOut, auth_user
from .history import ref
from .models import ChangeRecord
from .permissions import viewer
from .registry import register_for

MAX_LIMIT = 200


class ChangeOut(Schema):
    id: int = Field(description="Ask for the changes after the last id you have seen.")
    time: str
    action: str
    record_type: str = Field(description="The register: organisation, cooperation, agreement …")
    record: dict[str, Any] = Field(description="The record: id (and public codes) and name.")
    part: dict[str, Any] | None = Field(
        None, description="The part of the record the change was about (kind, id, name)."
    )
    url: str = Field(description="The record's page.")
    actor: str = Field(description="Who: a person's name for logged-in callers, else empty.")
    actor_organisation: dict[str, Any] | None = None
    reason: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ChangesOut(Schema):
    items: list[ChangeOut]
    next: str | None = Field(description="The address of the next changes, or null at the end.")


def _register_record(change: ChangeRecord) -> tuple[type[Model] | None, str, bool]:
    """(register model, its record's id, whether the change was to a part). The content
    types come from Django's cache of them, not from a join per change."""
    model = ContentType.objects.get_for_id(change.content_type_id).model_class()
    if model is not None and register_for(model) is not None:
        return model, change.object_id, False
    if change.parent_content_type_id:
        parent = ContentType.objects.get_for_id(change.parent_content_type_id).model_class()
        if parent is not None and register_for(parent) is not None:
            return parent, change.parent_object_id, True
    return None, "", False


def _read_by_keys(
    model: type[Model], ids: set[str], policy: Any = None, user: Any = None
) -> list[Any]:
    """The records of ``model`` with these ids (as the history stores them: text), those
    ``policy`` lets ``user`` see when it is given. Read with a statement kept per register,
    number of ids and kind of user (:mod:`.prepared`) for integer keys: the start page reads
    the records of its recent changes at every request."""
    manager = model._default_manager
    keys = _int_keys(model, ids)
    if keys is None:
        found = manager.filter(pk__in=ids)
        return list(policy.visible(user, found) if policy is not None else found)
    alias = db_router.db_for_read(model)
    label = model._meta.label
    if policy is None:
        return prepared.instances(
            ("changes_parts", label), alias, model, lambda pks: manager.filter(pk__in=pks), keys
        )
    return prepared.instances(
        ("changes_records", label),
        alias,
        model,
        lambda who, pks: policy.visible(who, manager.filter(pk__in=pks)),
        viewer(user),
        keys,
    )


def _int_keys(model: type[Model], ids: set[str]) -> tuple[int, ...] | None:
    """The ids as the model's integer keys, in order; None for another kind of key or an id
    that is not a number (read through the ORM as given)."""
    if not isinstance(model._meta.pk, IntegerField):  # the auto keys are integer fields too
        return None
    if not all(i.isascii() and i.isdigit() for i in ids):
        return None
    return tuple(sorted(int(i) for i in ids))


def visible_changes(
    user: Any, window: list[ChangeRecord]
) -> Iterator[tuple[ChangeRecord, Model, type[Model], bool]]:
    """(change, its register's record, the register's model, whether the change was to a
    part) for each change of ``window``, in its order, that ``user`` may see: changes to records
    the user may not see, to exempt parts (a register's ``part_visible``) and to anything
    outside the registers are left out. A query per register and per kind of part."""
    wanted: dict[type[Model], set[str]] = defaultdict(set)
    placed = []
    for change in window:
        model, pk, is_part = _register_record(change)
        placed.append((change, model, pk, is_part))
        if model is not None:
            wanted[model].add(pk)
    records: dict[tuple[type[Model], str], Model] = {}
    for model, ids in wanted.items():
        entry = register_for(model)
        assert entry is not None
        for obj in _read_by_keys(model, ids, entry.policy, user):
            records[(model, str(obj.pk))] = obj
    parts: dict[tuple[int, str], Any] = {}
    by_type: dict[int, set[str]] = defaultdict(set)
    for change, _model, _pk, is_part in placed:
        if is_part:
            by_type[change.content_type_id].add(change.object_id)
    for content_type_id, ids in by_type.items():
        cls = ContentType.objects.get_for_id(content_type_id).model_class()
        if cls is not None:
            for obj in _read_by_keys(cls, ids):
                parts[(content_type_id, str(obj.pk))] = obj
    for change, model, pk, is_part in placed:
        if model is None:
            continue
        record = records.get((model, pk))
        if record is None:
            continue
        entry = register_for(model)
        part = parts.get((change.content_type_id, change.object_id)) if is_part else None
        if (
            part is not None
            and entry is not None
            and entry.part_visible is not None
            and not entry.part_visible(user, record, part)
        ):
            continue
        yield change, record, model, is_part


def visible_feed(user: Any, after: int, limit: int) -> tuple[list[dict[str, Any]], bool, int]:
    """The changes after ``after`` that ``user`` may see, whether there may be more, and the
    id of the last change looked at (the next request starts after it)."""
    window = list(
        ChangeRecord.objects.filter(pk__gt=after)
        .order_by("pk")
        .select_related("actor_organisation")[: limit * 4 + 1]
    )
    more = len(window) > limit * 4
    window = window[: limit * 4]
    out: list[dict[str, Any]] = []
    for change, record, model, is_part in visible_changes(user, window):
        out.append(_as_item(change, record, model, is_part, user))
        if len(out) == limit:
            return out, True, change.pk
    return out, more, window[-1].pk if window else after


def _as_item(
    change: ChangeRecord, record: Model, model: type[Model], is_part: bool, user: Any
) -> dict[str, Any]:
    logged_in = bool(getattr(user, "is_authenticated", False))
    return {
        "id": change.pk,
        "time": change.created_at.isoformat(),
        "action": change.action,
        "record_type": model._meta.model_name or "",
        "record": ref(record),
        "part": (
            {
                "kind": ContentType.objects.get_for_id(change.content_type_id).model,
                "id": change.object_id,
                "label": change.object_repr,
            }
            if is_part
            else None
        ),
        "url": record.get_absolute_url() if hasattr(record, "get_absolute_url") else "",
        "actor": change.actor_name if logged_in or change.actor_id is None else "",
        "actor_organisation": ref(change.actor_organisation)
        if change.actor_organisation_id
        else None,
        "reason": change.reason,
        "before": change.before,
        "after": change.after,
    }


router = Router(tags=["changes"])


@router.get(
    "/changes",
    response={200: ChangesOut, 422: ErrorOut},
    summary="What changed, oldest first",
    description="Every change the caller may see after the change with id `after` (0 for all), "
    "at most `limit` (≤ 200). Keep the last `id` and ask again with it, or follow `next`.",
    operation_id="list_changes",
)
def list_changes(request: HttpRequest, after: int = 0, limit: int = 100) -> dict[str, Any]:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if after < 0 or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(
            {"limit": _("Give after ≥ 0 and a limit from 1 to %(max)s.") % {"max": MAX_LIMIT}}
        )
    items, more, last = visible_feed(auth_user(request), after, limit)
    for item in items:
        item["url"] = request.build_absolute_uri(item["url"]) if item["url"] else ""
    following = None
    if more:
        following = request.build_absolute_uri(f"{request.path}?after={last}&limit={limit}")
    return {"items": items, "next": following}
