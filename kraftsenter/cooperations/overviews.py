"""Overviews of the cooperation register: per organisation, per ownership report, per region.

Every selector runs a constant number of queries whatever the number of cooperations: one for
the participations (with their cooperations joined), one for the cooperations' areas, and the
user's roles (cached on the user). Pages, CSV and tests build on these; nothing here renders.

* :func:`organisation_overview` – a municipality's or county municipality's participations,
  grouped by area (a cooperation with several areas appears under each) and by form (the CSV);
  :func:`organisation_overview_page` – one grouping, one page of it, counted in SQL (the page).
* :func:`cooperations_in_force` – its participations in cooperations in force, for the full
  ownership report of ``kraftsenter.ownership`` (kommuneloven § 26-1), which lists IKS, AS, SA,
  and IPR/KO that are separate legal persons (:func:`in_ownership_report`).
* :func:`region_coverage` – areas × the region's municipalities; which cooperation covers what,
  and :func:`region_network` – which of them cooperate with which. Both are worked out from
  :func:`region_links`, one query of narrow rows (the members' participations: municipality,
  cooperation, its name, form and status), and the coverage from the cooperations' areas as
  ``(id, code)`` pairs: two queries for the page whatever the number of cooperations.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db import router
from django.db.models import (
    QuerySet,
)
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.core import prepared
from kraftsenter.core.links import url_maker
from kraftsenter.core.permissions import viewer
from kraftsenter.places.models import County, Municipality, Region
from kraftsenter.places.selectors import region_municipalities

from .choices import OWNERSHIP_FORMS, Area, LegalForm, Status
from .models import Cooperation, CooperationArea, Participant
from .permissions import sees_all_participations_of, visible_q
from .selectors import page_areas

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: Forms that are in the ownership report only when the cooperation is a separate legal person.
LEGAL_PERSON_FORMS = {LegalForm.IPR, LegalForm.KO}
#: Cooperations that count as covering an area or linking municipalities (not dissolved ones).
COVERING_STATUSES = (Status.PLANNED, Status.ACTIVE, Status.DISSOLVING)
#: Short form names for dense places (matrix cells); the full label is LegalForm's.
SHORT_FORM_LABELS: dict[str, StrOrPromise] = {
    LegalForm.IPR: "IPR",
    LegalForm.KO: "KO",
    LegalForm.HOST_ADMINISTRATIVE: _("host municipality"),
    LegalForm.HOST_COMMITTEE: _("host municipality, committee"),
    LegalForm.IKS: "IKS",
    LegalForm.AS: "AS",
    LegalForm.SA: "SA",
    LegalForm.ASSOCIATION: _("association"),
    LegalForm.OTHER: _("other form"),
}
_AREA_ORDER = {code: i for i, code in enumerate(Area.values)}
_FORM_ORDER = {code: i for i, code in enumerate(LegalForm.values)}
_FORM_LABELS = dict(LegalForm.choices)
_STATUS_LABELS = dict(Status.choices)
_AREA_LABELS = dict(Area.choices)


def format_share(value: Decimal | None, *, localize: bool = True) -> str:
    """A share without trailing zeros ("60", "33,333"); ``""`` when not given.

    ``localize=False`` always uses a decimal comma (the CSV is for Norwegian spreadsheets).
    """
    if value is None:
        return ""
    exact = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    if localize:
        return number_format(exact)
    return str(exact).replace(".", ",")


def detail_url_maker(name: str = "cooperations:cooperation-detail") -> Callable[[int], str]:
    """``url(pk)`` for a list of cooperations (:func:`kraftsenter.core.links.url_maker`)."""
    return url_maker(name)


# --- shared loading ----------------------------------------------------------------------------


def _participants(
    user, *, statuses: tuple[str, ...] | None = None, **filters
) -> QuerySet[Participant]:
    """Active participants in visible cooperations (not evaluated, not ordered).

    The visibility is checked on the cooperation joined to the participant
    (:func:`~.permissions.visible_q`): the database starts from the filtered participants and
    reads each cooperation once, not from every visible cooperation in the country; for an
    organisation's own members, its participations need no check (``participations_of``)."""
    qs = Participant.objects.filter(
        visible_q(user, prefix="cooperation__", participations_of=filters.get("organisation_id")),
        cooperation__archived_at__isnull=True,
        archived_at__isnull=True,
        **filters,
    )
    if statuses is not None:
        qs = qs.filter(cooperation__status__in=statuses)
    return qs


