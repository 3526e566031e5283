"""Shared page views: a filtered, paginated list with CSV export; front page; error pages."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.generic import ListView

from .models import DataImport


class _Echo:
    def write(self, value: str) -> str:
        return value


class FilteredListView(ListView):
    """A register's list page: FilterSet from ``filters.py``, base queryset from a selector.

    Subclasses set ``filterset_class``, ``template_name``, ``csv_columns`` and implement
    ``get_base_queryset`` (a selector call). ``?format=csv`` downloads the filtered list as
    UTF-8 CSV with a byte-order mark, so that Excel shows Norwegian letters correctly.
    """

    filterset_class: Any = None
    paginate_by = 50
    csv_columns: Sequence[tuple[str, Callable[[Any], Any]]] = ()
    csv_filename = "export"

    def get_base_queryset(self):  # pragma: no cover - always overridden
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("format") == "csv" and self.csv_columns:
            return self.csv_response(self.get_queryset())
        return super().get(request, *args, **kwargs)

    def csv_response(self, queryset) -> StreamingHttpResponse:
        writer = csv.writer(_Echo(), delimiter=";")

        def rows():
            yield "\ufeff" + writer.writerow([str(h) for h, _ in self.csv_columns])
            for obj in queryset.iterator(chunk_size=1000):
                yield writer.writerow(
                    ["" if (v := get(obj)) is None else v for _, get in self.csv_columns]
                )

        stamp = timezone.localdate().isoformat()
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}-{stamp}.csv"'
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context["filter"] = self.filterset
        context["querystring"] = params.urlencode()
        return context


def about_data(request: HttpRequest) -> HttpResponse:
    imports = DataImport.objects.all()[:20]
    return render(request, "core/about_data.html", {"imports": imports})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: the cheapest response Django can give through the same stack."""
    return HttpResponse(b"ok", content_type="text/plain")
