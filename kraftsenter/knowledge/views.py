"""Scenario pages: list and compare, detail with the pathway, create, edit, history, archive."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kraftsenter.core.svg import Series, multi_line_chart
from kraftsenter.core.views import RecordDetailView, RecordFormView, RecordMixin
from kraftsenter.places.models import Municipality, Region

from . import scenarios, selectors, services
from .forms import ScenarioForm
from .models import Scenario
from .permissions import SCENARIO_POLICY


def _place(request: HttpRequest):
    """The region (``?region=slug``) or municipality (``?kommune=number``) asked for."""
    slug, number = request.GET.get("region"), request.GET.get("kommune")
    if slug:
        region = Region.objects.active().filter(slug=slug).first()
        if region is None:
            raise Http404
        return region, None
    if number:
        municipality = Municipality.objects.filter(number=number).first()
        if municipality is None:
            raise Http404
        return None, municipality
    return None, None


def scenario_list(request: HttpRequest) -> HttpResponse:
    region, municipality = _place(request)
    items = list(
        selectors.scenario_list(user=request.user, region=region, municipality=municipality)
    )
    compared = [(s, scenarios.compute(s)) for s in items] if (region or municipality) else []
    return render(
        request,
        "knowledge/scenario_list.html",
        {
            "scenarios": items,
            "compared": compared,
            "region": region,
            "municipality": municipality,
            "can_create": SCENARIO_POLICY.can(request.user, "create"),
        },
    )


def chart_for(scenario: Scenario, result: scenarios.ScenarioResult):
    if not result.has_data:
        return ""
    history = Series(_("Emissions"), "ks-series-history", result.history)
    pathway = Series(
        _("Pathway with the measures"),
        "ks-series-pathway",
        [(y, p) for y, p, _t in result.pathway],
        dashed=True,
    )
    target = Series(
        _("Target"),
        "ks-series-target",
        [(scenario.base_year, result.target_total), (scenario.target_year, result.target_total)],
        dashed=True,
    )
    return multi_line_chart(
        [history, pathway, target],
        title=_("Emissions and pathway to %(year)s for %(name)s")
        % {"year": scenario.target_year, "name": scenario.name},
        description=_(
            "Emissions by year, the pathway the measures give, and the target. "
            "The numbers are in the tables below."
        ),
    )


class ScenarioMixin(RecordMixin):
    policy = SCENARIO_POLICY
    get_record = staticmethod(selectors.scenario_get)
    service_object_name = "scenario"


class ScenarioDetailView(ScenarioMixin, RecordDetailView):
    template_name = "knowledge/scenario_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scenario = self.get_object()
        result = scenarios.compute(scenario)
        context.update({"result": result, "chart": chart_for(scenario, result)})
        return context


SCENARIO_FIELDS = (
    "name",
    "owner",
    "base_year",
    "target_year",
    "target_cut_percent",
    "description",
)


class ScenarioFormView(ScenarioMixin, RecordFormView):
    """New scenario for a place (``?region=slug`` or ``?kommune=number``; without one, the page
    asks for the place first) or edit one. The place's sectors become one field each."""

    form_class = ScenarioForm
    template_name = "knowledge/scenario_form.html"
    fields = SCENARIO_FIELDS
    create_service = staticmethod(services.scenario_create)
    update_service = staticmethod(services.scenario_update)

    def place(self):
        if not hasattr(self, "_place"):
            if self.is_update:
                scenario = self.get_object()
                self._place = (scenario.region, scenario.municipality)
            else:
                self._place = _place(self.request)
        return self._place

    def dispatch(self, request, *args, **kwargs):
        if not self.is_update and request.user.is_authenticated and self.place() == (None, None):
            if not self.policy.can(request.user, "create"):
                raise PermissionDenied(self.policy.denied_message("create"))
            return render(
                request,
                "knowledge/scenario_choose_place.html",
                {"regions": Region.objects.active().select_related("centre")},
            )
        return super().dispatch(request, *args, **kwargs)

    def extra_form_kwargs(self):
        region, municipality = self.place()
        munis = [municipality] if municipality else [region.centre, *region.hinterland.all()]
        self.years = scenarios.emission_years(munis)
        sectors = sorted(scenarios.sector_baseline(munis, self.years[-1])) if self.years else []
        return {"years": self.years, "sectors": sectors}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.is_update and not form.is_bound:
            measures = self.get_object().measures or {}
            for index, sector in enumerate(form.sectors):
                form.fields[f"measure_{index}"].initial = measures.get(sector)
        return form

    def adjust_initial(self, initial):
        owner = initial.get("owner")
        initial["owner"] = (owner.organisation_number or owner.name) if owner else ""
        return initial

    def get_title(self) -> str:
        if self.is_update:
            return _("Edit %(name)s") % {"name": self.get_object().name}
        region, municipality = self.place()
        return _("New scenario for %(place)s") % {"place": region or municipality}

    def service_data(self, form):
        data = super().service_data(form)
        data["measures"] = form.measures()
        if not self.is_update:
            data["region"], data["municipality"] = self.place()
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = getattr(self, "years", None)
        if not self.is_update:
            context["cancel_url"] = reverse("knowledge:scenario-list")
        return context
