"""The start page: what a visitor comes for, not a list of counties.

Anonymous visitors get a search (places, organisations, cooperations: the existing search and
list pages), the home region's key figures (population, jobs, commuting; "no data", never 0)
and the open consultations. The page is the same for every anonymous visitor, so the anonymous
response cache (core/cache.py) serves it.

A logged-in member of an organisation also gets that organisation's deadlines (plans, follow-up
reports, ownership control, consultation answers), its commitments due (follow-ups) and the
recent changes made on its behalf. Everything is read through the apps' own selectors and
dashboards, with a fixed number of queries (at most :data:`ORGANISATIONS` organisations).

The co-creation arenas have no register yet; their slot on the page comes when it does.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import router
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from kraftsenter.agreements.choices import CommitmentStatus
from kraftsenter.core import prepared
from kraftsenter.core.light import light, prepared_light_together
from kraftsenter.core.links import url_maker
from kraftsenter.core.models import ChangeRecord
from kraftsenter.core.permissions import viewer
from kraftsenter.core.prepared import Part

from . import rows as portal_rows

#: The region whose figures the start page shows, by its short name in addresses. Settable
#: with ``KRAFTSENTER_HOME_REGION``; else the demo's region, else the first region by name.
DEFAULT_HOME_REGION = "hamarregionen"  # settings.KRAFTSENTER_HOME_REGION overrides
#: How many of the user's organisations the page covers (the first by name).
ORGANISATIONS = 3
#: How many rows each list on the page shows before linking to the full list.
ROWS = 5
#: How many recent changes the page shows.
CHANGES = 8
#: What the page shows of a consultation (its title, status and answer deadline; the
#: address from its key): the texts of a case are not read (issue 14).
CONSULTATION_COLUMNS = ("title", "status", "response_deadline")


@dataclass
class KeyFigures:
    region: Any
    population: Any
    population_change_percent: Any
    jobs: Any
    jobs_per_employed: Any
    in_commuting_share: Any
    out_commuting_share: Any


@dataclass
class DeadlineRow:
    """One deadline on the start page, whatever app it comes from."""

    label: str
    due: dt.date | None
    status: str  # overdue, due (or upcoming for consultation answers)
    url: str
    source: str = ""


@dataclass
class OrganisationDesk:
    """What one of the user's organisations has to do."""

    organisation: Any
    deadlines: list[DeadlineRow] = field(default_factory=list)
    overdue: list[Any] = field(default_factory=list)
    due_soon: list[Any] = field(default_factory=list)
    dashboard_url: str = ""
    #: The deadlines' and follow-ups' list items (portal/rows.py).
    deadline_items: str = ""
    follow_up_items: str = ""


def home_region() -> Any:
    """The region whose key figures the page shows (``KRAFTSENTER_HOME_REGION``), else the
    first active region by name; its statement built once (:mod:`kraftsenter.core.prepared`).
    What the page uses of it: its name, its address and its centre's key (the members and
    their figures are read by the profile); not its centre's and county's records."""
    from kraftsenter.places.models import Region

    regions = Region.objects.active().only("name", "slug", "centre_id")
    wanted = getattr(settings, "KRAFTSENTER_HOME_REGION", "") or DEFAULT_HOME_REGION
    found = prepared.instances(
        "home_region",
        router.db_for_read(Region),
        Region,
        lambda slug: regions.filter(slug=slug),
        str(wanted),
    )
    return found[0] if found else regions.order_by("name").first()


def key_figures(region: Any) -> KeyFigures | None:
    if region is None:
        return None
    from kraftsenter.knowledge.profile import region_key_sections

    profile = region_key_sections(region)
    return KeyFigures(
        region=region,
        population=profile.population.latest,
        population_change_percent=profile.population.change_percent,
        jobs=profile.employment.employed_workplace,
        jobs_per_employed=profile.employment.jobs_per_employed,
        in_commuting_share=profile.commuting.in_commuting_share,
        out_commuting_share=profile.commuting.out_commuting_share,
    )


def open_consultations(user: Any, *, limit: int = ROWS) -> tuple[list[Any], int]:
    from kraftsenter.consultations.choices import Status
    from kraftsenter.consultations.models import Consultation
    from kraftsenter.consultations.selectors import consultation_rows

    def open_(who: Any) -> Any:
        return consultation_rows(user=who).filter(
            status__in=[Status.SCREENING, Status.NOTIFIED, Status.IN_CONSULTATION]
        )

    def first_open(who: Any) -> Any:
        # What the list shows (portal/rows.consultation_items), not the cases' texts.
        return open_(who).only(*CONSULTATION_COLUMNS).order_by("response_deadline", "-pk")[:limit]

    # Built once per kind of user (core.prepared): the visibility's join and DISTINCT made
    # the ORM's build of the two queries 2 ms of the page (issue 14).
    alias = router.db_for_read(Consultation)
    who = viewer(user)
    first = prepared.instances(
        ("open_consultations", limit),
        alias,
        Consultation,
        first_open,
        who,
    )
    return first, prepared.count("open_consultations", alias, open_, who)