def _as_participations(parts: list[Participant], *, with_areas: bool = True) -> list[Participation]:
    """Participations of the participants (cooperation and host joined), with their areas.

    The areas come as plain (id, code) pairs in one query — a model instance per area link
    cost as much as the participations themselves on a municipality with a thousand of them.
    ``with_areas=False`` leaves them out (and the query with them).
    """
    areas: dict[int, list[str]] = {}
    if with_areas:
        for cooperation_id, code in CooperationArea.objects.filter(
            cooperation_id__in={p.cooperation_id for p in parts}
        ).values_list("cooperation_id", "area"):
            areas.setdefault(cooperation_id, []).append(code)
    url = detail_url_maker()
    return [
        Participation(
            cooperation=p.cooperation,
            areas=tuple(sorted(areas.get(p.cooperation_id, ()), key=_AREA_ORDER.__getitem__)),
            ownership_share=p.ownership_share,
            liability_share=p.liability_share,
            url=url(p.cooperation_id),
        )
        for p in parts
    ]


def _participations(
    user, *, statuses: tuple[str, ...] | None = None, with_areas: bool = True, **filters
) -> list[Participation]:
    """Active participations in visible cooperations, by name: two queries (one without
    areas)."""
    return _as_participations(
        list(
            _participants(user, statuses=statuses, **filters)
            .select_related("cooperation", "cooperation__host")
            .order_by("cooperation__name", "cooperation_id", "organisation_id")
        ),
        with_areas=with_areas,
    )


def municipal_organisation(
    *, user=None, municipality: Municipality | None = None, county: County | None = None
) -> Organisation:
    """The organisation of a municipality or of a county's county municipality, or 404."""
    from kraftsenter.actors.selectors import organisation_list

    # Read with a statement kept per kind of user and kind of place (core.prepared).
    if municipality is not None:
        field, kind, place = "municipality_id", OrganisationKind.MUNICIPALITY, municipality.pk
    elif county is not None:
        field, kind, place = "county_id", OrganisationKind.COUNTY_MUNICIPALITY, county.pk
    else:
        raise Http404("No organisation is registered for this place.")

    def build(who: Any, key: int) -> QuerySet[Organisation]:
        return organisation_list(user=who).filter(**{field: key}, kind=kind).order_by("pk")[:1]

    found = prepared.instances(
        ("municipal_organisation", field),
        router.db_for_read(Organisation),
        Organisation,
        build,
        viewer(user),
        place,
    )
    if not found:
        raise Http404("No organisation is registered for this place.")
    return found[0]


# --- one organisation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Participation:
    """One organisation's part in one cooperation."""

    cooperation: Cooperation
    areas: tuple[str, ...]
    ownership_share: Decimal | None
    liability_share: Decimal | None
    #: The cooperation's page (reversed once per list, not once per row).
    url: str = ""

    @property
    def legal_form(self) -> str:
        return self.cooperation.legal_form

    # Labels from module-level dicts: get_FOO_display() hashes every (lazy) choice label on
    # each call, which cost a quarter of a 1 000-row overview page.
    @property
    def legal_form_label(self) -> str:
        code = self.cooperation.legal_form
        return str(_FORM_LABELS.get(code, code))

    @property
    def status_label(self) -> str:
        code = self.cooperation.status
        return str(_STATUS_LABELS.get(code, code))

    @property
    def area_labels(self) -> list[str]:
        return [str(_AREA_LABELS[code]) for code in self.areas]

    @property
    def host(self) -> Organisation | None:
        return self.cooperation.host

    @property
    def ownership_display(self) -> str:
        return format_share(self.ownership_share)

    @property
    def liability_display(self) -> str:
        return format_share(self.liability_share)


@dataclass
class Group:
    """Participations under one area or one form."""

    code: str
    label: str
    participations: list[Participation] = field(default_factory=list)
    #: How many rows the group has in all (on a page: more than the page shows).
    total: int = 0


@dataclass
class OrganisationOverview:
    organisation: Organisation
    participations: list[Participation]
    by_area: list[Group]
    by_form: list[Group]
    areas_without: list[tuple[str, str]]


