"""Whole-response cache for anonymous readers.

Public pages and API reads change only when data changes, and every change goes through one of
two doors: an import (a ``DataImport`` row) or a service (a ``ChangeRecord`` row). The cache key
therefore includes the newest id of each, so any write anywhere makes every cached response
stale at once; no per-page invalidation is needed, and nothing stale is ever served.

Only anonymous GET/HEAD requests (no session, no token, no pending messages) are served from
the cache, and only 200 responses that set no cookie are stored: a page with a CSRF token sets
the CSRF cookie and is therefore never cached.

A hit is the stored response whole: status, body and every header the view and the
middleware inside the cache set (``ETag``, ``Last-Modified``, ``Content-Length``, ``Vary`` …),
so that a client cannot tell a hit from a miss but by ``X-Cache``. The security headers are
set by middleware outside the cache (Django's ``SecurityMiddleware`` and
``XFrameOptionsMiddleware``, ``SecurityHeadersMiddleware``), on hits and misses alike
(docs/security.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import translation

#: Paths never served from the cache: accounts, admin, API docs, the language switch, files.
NEVER = (
    "/admin/",
    "/konto/",
    "/api/v1/docs",
    "/api/v1/openapi.json",
    "/sprak/",
    "/static/",
    "/bench/",
    "/healthz",
)


#: Headers never stored with a response: they belong to one request (or are never cached).
NOT_STORED = frozenset({"set-cookie", "x-cache", "x-request-id", "date"})


def content_version() -> str:
    """'<newest import id>.<newest change id>': changes whenever any data changes.

    On PostgreSQL an id is handed out when a row is inserted, not when it commits: a write
    that started first can commit after a later one, leaving the newest id unchanged when its
    change becomes visible. So the key also names the writing transactions in flight in this
    database when it is read (each backend's ``backend_xid``): a page rendered while a write was
    uncommitted is cached under a key that no read after its commit computes. Transactions that
    start later get higher ids, so their commit moves the newest id. SQLite has one writer at a
    time and needs neither.

    Only this database's transactions count. The snapshot's ``xip`` lists every database's on
    the server, so another application (or another test worker) sharing the server changed the
    key with each of its writes and the cache missed. A role sees ``backend_xid`` only for its
    own sessions (or with ``pg_read_all_stats``): writes to the platform's tables go through
    the application's role, as DEPLOYMENT.md says.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT (SELECT MAX(id) FROM core_dataimport), "
                "(SELECT MAX(id) FROM core_changerecord), "
                "(SELECT string_agg(a.backend_xid::text, ',' ORDER BY a.backend_xid::text) "
                "FROM pg_stat_get_activity(NULL) AS a WHERE a.backend_xid IS NOT NULL "
                "AND a.pid <> pg_backend_pid() "
                "AND a.datid = (SELECT oid FROM pg_database WHERE datname = current_database()))"
            )
            imports, changes, in_flight = cursor.fetchone()
            suffix = f".{in_flight}" if in_flight else ""
        else:
            cursor.execute(
                "SELECT (SELECT MAX(id) FROM core_dataimport), "
                "(SELECT MAX(id) FROM core_changerecord)"
            )
            imports, changes = cursor.fetchone()
            suffix = ""
    return f"{imports or 0}.{changes or 0}{suffix}"


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not settings.KRAFTSENTER_PAGE_CACHE:
        return False
    if request.path.startswith(NEVER):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return "Authorization" not in request.headers and request.GET.get("format") != "csv"


class AnonymousResponseCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.cache = caches["pages"]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        raw = "|".join(
            [
                content_version(),
                translation.get_language() or "",
                request.get_full_path(),
                request.headers.get("HX-Request", ""),
                request.scheme or "",  # absolute links in a body (pagination) differ
                request.get_host(),
            ]
        )
        key = "page:v2:" + hashlib.sha256(raw.encode()).hexdigest()
        hit = self.cache.get(key)
        if hit is not None:
            status, headers, body = hit
            response = HttpResponse(body, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Set-Cookie" not in response
        ):
            headers = [
                (name, value) for name, value in response.items() if name.lower() not in NOT_STORED
            ]
            self.cache.set(key, (response.status_code, headers, response.content))
            response["X-Cache"] = "miss"
        return response
