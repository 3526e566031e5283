"""Errors of the API as RFC 9457 problem details (``application/problem+json``).

Every error under ``/api/`` has the same shape::

    {"type": "https://…/api/v1/problems/validation_error", "title": "The data sent is not valid",
     "status": 422, "detail": "…", "instance": "/api/v1/cooperations/7", "code": "validation_error",
     "errors": [{"field": "areas", "message": "…", "code": "invalid_choice"}],
     "request_id": "…"}

``type`` names one entry of :data:`PROBLEMS`; ``GET /api/v1/problems/{code}`` describes it.
A 409 adds ``current_version``; a 429 comes with ``Retry-After``. The exception handlers of the
API (installed by :func:`kraftsenter.core.api.install_conventions`) and
:class:`ApiProblemMiddleware` (for what never reaches an endpoint: unknown paths, wrong methods,
bodies too large, server errors) answer through :func:`problem_response`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _

from .bounds import fits_key
from .encoding import encode_json
from .middleware import current_request_id

CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"


@dataclass(frozen=True)
class Problem:
    """One kind of error: its HTTP status, a short title and what a client should do."""

    status: int
    title: Any
    description: Any


PROBLEMS: dict[str, Problem] = {
    "validation_error": Problem(
        422,
        _("The data sent is not valid"),
        _("A field is missing, has the wrong type or breaks a rule; `errors` names each field."),
    ),
    "unknown_field": Problem(
        422,
        _("The data sent has fields this operation does not take"),
        _("Remove the fields `errors` names; the documentation lists the fields it takes."),
    ),
    "bad_request": Problem(
        400, _("The request cannot be read"), _("Send well-formed JSON with the right type.")
    ),
    "not_authenticated": Problem(
        401,
        _("Log in or send a valid API token"),
        _("Send `Authorization: Bearer <token>`, or a session cookie with the CSRF token."),
    ),
    "csrf_failed": Problem(
        403,
        _("The CSRF token is missing or wrong"),
        _("With a session, unsafe methods need the `X-CSRFToken` header."),
    ),
    "permission_denied": Problem(
        403,
        _("You do not have permission to do this"),
        _("The policy of the register says who may take the action; `detail` says who may."),
    ),
    "scope_missing": Problem(
        403,
        _("The token does not have the scope this needs"),
        _("Create a token with the scope named in `detail`."),
    ),
    "not_found": Problem(
        404,
        _("Nothing was found at this address"),
        _("The record does not exist, or you may not see it."),
    ),
    "method_not_allowed": Problem(
        405,
        _("This address does not take this method"),
        _("The `Allow` header lists the methods it takes."),
    ),
    "version_conflict": Problem(
        409,
        _("The record has changed since the version you sent"),
        _("Fetch the record again (`current_version`), reapply your change and send again."),
    ),
    "precondition_failed": Problem(
        412,
        _("The record has changed since the version in If-Match"),
        _("Fetch the record again (its `ETag`) and send the change with the new one."),
    ),
    "payload_too_large": Problem(
        413, _("The request body is too large"), _("Send less, or split the change.")
    ),
    "unsupported_media_type": Problem(
        415, _("The body must be JSON"), _("Send `Content-Type: application/json`.")
    ),
    "too_many_requests": Problem(
        429,
        _("Too many requests"),
        _("Wait the number of seconds in `Retry-After`; the README documents the limits."),
    ),
    "source_unavailable": Problem(
        503,
        _("An official source cannot be reached"),
        _(
            "The platform could not reach the register it asks (Enhetsregisteret); try again "
            "later, or send the fields yourself."
        ),
    ),
    "server_error": Problem(
        500,
        _("Something went wrong on our side"),
        _("The error is logged; quote `request_id` to the operator."),
    ),
}

_STATUS_CODES = {p.status: code for code, p in reversed(list(PROBLEMS.items()))}


def problem_type(request: HttpRequest | None, code: str) -> str:
    path = f"{API_PREFIX}v1/problems/{code}"
    return request.build_absolute_uri(path) if request is not None else path


def problem_body(
    request: HttpRequest | None,
    *,
    code: str,
    status: int | None = None,
    detail: Any = "",
    errors: list[dict[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    problem = PROBLEMS.get(code) or PROBLEMS["bad_request"]
    status = status or problem.status
    body: dict[str, Any] = {
        "type": problem_type(request, code),
        "title": str(problem.title),
        "status": status,
        "detail": str(detail or problem.title),
        "instance": request.get_full_path() if request is not None else "",
        "code": code,
        "errors": errors or [],
    }
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def problem_response(
    request: HttpRequest | None,
    *,
    code: str,
    status: int | None = None,
    detail: Any = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    body = problem_body(request, code=code, status=status, detail=detail, errors=errors, **extra)
    response = HttpResponse(encode_json(body), status=body["status"], content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _beyond_any_key(value: Any) -> bool:
    """Whether a path value is a whole number (0-9, an optional sign) that no 64-bit integer
    column holds, above or below (:func:`.bounds.fits_key`)."""
    if not isinstance(value, str) or not value.isascii():
        return False
    digits = value[1:] if value[:1] in ("-", "+") else value
    return digits.isdigit() and not fits_key(int(value))


class ApiMiddleware:
    """The API's HTTP conventions that no single endpoint can give.

    Every error under ``/api/`` is problem JSON, also where no endpoint answered: an unknown
    path (404), a method the path does not take (405), a body too large (413), a server error
    (500); responses that are already JSON are left as they are. A list's page gets the time
    of its newest change as ``Last-Modified`` (set by ``core.api.paginate``). A number in the
    path that no database key can hold is 404 before any endpoint runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        # `/bodies/109618517567643302161012490240` (found by the fuzzer) overflowed the
        # database's integer in a foreign-key lookup, and so did
        # `/organisations/-140003799716009214861929086976` in a read by key: no record has
        # such a key, so it is 404.
        if is_api(request) and any(_beyond_any_key(v) for v in kwargs.values()):
            return problem_response(request, code="not_found")
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api(request):
            return response
        if response.status_code < 400:
            changed = getattr(request, "ks_last_modified", None)
            if changed is not None and not response.has_header("Last-Modified"):
                response["Last-Modified"] = http_date(changed.timestamp())
            return response
        content_type = response.get("Content-Type", "")
        if "json" in content_type:
            return response
        code = _STATUS_CODES.get(response.status_code, "bad_request")
        if response.status_code == 400 and request.META.get("CONTENT_LENGTH", "0").isdigit():
            from django.conf import settings

            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if limit and int(request.META.get("CONTENT_LENGTH") or 0) > limit:
                code = "payload_too_large"
        problem = problem_response(request, code=code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if response.has_header(header):
                problem[header] = response[header]
        return problem
