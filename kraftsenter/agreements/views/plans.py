"""Plan pages: list, detail with computed deadlines, history, create, edit, archive, items,
and the county view of every municipality's planning strategy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kraftsenter.core.views import (
    FilteredListView,
    PartFormView,
    RecordDetailView,
    RecordFormView,
    RecordMixin,
)
from kraftsenter.places.selectors import county_get

from .. import planning, selectors, services
from ..dashboards import county_strategies
from ..filters import PlanFilter
from ..forms import PlanAdoptionForm, PlanForm, PlanItemForm
from ..permissions import PLAN_POLICY

PLAN_FIELDS = (
    "title",
    "kind",
    "owner",
    "partners",
    "parent",
    "based_on",
    "election_year",
    "constituted_on",
    "status",
    "deadline",
    "proposal_published_on",
    "hearing_start",
    "hearing_end",
    "programme_hearing_start",
    "programme_hearing_end",
    "adopted_on",
    "revised_on",
    "sami_language_section",
    "document_url",
    "description",
)


class PlanListView(FilteredListView):
    filterset_class = PlanFilter
    policy = PLAN_POLICY
    template_name = "agreements/plan_list.html"
    context_object_name = "plans"
    csv_filename = "planer"
    csv_columns = (
        ("id", lambda p: p.pk),
        ("plan", lambda p: p.title),
        ("type", lambda p: p.kind),
        ("eier", lambda p: p.owner.name),
        ("valgperiode", lambda p: p.election_period),
        ("status", lambda p: p.status),
        ("vedtatt", lambda p: p.adopted_on),
        ("advarsler", lambda p: " ".join(w["code"] for w in p.warnings)),
    )

    def get_base_queryset(self):
        return selectors.plan_list(user=self.request.user)


class PlanMixin(RecordMixin):
    policy = PLAN_POLICY
    get_record = staticmethod(selectors.plan_get)
    service_object_name = "plan"


class PlanDetailView(PlanMixin, RecordDetailView):
    template_name = "agreements/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.get_object()
        today = timezone.localdate()
        deadlines = planning.plan_deadlines(plan, today)
        partners = list(plan.partners.all())
        adoptions = {a.organisation_id: a for a in plan.active_adoptions}
        context.update(
            {
                "deadlines": deadlines,
                # The law's deadlines and duties the plan's dates break (saved with the plan),
                # and the deadlines that have passed or approach today.
                "warnings": plan.warnings,
                "deadline_alerts": planning.deadline_alerts(deadlines),
                "participants": [(o, adoptions.get(o.pk)) for o in [plan.owner, *partners]]
                if partners
                else [],
                "sami_area": planning.in_sami_language_area(
                    plan.owner, plan.adopted_on or timezone.localdate()
                ),
                "needs_sami_section": planning.sami_section_required(
                    plan.kind, plan.owner, plan.adopted_on, timezone.localdate()
                ),
                "problems": [v for v in services.plan_violations(plan, partners) if v is not None],
            }
        )
        return context


class PlanFormView(PlanMixin, RecordFormView):
    form_class = PlanForm
    fields = PLAN_FIELDS
    create_service = staticmethod(services.plan_create)
    update_service = staticmethod(services.plan_update)

    def get_title(self) -> str:
        return _("Edit the plan") if self.is_update else _("Register a plan")

    def extra_form_kwargs(self):
        plans = selectors.plans_for_choice()
        if self.is_update:
            plans = plans.exclude(pk=self.get_object().pk)
        return {"plans": plans}


class PlanItemAddView(PlanMixin, PartFormView):
    action = "add_item"
    form_class = PlanItemForm
    service = staticmethod(services.plan_item_add)
    title = gettext_lazy("Add an item")

    def extra_form_kwargs(self):
        return {"items": selectors.plan_items_for_choice().exclude(plan=self.get_object())}


class PlanAdoptionAddView(PlanMixin, PartFormView):
    """One participant's council adopted the inter-municipal plan (pbl. § 9-3 third
    paragraph)."""

    action = "record_adoption"
    form_class = PlanAdoptionForm
    service = staticmethod(services.plan_adoption_record)
    title = gettext_lazy("Record a council's adoption")

    def extra_form_kwargs(self):
        plan = self.get_object()
        return {"participants": [plan.owner, *plan.partners.all()]}


def county_plan_strategies(request: HttpRequest, number: str) -> HttpResponse:
    """Every municipality's planning strategy in a county, due and overdue highlighted."""
    county = county_get(number=number)
    today = timezone.localdate()
    current = planning.current_election_year(today)
    try:
        year = int(request.GET.get("valgar", current))
    except ValueError:
        year = current
    if not planning.is_election_year(year):
        year = current
    rows = county_strategies(user=request.user, county=county, year=year, today=today)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
        row.status_label = STRATEGY_STATUS_LABELS[row.status]
    summary = [(c, label, counts[c]) for c, label in STRATEGY_STATUS_LABELS.items() if c in counts]
    return render(
        request,
        "agreements/county_strategies.html",
        {
            "county": county,
            "rows": rows,
            "year": year,
            "period": f"{year}–{year + 4}",
            "deadline": planning.strategy_deadline(year),
            "previous_year": year - 4,
            "next_year": year + 4 if year + 4 <= current else None,
            "summary": summary,
        },
    )


STRATEGY_STATUS_LABELS = {
    "met": gettext_lazy("Adopted in time"),
    "late": gettext_lazy("Adopted after the deadline"),
    "overdue": gettext_lazy("The deadline has passed"),
    "due": gettext_lazy("The deadline is approaching"),
    "upcoming": gettext_lazy("Not yet due"),
    "unregistered": gettext_lazy("Not registered"),
    "unknown": gettext_lazy("Unknown"),
}
