"""Who may see and change what: the shared rules every register's permissions.py builds on.

Roles are per organisation (``actors.Membership``): *member* reads the organisation's
unpublished records; *editor* also changes what the organisation owns or takes part in;
*admin* also manages the organisation's members. A *site admin* (``is_superuser``) manages
everything. Anonymous visitors read what is published.

A register describes its records once with a :class:`RecordPolicy` (which organisations own a
record, and which records are published); pages, API and selectors ask the policy, so the rule
exists in one place and the permission-matrix tests can exercise every register the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

ROLE_MEMBER = "member"
ROLE_EDITOR = "editor"
ROLE_ADMIN = "admin"
ROLE_RANK = {ROLE_MEMBER: 1, ROLE_EDITOR: 2, ROLE_ADMIN: 3}


def is_site_admin(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def organisation_roles(user) -> dict[int, str]:
    """{organisation id: role} for the user's active memberships (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_ks_roles", None)
    if cached is None:
        from kraftsenter.actors.models import Membership

        # Memberships of archived organisations still count: their admins may restore them.
        cached = dict(
            Membership.objects.active().filter(user=user).values_list("organisation_id", "role")
        )
        user._ks_roles = cached
    return cached


def forget_roles(user) -> None:
    """Drop the cached roles after memberships change within one request."""
    if user is not None and hasattr(user, "_ks_roles"):
        del user._ks_roles


def organisations_with_role(user, role: str) -> set[int]:
    """Ids of the organisations where the user has at least ``role``."""
    needed = ROLE_RANK[role]
    return {org for org, r in organisation_roles(user).items() if ROLE_RANK.get(r, 0) >= needed}


def has_role(user, organisation_ids: Iterable[int], role: str) -> bool:
    return bool(organisations_with_role(user, role) & set(organisation_ids))


@dataclass(frozen=True)
class RecordPolicy:
    """How one register's records relate to organisations.

    ``owners(obj)`` gives the ids of the organisations that own or take part in a record;
    ``owners_q(ids)`` is the same as a filter; ``published_q`` selects what anonymous visitors
    may read (``Q()`` = everything). Archived records are shown only to owners' members and
    site admins.
    """

    owners: Callable[[Model], set[int]]
    owners_q: Callable[[set[int]], Q]
    published_q: Q = Q()
    create_role: str = ROLE_EDITOR
    edit_role: str = ROLE_EDITOR
    archive_role: str = ROLE_EDITOR

    def visible(self, user, queryset: QuerySet) -> QuerySet:
        if is_site_admin(user):
            return queryset
        public = self.published_q & Q(archived_at__isnull=True)
        member_of = organisations_with_role(user, ROLE_MEMBER)
        if member_of:
            return queryset.filter(public | self.owners_q(member_of)).distinct()
        return queryset.filter(public)

    def can_view(self, user, obj: Model) -> bool:
        if is_site_admin(user) or has_role(user, self.owners(obj), ROLE_MEMBER):
            return True
        if getattr(obj, "archived_at", None) is not None:
            return False
        return type(obj)._default_manager.filter(self.published_q, pk=obj.pk).exists()

    def can_edit(self, user, obj: Model) -> bool:
        return is_site_admin(user) or has_role(user, self.owners(obj), self.edit_role)

    def can_archive(self, user, obj: Model) -> bool:
        return is_site_admin(user) or has_role(user, self.owners(obj), self.archive_role)

    def can_create(self, user) -> bool:
        return is_site_admin(user) or bool(organisations_with_role(user, self.create_role))


def require(allowed: bool, message: str = "") -> None:
    """Raise PermissionDenied with a plain-language message unless ``allowed``."""
    if not allowed:
        from django.core.exceptions import PermissionDenied
        from django.utils.translation import gettext as _

        raise PermissionDenied(message or _("You do not have permission to do this."))


def is_system_actor(actor) -> bool:
    """Imports, the demo loader and commands act as a named system actor (a string)."""
    return actor is None or isinstance(actor, str)
