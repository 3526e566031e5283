"""Who may see and change what: the shared rules every register's permissions.py builds on.

Roles are per organisation (the membership model named by ``KRAFTSENTER_MEMBERSHIP_MODEL``):
*member* reads the organisation's unpublished records; *editor* also changes what the
organisation owns or takes part in; *admin* also manages the organisation's members. A *site
admin* (``is_superuser``) manages everything. Anonymous visitors read what is published.

A register describes its records once with a :class:`RecordPolicy`: which organisations own a
record, which records are published, and every *named action* a user can take on them
(``view``, ``create``, ``edit``, ``archive``, ``restore`` and the register's own, such as
``conclude`` or ``record_decision``). Pages, API and services all ask ``policy.can(user,
action, record)``; services enforce it with ``policy.require(actor, action, record)``. The
permission-matrix tests walk every named action of every register the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models import FilteredRelation, Model, Q, QuerySet
from django.db.models.sql.datastructures import Join
from django.utils.translation import gettext as _

from . import prepared

ROLE_MEMBER = "member"
ROLE_EDITOR = "editor"
ROLE_ADMIN = "admin"
ROLE_RANK = {ROLE_MEMBER: 1, ROLE_EDITOR: 2, ROLE_ADMIN: 3}

#: The actions every register has. ``restore`` follows ``archive`` unless a policy says more.
BUILTIN_ACTIONS = ("view", "create", "edit", "archive", "restore")

Predicate = Callable[[Any, Any], bool]
M = TypeVar("M", bound=Model)


def is_site_admin(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def can_read_accessibility_feedback(user: Any) -> bool:
    """The accessibility statement's feedback (names, e-mail addresses): site admins only."""
    return is_site_admin(user)


def is_system_actor(actor: Any) -> bool:
    """Imports, the demo loader and commands act as a named system actor (a string)."""
    return actor is None or isinstance(actor, str)


def _membership_model() -> type[Model]:
    return apps.get_model(settings.KRAFTSENTER_MEMBERSHIP_MODEL)


@functools.cache
def owners_repeat(owners_q: Callable[[set[int]], Q], model: type[Model]) -> bool:
    """Whether the owners' filter of ``model``'s records joins a relation that may give one
    record several rows (its parties, members): only then does :meth:`RecordPolicy.visible`
    need ``SELECT DISTINCT``. An owner's column (``owner_id``, ``pk``) joins none, and
    ``DISTINCT`` over every column of the record was a third of the organisation page's SQL
    on PostgreSQL for any logged-in member (issue 14)."""
    query = model._default_manager.order_by().filter(owners_q({0})).query
    return any(
        isinstance(join, Join)
        and bool(
            getattr(join.join_field, "one_to_many", False)
            or getattr(join.join_field, "many_to_many", False)
        )
        for join in query.alias_map.values()
    )