def organisation_overview(*, user, organisation: Organisation) -> OrganisationOverview:
    """Every cooperation the organisation takes part in, with its shares, grouped two ways.

    Dissolved cooperations are listed (with their status) but do not count for
    ``areas_without``, the areas where the organisation has no current cooperation.
    """
    participations = _participations(user, organisation_id=organisation.pk)
    by_area = [Group(code, str(label)) for code, label in Area.choices]
    area_index = {g.code: g for g in by_area}
    by_form = [Group(code, str(label)) for code, label in LegalForm.choices]
    form_index = {g.code: g for g in by_form}
    for p in participations:
        for code in p.areas:
            area_index[code].participations.append(p)
        form_index[p.legal_form].participations.append(p)
    return OrganisationOverview(
        organisation=organisation,
        participations=participations,
        by_area=[g for g in by_area if g.participations],
        by_form=[g for g in by_form if g.participations],
        areas_without=[
            (g.code, g.label)
            for g in by_area
            if not any(p.cooperation.status in COVERING_STATUSES for p in g.participations)
        ],
    )


#: Rows per page of an organisation's cooperations (a municipality may take part in 1 000).
OVERVIEW_PAGE_SIZE = 100
#: How the page groups them: by area (a cooperation under each of its areas) or by form.
GROUPINGS = ("area", "form")


@dataclass
class OverviewPage:
    """One page of an organisation's participations, grouped by area or by form.

    ``groups`` holds the groups on this page with this page's rows; ``group_totals`` how many
    rows each group has in all; ``total`` how many cooperations the organisation takes part in.
    """

    organisation: Organisation
    grouping: str
    total: int
    groups: list[PageGroup]
    group_totals: dict[str, int]
    areas_without: list[tuple[str, str]]
    page: Page[Any]

    @property
    def by_area(self) -> bool:
        return self.grouping == "area"


@dataclass(frozen=True, slots=True)
class OverviewRow:
    """One row of :class:`OverviewPage`: what the table shows of a participation, as plain
    values (a participant, its cooperation and host as model instances were a third of the
    page's Python)."""

    cooperation_id: int
    name: str
    legal_form: str
    status: str
    areas: tuple[str, ...]
    ownership_share: Decimal | None
    liability_share: Decimal | None
    #: The host or office municipality's name; ``None`` when the cooperation has none.
    host_name: str | None
    #: The cooperation's page (reversed once per page, not once per row).
    url: str


@dataclass
class PageGroup:
    """The rows of one area or form on an :class:`OverviewPage`."""

    code: str
    label: str
    total: int = 0
    rows: list[OverviewRow] = field(default_factory=list)


def _rows_of(ids: tuple[int, ...]) -> QuerySet[Any]:
    return (
        Participant.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "cooperation_id",
            "cooperation__name",
            "cooperation__legal_form",
            "cooperation__status",
            "ownership_share",
            "liability_share",
            "cooperation__host_id",
            "cooperation__host__name",
        )
    )


def _page_rows(keys: list[tuple[int, str]]) -> list[OverviewRow]:
    """The page's rows, in the order of ``keys`` ((participant, group) pairs): two queries of
    plain values, the participations (cooperation and host joined) and their areas, their
    statements kept for each number of rows (:mod:`kraftsenter.core.prepared`)."""
    alias = router.db_for_read(Participant)
    wanted = tuple(sorted({pk for pk, _code in keys}))
    found = {row[0]: row for row in prepared.values("overview_rows", alias, _rows_of, wanted)}
    areas = page_areas(sorted({row[1] for row in found.values()}))
    url = detail_url_maker()
    rows = []
    for pk, _code in keys:
        _pk, coop, name, form, status, ownership, liability, host_id, host_name = found[pk]
        rows.append(
            OverviewRow(
                coop,
                name,
                form,
                status,
                tuple(sorted(areas.get(coop, ()), key=_AREA_ORDER.__getitem__)),
                ownership,
                liability,
                None if host_id is None else host_name,
                url(coop),
            )
        )
    return rows


