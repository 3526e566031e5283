"""The site's API at /api/v1/: one NinjaAPI with the shared conventions (``core.api``), the
token-or-session authentication of ``accounts``, the rate limit, and every register's router.

The OpenAPI description (``/api/v1/openapi.json``, browsable at ``/api/v1/docs``) names the
servers and the two ways to authenticate; it is built and encoded to JSON once per process (and
language), then served from memory.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import translation
from django.utils.http import quote_etag
from ninja import NinjaAPI, Router, Schema
from pydantic import Field

from kraftsenter.accounts.auth import TokenOrSessionAuth
from kraftsenter.actors.api import router as actors_router
from kraftsenter.agreements.api import router as agreements_router
from kraftsenter.consultations.api import router as consultations_router
from kraftsenter.cooperations.api import router as cooperations_router
from kraftsenter.core.api import ErrorOut, install_conventions
from kraftsenter.core.changes import router as changes_router
from kraftsenter.core.codelists import router as code_lists_router
from kraftsenter.core.encoding import JSONRenderer, encode_json
from kraftsenter.core.problems import PROBLEMS
from kraftsenter.core.throttling import AnonymousRate, AuthenticatedRate
from kraftsenter.knowledge.api import router as knowledge_router
from kraftsenter.knowledge.profile_api import router as profile_router
from kraftsenter.opendata.api import router as opendata_router
from kraftsenter.ownership.api import router as ownership_router
from kraftsenter.places.api import router as places_router

DESCRIPTION = """Open API for the Kraftsenter collaboration platform: places and official facts,
and the registers built on them (organisations, inter-municipal cooperations, consultations with
Sami interests, plans, partnerships, agreements and commitments, scenarios). Everything the pages
can change, the API can change, through the same rules and permissions.

* **Reading** is open for published records; **writing** needs `Authorization: Bearer ks_…`
  (a personal or organisation token) or a session with the `X-CSRFToken` header.
* **Lists** are paginated (`page`, `page_size` ≤ 200), filtered with the pages' filters, ordered
  with `ordering`, and can be limited to what changed with `updated_after`;
  `GET /api/v1/changes?after=` is a feed of every change.
* **Records** carry `ETag` (their version): send `If-None-Match` to read only when changed and
  `If-Match` (or `version` in the body) to change. A stale version answers 412 (409 with
  `version`).
* **Input** is strict: an unknown field, a wrong type or a code that is not in the code list is
  refused (422) and nothing is written. Codes are listed at `/api/v1/code-lists`.
* **Errors** are RFC 9457 problem details (`application/problem+json`).
* **Versioning:** see the README's "API versions" section: within `/v1` fields may be added,
  never removed or changed in meaning; a retired operation answers with `Deprecation` and
  `Sunset` headers for at least six months first.
"""


class KraftsenterAPI(NinjaAPI):
    """The NinjaAPI with the OpenAPI description's servers, security schemes and problems."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        cached = getattr(self, "_ks_openapi", None)
        if cached is not None and not settings.DEBUG:
            return cached
        schema = super().get_openapi_schema(**kwargs)
        schema["servers"] = [
            {"url": settings.KRAFTSENTER_SITE_URL or "/", "description": "This installation"}
        ]
        components = schema.setdefault("components", {})
        components["securitySchemes"] = {
            "bearerToken": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal or organisation API token (`ks_…`), created on the "
                "profile page or with `kraftsenter create_token`.",
            },
            "session": {
                "type": "apiKey",
                "in": "cookie",
                "name": settings.SESSION_COOKIE_NAME,
                "description": "The browser's login session; unsafe methods also need the "
                "`X-CSRFToken` header.",
            },
        }
        # Reading is open; writing needs one of the two (each operation says 401 when so).
        schema["security"] = [{}, {"bearerToken": []}, {"session": []}]
        self._ks_openapi = schema
        return schema

    def _get_urls(self) -> list[Any]:
        """Ninja's URLs, with ``openapi.json`` served by :meth:`openapi_json`."""
        urls = super()._get_urls()
        view: Any = self.openapi_json
        if self.docs_decorator:
            view = self.docs_decorator(view)
        return [
            path(str(self.openapi_url).lstrip("/"), view, name="openapi-json")
            if getattr(url, "name", None) == "openapi-json"
            else url
            for url in urls
        ]

    def openapi_json(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The description as compact JSON, encoded once per process and language (it is
        400 KB: encoding it took longer than serving it), then served from memory with its
        ETag, worked out with it: the ETag middleware would otherwise hash the 400 KB body at
        every request (0.6 ms, a third of serving it). ``If-None-Match`` gets a 304 as for
        any page."""
        encoded: dict[str, tuple[bytes, str]] = self.__dict__.setdefault("_ks_openapi_json", {})
        language = translation.get_language() or ""
        kept = None if settings.DEBUG else encoded.get(language)
        if kept is None:
            schema = self.get_openapi_schema(path_params=kwargs)
            body = encode_json(schema)
            kept = (body, quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest()))
            encoded[language] = kept
        response = HttpResponse(kept[0], content_type="application/json")
        response["ETag"] = kept[1]
        return response


api = KraftsenterAPI(
    title="Kraftsenter API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenOrSessionAuth(),
    throttle=[AnonymousRate(), AuthenticatedRate()],
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=JSONRenderer(),
)
install_conventions(api)


class ProblemTypeOut(Schema):
    code: str
    status: int
    title: str
    description: str = Field(description="What the problem means and what to do.")


problems_router = Router(tags=["problems"])


@problems_router.get(
    "/problems/{code}",
    response={200: ProblemTypeOut, 404: ErrorOut},
    summary="What a problem type means",
    description="The `type` of every error points here.",
    operation_id="get_problem_type",
)
def problem_type(request: HttpRequest, code: str) -> dict[str, Any]:
    from django.http import Http404

    problem = PROBLEMS.get(code)
    if problem is None:
        raise Http404
    return {
        "code": code,
        "status": problem.status,
        "title": str(problem.title),
        "description": str(problem.description),
    }


for router in (
    places_router,
    actors_router,
    cooperations_router,
    knowledge_router,
    agreements_router,
    profile_router,
    consultations_router,
    ownership_router,
    opendata_router,
    code_lists_router,
    changes_router,
    problems_router,
):
    api.add_router("/", router)
