"""Reads for organisations, memberships and contact persons, filtered by what the user may see."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import router
from django.db.models import Count, F, QuerySet, Window
from django.http import Http404

from kraftsenter.core import links, prepared
from kraftsenter.core.light import light
from kraftsenter.core.links import url_maker
from kraftsenter.core.permissions import is_site_admin, viewer
from kraftsenter.places.models import County, Municipality

from .choices import RequestStatus
from .models import ContactPerson, Membership, MembershipRequest, Organisation
from .permissions import ORGANISATION_POLICY, current_organisations, visible_organisations

#: What an organisation list leaves out: the rendered description and, of the municipality and
#: county, the boundary and the search documents (decoding a boundary per row was most of the
#: API's time; the wide rows slowed every sort).
LIST_DEFERRED = (
    "description_html",
    "municipality__boundary",
    "municipality__search_text",
    "county__search_text",
)


def organisation_list(
    *,
    user: Any = None,
    municipality: Municipality | None = None,
    county: County | None = None,
    include_archived: bool = False,
) -> QuerySet[Organisation]:
    """Organisations the user may see, with their municipality and county, for lists.

    Lists never show a municipality's boundary (a GeoJSON polygon), the places' search
    documents or the rendered description: they are not loaded."""
    base = Organisation.objects.select_related("municipality", "county").defer(*LIST_DEFERRED)
    qs = (
        visible_organisations(user, base) if include_archived else current_organisations(user, base)
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if county is not None:
        qs = qs.filter(county=county)
    return qs


def organisation_urls() -> Callable[[int], str]:
    """``url(pk)`` for organisation pages (:func:`kraftsenter.core.links.url_maker`)."""
    return url_maker("actors:organisation-detail")


def with_urls(organisations: Iterable[Organisation]) -> list[Any]:
    """The organisations, each with ``url``, its page (one ``reverse`` for them all)."""
    return links.with_urls(organisations, organisation_urls())


def organisation_table(*, user: Any = None) -> QuerySet[Any]:
    """The organisations the user may see, not archived, with only what the list page shows,
    as light rows (:mod:`kraftsenter.core.light`): name, kind, organisation number and the
    home municipality's name."""
    return light(
        organisation_list(user=user).select_related(None),
        "pk",
        "name",
        "kind",
        "organisation_number",
        "municipality_id",
        "municipality__name",
    )


#: What the API's organisation list answers with (``OrganisationOut``), as light rows.
ORGANISATION_API_COLUMNS = (
    "pk",  # for with_urls
    "id",
    "name",
    "organisation_number",
    "kind",
    "municipality_id",
    "municipality_number",
    "county_id",
    "county_number",
    "website",
    "description",
    "address",
    "industry_code",
    "organisation_form",
    "name_se",
    "name_smj",
    "name_sma",
    "name_fkv",
    "register_checked_on",
    "register_source",
    "register_deleted_on",
    "register_bankrupt",
    "register_winding_up",
    "archived_at",
    "version",
    "updated_at",
)


def organisation_rows(*, user: Any = None) -> QuerySet[Any]:
    """The organisations the user may see, not archived, for the API's list, as light rows
    (:mod:`kraftsenter.core.light`) of what it answers with: the numbers of their
    municipality and county as ``municipality_number`` and ``county_number``."""
    return light(
        current_organisations(user, Organisation.objects.all()).annotate(
            municipality_number=F("municipality__number"), county_number=F("county__number")
        ),
        *ORGANISATION_API_COLUMNS,
    )


def _organisation_by_key(who: Any, key: int) -> QuerySet[Organisation]:
    return visible_organisations(
        who, Organisation.objects.select_related("municipality", "county")
    ).filter(pk=key)


def organisation_get(*, user: Any = None, pk: int) -> Organisation:
    """The organisation (404 unless ``user`` may see it) with its places, read with a
    statement kept per kind of user (:mod:`kraftsenter.core.prepared`): the organisation's
    page, its dashboard and its members' and tokens' pages read it at every request."""
    found = prepared.instances(
        "organisation_get",
        router.db_for_read(Organisation),
        Organisation,
        _organisation_by_key,
        viewer(user),
        int(pk),
    )
    if not found:
        raise Http404(f"No {Organisation._meta.object_name} matches the given query.")
    organisation: Organisation = found[0]
    return organisation