def _narrow(who: Any, organisation_id: int) -> QuerySet[Any]:
    """An organisation's current participations in visible cooperations as narrow rows
    (participant, area, form, status), one per area, by cooperation name; ``who`` None: no
    visibility check (:func:`~.permissions.sees_all_participations_of`)."""
    visible = () if who is None else (visible_q(who, prefix="cooperation__"),)
    return (
        Participant.objects.filter(
            *visible,
            cooperation__archived_at__isnull=True,
            archived_at__isnull=True,
            organisation_id=organisation_id,
        )
        .order_by("cooperation__name", "cooperation_id", "organisation_id")
        .values_list(
            "pk", "cooperation__area_links__area", "cooperation__legal_form", "cooperation__status"
        )
    )


def organisation_overview_page(
    *, user, organisation: Organisation, grouping: str = "area", page: Any = 1
) -> OverviewPage:
    """A page of :func:`organisation_overview`: the counts per group, the areas without a
    current cooperation and :data:`OVERVIEW_PAGE_SIZE` rows, in three queries whatever the
    number of cooperations. ``page`` out of range gives the nearest page.

    The first query reads every participation as a narrow row (participant, area, form,
    status), one per area, in the page's order; the total, the counts per group and the
    areas covered are counted from those rows. Four queries over the same rows (count,
    counts per group, areas covered, the ordered keys) were 19 ms of SQL on PostgreSQL for
    Hamar's 1 300 cooperations in the bench, this one is about 6.
    """
    if grouping not in GROUPINGS:
        grouping = GROUPINGS[0]
    by_area = grouping == "area"
    labels = _AREA_LABELS if by_area else _FORM_LABELS
    rank: dict[Any, int] = _AREA_ORDER if by_area else _FORM_ORDER  # None: no area, last
    column = 1 if by_area else 2
    # By name in the database (its collation), then by the group's place among the choices
    # in Python: a stable sort keeps the name order within each group, as ORDER BY CASE …,
    # name did; the CASE over 17 areas cost 3 ms to build for each request (issue 14).
    # The narrow rows' statement is kept per kind of user (core.prepared): an organisation's
    # own members see all its participations, so theirs has no visibility check.
    alias = router.db_for_read(Participant)
    if sees_all_participations_of(user, organisation.pk):
        found = prepared.values(
            "overview_narrow_own", alias, lambda org: _narrow(None, org), organisation.pk
        )
    else:
        found = prepared.values("overview_narrow", alias, _narrow, viewer(user), organisation.pk)
    # A stable sort by the group's place, bucket by bucket (a municipality's 2 000 rows).
    last = len(rank)
    buckets: dict[int, list[Any]] = {}
    for found_row in found:
        place = rank.get(found_row[column], last)
        bucket = buckets.get(place)
        if bucket is None:
            buckets[place] = [found_row]
        else:
            bucket.append(found_row)
    narrow = [found_row for place in sorted(buckets) for found_row in buckets[place]]
    participants: set[int] = set()
    covered: set[str] = set()
    keys: list[tuple[int, str]] = []
    for pk, area, form, status in narrow:
        if area is not None and status in COVERING_STATUSES:
            covered.add(area)
        if by_area:
            if area is not None:
                keys.append((pk, area))
        elif pk not in participants:  # one row per area: the same participant's are adjacent
            keys.append((pk, form))
        participants.add(pk)
    group_totals = dict(Counter(code for _pk, code in keys))
    page_obj = Paginator(keys, OVERVIEW_PAGE_SIZE).get_page(page)
    keys = list(page_obj.object_list)
    groups: list[PageGroup] = []
    for code, row in zip((code for _pk, code in keys), _page_rows(keys), strict=True):
        if not groups or groups[-1].code != code:
            label = str(labels.get(code, code))
            groups.append(PageGroup(code, label, total=group_totals.get(code, 0)))
        groups[-1].rows.append(row)
    return OverviewPage(
        organisation=organisation,
        grouping=grouping,
        total=len(participants),
        groups=groups,
        group_totals=group_totals,
        areas_without=[(code, str(label)) for code, label in Area.choices if code not in covered],
        page=page_obj,
    )


# --- ownership report (kommuneloven § 26-1) -----------------------------------------------------

#: Cooperations in force: active ones and those being dissolved (the participants hold their
#: interests until the dissolution is complete); planned and dissolved ones are not.
IN_FORCE_STATUSES = (Status.ACTIVE, Status.DISSOLVING)


def in_ownership_report(cooperation: Cooperation) -> bool:
    """IKS, AS and SA always; IPR and KO when they are separate legal persons."""
    form = cooperation.legal_form
    return form in OWNERSHIP_FORMS or (form in LEGAL_PERSON_FORMS and cooperation.legal_person)


