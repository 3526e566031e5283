"""Who may see and change the ownership register: the holder owns its interests and its
council documents.

Editors and administrators of the holder register and change them; administrators archive
and restore them; site admins do everything. Published records are public (a municipality's
ownership interests are public information in its ownership statement). A change is checked
on its result too: an editor cannot move an interest or a document to another municipality.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.permissions import ROLE_ADMIN, RecordPolicy

from .models import OwnershipInterest, OwnershipStatement


def _holder(record: Any) -> set[int]:
    return {record.holder_id}


INTEREST_POLICY = RecordPolicy(
    owners=_holder,
    owners_q=lambda ids: Q(holder_id__in=ids),
    published_q=Q(published=True),
    archive_role=ROLE_ADMIN,
    denied={
        "create": _("Only editors and administrators of a municipality may register interests."),
        "edit": _("Only editors and administrators of the holder may change this interest."),
        "archive": _("Only administrators of the holder may archive this interest."),
        "restore": _("Only administrators of the holder may restore this interest."),
    },
)
STATEMENT_POLICY = RecordPolicy(
    owners=_holder,
    owners_q=lambda ids: Q(holder_id__in=ids),
    published_q=Q(published=True),
    archive_role=ROLE_ADMIN,
    denied={
        "create": _(
            "Only editors and administrators of a municipality may register its council "
            "documents on ownership."
        ),
        "edit": _("Only editors and administrators of the municipality may change this."),
        "archive": _("Only administrators of the municipality may archive this."),
        "restore": _("Only administrators of the municipality may restore this."),
    },
)

HANDOVER_MESSAGE = _(
    "You can register ownership only for a municipality or county municipality you edit for; "
    "ask a site administrator to move it to another."
)


def visible_interests(
    user: Any, queryset: QuerySet[OwnershipInterest] | None = None
) -> QuerySet[OwnershipInterest]:
    return INTEREST_POLICY.visible(
        user, queryset if queryset is not None else OwnershipInterest.objects.all()
    )


def visible_statements(
    user: Any, queryset: QuerySet[OwnershipStatement] | None = None
) -> QuerySet[OwnershipStatement]:
    return STATEMENT_POLICY.visible(
        user, queryset if queryset is not None else OwnershipStatement.objects.all()
    )
