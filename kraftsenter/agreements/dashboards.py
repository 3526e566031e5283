"""Reads for the dashboards: a county's agreements, commitments and overdue reports; an
organisation's own commitments and what is due; every municipality's planning strategy.

Aggregates are computed in the database (a fixed number of queries whatever the volume)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connections, router
from django.db.models import Count, Q
from django.urls import reverse

from kraftsenter.actors.models import Organisation
from kraftsenter.core import prepared
from kraftsenter.core.light import light, prepared_light, prepared_light_together
from kraftsenter.core.permissions import viewer
from kraftsenter.places.models import County, Municipality
from kraftsenter.places.selectors import sami_area

from . import planning
from .choices import OPEN_STATUSES, STRATEGY_KINDS, CommitmentStatus, PlanKind
from .models import (
    Agreement,
    AgreementCounty,
    AgreementParty,
    Commitment,
    FollowUpReport,
    Plan,
)
from .permissions import COMMITMENT_POLICY, PLAN_POLICY, current_visible
from .rows import CommitmentRows
from .selectors import agreement_rows, commitment_list, in_current_agreement, plan_list

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: How far ahead "due soon" looks on the organisation dashboard.
DUE_SOON_DAYS = 30
#: How many rows the dashboards list before linking to the full, filtered list.
LIST_LIMIT = 25


@dataclass
class CountyDashboard:
    county: County
    agreement_count: int
    agreements: list[Any]
    agreements_by_status: dict[str, int]
    commitment_count: int
    commitments_by_status: list[tuple[str, str, int]]
    party_rows: list[tuple[int, str, dict[str, int], int]]
    overdue_commitments: int
    overdue_reports: list[Any]
    overdue_report_count: int


def _status_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(code, str(label), counts.get(code, 0)) for code, label in CommitmentStatus.choices]


def county_dashboard(*, user, county: County, today: dt.date) -> CountyDashboard:
    """A county's agreements, their commitments by party and status, and the overdue follow-up
    reports. Every read keeps its statement (:mod:`kraftsenter.core.prepared`): the county's
    agreement ids a tuple parameter on SQLite (a statement per number of them), a subquery on
    PostgreSQL; the user a ``permissions.viewer``. The ORM's handling of the ids, five
    queries with a few hundred each, was half the page (issue 14)."""
    alias = router.db_for_read(Agreement)
    who = viewer(user)

    def county_agreements(pk: Any) -> Any:
        return (
            AgreementCounty.objects.filter(in_current_agreement(), county_id=pk)
            .order_by()
            .values("agreement_id")
        )

    keys: Any
    of: Callable[[Any], Any]
    if connections[alias].vendor == "postgresql":
        # The county's agreements as a subquery of each read, the county its one parameter:
        # a few hundred ids bound to each of five statements cost PostgreSQL more to bind and
        # plan than the join (the overdue reports' count 2.7 -> 0.8 ms, the commitments'
        # aggregate 7.0 -> 4.8 ms; issue 14).
        keys, of = county.pk, county_agreements
    else:
        # SQLite: the ids once (a few hundred at most), so that every aggregate below uses
        # the agreement index instead of repeating the join over parties and places (the
        # subquery made the overdue reports' count 0.5 -> 1.2 ms).
        keys = tuple(
            sorted(
                row[0]
                for row in prepared.values(
                    "county_agreement_ids",
                    alias,
                    lambda pk: county_agreements(pk).values_list("agreement_id"),
                    county.pk,
                )
            )
        )

        def of(ids: Any) -> Any:
            return ids

    def agreements(user_: Any, keys: tuple[int, ...]) -> Any:
        return agreement_rows(user=user_).filter(pk__in=of(keys))

    def by_status(user_: Any, keys: tuple[int, ...]) -> Any:
        return agreements(user_, keys).order_by().values_list("status").annotate(n=Count("id"))

    def by_party(user_: Any, keys: tuple[int, ...], day: dt.date) -> Any:
        # The ids are of agreements not archived: the commitments need no join to them, nor
        # to their parties for the names (read below for the parties found, in the
        # database's order of names). 9 -> 6 ms of SQL on SQLite for a county's 7 000
        # commitments (issue 14). One aggregate per (party, status) gives the pivot, the
        # status totals and the overdue.
        commitments = current_visible(COMMITMENT_POLICY, user_, Commitment.objects.all())
        return (
            commitments.filter(agreement_id__in=of(keys))
            .order_by()
            .values_list("party_id", "status")
            .annotate(n=Count("id"), late=Count("id", filter=Q(due_date__lt=day)))
        )

    def first_agreements(user_: Any, keys: tuple[int, ...]) -> Any:
        return agreements(user_, keys).order_by("-period_start", "title")[:LIST_LIMIT]

    def reports(keys: tuple[int, ...], day: dt.date) -> Any:
        # The ids are of agreements not archived (above): no join to them for that.
        return FollowUpReport.objects.filter(
            agreement_id__in=of(keys),
            archived_at__isnull=True,
            completed_on__isnull=True,
            due_date__lt=day,
        )

    status_counts: dict[str, int] = {}
    overdue = 0
    parties: dict[int, dict[str, int]] = {}
    for party_id, status, n, late in prepared.values(
        "county_by_party", alias, by_party, who, keys, today
    ):
        parties.setdefault(party_id, {})[status] = n
        status_counts[status] = status_counts.get(status, 0) + n
        overdue += late if status in OPEN_STATUSES else 0
    names = prepared.values(
        "county_party_names",
        router.db_for_read(Organisation),
        lambda keys: (
            Organisation.objects.filter(pk__in=keys)
            .order_by("name", "pk")
            .values_list("pk", "name")
        ),
        tuple(sorted(parties)),
    )
    party_rows = [(pk, name, parties[pk], sum(parties[pk].values())) for pk, name in names]
    agreement_status = {
        status: n for status, n in prepared.values("county_by_status", alias, by_status, who, keys)
    }
    return CountyDashboard(
        county=county,
        agreement_count=sum(agreement_status.values()),
        agreements=prepared.instances(
            ("county_agreements", LIST_LIMIT), alias, Agreement, first_agreements, who, keys
        ),
        agreements_by_status=agreement_status,
        commitment_count=sum(status_counts.values()),
        commitments_by_status=_status_rows(status_counts),
        party_rows=party_rows,
        overdue_commitments=overdue,
        overdue_reports=prepared_light(
            ("county_reports", LIST_LIMIT),
            alias,
            lambda keys, day: light(reports(keys, day), *REPORT_COLUMNS).order_by("due_date")[
                :LIST_LIMIT
            ],
            keys,
            today,
        ),
        overdue_report_count=prepared.count("county_reports", alias, reports, keys, today),
    )


def ownership_deadlines(*, user, organisation: Organisation, today: dt.date, limit: int) -> Any:
    """The ownership app's deadlines for this organisation (kommuneloven §§ 23-4, 23-6, 26-1)
    and its first ``limit`` standing tasks, with their number (a ``DeadlinePage``)."""
    from kraftsenter.ownership.deadlines import organisation_deadline_page

    return organisation_deadline_page(
        user=user, organisation=organisation, today=today, limit=limit
    )


@dataclass
class OrganisationDashboard:
    organisation: Organisation
    overdue: list[Any]
    due_soon: list[Any]
    later: list[Any]
    later_count: int
    by_status: list[tuple[str, str, int]]
    reports: list[Any]
    plan_deadlines: list[tuple[Plan, Any]]
    #: How many agreements the organisation is a party to (the page links to them).
    agreement_count: int
    lead_at_risk: list[Any] = field(default_factory=list)
    #: Ownership control deadlines and tasks (kraftsenter.ownership), for municipalities: the
    #: deadlines, then the first LIST_LIMIT standing tasks (one per entity with meetings).
    ownership_deadlines: list[Any] = field(default_factory=list)
    #: How many standing tasks are not listed (all are in the ownership report).
    ownership_more: int = 0
    #: The ownership report, where every task is listed.
    ownership_report_url: str = ""


def _open_commitments(*, user, organisation_id: int) -> Any:
    """The organisation's open commitments, in the order the dashboard lists them."""
    return (
        commitment_list(user=user, rows=True)
        .filter(party_id=organisation_id, status__in=OPEN_STATUSES)
        .order_by("due_date", "pk")
    )