def organisation_members(*, user: Any, organisation: Organisation) -> list[Membership]:
    """The organisation's active members with their users, for those who may see them (none
    otherwise). Its statement kept (:mod:`kraftsenter.core.prepared`), the organisation's id
    its parameter: the ORM built it anew on every organisation page (issue 14)."""
    if not ORGANISATION_POLICY.can(user, "view_members", organisation):
        return []
    members: list[Membership] = prepared.instances(
        "organisation_members",
        router.db_for_read(Membership),
        Membership,
        lambda pk: Membership.objects.active().filter(organisation_id=pk).select_related("user"),
        organisation.pk,
    )
    return members


def organisation_contacts(*, organisation: Organisation) -> list[ContactPerson]:
    """The organisation's contact people not archived, in their order; its statement kept as
    :func:`organisation_members`'."""
    contacts: list[ContactPerson] = prepared.instances(
        "organisation_contacts",
        router.db_for_read(ContactPerson),
        ContactPerson,
        lambda pk: ContactPerson.objects.active().filter(organisation_id=pk),
        organisation.pk,
    )
    return contacts


def user_memberships(*, user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(user=user, organisation__archived_at__isnull=True)
        .select_related("organisation")
    )


def user_membership_list(*, user: Any, limit: int | None = None) -> list[Membership]:
    """:func:`user_memberships` as a list, by the organisations' names, the first ``limit``
    when given (none for a visitor): a statement kept per ``limit``
    (:mod:`kraftsenter.core.prepared`), the user's id its parameter. The start page, the
    dashboards' index and the profile read them at every request."""
    if not getattr(user, "is_authenticated", False):
        return []

    def build(user_id: int) -> QuerySet[Membership]:
        memberships = user_memberships(user=user_id)
        return memberships if limit is None else memberships[:limit]

    alias = router.db_for_read(Membership)
    return prepared.instances(("user_memberships", limit), alias, Membership, build, user.pk)


def user_can_see_all(user: Any) -> bool:
    return is_site_admin(user)


def organisation_summary(
    *,
    user: Any = None,
    municipality: Municipality | None = None,
    county: County | None = None,
    limit: int = 20,
) -> tuple[list[Organisation], int]:
    """The first ``limit`` organisations of a place (name and ``url``) and how many there are
    in all.

    For a county, the county-wide ones (no home municipality) come first, as the county page
    shows them; every organisation in the county is one click away in the filtered list.
    The statements are kept per shape and kind of user (:mod:`kraftsenter.core.prepared`,
    the places' ids parameters): the ORM built them anew for every county and municipality
    page (issue 14).
    """
    alias = router.db_for_read(Organisation)
    who = viewer(user)
    municipality_id = municipality.pk if municipality is not None else None
    county_id = county.pk if county is not None else None

    def place(who_: Any, *ids: int) -> QuerySet[Organisation]:
        qs = organisation_list(user=who_)
        given = iter(ids)
        if municipality_id is not None:
            qs = qs.filter(municipality_id=next(given))
        if county_id is not None:
            qs = qs.filter(county_id=next(given))
        return qs

    ids = tuple(i for i in (municipality_id, county_id) if i is not None)
    shape = (municipality_id is not None, county_id is not None, limit)
    if county_id is not None and municipality_id is None:

        def county_wide(who_: Any, *ids_: int) -> QuerySet[Organisation]:
            first = place(who_, *ids_).select_related(None).only("pk", "name")
            return first.filter(municipality__isnull=True)[:limit]

        rows = prepared.instances(
            ("organisation_summary", shape), alias, Organisation, county_wide, who, *ids
        )
        count = prepared.count(("organisation_summary", shape), alias, place, who, *ids)
        return with_urls(rows), count

    # The first rows and the count of all in one statement (COUNT(*) OVER (), taken before
    # the LIMIT): a municipality page read them with two, half of its organisations' cost.
    def first_with_total(who_: Any, *ids_: int) -> QuerySet[Organisation]:
        first = place(who_, *ids_).select_related(None).only("pk", "name")
        return first.annotate(total=Window(Count("pk")))[:limit]

    rows = with_urls(
        prepared.records(("organisation_summary", shape), alias, first_with_total, who, *ids)
    )
    return rows, (rows[0].total if rows else 0)


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