def cooperations_in_force(*, user, organisation: Organisation) -> list[Participation]:
    """The organisation's participations in the cooperations in force, by form, then name.

    The full ownership report (``kraftsenter.ownership.report``) takes those for which
    :func:`in_ownership_report` holds, and the control committee's tasks take them all.
    """
    # The report and the control committee's tasks use no areas: one query fewer.
    entries = _participations(
        user, statuses=IN_FORCE_STATUSES, with_areas=False, organisation_id=organisation.pk
    )
    entries.sort(key=lambda e: (_FORM_ORDER[e.legal_form], e.cooperation.name, e.cooperation.pk))
    return entries


# --- regions -----------------------------------------------------------------------------------


@dataclass
class RegionLinks:
    """The region's members and their participations in visible, covering cooperations.

    ``taking_part`` maps each such cooperation, in name order, to the members whose
    municipality organisation (``OrganisationKind.MUNICIPALITY``) takes part in it, neither the
    organisation nor the participation archived. Both the coverage matrix and the network are
    worked out from these; :meth:`details` reads the name, form and status of the few
    cooperations a page names.
    """

    members: list[Municipality]
    taking_part: dict[int, list[int]]
    #: Each of those cooperations' areas (``Area`` codes; none for one without).
    areas: dict[int, list[str]]
    #: (name, legal form, status) of the cooperations :meth:`details` has read.
    cooperations: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    _groups: dict[tuple[int, ...], list[int]] | None = field(default=None, repr=False)
    _order: dict[int, int] | None = field(default=None, repr=False)

    def name_order(self) -> dict[int, int]:
        """Each cooperation's place in name order (the order of ``taking_part``), worked out
        once: the matrix and the network both merge their first few by it."""
        if self._order is None:
            self._order = {pk: i for i, pk in enumerate(self.taking_part)}
        return self._order

    def details(self, ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
        """Name, form and status of ``ids``: one query for those not read before."""
        missing = tuple(sorted({pk for pk in ids if pk not in self.cooperations}))
        if missing:
            self.cooperations.update(
                (pk, (name, form, status))
                for pk, name, form, status in prepared.values(
                    "region_details", router.db_for_read(Cooperation), _details, missing
                )
            )
        return self.cooperations

    def by_members(self) -> dict[tuple[int, ...], list[int]]:
        """The cooperations grouped by the members taking part (ids sorted), each group in
        name order: a region has few such sets (Hamarregionen in the bench: 15 sets for 1 259
        cooperations), so the matrix and the network count per set, not per cooperation.
        Worked out once (the matrix and the network both ask)."""
        if self._groups is not None:
            return self._groups
        groups: dict[tuple[int, ...], list[int]] = {}
        for pk, ids in self.taking_part.items():
            key = tuple(sorted(ids))
            group = groups.get(key)
            if group is None:
                groups[key] = [pk]
            else:
                group.append(pk)
        self._groups = groups
        return groups


def _details(ids: tuple[int, ...]) -> QuerySet[Any]:
    return (
        Cooperation.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "name", "legal_form", "status")
    )


def _members_participations(member_ids: tuple[int, ...]) -> QuerySet[Any]:
    """The members' municipality organisations' participations, archived neither, as
    (municipality, cooperation) pairs: read by organisation (an index), nothing joined."""
    return (
        Participant.objects.filter(
            archived_at__isnull=True,
            organisation__kind=OrganisationKind.MUNICIPALITY,
            organisation__archived_at__isnull=True,
            organisation__municipality_id__in=member_ids,
        )
        .order_by()
        .values_list("organisation__municipality_id", "cooperation_id")
    )


def _covering(who: Any, member_ids: tuple[int, ...]) -> QuerySet[Any]:
    """The visible, covering cooperations the members take part in, each with its areas (one
    row per area, ``None`` for a cooperation without), in name order (:func:`region_links`)."""
    return (
        Cooperation.objects.filter(
            visible_q(who),
            pk__in=_members_participations(member_ids).values("cooperation_id"),
            archived_at__isnull=True,
            status__in=COVERING_STATUSES,
        )
        .values_list("pk", "area_links__area")
        .order_by("name", "pk")
    )


