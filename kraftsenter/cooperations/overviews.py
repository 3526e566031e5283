"""Overviews of the cooperation register: per organisation, per ownership report, per region.

Every selector runs a constant number of queries whatever the number of cooperations: one for
the participations (with their cooperations joined), one for the cooperations' areas, and the
user's roles (cached on the user). Pages, CSV and tests build on these; nothing here renders.

* :func:`organisation_overview` – a municipality's or county municipality's participations,
  grouped by area (a cooperation with several areas appears under each) and by form.
* :func:`cooperations_in_force` – its participations in cooperations in force, for the full
  ownership report of ``kraftsenter.ownership`` (kommuneloven § 26-1), which lists IKS, AS, SA,
  and IPR/KO that are separate legal persons (:func:`in_ownership_report`).
* :func:`region_coverage` – areas × the region's municipalities; which cooperation covers what,
  counted per cell in SQL (two queries: the counts, and the first five per cell).
* :func:`region_network` – which of the region's municipalities cooperate with which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet, Window
from django.db.models.functions import DenseRank
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.places.models import County, Municipality, Region

from .choices import OWNERSHIP_FORMS, Area, LegalForm, Status
from .models import Cooperation, CooperationArea, Participant
from .permissions import visible_cooperations

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


# --- shared loading ----------------------------------------------------------------------------


def _visible_ids(
    user: Any, *, statuses: tuple[str, ...] | None = None
) -> QuerySet[Cooperation, Mapping[str, Any]]:
    """Ids of the visible, non-archived cooperations (a subquery, not a query of its own)."""
    qs = visible_cooperations(user, Cooperation.objects.filter(archived_at__isnull=True))
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    return qs.values("pk")


def _participations(user, *, statuses: tuple[str, ...] | None = None, **filters) -> list:
    """Active participant rows in visible cooperations, with cooperation, host and areas."""
    return list(
        Participant.objects.filter(
            # EXISTS, not IN: the database starts from the filtered participants, not from
            # every visible cooperation in the country.
            Exists(_visible_ids(user, statuses=statuses).filter(pk=OuterRef("cooperation_id"))),
            archived_at__isnull=True,
            **filters,
        )
        .select_related("cooperation", "cooperation__host", "organisation")
        .prefetch_related(
            Prefetch("cooperation__area_links", queryset=CooperationArea.objects.order_by("area"))
        )
        .order_by("cooperation__name", "cooperation_id", "organisation_id")
    )


def _areas_in_order(cooperation: Cooperation) -> list[str]:
    return sorted((a.area for a in cooperation.area_links.all()), key=_AREA_ORDER.__getitem__)


def municipal_organisation(
    *, user=None, municipality: Municipality | None = None, county: County | None = None
) -> Organisation:
    """The organisation of a municipality or of a county's county municipality, or 404."""
    from kraftsenter.actors.selectors import organisation_list

    if municipality is not None:
        qs = organisation_list(user=user, municipality=municipality).filter(
            kind=OrganisationKind.MUNICIPALITY
        )
    else:
        qs = organisation_list(user=user, county=county).filter(
            kind=OrganisationKind.COUNTY_MUNICIPALITY
        )
    organisation = qs.order_by("pk").first()
    if organisation is None:
        raise Http404("No organisation is registered for this place.")
    return organisation


# --- one organisation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Participation:
    """One organisation's part in one cooperation."""

    cooperation: Cooperation
    areas: tuple[str, ...]
    ownership_share: Decimal | None
    liability_share: Decimal | None

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


@dataclass
class OrganisationOverview:
    organisation: Organisation
    participations: list[Participation]
    by_area: list[Group]
    by_form: list[Group]
    areas_without: list[tuple[str, str]]


def _as_participation(part: Participant) -> Participation:
    return Participation(
        cooperation=part.cooperation,
        areas=tuple(_areas_in_order(part.cooperation)),
        ownership_share=part.ownership_share,
        liability_share=part.liability_share,
    )


def organisation_overview(*, user, organisation: Organisation) -> OrganisationOverview:
    """Every cooperation the organisation takes part in, with its shares, grouped two ways.

    Dissolved cooperations are listed (with their status) but do not count for
    ``areas_without``, the areas where the organisation has no current cooperation.
    """
    participations = [
        _as_participation(p) for p in _participations(user, organisation_id=organisation.pk)
    ]
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
    entries = [
        _as_participation(p)
        for p in _participations(user, statuses=IN_FORCE_STATUSES, organisation_id=organisation.pk)
    ]
    entries.sort(key=lambda e: (_FORM_ORDER[e.legal_form], e.cooperation.name, e.cooperation.pk))
    return entries


# --- regions -----------------------------------------------------------------------------------


def region_members(region: Region) -> list[Municipality]:
    """The centre first, then the hinterland by number (uses the prefetched hinterland)."""
    return [region.centre, *sorted(region.hinterland.all(), key=lambda m: m.number)]


def _region_cooperations(
    user, members: list[Municipality]
) -> tuple[dict[int, set[int]], dict[int, Cooperation]]:
    """({cooperation id: ids of the members taking part}, {cooperation id: cooperation})."""
    found: dict[int, set[int]] = {}
    cooperations: dict[int, Cooperation] = {}
    for part in _participations(
        user,
        statuses=COVERING_STATUSES,
        organisation__kind=OrganisationKind.MUNICIPALITY,
        organisation__archived_at__isnull=True,
        organisation__municipality_id__in=[m.pk for m in members],
    ):
        cooperations.setdefault(part.cooperation_id, part.cooperation)
        found.setdefault(part.cooperation_id, set()).add(part.organisation.municipality_id)
    return found, cooperations


