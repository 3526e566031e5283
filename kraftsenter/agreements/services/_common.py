"""Steps shared by this app's services: field checks and candidates for all-or-nothing checks.

Permissions are asked of the policies in ``permissions.py`` (``POLICY.require``); rules use the
shared idiom of ``kraftsenter.core.rules``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from kraftsenter.core.rules import validate as validate  # part of this module's interface

M = TypeVar("M", bound=models.Model)


def check_fields(fields: Iterable[str], allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({f: _("This field cannot be set.") for f in unknown})


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