def region_links(*, user, region: Region) -> RegionLinks:
    """Two queries: the visible, covering cooperations the members take part in, with their
    areas, in name order; and the members' participations as pairs of ids.

    Each cooperation's visibility and status are checked once, on the cooperation, not on
    every participation joined to it, and only the cooperations are sorted by name
    (Hamarregionen in the bench: 1 259 cooperations, 3 119 participations, 2 509 areas).
    Counting per cell and per pair in SQL took five queries over the same rows, three of them
    sorting every row for a window function (≈ 60 ms of SQL there); reading each row's name,
    form and status took a third more; :meth:`RegionLinks.details` reads them for the few the
    page names.
    """
    members = region_municipalities(region)
    member_ids = tuple(m.pk for m in members)
    areas: dict[int, list[str]] = {}
    # Their statements kept per kind of user and number of members (core.prepared).
    for pk, area in prepared.values(
        "region_covering", router.db_for_read(Cooperation), _covering, viewer(user), member_ids
    ):
        found = areas.get(pk)
        if found is None:
            found = areas[pk] = []
        if area is not None:
            found.append(area)
    taking_part: dict[int, list[int]] = {pk: [] for pk in areas}
    for municipality_id, pk in prepared.values(
        "region_participations",
        router.db_for_read(Participant),
        _members_participations,
        member_ids,
    ):
        ids = taking_part.get(pk)
        # None: not visible or not covering. Two organisations of one municipality count once.
        if ids is not None and municipality_id not in ids:
            ids.append(municipality_id)
    return RegionLinks(members, taking_part, areas)


def _first(lists: Iterable[list[int]], order: dict[int, int], limit: int) -> list[int]:
    """The first ``limit`` of several lists, each already in ``order``, merged in ``order``."""
    return heapq.nsmallest(
        limit, (pk for found in lists for pk in found[:limit]), key=order.__getitem__
    )


@dataclass(frozen=True)
class CoverageItem:
    """A cooperation in a matrix cell: what the cell shows of it, no model instance (one
    per item cost a quarter of the page)."""

    id: int
    name: str
    legal_form: str
    status: str
    #: The cooperation's page (reversed once per matrix, not once per item).
    url: str = ""

    @property
    def short_form(self) -> str:
        return str(SHORT_FORM_LABELS.get(self.legal_form, self.legal_form))

    @property
    def planned(self) -> bool:
        return self.status == Status.PLANNED


@dataclass
class CoverageCell:
    """One municipality's cooperations in one area (none: a gap).

    ``items`` holds the first :attr:`LIMIT` by name (all that the page lists) and ``total``
    how many there are; the rest are one link away (the filtered register).
    """

    municipality: Municipality
    items: list[CoverageItem] = field(default_factory=list)
    total: int = 0

    #: A cell lists at most this many.
    LIMIT = 5

    @property
    def shown(self) -> list[CoverageItem]:
        return self.items[: self.LIMIT]

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.shown))


@dataclass
class CoverageRow:
    area: str
    label: str
    cells: list[CoverageCell]

    @property
    def uncovered(self) -> int:
        """How many of the region's municipalities have no cooperation in this area."""
        return sum(1 for cell in self.cells if not cell.total)


@dataclass
class Coverage:
    region: Region
    members: list[Municipality]
    rows: list[CoverageRow]

    @property
    def covered_counts(self) -> list[int]:
        """Per member (column): in how many areas it has at least one cooperation."""
        return [sum(1 for row in self.rows if row.cells[i].total) for i in range(len(self.members))]

    @property
    def gap_count(self) -> int:
        return sum(row.uncovered for row in self.rows)


