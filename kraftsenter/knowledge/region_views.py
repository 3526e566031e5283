"""The page that computes regions from commuting and compares them with saved ones.

Both modes are computed from the same data: small-town regions (the default) and labour-market
regions for the whole country; the chosen mode is the result (table, CSV, saving), and the two
are shown side by side. Everyone may compute and compare (GET, nothing is written). Only site
admins may save the result as computed regions (POST, the same
:func:`~kraftsenter.knowledge.regions.save_regions` as the ``compute_regions`` command).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
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

from . import labour_market, regions
from .labour_market import LabourMarketParameters
from .regions import (
    ALONE,
    CENTRE,
    HINTERLAND,
    LABOUR_MARKET,
    SMALL_TOWN,
    RegionInputError,
    RegionParameters,
)

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
    labour_market.SELF_CONTAINED: gettext_lazy("sends too few commuters to any bigger place"),
    labour_market.COMMUTES: gettext_lazy("commutes most to a centre of the region"),
    labour_market.VIA_HINTERLAND: gettext_lazy("commutes to a municipality in the centre's region"),
    labour_market.FOLDED: gettext_lazy("a centre that folded into a bigger region"),
}
SMALL_TOWN_FIELDS = (
    "centres",
    "min_population",
    "max_population",
    "centrality_classes",
    "threshold_percent",
    "larger_market_percent",
)
MARKET_FIELDS = ("centre_percent", "fold_percent", "large_jobs", "large_percent")
PARAMETER_FIELDS = ("year", "mode", *SMALL_TOWN_FIELDS, *MARKET_FIELDS)
CSV_NAMES = {SMALL_TOWN: "smabyregioner", LABOUR_MARKET: "arbeidsmarkedsregioner"}


class RegionComputeForm(StyledForm):
    """The method's parameters. Ranges are checked by the method, so messages are the same as
    the command's."""

    year = forms.IntegerField(label=gettext_lazy("Commuting year"))
    mode = forms.ChoiceField(
        label=gettext_lazy("Result"),
        choices=[
            (SMALL_TOWN, gettext_lazy("Small-town regions")),
            (LABOUR_MARKET, gettext_lazy("Labour-market regions for the whole country")),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Both are computed and compared below; the result is the one shown in full, "
            "downloaded and saved."
        ),
    )
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

    # Labour-market mode: left empty, a parameter takes its default.
    centre_percent = forms.FloatField(
        label=gettext_lazy("Centre threshold (%)"),
        required=False,
        help_text=gettext_lazy(
            "A municipality that sends this share of its employed residents to one municipality "
            "with more jobs is no centre; it joins the centre that receives most of its "
            "commuters."
        ),
    )
    fold_percent = forms.FloatField(
        label=gettext_lazy("Fold threshold (%)"),
        required=False,
        help_text=gettext_lazy(
            "A centre that sends this share of its employed residents to a region with a bigger "
            "centre folds into that region, with its hinterland."
        ),
    )
    large_jobs = forms.IntegerField(
        label=gettext_lazy("Jobs in a large job centre"),
        required=False,
        help_text=gettext_lazy(
            "A centre with at least this many jobs folds only at the threshold below."
        ),
    )
    large_percent = forms.FloatField(
        label=gettext_lazy("Fold threshold of a large job centre (%)"), required=False
    )

    def __init__(self, *args, years: Sequence[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if years:
            self.fields["year"].help_text = _("Years with commuting figures: %(years)s.") % {
                "years": ", ".join(map(str, years))
            }
            self.fields["year"].widget.attrs["aria-describedby"] = "id_year-help"

    def small_town_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SMALL_TOWN_FIELDS]

    def market_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in MARKET_FIELDS]

    @staticmethod
    def initial_for(years: list[int]) -> dict:
        defaults, market = RegionParameters(), LabourMarketParameters()
        return {
            "year": years[-1] if years else None,
            "mode": SMALL_TOWN,
            "centre_percent": market.centre_percent,
            "fold_percent": market.fold_percent,
            "large_jobs": market.large_jobs,
            "large_percent": market.large_percent,
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

    def market_parameters(self) -> LabourMarketParameters:
        data, defaults = self.cleaned_data, asdict(LabourMarketParameters())
        given = {name: data[name] for name in MARKET_FIELDS if data.get(name) is not None}
        return LabourMarketParameters(**{**defaults, **given})

    def chosen_mode(self) -> str:
        return self.cleaned_data.get("mode") or SMALL_TOWN


def saved_regions() -> list[Region]:
    """Active saved regions with their centre and members' numbers and names (two queries)."""
    members = Municipality.objects.only("id", "number", "name")
    return list(
        Region.objects.active()
        .select_related("centre")
        .only("id", "name", "slug", "source", "source_detail", "centre__number", "centre__name")
        .prefetch_related(Prefetch("hinterland", queryset=members))
    )


def _compute(form: RegionComputeForm) -> labour_market.BothModes | None:
    """Both modes, or None with the problems added to the form."""
    if not form.is_valid():
        return None
    try:
        return labour_market.compute_both_for_year(
            form.cleaned_data["year"], form.parameters(), form.market_parameters()
        )
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


def _summary_rows(summaries: list[labour_market.RegionSummary], names: dict[str, str]) -> list:
    """Rows of the regions table: centre, members (by name) and both sides of self-containment."""

    def joined(numbers: list[str]) -> str:
        return ", ".join(sorted(names.get(n, n) for n in numbers))

    return [
        {
            "s": s,
            "centre_name": names.get(s.centre, s.centre),
            "members": joined(s.members[1:]),
            "small_town": joined(s.small_town_centres),
            "no_small_town": joined(s.in_no_small_town_region),
        }
        for s in summaries
    ]


def _mode_context(both: labour_market.BothModes, shown: regions.RegionResult) -> dict[str, Any]:
    """The regions of the result with their self-containment, and the two modes side by side."""
    names = {n: a.name for n, a in shown.assignments.items()}
    side = labour_market.compare_modes(both.small_town, both.labour_market, both.flows)
    nested = [s for s in side.regions if len(s.members) > 1 or s.small_town_centres]
    return {
        "summaries": _summary_rows(labour_market.region_summaries(shown, both.flows), names),
        "side_by_side": _summary_rows(nested, names),
        "single": len(side.regions) - len(nested),
        "moves": [
            {
                "m": m,
                "name": names.get(m.number, m.number),
                "small_town": names.get(m.small_town_centre, ""),
                "labour_market": names.get(m.labour_market_centre, ""),
                "centre_labour_market": names.get(m.centre_labour_market, ""),
            }
            for m in side.moves
        ],
    }


def region_compute(request: HttpRequest) -> HttpResponse:
    """GET: compute both modes with the parameters in the address (defaults when none);
    ``format=csv`` gives the chosen mode's CSV. POST: save the chosen mode's result as computed
    regions (site admins)."""
    if request.method == "POST" and not REGION_POLICY.can(request.user, "save_computed_regions"):
        raise PermissionDenied(REGION_POLICY.denied_message("save_computed_regions"))
    years = regions.available_years()
    source = request.POST if request.method == "POST" else request.GET
    bound = any(name in source for name in PARAMETER_FIELDS if name != "mode")
    initial = RegionComputeForm.initial_for(years)
    if source.get("mode") == LABOUR_MARKET:  # a link that only names the mode
        initial["mode"] = LABOUR_MARKET
    form = RegionComputeForm(source if bound else None, initial=initial, years=years)
    pairs = _parameter_pairs(form, source, bound)
    both = None
    if bound:
        both = _compute(form)
    elif years:
        both = labour_market.compute_both_for_year(
            years[-1], RegionParameters(), LabourMarketParameters()
        )
    mode = form.chosen_mode() if bound and both is not None else initial["mode"]
    result = both.result(mode) if both is not None else None
    if result is not None and bound and request.method == "POST":
        if (response := _save(request, form, result, pairs)) is not None:
            return response
    elif result is not None and request.GET.get("format") == "csv":
        response = HttpResponse(result.to_csv(), content_type="text/csv; charset=utf-8")
        filename = f"{CSV_NAMES[mode]}-{result.year}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    shown = result if not form.errors else None
    context: dict[str, Any] = {
        "form": form,
        "years": years,
        "result": shown,
        "mode": mode,
        "labour_market": mode == LABOUR_MARKET,
        "pairs": pairs,
        "query": urlencode(pairs),
        "can_save": REGION_POLICY.can(request.user, "save_computed_regions"),
    }
    if shown is not None and both is not None:
        comparison = regions.compare_with_saved(shown, saved_regions())
        context["rows"], context["alone"] = _rows(comparison)
        context["comparison"] = [_comparison_row(c) for c in comparison.regions]
        context["counts"] = {
            role: sum(a.role == role for a in shown.assignments.values())
            for role in (CENTRE, HINTERLAND, ALONE)
        }
        context.update(_mode_context(both, shown))
    return render(
        request, "knowledge/region_compute.html", context, status=422 if form.errors else 200
    )