def organisation_roles(user: Any) -> dict[int, str]:
    """{organisation id: role} for the user's active memberships (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_ks_roles", None)
    if cached is None:
        cached = user._ks_roles = _read_roles(user.pk)
    return cached


def _read_roles(user_id: Any) -> dict[int, str]:
    """The user's active memberships as {organisation id: role}, in one statement built once
    per database (:mod:`.prepared`): every permission check of a logged-in request starts
    here, and the ORM built this query for ten times what running it costs (0.3 of a 4 ms API
    read at national scale, issue 14). Memberships of archived organisations still count:
    their admins may restore them."""
    if not isinstance(user_id, int):
        return {}  # an unsaved user has no memberships
    model = _membership_model()
    rows = prepared.values(
        "organisation_roles",
        router.db_for_read(model),
        lambda uid: (
            model._default_manager.filter(user_id=uid, archived_at__isnull=True)
            .order_by()  # a dict: the model's order would join the users and organisations
            .values_list("organisation_id", "role")
        ),
        user_id,
    )
    return {organisation: role for organisation, role in rows}


def user_with_roles(model: type[Model], alias: str, pk: int | str) -> Any:
    """The user with this key, its roles read with it (the session's user, every logged-in
    request: ``accounts.backends``), or None. One statement built once per database
    (:mod:`.prepared`): the user's row beside each of its active memberships (a left join,
    so a user without any has one row). On PostgreSQL the roles' own query was a fifth of a
    millisecond of waiting for the database on each page that checks a permission (issue 14).
    """
    membership = _membership_model()
    user_field: Any = membership._meta.get_field("user")
    related: str = user_field.related_query_name()
    names = [f.attname for f in model._meta.concrete_fields]

    def build(key: int | str) -> QuerySet[Any]:
        active = FilteredRelation(related, condition=Q(**{f"{related}__archived_at__isnull": True}))
        users: QuerySet[Any] = model._default_manager.all()
        rows: QuerySet[Any] = (
            users.filter(pk=key)
            .annotate(ks_active=active)
            .order_by()
            .values_list(*names, "ks_active__organisation_id", "ks_active__role")
        )
        return rows

    rows = prepared.values(("user_with_roles", model._meta.label), alias, build, pk)
    if not rows:
        return None
    width = len(names)
    user = model.from_db(alias, names, rows[0][:width])
    user._ks_roles = {  # type: ignore[attr-defined] # as organisation_roles caches them
        row[width]: row[width + 1] for row in rows if row[width] is not None
    }
    return user


class _RolesOnly:
    """A user as the permission filters read one (:func:`is_site_admin`,
    :func:`organisation_roles`) and nothing else: a filter that reads any other attribute of
    it (its key, its name) fails, instead of putting a stand-in's value in a kept statement."""

    def __init__(
        self, admin: bool, authenticated: bool, active: bool, roles: dict[int, str]
    ) -> None:
        self.is_superuser = admin
        self.is_authenticated = authenticated
        self.is_active = active
        self._ks_roles = roles


@dataclass(frozen=True)
class Viewer(prepared.Composite):
    """A user as a prepared read's parameter (:mod:`.prepared`): whether a site admin, signed
    in and active, and the roles (organisation id, role) in the order of role, then id. The build
    receives a user with these roles (the stand-ins' ids when the statement is built), so the
    registers' ``visible``/``current`` filters put the organisations' ids in as parameters;
    a statement is kept for each kind of user (site admin or not, signed in or not, and the
    roles' names), not for each user.

    A build must take every id it compares with the user's organisations as a parameter of
    its own: a record's or an organisation's id held in the build (``pk in member_of``) would
    be compared with the stand-ins, and the statement built for "not a member"."""

    admin: bool
    authenticated: bool
    active: bool
    roles: tuple[tuple[int, str], ...]

    def shape(self) -> tuple[bool, bool, bool, tuple[str, ...]]:
        roles = tuple(role for _org, role in self.roles)
        return (self.admin, self.authenticated, self.active, roles)

    def values(self) -> tuple[int, ...]:
        return tuple(org for org, _role in self.roles)

    def build_arg(self, values: tuple[Any, ...]) -> _RolesOnly:
        roles = dict(zip(values, (role for _org, role in self.roles), strict=True))
        return _RolesOnly(self.admin, self.authenticated, self.active, roles)


def viewer(user: Any) -> Viewer:
    """``user`` (a user, ``AnonymousUser`` or None) as a prepared read's parameter."""
    roles = organisation_roles(user)
    return Viewer(
        admin=is_site_admin(user),
        authenticated=bool(user is not None and user.is_authenticated),
        active=bool(user is not None and user.is_active),
        roles=tuple(sorted(roles.items(), key=lambda item: (item[1], item[0]))),
    )


def forget_roles(user: Any) -> None:
    """Drop the cached roles after memberships change within one request."""
    if user is not None and hasattr(user, "_ks_roles"):
        del user._ks_roles


def organisations_with_role(user: Any, role: str) -> set[int]:
    """Ids of the organisations where the user has at least ``role``."""
    needed = ROLE_RANK[role]
    return {org for org, r in organisation_roles(user).items() if ROLE_RANK.get(r, 0) >= needed}


def has_role(user: Any, organisation_ids: Iterable[int], role: str) -> bool:
    return bool(organisations_with_role(user, role) & set(organisation_ids))


