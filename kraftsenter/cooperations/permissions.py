"""Who may see and change cooperations: the participants (and the host) own the record.

Editors of a participant change the cooperation and its parts (participants, agreement
versions, council decisions, bodies and their members, documents); administrators of a
participant archive and restore it. A change is also checked on its result: afterwards one of
the editor's organisations must still take part.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.permissions import ROLE_ADMIN, RecordPolicy

from .models import Cooperation


def _owners(cooperation: Cooperation) -> set[int]:
    links = getattr(cooperation, "active_participants", None)
    if links is not None:
        ids = {p.organisation_id for p in links}
    else:
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
    actions={
        "set_participants": "edit",
        "add_agreement_version": "edit",
        "record_decision": "edit",
        "add_body": "edit",
        "add_body_member": "edit",
        "end_body_member": "edit",
        "add_document": "edit",
        "import": "create",
    },
    denied={
        "create": _(
            "Only editors and administrators of an organisation may register cooperations."
        ),
        "edit": _(
            "Only editors and administrators of the participants may change this cooperation."
        ),
        "archive": _("Only administrators of the participants may archive this cooperation."),
        "restore": _("Only administrators of the participants may restore this cooperation."),
    },
)


def visible_cooperations(
    user: Any, queryset: QuerySet[Cooperation] | None = None
) -> QuerySet[Cooperation]:
    return COOPERATION_POLICY.visible(
        user, queryset if queryset is not None else Cooperation.objects.all()
    )
