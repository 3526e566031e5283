"""The history as people read it: who did what and when, in the interface language, with field
labels and names instead of ids and codes, the record's parts in the same timeline.

The stored history (``ChangeRecord``) stays machine-readable and is what the API returns; this
module only presents it. A model can help with three class attributes:

``HISTORY_EXTRA``
    labels (and a part model or choices) for snapshot keys that are not model fields, such as
    a cooperation's ``participants`` or ``areas``: ``{"areas": (_("Areas"), Area)}``.
``HISTORY_INTERNAL``
    fields shown only to the record's members, not to anonymous visitors.
``HISTORY_HIDDEN``
    fields never shown on the page (they stay in the API's history).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .history import history_for
from .models import ChangeRecord
from .registry import action_label, register_for

#: Never shown on the page: bookkeeping, and what the entry's title already says.
ALWAYS_HIDDEN = {"id", "version", "archived_at", "created_at", "updated_at"}

VERBS = {
    "created": gettext_lazy("Created"),
    "updated": gettext_lazy("Changed"),
    "archived": gettext_lazy("Archived"),
    "restored": gettext_lazy("Restored"),
}
PART_VERBS = {
    "created": gettext_lazy("Added"),
    "updated": gettext_lazy("Changed"),
    "archived": gettext_lazy("Removed"),
    "restored": gettext_lazy("Restored"),
}
EMPTY = "–"
SYSTEM_ACTORS = {
    "system": gettext_lazy("the system"),
    "demo": gettext_lazy("the demo content"),
    "import": gettext_lazy("an import"),
}


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    """One line of the timeline."""

    change: ChangeRecord
    title: str
    subject: str
    actor: str
    organisation: str
    reason: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def time(self) -> dt.datetime:
        return self.change.created_at

    @property
    def is_part(self) -> bool:
        return bool(self.subject)


def _model_field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def field_label(model: type[models.Model] | None, name: str) -> str:
    extra = getattr(model, "HISTORY_EXTRA", {}).get(name)
    if extra:
        return str(extra[0])
    found = _model_field(model, name)
    if found is not None:
        label = str(found.verbose_name)
        return label[:1].upper() + label[1:]
    return name.replace("_", " ").capitalize()


def _related_model(found: models.Field[Any, Any]) -> type[models.Model]:
    """The model a relation points to (always a class once the apps are loaded; the stubs
    also allow the unresolved ``"self"`` and ``None``)."""
    return cast(type[models.Model], found.related_model)


def _lookup(model: type[models.Model], pk: Any) -> str:
    obj = model._default_manager.filter(pk=pk).first()
    return str(obj) if obj is not None else f"#{pk}"


def _date(value: str) -> str:
    parsed_dt = parse_datetime(value) if "T" in value else None
    if parsed_dt is not None:
        return formats.date_format(parsed_dt, "SHORT_DATETIME_FORMAT")
    parsed = parse_date(value)
    return formats.date_format(parsed, "SHORT_DATE_FORMAT") if parsed else value


def display(model: type[models.Model] | None, name: str, value: Any) -> str:
    """One stored value as a reader wants it: names, labels, dates, Ja/Nei."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    extra = getattr(model, "HISTORY_EXTRA", {}).get(name)
    if extra and isinstance(value, list):
        return ", ".join(_display_item(extra[1], v) for v in value) or EMPTY
    if isinstance(value, dict):
        return str(value.get("label") or value.get("code") or value.get("id") or EMPTY)
    found = _model_field(model, name)
    if isinstance(value, list):
        if found is not None and found.many_to_many:
            related = _related_model(found)
            return ", ".join(
                display(None, name, v) if isinstance(v, dict) else _lookup(related, v)
                for v in value
            )
        base = getattr(found, "base_field", None)
        choices = dict(base.flatchoices) if base is not None and base.choices else {}
        return ", ".join(
            _display_item(None, v) if isinstance(v, dict) else str(choices.get(v, v)) for v in value
        )
    if found is None:
        return str(value)
    if found.choices:
        return str(dict(found.flatchoices).get(value, value))
    if isinstance(found, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(found, models.DateField | models.DateTimeField) and isinstance(value, str):
        return _date(value)
    if found.many_to_one and not isinstance(value, dict):
        return _lookup(_related_model(found), value)
    if isinstance(found, models.TextField):
        text = str(value)
        return text if len(text) <= 300 else text[:297] + "…"
    return str(value)


def _display_item(part: Any, item: Any) -> str:
    """An item of a composite list: a code with its label, or a part with its details."""
    if isinstance(part, str):
        part = apps.get_model(part)
    if isinstance(item, dict) and isinstance(part, type) and issubclass(part, models.Model):
        name = EMPTY
        details = []
        for key, value in item.items():
            if isinstance(value, dict) and name == EMPTY:
                name = display(part, key, value)
            elif value not in (None, "", [], {}):
                details.append(f"{field_label(part, key).lower()} {display(part, key, value)}")
        return f"{name} ({'; '.join(details)})" if details else name
    if isinstance(item, dict):
        return str(item.get("label") or item.get("code") or item.get("id") or EMPTY)
    if part is not None and hasattr(part, "choices"):
        return str(dict(part.choices).get(item, item))
    return str(item)


def _title(change: ChangeRecord, model: type[models.Model] | None, is_part: bool) -> str:
    label = action_label(change.action)
    if label:
        return str(label)
    verb = change.action.rsplit(".", 1)[-1]
    verbs = PART_VERBS if is_part else VERBS
    text = str(verbs.get(verb, VERBS["updated"]))
    if is_part and model is not None:
        return f"{text}: {model._meta.verbose_name}"
    return text


def _parts(changes: list[ChangeRecord], record: models.Model) -> dict[tuple[int, str], Any]:
    """The part records the changes are about, loaded in one query per kind of part."""
    wanted: dict[int, set[str]] = defaultdict(set)
    own = (type(record)._meta.concrete_model, str(record.pk))
    for c in changes:
        model = c.content_type.model_class()
        if (model, c.object_id) != own:
            wanted[c.content_type_id].add(c.object_id)
    found: dict[tuple[int, str], Any] = {}
    for content_type_id, ids in wanted.items():
        content_type = next(c.content_type for c in changes if c.content_type_id == content_type_id)
        cls = content_type.model_class()
        if cls is None:
            continue
        for obj in cls._default_manager.filter(pk__in=ids):
            found[(content_type_id, str(obj.pk))] = obj
    return found


def visible_changes(record: models.Model, *, user: Any, limit: int = 200) -> list[ChangeRecord]:
    """The change records of a record and its parts that ``user`` may read, newest first.

    Changes to parts the register hides from this reader (exempt documents, memberships) are
    left out; the page and the API both read history through here.
    """
    changes = list(history_for(record)[:limit])
    entry = register_for(record)
    if entry is None or entry.part_visible is None:
        return changes
    parts = _parts(changes, record)
    own_key = (type(record)._meta.concrete_model, str(record.pk))
    out = []
    for change in changes:
        if (change.content_type.model_class(), change.object_id) != own_key:
            part = parts.get((change.content_type_id, change.object_id))
            if part is not None and not entry.part_visible(user, record, part):
                continue
        out.append(change)
    return out


def timeline(record: models.Model, *, user: Any, limit: int = 200) -> list[Entry]:
    """The record's history and its parts' as entries ``user`` may read, newest first."""
    changes = visible_changes(record, user=user, limit=limit)
    entry = register_for(record)
    is_member = bool(
        entry is not None
        and getattr(user, "is_authenticated", False)
        and (entry.policy.can(user, "edit", record) or _is_member(user, entry, record))
    )
    own_key = (type(record)._meta.concrete_model, str(record.pk))
    out: list[Entry] = []
    for change in changes:
        model = change.content_type.model_class()
        is_part = (model, change.object_id) != own_key
        hidden = set(ALWAYS_HIDDEN) | set(getattr(model, "HISTORY_HIDDEN", ()))
        if not is_member:
            hidden |= set(getattr(model, "HISTORY_INTERNAL", ()))
        fields = [
            FieldChange(field_label(model, name), display(model, name, b), display(model, name, a))
            for name, b, a in change.changed_fields()
            if name not in hidden
        ]
        if change.before is None:  # created: show what it was created with, not "– → x"
            fields = [f for f in fields if f.after != EMPTY]
        out.append(
            Entry(
                change=change,
                title=_title(change, model, is_part),
                subject=change.object_repr if is_part else "",
                actor=_actor(change, user),
                organisation=str(change.actor_organisation or ""),
                reason=change.reason,
                fields=fields,
            )
        )
    return out


def _is_member(user: Any, entry: Any, record: models.Model) -> bool:
    from .permissions import ROLE_MEMBER, has_role, is_site_admin

    return is_site_admin(user) or has_role(user, entry.policy.owners(record), ROLE_MEMBER)


def _actor(change: ChangeRecord, user: Any) -> str:
    """The person's name for logged-in readers; anonymous visitors see the organisation only
    (or "the system" for imports and the demo)."""
    if change.actor_id is None:
        return str(SYSTEM_ACTORS.get(change.actor_name, change.actor_name or _("the system")))
    if getattr(user, "is_authenticated", False):
        return change.actor_name
    return "" if change.actor_organisation_id else _("a user")
