"""The page that computes small-town regions from commuting and compares them with saved ones.

Everyone may compute and compare (GET, nothing is written). Only site admins may save the result
as computed regions (POST, the same :func:`~kraftsenter.knowledge.regions.save_regions` as the
``compute_regions`` command).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kraftsenter.core.forms import StyledForm
from kraftsenter.places.choices import CentralityClass
from kraftsenter.places.models import Municipality, Region
from kraftsenter.places.permissions import REGION_POLICY

from . import regions
from .regions import ALONE, CENTRE, HINTERLAND, RegionInputError, RegionParameters

ROLE_LABELS = {
    CENTRE: gettext_lazy("centre"),
    HINTERLAND: gettext_lazy("hinterland"),
    ALONE: gettext_lazy("in no region"),
}
REASON_LABELS = {
    "selected": gettext_lazy("meets the centre criteria"),
    "listed": gettext_lazy("in the given list of centres"),
    "direct": gettext_lazy("commutes to the centre"),
    "split": gettext_lazy("commutes to two centres; the larger flow decides"),
    "indirect": gettext_lazy("commutes via a hinterland municipality"),
    "below_threshold": gettext_lazy("too little commuting to any centre"),
    "larger_labour_market": gettext_lazy("commutes more to a larger labour market"),
    "no_commuting_data": gettext_lazy("no commuting figures"),
}
PARAMETER_FIELDS = (
    "year",
    "centres",
    "min_population",
    "max_population",
    "centrality_classes",
    "threshold_percent",
    "larger_market_percent",
)


class RegionComputeForm(StyledForm):
    """The method's parameters. Ranges are checked by the method, so messages are the same as
    the command's."""

    year = forms.IntegerField(label=gettext_lazy("Commuting year"))
    centres = forms.CharField(
        label=gettext_lazy("Centres (municipality numbers)"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy(
            "Comma-separated, for example 3403, 5601. When given, the population and "
            "centrality criteria below are not used."
        ),
    )
    min_population = forms.IntegerField(label=gettext_lazy("Smallest population of a centre"))
    max_population = forms.IntegerField(label=gettext_lazy("Largest population of a centre"))
    centrality_classes = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Centrality classes of centres"),
        choices=CentralityClass.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    threshold_percent = forms.FloatField(
        label=gettext_lazy("Commuting threshold (%)"),
        help_text=gettext_lazy(
            "Share of a municipality's employed residents who work in a centre that makes it "
            "part of the centre's region."
        ),
    )
    larger_market_percent = forms.FloatField(
        label=gettext_lazy("Larger labour market (%)"),
        help_text=gettext_lazy(
            "Share of employed residents working in one place with more jobs that is no centre "
            "(a city). Such municipalities are neither centres nor hinterland."
        ),
    )

    def __init__(self, *args, years: Sequence[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if years:
            self.fields["year"].help_text = _("Years with commuting figures: %(years)s.") % {
                "years": ", ".join(map(str, years))
            }
            self.fields["year"].widget.attrs["aria-describedby"] = "id_year-help"

    @staticmethod
    def initial_for(years: list[int]) -> dict:
        defaults = RegionParameters()
        return {
            "year": years[-1] if years else None,
            "min_population": defaults.min_population,
            "max_population": defaults.max_population,
            "centrality_classes": list(defaults.centrality_classes),
            "threshold_percent": defaults.threshold_percent,
            "larger_market_percent": defaults.larger_market_percent,
        }

    def parameters(self) -> RegionParameters:
        data = self.cleaned_data
        centres = tuple(
            n.strip() for n in data["centres"].replace(";", ",").split(",") if n.strip()
        )
        return RegionParameters(
            centres=centres,
            min_population=data["min_population"],
            max_population=data["max_population"],
            centrality_classes=tuple(data["centrality_classes"]),
            threshold_percent=data["threshold_percent"],
            larger_market_percent=data["larger_market_percent"],
        )


def saved_regions() -> list[Region]:
    """Active saved regions with their centre and members' numbers and names (two queries)."""
    members = Municipality.objects.only("id", "number", "name")
    return list(
        Region.objects.active()
        .select_related("centre")
        .only("id", "name", "slug", "source", "source_detail", "centre__number", "centre__name")
        .prefetch_related(Prefetch("hinterland", queryset=members))
    )


def _compute(form: RegionComputeForm) -> regions.RegionResult | None:
    """The result, or None with the problems added to the form."""
    if not form.is_valid():
        return None
    try:
        return regions.compute_for_year(form.cleaned_data["year"], form.parameters())
    except RegionInputError as exc:
        for name, problems in exc.errors.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return None


def _rows(comparison: regions.Comparison) -> tuple[list[dict], list[dict]]:
    """Rows for the result tables: by region (centre first), and the municipalities in none."""
    names = {a.number: a.name for a, _saved in comparison.municipalities}

    def row(a: regions.Assignment, saved: list[str]) -> dict:
        return {
            "a": a,
            "role": ROLE_LABELS[a.role],
            "reason": REASON_LABELS[a.reason],
            "centre_name": names.get(a.centre, ""),
            "via_name": names.get(a.via, ""),
            "secondary_name": names.get(a.secondary, ""),
            "saved": saved,
        }

    in_regions: list[dict[str, Any]] = []
    alone: list[dict[str, Any]] = []
    for a, saved in comparison.municipalities:
        (alone if a.role == ALONE else in_regions).append(row(a, saved))
    in_regions.sort(key=lambda r: (names[r["a"].centre], r["a"].role != CENTRE, r["a"].name))
    return in_regions, alone


def _comparison_row(c: regions.RegionComparison) -> dict:
    """Member names joined for the side-by-side table, each centre first."""

    def names(centre: str, *groups: list[tuple[str, str]]) -> str:
        members = sorted(sum(groups, []), key=lambda m: (m[0] != centre, m[0]))
        return ", ".join(name for _number, name in members)

    saved_centre = c.saved.centre.number if c.saved else ""
    return {
        "c": c,
        "saved": names(saved_centre, c.same, c.removed) if c.saved else "",
        "computed": names(c.computed_centre, c.same, c.added) if c.computed_centre else "",
        "added": names(c.computed_centre, c.added),
        "removed": names(saved_centre, c.removed),
    }


def _parameter_pairs(form: RegionComputeForm, source, bound: bool) -> list[tuple[str, str]]:
    """The parameters as (name, value) pairs: for the save form and the CSV link."""
    if bound:
        return [(name, v) for name in PARAMETER_FIELDS for v in source.getlist(name)]
    pairs = []
    for name in PARAMETER_FIELDS:
        value = form.initial.get(name)
        for v in value if isinstance(value, list) else [value]:
            if v is not None:
                pairs.append((name, str(v)))
    return pairs


def _save(request: HttpRequest, form: RegionComputeForm, result, pairs) -> HttpResponse | None:
    """Save the result (site admins only); a redirect, or None with the problem on the form."""
    try:
        created, archived = regions.save_regions(
            result, actor=request.user, replace=request.POST.get("replace") == "on"
        )
    except RegionInputError as exc:
        for problems in exc.errors.values():
            for problem in problems:
                form.add_error(None, problem)
        return None
    messages.success(
        request,
        _("Saved %(created)s computed regions for %(year)s; archived %(archived)s.")
        % {"created": len(created), "year": result.year, "archived": archived},
    )
    return redirect(f"{request.path}?{urlencode(pairs)}")


def region_compute(request: HttpRequest) -> HttpResponse:
    """GET: compute with the parameters in the address (defaults when none); ``format=csv``
    gives the CSV. POST: save the result as computed regions (site admins)."""
    if request.method == "POST" and not REGION_POLICY.can(request.user, "save_computed_regions"):
        raise PermissionDenied(REGION_POLICY.denied_message("save_computed_regions"))
    years = regions.available_years()
    source = request.POST if request.method == "POST" else request.GET
    bound = any(name in source for name in PARAMETER_FIELDS)
    initial = RegionComputeForm.initial_for(years)
    form = RegionComputeForm(source if bound else None, initial=initial, years=years)
    pairs = _parameter_pairs(form, source, bound)
    result = None
    if bound:
        result = _compute(form)
    elif years:
        result = regions.compute_for_year(years[-1], RegionParameters())
    if result is not None and bound and request.method == "POST":
        if (response := _save(request, form, result, pairs)) is not None:
            return response
    elif result is not None and request.GET.get("format") == "csv":
        response = HttpResponse(result.to_csv(), content_type="text/csv; charset=utf-8")
        filename = f"smabyregioner-{result.year}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    shown = result if not form.errors else None
    context: dict[str, Any] = {
        "form": form,
        "years": years,
        "result": shown,
        "pairs": pairs,
        "query": urlencode(pairs),
        "can_save": REGION_POLICY.can(request.user, "save_computed_regions"),
    }
    if shown is not None:
        comparison = regions.compare_with_saved(shown, saved_regions())
        context["rows"], context["alone"] = _rows(comparison)
        context["comparison"] = [_comparison_row(c) for c in comparison.regions]
        context["counts"] = {
            role: sum(a.role == role for a in shown.assignments.values())
            for role in (CENTRE, HINTERLAND, ALONE)
        }
    return render(
        request, "knowledge/region_compute.html", context, status=422 if form.errors else 200
    )