def _rows(commitments: Any) -> Any:
    """Light rows of what a dashboard's commitment row shows (agreements/rows.py)."""
    return light(commitments, *CommitmentRows.columns)


def _due_reads(limit: int) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The builds of an organisation's first ``limit`` overdue commitments and of those due
    soon (:func:`organisation_dashboard`, :func:`commitments_due_of`)."""

    def overdue(who: Any, pk: int, day: dt.date) -> Any:
        open_ = _open_commitments(user=who, organisation_id=pk)
        return _rows(open_.filter(due_date__lt=day))[:limit]

    def due_soon(who: Any, pk: int, day: dt.date, until: dt.date) -> Any:
        open_ = _open_commitments(user=who, organisation_id=pk)
        return _rows(open_.filter(due_date__gte=day, due_date__lte=until))[:limit]

    return overdue, due_soon


def _due_order(row: Any) -> tuple[Any, ...]:
    return (row.due_date, row.pk)


def commitments_due_of(
    *, user, organisations: Sequence[Organisation], today: dt.date, limit: int
) -> dict[int, tuple[list[Any], list[Any]]]:
    """Each organisation's first ``limit`` open commitments that are overdue, and those due in
    the next :data:`DUE_SOON_DAYS` days, as light rows of :class:`CommitmentRows`' columns (the
    start page's desks), all in one statement (``core.light.prepared_light_together``), by
    organisation id; each statement is kept per ``limit`` and kind of user."""
    overdue, due_soon = _due_reads(limit)
    who = viewer(user)
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    parts: list[prepared.Part] = []
    for organisation in organisations:
        pk = organisation.pk
        parts.append((("commitments_overdue", limit), overdue, (who, pk, today)))
        parts.append((("commitments_due_soon", limit), due_soon, (who, pk, today, soon)))
    read = prepared_light_together(
        ("commitments_due", limit), router.db_for_read(Commitment), parts
    )
    return {
        organisation.pk: (
            sorted(read[2 * i], key=_due_order),
            sorted(read[2 * i + 1], key=_due_order),
        )
        for i, organisation in enumerate(organisations)
    }


def _party_of(organisation_id: int) -> Any:
    """The organisation's agreements as a subquery on the party index: no join, no DISTINCT."""
    return AgreementParty.objects.filter(
        organisation_id=organisation_id, archived_at__isnull=True
    ).values("agreement_id")


