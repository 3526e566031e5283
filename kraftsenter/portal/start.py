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
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Model, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from kraftsenter.core.models import ChangeRecord
from kraftsenter.core.registry import register_for

#: The region whose figures the start page shows, by its short name in addresses. Settable
#: with ``KRAFTSENTER_HOME_REGION``; else the demo's region, else the first region by name.
DEFAULT_HOME_REGION = "hamarregionen"  # settings.KRAFTSENTER_HOME_REGION overrides
#: How many of the user's organisations the page covers (the first by name).
ORGANISATIONS = 3
#: How many rows each list on the page shows before linking to the full list.
ROWS = 5
#: How many recent changes the page shows.
CHANGES = 8


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


def home_region() -> Any:
    from kraftsenter.places.models import Region

    regions = Region.objects.active().select_related("centre", "centre__county")
    wanted = getattr(settings, "KRAFTSENTER_HOME_REGION", "") or DEFAULT_HOME_REGION
    return regions.filter(slug=wanted).first() or regions.order_by("name").first()


def key_figures(region: Any) -> KeyFigures | None:
    if region is None:
        return None
    from kraftsenter.knowledge.profile import region_profile

    profile = region_profile(region)
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
    from kraftsenter.consultations.selectors import consultation_list

    qs = consultation_list(user=user).filter(
        status__in=[Status.SCREENING, Status.NOTIFIED, Status.IN_CONSULTATION]
    )
    return list(qs.order_by("response_deadline", "-pk")[:limit]), qs.count()


def organisation_desk(user: Any, organisation: Any, today: dt.date) -> OrganisationDesk:
    from kraftsenter.agreements.dashboards import organisation_dashboard
    from kraftsenter.consultations.choices import Status
    from kraftsenter.consultations.selectors import consultation_list

    data = organisation_dashboard(user=user, organisation=organisation, today=today)
    rows: list[DeadlineRow] = []
    for plan, d in data.plan_deadlines:
        rows.append(
            DeadlineRow(
                f"{plan.title}: {d.label}", d.due, d.status, plan.get_absolute_url(), str(d.source)
            )
        )
    for report in data.reports:
        rows.append(
            DeadlineRow(
                str(report.agreement.title),
                report.due_date,
                "overdue" if report.due_date < today else "due",
                report.get_absolute_url(),
            )
        )
    for d in data.ownership_deadlines:
        if d.needs_attention:
            rows.append(DeadlineRow(str(d.label), d.due, d.status, d.url, str(d.source)))
    open_cases = (
        consultation_list(user=user)
        .filter(
            status__in=[Status.NOTIFIED, Status.IN_CONSULTATION], response_deadline__isnull=False
        )
        .filter(
            Q(authority=organisation)
            | Q(parties__organisation=organisation, parties__archived_at__isnull=True)
        )
        .distinct()
        .order_by("response_deadline")[:ROWS]
    )
    for case in open_cases:
        due = case.response_deadline
        if due is None:  # pragma: no cover - filtered out above
            continue
        status = "overdue" if due < today else ("due" if (due - today).days <= 30 else "upcoming")
        rows.append(DeadlineRow(str(case), due, status, case.get_absolute_url()))
    rows.sort(key=lambda r: (r.due is None, r.due or today))
    return OrganisationDesk(
        organisation=organisation,
        deadlines=rows[: ROWS * 2],
        overdue=data.overdue[:ROWS],
        due_soon=data.due_soon[:ROWS],
        dashboard_url=reverse("agreements:organisation-dashboard", args=[organisation.pk]),
    )


def recent_changes(
    user: Any, organisations: list[Any], *, limit: int = CHANGES
) -> list[dict[str, Any]]:
    """The newest changes made on behalf of the organisations, to records the user may see."""
    if not organisations:
        return []
    window = list(
        ChangeRecord.objects.filter(actor_organisation__in=organisations)
        .select_related("content_type", "actor_organisation")
        .order_by("-created_at", "-pk")[: limit * 4]
    )
    from django.contrib.contenttypes.models import ContentType

    wanted: dict[type[Model], set[str]] = defaultdict(set)
    placed = []
    for change in window:
        model = change.content_type.model_class()
        pk = change.object_id
        if model is None or register_for(model) is None:
            parent = (
                ContentType.objects.get_for_id(change.parent_content_type_id).model_class()
                if change.parent_content_type_id
                else None
            )
            if parent is None or register_for(parent) is None:
                continue
            model, pk = parent, change.parent_object_id
        placed.append((change, model, pk))
        wanted[model].add(pk)
    records: dict[tuple[type[Model], str], Model] = {}
    for model, ids in wanted.items():
        entry = register_for(model)
        assert entry is not None
        for obj in entry.policy.visible(user, model._default_manager.filter(pk__in=ids)):
            records[(model, str(obj.pk))] = obj
    from kraftsenter.core.registry import action_label
    from kraftsenter.core.timeline import VERBS

    out = []
    for change, model, pk in placed:
        record = records.get((model, str(pk)))
        if record is None:
            continue
        out.append(
            {
                "time": change.created_at,
                "action": action_label(change.action)
                or VERBS.get(change.action.rsplit(".", 1)[-1], change.action),
                "record": str(record),
                "part": change.object_repr
                if model is not change.content_type.model_class()
                else "",
                "url": record.get_absolute_url() if hasattr(record, "get_absolute_url") else "",
                "actor": change.actor_name,
                "organisation": change.actor_organisation,
            }
        )
        if len(out) == limit:
            break
    return out


def start_page(request: HttpRequest) -> HttpResponse:
    from kraftsenter.actors.selectors import user_memberships

    user = request.user
    today = timezone.localdate()
    consultations, consultation_count = open_consultations(user)
    context: dict[str, Any] = {
        "figures": key_figures(home_region()),
        "consultations": consultations,
        "consultation_count": consultation_count,
        "today": today,
    }
    if user.is_authenticated:
        memberships = list(
            user_memberships(user=user).order_by("organisation__name")[:ORGANISATIONS]
        )
        organisations = [m.organisation for m in memberships]
        context["desks"] = [organisation_desk(user, org, today) for org in organisations]
        context["changes"] = recent_changes(user, organisations)
    return render(request, "portal/start.html", context)
