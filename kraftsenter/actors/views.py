"""Pages for organisations (read-only for now; editing comes with accounts and permissions)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kraftsenter.core.history import history_for

from .selectors import organisation_list


def organisation_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "actors/organisation_list.html", {"organisations": organisation_list()})


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(organisation_list(), pk=pk)
    return render(
        request,
        "actors/organisation_detail.html",
        {"organisation": organisation, "history": history_for(organisation)[:50]},
    )
