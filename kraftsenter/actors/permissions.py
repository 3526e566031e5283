"""Who may see and change organisations, their members and contact persons."""

from __future__ import annotations

from django.db.models import Q

from kraftsenter.core.permissions import ROLE_ADMIN, RecordPolicy, has_role, is_site_admin

from .models import Organisation

# An organisation "owns" its own record. The actor register is public.
ORGANISATION_POLICY = RecordPolicy(
    owners=lambda org: {org.pk},
    owners_q=lambda ids: Q(pk__in=ids),
    archive_role=ROLE_ADMIN,
)


def visible_organisations(user, queryset=None):
    return ORGANISATION_POLICY.visible(
        user, queryset if queryset is not None else Organisation.objects.all()
    )


def can_view_organisation(user, organisation: Organisation) -> bool:
    return ORGANISATION_POLICY.can_view(user, organisation)


def can_create_organisation(user) -> bool:
    return ORGANISATION_POLICY.can_create(user)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    return ORGANISATION_POLICY.can_edit(user, organisation)


def can_archive_organisation(user, organisation: Organisation) -> bool:
    return ORGANISATION_POLICY.can_archive(user, organisation)


def can_manage_members(user, organisation: Organisation) -> bool:
    """Organisation admins manage their own organisation's members; site admins all."""
    return is_site_admin(user) or has_role(user, {organisation.pk}, ROLE_ADMIN)


def can_view_members(user, organisation: Organisation) -> bool:
    """Members see who else is a member; the public does not (personal data)."""
    from kraftsenter.core.permissions import ROLE_MEMBER

    return is_site_admin(user) or has_role(user, {organisation.pk}, ROLE_MEMBER)
