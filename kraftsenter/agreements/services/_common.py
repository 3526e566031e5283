"""Steps shared by this app's services: permission checks and all-or-nothing validation."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from kraftsenter.core.permissions import (
    ROLE_EDITOR,
    is_site_admin,
    is_system_actor,
    organisations_with_role,
    require,
)

from ..rules import Violation

M = TypeVar("M", bound=models.Model)


def require_allowed(actor: Any, allowed: Any, message: str) -> None:
    """System actors (imports, demo, commands) pass; users need ``allowed(actor)``."""
    if not is_system_actor(actor):
        require(bool(allowed(actor)), message)


def require_editor_of(actor: Any, organisation_ids: Iterable[int], message: str) -> None:
    """The actor must be an editor of one of these organisations (or a site admin)."""
    if is_system_actor(actor) or is_site_admin(actor):
        return
    require(bool(organisations_with_role(actor, ROLE_EDITOR) & set(organisation_ids)), message)


def check_fields(fields: Iterable[str], allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({f: _("This field cannot be set.") for f in unknown})


def validate(
    obj: models.Model,
    violations: Iterable[Violation | None],
    *,
    exclude: Iterable[str] = (),
) -> None:
    """Shape checks (``full_clean``) and rules together: one ValidationError with every
    problem, keyed by field, so nothing is written and the user sees all at once."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        for field, errs in exc.error_dict.items():
            errors.setdefault(field, []).extend(errs)
    for v in violations:
        if v is None:
            continue
        known = errors.setdefault(v.field, [])
        # A rule the model's clean() checks too is reported once, with the rule's message.
        known[:] = [e for e in known if e.code != v.rule]
        known.append(ValidationError(v.message, code=v.rule))
    if errors:
        raise ValidationError(errors)


def with_changes(obj: M, changes: dict[str, Any]) -> M:
    """A copy of ``obj`` with ``changes`` applied, for checking rules before the write."""
    candidate = copy.copy(obj)
    for field, value in changes.items():
        setattr(candidate, field, value)
    return candidate


def strip_text(data: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        if name in data and isinstance(data[name], str):
            data[name] = data[name].strip()
        elif name in data and data[name] is None:
            data[name] = ""
    return data