#: What a row of follow-up reports shows (``rows.due_report_rows``, the start page): the
#: period, the due date, the agreement's title and the address's keys.
REPORT_COLUMNS = (
    "pk",
    "agreement_id",
    "period_start",
    "period_end",
    "due_date",
    "agreement__title",
)


def _reports_read(limit: int) -> Callable[..., Any]:
    def build(pk: int, due_by: dt.date) -> Any:
        due = FollowUpReport.objects.filter(
            agreement_id__in=_party_of(pk),
            agreement__archived_at__isnull=True,
            archived_at__isnull=True,
            completed_on__isnull=True,
            due_date__lte=due_by,
        )
        return light(due, *REPORT_COLUMNS).order_by("due_date", "pk")[:limit]

    return build


def reports_due(*, organisation: Organisation, today: dt.date, limit: int) -> list[Any]:
    """The first ``limit`` follow-up reports not yet given of the organisation's agreements in
    force, due by :data:`DUE_SOON_DAYS` days from today (overdue ones first), as light rows
    of :data:`REPORT_COLUMNS`. Its statement is built once per ``limit``
    (:mod:`kraftsenter.core.prepared`): the ORM's build of it was 2.7 ms of an organisation's
    dashboard; a report and its agreement as model instances were 0.3 ms of the start page
    more (issue 14)."""
    return prepared_light(
        ("reports_due", limit),
        router.db_for_read(FollowUpReport),
        _reports_read(limit),
        organisation.pk,
        today + dt.timedelta(days=DUE_SOON_DAYS),
    )


def reports_due_of(
    *, organisations: Sequence[Organisation], today: dt.date, limit: int
) -> dict[int, list[Any]]:
    """:func:`reports_due` of several organisations (the start page's desks), read in one
    statement (``core.light.prepared_light_together``), by organisation id: a report of an
    agreement two of them are parties to is in both."""
    build = _reports_read(limit)
    due_by = today + dt.timedelta(days=DUE_SOON_DAYS)
    parts: list[prepared.Part] = [
        (("reports_due", limit), build, (organisation.pk, due_by)) for organisation in organisations
    ]
    read = prepared_light_together(
        ("reports_due_of", limit), router.db_for_read(FollowUpReport), parts
    )
    return {
        organisation.pk: sorted(rows, key=_due_order)
        for organisation, rows in zip(organisations, read, strict=True)
    }


