"""Who may see and change consultations, and which documents each reader may see.

The consulting authority and the parties own a case. The authority's editors take the steps
that belong to the authority (screening, adding parties, the notice, moving on without
consultation, conclusion, the final decision, archiving); editors of the authority or of a
party record answers, information, documents and protocols and change the case's description.
Anonymous visitors see the public register: cases in it, and the documents, protocols and log
entries marked public. Exempt material is shown only to the authority and the parties it is
shared with (and site admins); what the authority keeps for its internal preparation, only to
the authority.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.permissions import (
    ROLE_EDITOR,
    ROLE_MEMBER,
    RecordPolicy,
    is_site_admin,
    organisations_with_role,
    role_in,
)

from .choices import INTERNAL_ORIGINS, Access
from .models import Consultation


def _owners(case: Consultation) -> set[int]:
    ids = {case.authority_id}
    links = getattr(case, "active_parties", None)
    if links is not None:
        return ids | {p.organisation_id for p in links}
    ids |= set(
        case.parties.filter(archived_at__isnull=True).values_list("organisation_id", flat=True)
    )
    return ids


#: The consulting authority's editors (and site admins): the one place this rule is written.
authority_editor = role_in(ROLE_EDITOR, lambda case: {case.authority_id})

AUTHORITY_ONLY = _("Only the consulting authority may take this step.")

CONSULTATION_POLICY = RecordPolicy(
    owners=_owners,
    owners_q=lambda ids: (
        Q(authority_id__in=ids)
        | Q(parties__organisation_id__in=ids, parties__archived_at__isnull=True)
    ),
    published_q=Q(published=True),
    actions={
        "screen": authority_editor,
        "add_party": authority_editor,
        "notify": authority_editor,
        "conclude": authority_editor,
        "move_on": authority_editor,
        "decide": authority_editor,
        "archive": authority_editor,
        "restore": authority_editor,
        "answer": "edit",
        "add_information": "edit",
        "add_document": "edit",
        "add_protocol": "edit",
    },
    denied={
        "create": _("You can register consultations only for an authority you are an editor in."),
        "edit": _(
            "Only editors of the consulting authority (or, for answers and information, of a "
            "party) may take this step."
        ),
        "screen": AUTHORITY_ONLY,
        "add_party": AUTHORITY_ONLY,
        "notify": AUTHORITY_ONLY,
        "conclude": AUTHORITY_ONLY,
        "move_on": AUTHORITY_ONLY,
        "decide": AUTHORITY_ONLY,
        "archive": AUTHORITY_ONLY,
        "restore": AUTHORITY_ONLY,
    },
)


def can_see_item(user: Any, case: Consultation, item: Any) -> bool:
    """Public items: everyone. Exempt items: the authority, and the parties they were shared
    with (all parties when no one is named; none when the authority keeps the item for its
    internal preparation), and site admins."""
    if getattr(item, "access", Access.PUBLIC) == Access.PUBLIC or is_site_admin(user):
        return True
    mine = organisations_with_role(user, ROLE_MEMBER)
    if case.authority_id in mine:
        return True
    if getattr(item, "origin", "") in INTERNAL_ORIGINS:
        return False
    shared = {o.pk for o in item.shared_with.all()} if hasattr(item, "shared_with") else set()
    parties = {p.organisation_id for p in case.parties.all() if p.archived_at is None}
    return bool(mine & (shared or parties))


def part_visible(user: Any, case: Consultation, part: Any) -> bool:
    """A change to an exempt document, log entry or protocol shows only to those who may see
    the item itself; a meeting shows as its protocol does."""
    from .models import Meeting

    if isinstance(part, Meeting):
        protocol = getattr(part, "protocol", None)
        return protocol is None or can_see_item(user, case, protocol)
    return can_see_item(user, case, part)
