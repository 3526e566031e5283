"""Who may see and change organisations, their members and contact persons.

An organisation owns its own record. The actor register is public; members see who else is a
member, and administrators manage members. Editors change the organisation and its contact
persons; administrators archive and restore it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.permissions import ROLE_ADMIN, ROLE_MEMBER, RecordPolicy, role_in

from .models import Organisation


def _own(org: Organisation) -> set[int]:
    return {org.pk}


ORGANISATION_POLICY = RecordPolicy(
    owners=_own,
    owners_q=lambda ids: Q(pk__in=ids),
    archive_role=ROLE_ADMIN,
    actions={
        "manage_members": role_in(ROLE_ADMIN, _own),
        "view_members": role_in(ROLE_MEMBER, _own),
        "add_contact": "edit",
        "remove_contact": "edit",
    },
    denied={
        "create": _(
            "Only editors and administrators of an organisation may register organisations."
        ),
        "edit": _("Only editors and administrators of the organisation may change it."),
        "archive": _("Only administrators of the organisation may archive it."),
        "restore": _("Only administrators of the organisation may restore it."),
        "manage_members": _("Only administrators of the organisation may manage its members."),
    },
)


def visible_organisations(
    user: Any, queryset: QuerySet[Organisation] | None = None
) -> QuerySet[Organisation]:
    return ORGANISATION_POLICY.visible(
        user, queryset if queryset is not None else Organisation.objects.all()
    )


def current_organisations(user: Any, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """The organisations not archived that the user may see (:meth:`RecordPolicy.current`:
    the register is public, so no ``OR`` over the owners' join and no ``SELECT DISTINCT``)."""
    return ORGANISATION_POLICY.current(user, queryset)


def part_visible(user: Any, organisation: Organisation, part: Any) -> bool:
    """Memberships and employees' membership requests are personal data: only the
    organisation's members see them in history."""
    from .models import Membership, MembershipRequest

    if isinstance(part, Membership | MembershipRequest):
        return ORGANISATION_POLICY.can(user, "view_members", organisation)
    return True