def plan_deadlines(*, user, organisation: Organisation, today: dt.date) -> list[tuple[Plan, Any]]:
    """The deadlines of the organisation's planning strategies and action parts that need
    attention (plan and building act, kommuneloven; agreements/planning.py)."""
    return plan_deadlines_of(user=user, organisations=[organisation], today=today)[organisation.pk]


def plan_deadlines_of(
    *, user, organisations: Sequence[Organisation], today: dt.date
) -> dict[int, list[tuple[Plan, Any]]]:
    """:func:`plan_deadlines` of several organisations in one query, by organisation id."""

    # The plans alone (and the parent an action part's revision cites): the owners are known
    # and the lists show a plan's title and deadlines only. Built once per kind of user and
    # number of organisations (core.prepared).
    def build(who: Any, owners: tuple[int, ...]) -> Any:
        return current_visible(PLAN_POLICY, who, Plan.objects.select_related("parent")).filter(
            owner_id__in=owners,
            kind__in=[*STRATEGY_KINDS, PlanKind.ACTION_PART, PlanKind.ACTION_PROGRAMME],
        )

    owners = tuple(sorted({o.pk for o in organisations}))
    plans = prepared.instances(
        "plan_deadlines", router.db_for_read(Plan), Plan, build, viewer(user), owners
    )
    found: dict[int, list[tuple[Plan, Any]]] = {o.pk: [] for o in organisations}
    for plan in plans:
        found[plan.owner_id].extend(
            (plan, d) for d in planning.plan_deadlines(plan, today) if d.needs_attention
        )
    return found


def organisation_dashboard(
    *, user, organisation: Organisation, today: dt.date
) -> OrganisationDashboard:
    """ "Our commitments": what is overdue, due in 30 days, and later; reports and plans due.

    Every read keeps its statement per kind of user (:mod:`kraftsenter.core.prepared`, the
    user a ``permissions.viewer``, the organisation's id and the dates parameters)."""
    alias = router.db_for_read(Commitment)
    who = viewer(user)
    pk = organisation.pk
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)

    def by_status(user_: Any, org: int) -> Any:
        ours = commitment_list(user=user_, rows=True).filter(party_id=org)
        return ours.order_by().values_list("status").annotate(n=Count("id"))

    def agreements(user_: Any, org: int) -> Any:
        return agreement_rows(user=user_).filter(pk__in=_party_of(org))

    def led_by(org: int) -> Any:
        return Agreement.objects.filter(lead_id=org, archived_at__isnull=True).values_list("pk")

    def lead_at_risk(user_: Any, org: int, led: tuple[int, ...]) -> Any:
        # The ids of the agreements it leads, not a subquery: SQLite read every commitment
        # for that (12 ms against 0.1).
        at_risk = commitment_list(user=user_, rows=True).filter(
            agreement_id__in=led, status=CommitmentStatus.AT_RISK
        )
        return _rows(at_risk.exclude(party_id=org).order_by("due_date"))[:LIST_LIMIT]

    def later(user_: Any, org: int, after: dt.date) -> Any:
        return _open_commitments(user=user_, organisation_id=org).filter(due_date__gt=after)

    led = tuple(
        row[0] for row in prepared.values("org_led", router.db_for_read(Agreement), led_by, pk)
    )
    status_counts = {
        status: n for status, n in prepared.values("org_by_status", alias, by_status, who, pk)
    }
    # Overdue, due soon and later: three reads with the same columns in one statement (on
    # PostgreSQL a statement costs about 0.3 ms beyond its work), each sorted by due date.
    overdue_read, due_soon_read = _due_reads(LIST_LIMIT)
    overdue, due_soon, later_rows = (
        sorted(rows, key=_due_order)
        for rows in prepared_light_together(
            ("org_commitments", LIST_LIMIT),
            alias,
            [
                (("commitments_overdue", LIST_LIMIT), overdue_read, (who, pk, today)),
                (("commitments_due_soon", LIST_LIMIT), due_soon_read, (who, pk, today, soon)),
                (
                    ("org_later", LIST_LIMIT),
                    lambda user_, org, after: _rows(later(user_, org, after))[:LIST_LIMIT],
                    (who, pk, soon),
                ),
            ],
        )
    )
    return OrganisationDashboard(
        organisation=organisation,
        overdue=overdue,
        due_soon=due_soon,
        later=later_rows,
        later_count=prepared.count("org_later", alias, later, who, pk, soon),
        by_status=_status_rows(status_counts),
        reports=reports_due(organisation=organisation, today=today, limit=LIST_LIMIT),
        plan_deadlines=plan_deadlines(user=user, organisation=organisation, today=today),
        agreement_count=prepared.count(
            "org_agreements", router.db_for_read(Agreement), agreements, who, pk
        ),
        lead_at_risk=prepared_light(
            ("org_lead_at_risk", LIST_LIMIT), alias, lead_at_risk, who, pk, led
        )
        if led
        else [],
        **_ownership_part(user=user, organisation=organisation, today=today),
    )