@dataclass(frozen=True)
class CoverageItem:
    """A cooperation in a matrix cell."""

    cooperation: Cooperation

    @property
    def id(self) -> int:
        return self.cooperation.pk

    @property
    def name(self) -> str:
        return self.cooperation.name

    @property
    def legal_form(self) -> str:
        return self.cooperation.legal_form

    @property
    def short_form(self) -> str:
        return str(SHORT_FORM_LABELS.get(self.legal_form, self.legal_form))

    @property
    def planned(self) -> bool:
        return self.cooperation.status == Status.PLANNED


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


def region_coverage(*, user, region: Region) -> Coverage:
    """Areas (in Area order) × members (centre, then hinterland by number).

    A cell counts the visible, non-archived, non-dissolved cooperations in that area in which
    that municipality's organisation takes part, and lists the first ``CoverageCell.LIMIT`` of
    them by name. Both are worked out in SQL, per cell: two queries (the counts, and the first
    few per cell ranked by a window function) whatever the number of cooperations.
    """
    members = region_members(region)
    column = {m.pk: i for i, m in enumerate(members)}
    rows = [
        CoverageRow(code, str(label), [CoverageCell(m) for m in members])
        for code, label in Area.choices
    ]
    row_index = {r.area: r for r in rows}
    links = (
        Participant.objects.filter(
            # EXISTS rather than IN: the database starts from the region's few organisations
            # instead of walking every visible cooperation in the country.
            Exists(
                _visible_ids(user, statuses=COVERING_STATUSES).filter(pk=OuterRef("cooperation_id"))
            ),
            archived_at__isnull=True,
            organisation__kind=OrganisationKind.MUNICIPALITY,
            organisation__archived_at__isnull=True,
            organisation__municipality_id__in=list(column),
        )
        .annotate(cell_area=F("cooperation__area_links__area"))
        .filter(cell_area__isnull=False)
    )
    counts = (
        links.values("cell_area", "organisation__municipality_id")
        .annotate(n=Count("cooperation_id", distinct=True))
        .order_by()
    )
    for entry in counts:
        cell = row_index[entry["cell_area"]].cells[column[entry["organisation__municipality_id"]]]
        cell.total = entry["n"]
    # Dense rank: a cooperation reached through two organisations of one municipality ranks
    # once, so each cell still gets its first LIMIT distinct cooperations.
    first = (
        links.annotate(
            rank=Window(
                DenseRank(),
                partition_by=[F("cell_area"), F("organisation__municipality_id")],
                order_by=[F("cooperation__name").asc(), F("cooperation_id").asc()],
            )
        )
        .filter(rank__lte=CoverageCell.LIMIT)
        .values_list(
            "cell_area",
            "organisation__municipality_id",
            "cooperation_id",
            "cooperation__name",
            "cooperation__legal_form",
            "cooperation__status",
        )
        .order_by("cooperation__name", "cooperation_id")
    )
    seen: set[tuple[str, int, int]] = set()
    for area, municipality_id, pk, name, legal_form, status in first:
        if (area, municipality_id, pk) in seen:
            continue
        seen.add((area, municipality_id, pk))
        cooperation = Cooperation(pk=pk, name=name, legal_form=legal_form, status=status)
        row_index[area].cells[column[municipality_id]].items.append(CoverageItem(cooperation))
    return Coverage(region, members, rows)


@dataclass
class NetworkNode:
    municipality: Municipality
    cooperation_count: int
    is_centre: bool


@dataclass
class NetworkEdge:
    a: Municipality
    b: Municipality
    names: list[str]

    @property
    def weight(self) -> int:
        return len(self.names)

    @property
    def shown_names(self) -> list[str]:
        return self.names[:5]

    @property
    def more_names(self) -> int:
        return max(0, len(self.names) - 5)


@dataclass
class Network:
    region: Region
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


def region_network(*, user, region: Region) -> Network:
    """Nodes: the members with how many cooperations each takes part in (in or beyond the
    region). Edges: pairs of members that share cooperations, with their names; heaviest first.
    """
    members = region_members(region)
    order = {m.pk: i for i, m in enumerate(members)}
    by_id = {m.pk: m for m in members}
    found, cooperations = _region_cooperations(user, members)
    counts = dict.fromkeys(order, 0)
    shared: dict[tuple[int, int], list[str]] = {}
    for coop_id, municipality_ids in found.items():
        for municipality_id in municipality_ids:
            counts[municipality_id] += 1
        for a, b in combinations(sorted(municipality_ids, key=order.__getitem__), 2):
            shared.setdefault((a, b), []).append(cooperations[coop_id].name)
    nodes = [NetworkNode(m, counts[m.pk], i == 0) for i, m in enumerate(members)]
    edges = [
        NetworkEdge(by_id[a], by_id[b], sorted(names))
        for (a, b), names in sorted(
            shared.items(), key=lambda kv: (-len(kv[1]), order[kv[0][0]], order[kv[0][1]])
        )
    ]
    return Network(region, nodes, edges)
