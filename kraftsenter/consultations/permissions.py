"""Who may see and change consultations, and which documents each reader may see.

The consulting authority and the parties own a case. Anonymous visitors see the public
register: cases in it, and the documents, protocols and log entries marked public. Exempt
material is shown only to the authority and the parties it is shared with (and site admins).
"""

from __future__ import annotations

from django.db.models import Q

from kraftsenter.core.permissions import (
    ROLE_MEMBER,
    RecordPolicy,
    is_site_admin,
    organisations_with_role,
)

from .choices import Access
from .models import Consultation


def _owners(case: Consultation) -> set[int]:
    ids = {case.authority_id}
    ids |= set(
        case.parties.filter(archived_at__isnull=True).values_list("organisation_id", flat=True)
    )
    return ids


CONSULTATION_POLICY = RecordPolicy(
    owners=_owners,
    owners_q=lambda ids: (
        Q(authority_id__in=ids)
        | Q(parties__organisation_id__in=ids, parties__archived_at__isnull=True)
    ),
    published_q=Q(published=True),
)


def can_see_item(user, case: Consultation, item) -> bool:
    """Public items: everyone. Exempt items: the authority, and the parties they were shared
    with (all parties when no one is named), and site admins."""
    if item.access == Access.PUBLIC or is_site_admin(user):
        return True
    mine = organisations_with_role(user, ROLE_MEMBER)
    if case.authority_id in mine:
        return True
    shared = {o.pk for o in item.shared_with.all()} if hasattr(item, "shared_with") else set()
    parties = {p.organisation_id for p in case.parties.all() if p.archived_at is None}
    return bool(mine & (shared or parties))