def _ownership_part(*, user, organisation: Organisation, today: dt.date) -> dict[str, Any]:
    """The ownership deadlines, and at most LIST_LIMIT standing tasks: a municipality in
    many companies has hundreds (392 for one in the bench), all listed in its ownership report.
    """
    page = ownership_deadlines(user=user, organisation=organisation, today=today, limit=LIST_LIMIT)
    report_url = ""
    if organisation.kind == "municipality" and (place := organisation.municipality) is not None:
        report_url = reverse("cooperations:municipality-ownership-report", args=[place.number])
    elif organisation.kind == "county_municipality" and (county := organisation.county) is not None:
        report_url = reverse("cooperations:county-ownership-report", args=[county.number])
    return {
        "ownership_deadlines": [*page.dated, *page.tasks],
        "ownership_more": page.more,
        "ownership_report_url": report_url,
    }


@dataclass
class StrategyRow:
    """One municipality's (or the county municipality's) planning strategy in a period."""

    name: str
    number: str
    organisation: Organisation | None
    plan: Plan | None
    due: dt.date
    status: str  # met, late, overdue, due, upcoming; unregistered (no strategy registered)
    sami_area: bool
    sami_missing: bool
    highlight: str = ""  # overdue or due: the deadline has passed or is near, nothing adopted
    status_label: StrOrPromise = ""  # the status in words, set by the county page


def county_strategies(*, user, county: County, year: int, today: dt.date) -> list[StrategyRow]:
    """Every municipality's planning strategy for the period, the county's regional one first;
    municipalities without a registered strategy are listed too."""
    municipalities = list(
        Municipality.objects.filter(county=county, valid_to__isnull=True).order_by("number")
    )
    orgs = {
        o.municipality_id: o
        for o in Organisation.objects.filter(
            Q(kind="municipality", municipality__county=county), archived_at__isnull=True
        ).select_related("municipality")
    }
    county_org = (
        Organisation.objects.filter(
            kind="county_municipality", county=county, archived_at__isnull=True
        )
        .select_related("county")
        .first()
    )
    owner_ids = [o.pk for o in orgs.values()] + ([county_org.pk] if county_org else [])
    plans: dict[int, Plan] = {}
    for plan in (
        plan_list(user=user)
        .filter(owner_id__in=owner_ids, election_year=year, kind__in=STRATEGY_KINDS)
        .order_by("owner_id", "-adopted_on", "-pk")
    ):
        plans.setdefault(plan.owner_id, plan)

    area = sami_area()

    def row(name: str, number: str, org: Organisation | None, place: Any) -> StrategyRow:
        plan = plans.get(org.pk) if org else None
        # sameloven § 3-13: the area on the adoption date (today while not adopted), from 1.1.2024.
        on = plan.adopted_on if plan and plan.adopted_on else today
        sami = on >= planning.SAMI_PLANNING_FROM and area.contains(place, on)
        due = planning.strategy_deadline(year, plan.constituted_on if plan else None)
        status = planning.deadline_status(due, plan.adopted_on if plan else None, today)
        highlight = status if status in ("overdue", "due") else ""
        if plan is None:
            status = "unregistered"
        missing = bool(sami and (plan is None or not plan.sami_language_section))
        return StrategyRow(name, number, org, plan, due, status, sami, missing, highlight)

    rows = []
    if county_org is not None:
        rows.append(
            row(
                county_org.name,
                county.number,
                county_org,
                county,
            )
        )
    for m in municipalities:
        rows.append(row(m.name, m.number, orgs.get(m.pk), m))
    return rows