def organisation_desks(
    user: Any, organisations: list[Any], today: dt.date
) -> list[OrganisationDesk]:
    """What each organisation has to do, read as its dashboard reads it but only what the page
    shows: the deadlines that need attention (plans, follow-up reports, the council's ownership
    documents, consultation answers) and the first overdue and soon due commitments. Plans and
    ownership documents are read for all the organisations at once."""
    from kraftsenter.agreements import dashboards
    from kraftsenter.ownership.deadlines import organisation_dated_deadlines_of

    plans = dashboards.plan_deadlines_of(user=user, organisations=organisations, today=today)
    dated = organisation_dated_deadlines_of(user=user, organisations=organisations, today=today)
    # At most ROWS * 2 deadlines are shown, so no more reports than that can be among them.
    # Each organisation's reports and commitments are read in one statement for all of them
    # (a statement per organisation and list cost PostgreSQL a round trip each).
    reports = dashboards.reports_due_of(organisations=organisations, today=today, limit=ROWS * 2)
    # Each organisation's first few in index order: numbering all of an organisation's open
    # commitments to keep five (one query over all of them) was slower.
    due = dashboards.commitments_due_of(
        user=user, organisations=organisations, today=today, limit=ROWS
    )
    return [
        _desk(
            organisation,
            today,
            plans[organisation.pk],
            dated[organisation.pk],
            reports[organisation.pk],
            due[organisation.pk],
            cases,
        )
        for organisation, cases in zip(
            organisations, _consultations_to_answer(user, organisations), strict=True
        )
    ]


def _consultations_to_answer(user: Any, organisations: list[Any]) -> list[list[Any]]:
    """Each organisation's first consultations to answer (it is the authority or a party;
    notified or in consultation, with an answer deadline), as light rows of their title and
    deadline, read in one statement for all the organisations (``core.light``)."""
    from kraftsenter.consultations.choices import Status
    from kraftsenter.consultations.models import Consultation
    from kraftsenter.consultations.selectors import consultation_rows

    def build(who: Any, pk: int) -> Any:
        cases = (
            consultation_rows(user=who)
            .filter(
                status__in=[Status.NOTIFIED, Status.IN_CONSULTATION],
                response_deadline__isnull=False,
            )
            .filter(
                Q(authority_id=pk)
                | Q(parties__organisation_id=pk, parties__archived_at__isnull=True)
            )
        )
        return (
            light(cases, "pk", "title", "response_deadline")
            .distinct()
            .order_by("response_deadline")[:ROWS]
        )

    who = viewer(user)
    parts: list[Part] = [("desk_consultations", build, (who, o.pk)) for o in organisations]
    read = prepared_light_together(
        "desk_consultations_together", router.db_for_read(Consultation), parts
    )
    return [sorted(rows, key=lambda c: c.response_deadline) for rows in read]


def _desk(
    organisation: Any,
    today: dt.date,
    plans: list[tuple[Any, Any]],
    ownership: list[Any],
    reports: list[Any],
    due: tuple[list[Any], list[Any]],
    cases: list[Any],
) -> OrganisationDesk:
    rows: list[DeadlineRow] = []
    for plan, d in plans:
        rows.append(
            DeadlineRow(
                f"{plan.title}: {d.label}", d.due, d.status, plan.get_absolute_url(), str(d.source)
            )
        )
    report_url = url_maker("agreements:report-detail", keys=2)
    case_url = url_maker("consultations:consultation-detail")
    for report in reports:
        rows.append(
            DeadlineRow(
                str(report.agreement.title),
                report.due_date,
                "overdue" if report.due_date < today else "due",
                report_url(report.agreement_id, report.pk),
            )
        )
    # The standing tasks of ownership control have no deadline: only the dated ones count.
    for d in ownership:
        if d.needs_attention:
            rows.append(DeadlineRow(str(d.label), d.due, d.status, d.url, str(d.source)))

    for case in cases:
        answer_by = case.response_deadline
        if answer_by is None:  # pragma: no cover - filtered out above
            continue
        status = (
            "overdue"
            if answer_by < today
            else ("due" if (answer_by - today).days <= 30 else "upcoming")
        )
        rows.append(DeadlineRow(str(case.title), answer_by, status, case_url(case.pk)))
    rows.sort(key=lambda r: (r.due is None, r.due or today))
    overdue, due_soon = due
    deadlines = rows[: ROWS * 2]
    return OrganisationDesk(
        organisation=organisation,
        deadlines=deadlines,
        overdue=overdue,
        due_soon=due_soon,
        dashboard_url=reverse("agreements:organisation-dashboard", args=[organisation.pk]),
        deadline_items=portal_rows.deadline_items(deadlines),
        follow_up_items=portal_rows.follow_up_items(overdue, due_soon, CommitmentStatus.choices),
    )


