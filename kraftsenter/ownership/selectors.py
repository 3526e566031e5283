"""Reads for the ownership register, filtered by what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import OwnershipInterest, OwnershipStatement
from .permissions import visible_interests, visible_statements


def interest_list(
    *, user: Any = None, include_archived: bool = False
) -> QuerySet[OwnershipInterest]:
    qs = visible_interests(user).select_related("holder", "entity", "cooperation")
    return qs if include_archived else qs.filter(archived_at__isnull=True)


def interest_get(*, user: Any = None, pk: int) -> OwnershipInterest:
    return get_object_or_404(
        visible_interests(user).select_related(
            "holder", "holder__municipality", "holder__county", "entity", "cooperation"
        ),
        pk=pk,
    )


def statement_list(
    *, user: Any = None, include_archived: bool = False
) -> QuerySet[OwnershipStatement]:
    qs = visible_statements(user).select_related("holder")
    return qs if include_archived else qs.filter(archived_at__isnull=True)


def statement_get(*, user: Any = None, pk: int) -> OwnershipStatement:
    return get_object_or_404(
        visible_statements(user).select_related("holder", "holder__municipality", "holder__county"),
        pk=pk,
    )
