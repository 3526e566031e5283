"""Who may see and change cooperations: the participants (and the host) own the record."""

from __future__ import annotations

from django.db.models import Q

from kraftsenter.core.permissions import ROLE_ADMIN, RecordPolicy

from .models import Cooperation


def _owners(cooperation: Cooperation) -> set[int]:
    ids = set(
        cooperation.participants.filter(archived_at__isnull=True).values_list(
            "organisation_id", flat=True
        )
    )
    if cooperation.host_id:
        ids.add(cooperation.host_id)
    return ids


COOPERATION_POLICY = RecordPolicy(
    owners=_owners,
    owners_q=lambda ids: (
        Q(participants__organisation_id__in=ids, participants__archived_at__isnull=True)
        | Q(host_id__in=ids)
    ),
    published_q=Q(published=True),
    archive_role=ROLE_ADMIN,
)


def visible_cooperations(user, queryset=None):
    return COOPERATION_POLICY.visible(
        user, queryset if queryset is not None else Cooperation.objects.all()
    )


def can_edit_cooperation(user, cooperation: Cooperation) -> bool:
    return COOPERATION_POLICY.can_edit(user, cooperation)


def can_archive_cooperation(user, cooperation: Cooperation) -> bool:
    return COOPERATION_POLICY.can_archive(user, cooperation)


def can_create_cooperation(user) -> bool:
    return COOPERATION_POLICY.can_create(user)
