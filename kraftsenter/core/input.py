"""Input no view can store: a NUL character in the address or a form.

Browsers and clients can send ``%00``; Django's form fields refuse it, but a view that reads
``request.GET`` itself would pass it to the database, where PostgreSQL refuses it with a server
error. This middleware refuses it first, for every page and API operation: a page answers 400
with a plain message, the API 422 problem JSON naming the parameter. (Lone surrogates cannot
arrive this way, since Django decodes addresses and forms with replacement; in JSON bodies
:class:`kraftsenter.core.api.StrictSchema` refuses both.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .problems import is_api, problem_response


def _with_nul(request: HttpRequest, kwargs: dict[str, Any]) -> str | None:
    """The first parameter (query, form or path) that holds a NUL character."""
    sources = [request.GET] + ([request.POST] if request.method == "POST" else [])
    for data in sources:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in v for v in values if isinstance(v, str)):
                return key.replace("\x00", "")
    for key, value in kwargs.items():
        if isinstance(value, str) and "\x00" in value:
            return key
    return None


class RefuseNulMiddleware:
    """400 (pages) or 422 (API) when a parameter holds a NUL character."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        field = _with_nul(request, kwargs)
        if field is None:
            return None
        message = _("The text contains the NUL character (\\u0000), which is not allowed.")
        if is_api(request):
            return problem_response(
                request,
                code="validation_error",
                errors=[{"field": field, "message": message, "code": "invalid"}],
            )
        html = render_to_string("400.html", {"message": message}, request=request)
        return HttpResponseBadRequest(html)
