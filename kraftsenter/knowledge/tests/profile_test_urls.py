"""Test-only URLs: the site's patterns, the profile pages in the ``knowledge`` namespace, and
the profile API mounted on its own small NinjaAPI at ``/test-api/v1/`` with the site API's
error handlers (so errors have the project's shape).

Once ``profile_urls`` and the router are wired into the site, the pages here are the same and
the API is reachable at both prefixes.
"""

from __future__ import annotations

from django.urls import URLResolver, include, path
from ninja import NinjaAPI

from config.urls import urlpatterns as site_patterns
from kraftsenter.accounts.auth import TokenOrSessionAuth
from kraftsenter.core.api import api as site_api
from kraftsenter.knowledge import profile_urls
from kraftsenter.knowledge.profile_api import build_router

test_api = NinjaAPI(
    title="Kraftsenter profile API (tests)",
    urls_namespace="knowledge-profile-test-api",
    auth=TokenOrSessionAuth(),
    docs_url=None,
)
for exc_class, handler in site_api._exception_handlers.items():
    test_api.add_exception_handler(exc_class, handler)
test_api.add_router("/", build_router())

knowledge = next(
    (p for p in site_patterns if isinstance(p, URLResolver) and p.namespace == "knowledge"), None
)
own: list = [path("", include(profile_urls.urlpatterns))]
if knowledge is not None:
    own.append(path(str(knowledge.pattern), include(knowledge.url_patterns)))

urlpatterns = [
    path("test-api/v1/", test_api.urls),
    path("", include((own, "knowledge"))),
    *(p for p in site_patterns if p is not knowledge),
]