#: What the page reads of a change (as light rows, ``core.light``): where it was made (the
#: record, or the part and its record), what was done, when and by whom; not the history's
#: before and after.
CHANGE_COLUMNS = (
    "pk",
    "created_at",
    "content_type_id",
    "object_id",
    "object_repr",
    "parent_content_type_id",
    "parent_object_id",
    "action",
    "actor_name",
    "actor_organisation_id",
)


def recent_changes(
    user: Any, organisations: list[Any], *, limit: int = CHANGES
) -> list[dict[str, Any]]:
    """The newest changes made on behalf of the organisations, to records (and parts) the user
    may see: what the changes feed (core/changes.py) would show this user."""
    if not organisations:
        return []
    from kraftsenter.core.changes import visible_changes
    from kraftsenter.core.registry import action_label
    from kraftsenter.core.timeline import VERBS

    # Each organisation's newest changes in the order of its index (actor's organisation,
    # time), merged here: history grows with every change, and one query over several
    # organisations would read and sort all of their changes to keep a few. At most the
    # newest ``limit * 4`` are looked at, read as far as the page needs: the newest ``limit``
    # of each organisation first (the newest ``limit`` of them all are among them), then
    # ``limit * 2`` and ``limit * 4`` when those do not give ``limit`` the user may see; their
    # records (and the parts changed) ``limit`` changes at a time. Reading them all, and the
    # records of all, was a millisecond of the page (issue 14). Each read's statement is
    # built once per size (core.prepared).
    alias = router.db_for_read(ChangeRecord)

    def order(change: Any) -> tuple[Any, ...]:
        return (change.created_at, change.pk)

    def newest(size: int) -> list[Any]:
        def build(organisation_id: int) -> Any:  # kept per size: the size is in the key
            ours = ChangeRecord.objects.filter(actor_organisation_id=organisation_id)
            return light(ours, *CHANGE_COLUMNS).order_by("-created_at", "-pk")[:size]

        # All the organisations' in one statement (core.light), each read sorted again.
        parts: list[Part] = [(("recent_changes", size), build, (o.pk,)) for o in organisations]
        read = prepared_light_together(("recent_changes_together", size), alias, parts)
        ordered = (sorted(rows, key=order, reverse=True) for rows in read)
        return list(heapq.merge(*ordered, key=order, reverse=True))[:size]

    by_pk = {organisation.pk: organisation for organisation in organisations}
    out: list[dict[str, Any]] = []
    size = limit
    window = newest(size)
    start = 0
    while len(out) < limit:
        if start >= len(window):
            if len(window) < size or size >= limit * 4:
                break  # every change read, or as many as are looked at
            size *= 2
            window = newest(size)  # the same first ones, then the next
            continue
        for change, record, _model, is_part in visible_changes(user, window[start : start + limit]):
            out.append(
                {
                    "time": change.created_at,
                    "action": action_label(change.action)
                    or VERBS.get(change.action.rsplit(".", 1)[-1], change.action),
                    "record": str(record),
                    "part": change.object_repr if is_part else "",
                    "url": record.get_absolute_url() if hasattr(record, "get_absolute_url") else "",
                    "actor": change.actor_name,
                    "organisation": by_pk.get(change.actor_organisation_id),
                }
            )
            if len(out) == limit:
                break
        start += limit
    return out


def start_page(request: HttpRequest) -> HttpResponse:
    from kraftsenter.actors.selectors import user_membership_list
    from kraftsenter.consultations.choices import Status

    user = request.user
    today = timezone.localdate()
    consultations, consultation_count = open_consultations(user)
    context: dict[str, Any] = {
        "figures": key_figures(home_region()),
        "consultations": consultations,
        "consultation_items": portal_rows.consultation_items(consultations, Status.choices),
        "consultation_count": consultation_count,
        "today": today,
    }
    if user.is_authenticated:
        memberships = user_membership_list(user=user, limit=ORGANISATIONS)
        organisations = [m.organisation for m in memberships]
        context["desks"] = organisation_desks(user, organisations, today)
        context["changes"] = changes = recent_changes(user, organisations)
        context["change_items"] = portal_rows.change_items(changes)
    return render(request, "portal/start.html", context)
