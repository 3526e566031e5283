"""Reads for organisations, memberships and contact persons, filtered by what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from kraftsenter.core.permissions import is_site_admin
from kraftsenter.places.models import County, Municipality

from .choices import RequestStatus
from .models import ContactPerson, Membership, MembershipRequest, Organisation
from .permissions import ORGANISATION_POLICY, visible_organisations


def organisation_list(
    *,
    user: Any = None,
    municipality: Municipality | None = None,
    county: County | None = None,
    include_archived: bool = False,
) -> QuerySet[Organisation]:
    qs = visible_organisations(user, Organisation.objects.select_related("municipality", "county"))
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if county is not None:
        qs = qs.filter(county=county)
    return qs


def organisation_get(*, user: Any = None, pk: int) -> Organisation:
    return get_object_or_404(
        visible_organisations(user, Organisation.objects.select_related("municipality", "county")),
        pk=pk,
    )


def organisation_members(*, user: Any, organisation: Organisation) -> QuerySet[Membership]:
    if not ORGANISATION_POLICY.can(user, "view_members", organisation):
        return Membership.objects.none()
    return Membership.objects.active().filter(organisation=organisation).select_related("user")


def organisation_contacts(*, organisation: Organisation) -> QuerySet[ContactPerson]:
    return ContactPerson.objects.active().filter(organisation=organisation)


def user_memberships(*, user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(user=user, organisation__archived_at__isnull=True)
        .select_related("organisation")
    )


def user_can_see_all(user: Any) -> bool:
    return is_site_admin(user)


def organisation_summary(
    *,
    user: Any = None,
    municipality: Municipality | None = None,
    county: County | None = None,
    limit: int = 20,
) -> tuple[list[Organisation], int]:
    """The first ``limit`` organisations of a place and how many there are in all.

    For a county, the county-wide ones (no home municipality) come first, as the county page
    shows them; every organisation in the county is one click away in the filtered list.
    """
    qs = organisation_list(user=user, municipality=municipality, county=county)
    if county is not None and municipality is None:
        qs = qs.filter(municipality__isnull=True)
    return list(qs[:limit]), organisation_list(
        user=user, municipality=municipality, county=county
    ).count()


def pending_membership_requests(
    *, user: Any, organisation: Organisation
) -> QuerySet[MembershipRequest]:
    """Employees from Ansattporten waiting for the organisation's administrators."""
    if not ORGANISATION_POLICY.can(user, "manage_members", organisation):
        return MembershipRequest.objects.none()
    return (
        MembershipRequest.objects.active()
        .filter(organisation=organisation, status=RequestStatus.PENDING)
        .select_related("user")
        .order_by("created_at")
    )