def region_coverage(*, user, region: Region, links: RegionLinks | None = None) -> Coverage:
    """Areas (in Area order) × members (centre, then hinterland by number).

    A cell counts the visible, non-archived, non-dissolved cooperations in that area in which
    that municipality's organisation takes part, and lists the first ``CoverageCell.LIMIT`` of
    them by name. Three queries whatever the number of cooperations: the two of
    :func:`region_links` (the cooperations with their areas, and the participations; none when
    ``links`` is given, as the page does for the network too) and the names of those the
    cells list.

    The cells are counted per (set of members, area): every cooperation with the same members
    and area adds to the same cells, so the work per cell is per such group, not per
    cooperation.
    """
    if links is None:
        links = region_links(user=user, region=region)
    members = links.members
    column = {m.pk: i for i, m in enumerate(members)}
    rows = [
        CoverageRow(code, str(label), [CoverageCell(m) for m in members])
        for code, label in Area.choices
    ]
    cells_of = {r.area: r.cells for r in rows}
    areas = links.areas
    # (members, area) -> its cooperations in name order.
    groups: dict[tuple[tuple[int, ...], str], list[int]] = {}
    for key, pks in links.by_members().items():
        for pk in pks:
            for code in areas[pk]:
                group = groups.get((key, code))
                if group is None:
                    groups[(key, code)] = [pk]
                else:
                    group.append(pk)
    # Each cell's total and the groups that reach it.
    reaching: dict[tuple[str, int], list[list[int]]] = {}
    for (key, code), pks in groups.items():
        cells = cells_of[code]
        for municipality_id in key:
            cells[column[municipality_id]].total += len(pks)
            reaching.setdefault((code, municipality_id), []).append(pks)
    limit = CoverageCell.LIMIT
    order = links.name_order()
    shown = {
        cell_key: _first(lists, order, limit) if len(lists) > 1 else lists[0][:limit]
        for cell_key, lists in reaching.items()
    }
    details = links.details(pk for pks in shown.values() for pk in pks)
    url = detail_url_maker()
    items: dict[int, CoverageItem] = {}
    for (code, municipality_id), pks in shown.items():
        cell = cells_of[code][column[municipality_id]]
        for pk in pks:
            item = items.get(pk)
            if item is None:
                name, legal_form, status = details[pk]
                item = items[pk] = CoverageItem(pk, name, legal_form, status, url(pk))
            cell.items.append(item)
    return Coverage(region, members, rows)


@dataclass
class NetworkNode:
    municipality: Municipality
    cooperation_count: int
    is_centre: bool


@dataclass
class NetworkEdge:
    """Two members and the cooperations they share: how many, and the first few by name."""

    a: Municipality
    b: Municipality
    weight: int
    #: The first :attr:`LIMIT` shared cooperations by name (all the page lists).
    names: list[str]

    #: An edge names at most this many.
    LIMIT = 5

    @property
    def shown_names(self) -> list[str]:
        return self.names[: self.LIMIT]

    @property
    def more_names(self) -> int:
        return max(0, self.weight - len(self.shown_names))


@dataclass
class Network:
    region: Region
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


def region_network(*, user, region: Region, links: RegionLinks | None = None) -> Network:
    """Nodes: the members with how many cooperations each takes part in (in or beyond the
    region). Edges: pairs of members that share cooperations, with how many and the first
    ``NetworkEdge.LIMIT`` names; heaviest first.

    Worked out from :func:`region_links` (one query, none when ``links`` is given) per set of
    members taking part (:meth:`RegionLinks.by_members`), then the names the edges show (one
    query for those the coverage did not read), instead of a self-join on the participants.
    """
    if links is None:
        links = region_links(user=user, region=region)
    members = links.members
    order = {m.pk: i for i, m in enumerate(members)}
    by_id = {m.pk: m for m in members}
    counts = dict.fromkeys(order, 0)
    weights: dict[tuple[int, int], int] = {}
    sharing: dict[tuple[int, int], list[list[int]]] = {}
    for key, pks in links.by_members().items():
        for municipality_id in key:
            counts[municipality_id] += len(pks)
        for i, a in enumerate(key):
            for b in key[i + 1 :]:
                weights[(a, b)] = weights.get((a, b), 0) + len(pks)
                sharing.setdefault((a, b), []).append(pks)
    name_order = links.name_order()
    first = {pair: _first(lists, name_order, NetworkEdge.LIMIT) for pair, lists in sharing.items()}
    details = links.details(pk for pks in first.values() for pk in pks)
    edges = []
    for (a, b), weight in weights.items():
        first_names = [details[pk][0] for pk in first[(a, b)]]
        if order[a] > order[b]:
            a, b = b, a
        edges.append(NetworkEdge(by_id[a], by_id[b], weight, first_names))
    edges.sort(key=lambda e: (-e.weight, order[e.a.pk], order[e.b.pk]))
    nodes = [NetworkNode(m, counts[m.pk], i == 0) for i, m in enumerate(members)]
    return Network(region, nodes, edges)
