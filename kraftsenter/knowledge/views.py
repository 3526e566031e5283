"""Scenario pages: list and compare, detail with the pathway, create, edit, history, archive."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kraftsenter.core.exceptions import ConflictError
from kraftsenter.core.forms import apply_validation_error
from kraftsenter.core.svg import Series, multi_line_chart
from kraftsenter.core.views import RecordArchiveView, RecordDetailView, RecordHistoryView
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
            "can_create": SCENARIO_POLICY.can_create(request.user),
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


class ScenarioMixin:
    policy = SCENARIO_POLICY
    get_record = staticmethod(selectors.scenario_get)
    service_object_name = "scenario"
    tabs_template = "knowledge/_scenario_tabs.html"


class ScenarioDetailView(ScenarioMixin, RecordDetailView):
    template_name = "knowledge/scenario_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scenario = self.get_object()
        result = scenarios.compute(scenario)
        context.update({"result": result, "chart": chart_for(scenario, result)})
        return context


class ScenarioHistoryView(ScenarioMixin, RecordHistoryView):
    pass


class ScenarioArchiveView(ScenarioMixin, RecordArchiveView):
    archive_service = staticmethod(services.scenario_archive)


class ScenarioRestoreView(ScenarioMixin, RecordArchiveView):
    archive_service = staticmethod(services.scenario_restore)
    restore = True


def _form_for(request, region, municipality, scenario=None, initial=None):
    munis = [municipality] if municipality else [region.centre, *region.hinterland.all()]
    years = scenarios.emission_years(munis)
    sectors = sorted(scenarios.sector_baseline(munis, years[-1])) if years else []
    return ScenarioForm(request.POST or None, years=years, sectors=sectors, initial=initial), years


def _save(request, form, region, municipality, scenario=None):
    data = {
        k: form.cleaned_data.get(k)
        for k in ("name", "owner", "base_year", "target_year", "target_cut_percent", "description")
    }
    data["description"] = data["description"] or ""
    data["measures"] = form.measures()
    if scenario is None:
        return services.scenario_create(
            actor=request.user, region=region, municipality=municipality, **data
        )
    return services.scenario_update(
        actor=request.user,
        scenario=scenario,
        expected_version=form.cleaned_data.get("version"),
        reason=form.cleaned_data.get("reason") or "",
        **data,
    )


@login_required
def scenario_create(request: HttpRequest) -> HttpResponse:
    if not SCENARIO_POLICY.can_create(request.user):
        raise PermissionDenied(
            _("Only editors and administrators of an organisation may save scenarios.")
        )
    region, municipality = _place(request)
    if region is None and municipality is None:
        return render(
            request,
            "knowledge/scenario_choose_place.html",
            {"regions": Region.objects.active().select_related("centre")},
        )
    form, years = _form_for(request, region, municipality)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = _save(request, form, region, municipality)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(scenario.get_absolute_url())
    return render(
        request,
        "knowledge/scenario_form.html",
        {"form": form, "years": years, "place": region or municipality},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = selectors.scenario_get(user=request.user, pk=pk)
    if not SCENARIO_POLICY.can_edit(request.user, scenario):
        raise PermissionDenied(_("You do not have permission to change this record."))
    initial = {
        "name": scenario.name,
        "base_year": scenario.base_year,
        "target_year": scenario.target_year,
        "target_cut_percent": scenario.target_cut_percent,
        "description": scenario.description,
        "version": scenario.version,
        "owner": (scenario.owner.organisation_number or scenario.owner.name)
        if scenario.owner
        else "",
    }
    form, years = _form_for(request, scenario.region, scenario.municipality, scenario, initial)
    for index, sector in enumerate(form.sectors):
        form.fields[f"measure_{index}"].initial = (scenario.measures or {}).get(sector)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, scenario.region, scenario.municipality, scenario)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except ConflictError as exc:
            form.add_error(
                None,
                _(
                    "Someone else saved this record while you were editing (now version "
                    "%(version)s). Your input is kept; open the record in a new tab to compare, "
                    "then save again."
                )
                % {"version": exc.current_version},
            )
            data = form.data.copy()
            data["version"] = str(exc.current_version)
            form.data = data
            status = 409
        else:
            messages.success(request, _("Saved."))
            return redirect(scenario.get_absolute_url())
    if request.method == "POST" and status == 200:
        status = 422
    return render(
        request,
        "knowledge/scenario_form.html",
        {
            "form": form,
            "years": years,
            "object": scenario,
            "place": scenario.region or scenario.municipality,
        },
        status=status,
    )