def role_in(role: str, organisations: Callable[[Any], Iterable[int]]) -> Predicate:
    """A predicate: site admins, and users with ``role`` in one of ``organisations(record)``.

    Used to declare register actions that depend on other organisations than the owners, such
    as ``role_in(ROLE_EDITOR, lambda case: {case.authority_id})``.
    """

    def allowed(user: Any, record: Any) -> bool:
        return is_site_admin(user) or has_role(user, organisations(record), role)

    return allowed


@dataclass(frozen=True)
class RecordPolicy:
    """How one register's records relate to organisations, and who may take which action.

    ``owners(obj)`` gives the ids of the organisations that own or take part in a record;
    ``owners_q(ids)`` is the same as a filter; ``published_q`` selects what anonymous visitors
    may read (``Q()`` = everything). Archived records are shown only to owners' members and
    site admins.

    ``actions`` names the register's own actions. Each maps to a predicate
    ``(user, record) -> bool`` or to the name of another action it follows (``"edit"``).
    ``denied`` gives the plain-language refusal of an action ("Only the consulting authority
    may take this step."); other actions get a general message.

    ``within`` names the record's parent (``"agreement"`` for a commitment) and
    ``within_policy`` the parent's policy: when the parent is archived, the record is shown
    only to those who see the archived parent (its owners' members), the record's own owners
    and site admins, as if it were archived with it. Lists of current records leave out the
    records of archived parents themselves (:meth:`current` does not join the parent).
    """

    owners: Callable[[Any], set[int]]
    owners_q: Callable[[set[int]], Q]
    published_q: Q = field(default_factory=Q)
    create_role: str = ROLE_EDITOR
    edit_role: str = ROLE_EDITOR
    archive_role: str = ROLE_EDITOR
    actions: Mapping[str, Predicate | str] = field(default_factory=dict)
    denied: Mapping[str, Any] = field(default_factory=dict)
    within: str = ""
    within_policy: RecordPolicy | None = None

    # --- reading --------------------------------------------------------------------------

    def visible(self, user: Any, queryset: QuerySet[M]) -> QuerySet[M]:
        if is_site_admin(user):
            return queryset
        public = self.published_q & Q(archived_at__isnull=True)
        member_of = organisations_with_role(user, ROLE_MEMBER)
        if self.within:
            public &= self._parent_visible_q(queryset, member_of)
        if member_of:
            found = queryset.filter(public | self.owners_q(member_of))
            return found.distinct() if owners_repeat(self.owners_q, queryset.model) else found
        return queryset.filter(public)

    def current(self, user: Any, queryset: QuerySet[M]) -> QuerySet[M]:
        """The records of ``queryset`` that are not archived and that the user may see: what
        every list shows unless archived records are asked for.

        Archived records are what the owners' clause of :meth:`visible` adds for a public
        register (``published_q`` is ``Q()``). Without them, "public or owned" is "not
        archived" for every user: no ``OR`` over the owners' join and no ``SELECT DISTINCT``,
        which made the filtered lists sort every candidate row before the page was cut
        (issue 14). A register that publishes less goes through :meth:`visible`.
        """
        if self.published_q and not is_site_admin(user):
            return self.visible(user, queryset).filter(archived_at__isnull=True)
        return queryset.filter(archived_at__isnull=True)

    def _parent_visible_q(self, queryset: QuerySet[M], member_of: set[int]) -> Q:
        """The records whose parent (``within``) the user sees: not archived, or owned by one
        of ``member_of`` (the parent policy's owners)."""
        visible = Q(**{f"{self.within}__archived_at__isnull": True})
        if member_of and self.within_policy is not None:
            parent = queryset.model._meta.get_field(self.within).related_model
            assert isinstance(parent, type) and issubclass(parent, Model)
            owned = parent._default_manager.filter(self.within_policy.owners_q(member_of))
            visible |= Q(**{f"{self.within}__in": owned.values("pk")})
        return visible

    def can_view(self, user: Any, obj: Model) -> bool:
        if is_site_admin(user) or has_role(user, self.owners(obj), ROLE_MEMBER):
            return True
        if getattr(obj, "archived_at", None) is not None:
            return False
        if self.within:
            parent = getattr(obj, self.within)
            if parent.archived_at is not None and not (
                self.within_policy is not None and self.within_policy.can_view(user, parent)
            ):
                return False
        return type(obj)._default_manager.filter(self.published_q, pk=obj.pk).exists()

    # --- named actions --------------------------------------------------------------------

    @property
    def action_names(self) -> tuple[str, ...]:
        """Every action of the register: the built-in ones, then its own, in declared order."""
        return BUILTIN_ACTIONS + tuple(a for a in self.actions if a not in BUILTIN_ACTIONS)

    def can(self, user: Any, action: str, obj: Any = None) -> bool:
        """May ``user`` take ``action`` on ``obj`` (``None`` for ``create``)?"""
        rule = self.actions.get(action)
        if isinstance(rule, str):
            return self.can(user, rule, obj)
        if rule is not None:
            return bool(rule(user, obj))
        if action == "view":
            return self.can_view(user, obj)
        if action == "create":
            return is_site_admin(user) or bool(organisations_with_role(user, self.create_role))
        if action == "edit":
            return is_site_admin(user) or has_role(user, self.owners(obj), self.edit_role)
        if action in ("archive", "restore"):
            return is_site_admin(user) or has_role(user, self.owners(obj), self.archive_role)
        raise KeyError(f"Unknown action {action!r}; declare it in the policy's actions.")

    def require(self, actor: Any, action: str, obj: Any = None, message: str = "") -> None:
        """Raise PermissionDenied unless ``actor`` may take ``action``. System actors pass."""
        if is_system_actor(actor):
            return
        if not self.can(actor, action, obj):
            raise PermissionDenied(message or self.denied_message(action))

    def denied_message(self, action: str) -> str:
        text = self.denied.get(action)
        followed = self.actions.get(action)
        if text is None and isinstance(followed, str):
            text = self.denied.get(followed)
        return str(text) if text else _("You do not have permission to do this.")

    def require_result(
        self, actor: Any, owners_after: Iterable[int], message: str = "", role: str = ""
    ) -> None:
        """A change is checked on its result too: after it, the actor must still act for one
        of the record's owners (an editor cannot hand a record to organisations they do not
        act for, nor take their own organisation out of it). Site admins and system actors
        may."""
        if is_system_actor(actor) or is_site_admin(actor):
            return
        if not has_role(actor, owners_after, role or self.edit_role):
            raise PermissionDenied(
                message
                or _(
                    "After this change none of your organisations would own or take part in "
                    "the record. Keep one of them, or ask a site administrator."
                )
            )

    # Shorthands kept for templates and older call sites.

    def can_edit(self, user: Any, obj: Any) -> bool:
        return self.can(user, "edit", obj)

    def can_archive(self, user: Any, obj: Any) -> bool:
        return self.can(user, "archive", obj)

    def can_create(self, user: Any) -> bool:
        return self.can(user, "create")

    def acting_organisation(self, user: Any, obj: Any) -> int | None:
        """The organisation ``user`` acts for on ``obj``: their highest role among its owners,
        else their only organisation."""
        roles = organisation_roles(user)
        if not roles:
            return None
        try:
            owners = self.owners(obj) if obj is not None else set()
        except ValueError:  # a record not yet saved has no links to owners
            owners = set()
        mine = [(ROLE_RANK.get(r, 0), -org) for org, r in roles.items() if org in owners]
        if mine:
            return -max(mine)[1]
        return next(iter(roles)) if len(roles) == 1 else None


def require(allowed: bool, message: str = "") -> None:
    """Raise PermissionDenied with a plain-language message unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))


def permission_matrix(
    policy: RecordPolicy, users: Mapping[str, Any], record: Any
) -> dict[str, dict[str, bool]]:
    """{action: {role: allowed}} for a set of users: what the contract tests check."""
    return {
        action: {
            role: policy.can(user, action, None if action == "create" else record)
            for role, user in users.items()
        }
        for action in policy.action_names
    }
