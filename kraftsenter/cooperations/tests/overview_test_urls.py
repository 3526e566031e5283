"""Test-only URLs: the site's patterns with the overview pages in the ``cooperations`` namespace.

Once ``overview_urls`` is wired into the site (its names reachable from ``config.urls``), this is
``config.urls`` unchanged. Until then, the site's ``cooperations`` include is replaced by one
namespace holding the overview pages at the root and the app's own pages under their usual
prefix (or a stand-in cooperation page, if the app's urls are not in the site at all).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from config.urls import urlpatterns as site_patterns
from kraftsenter.cooperations.overview_urls import urlpatterns as overview_patterns


def _names(patterns) -> set[str]:
    found: set[str] = set()
    for p in patterns:
        if isinstance(p, URLPattern) and p.name:
            found.add(p.name)
        elif isinstance(p, URLResolver):
            found |= _names(p.url_patterns)
    return found


def cooperation_stub(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(f"cooperation {pk}")


def _with_overviews() -> list:
    app = next(
        (p for p in site_patterns if isinstance(p, URLResolver) and p.namespace == "cooperations"),
        None,
    )
    if app is not None and "region-coverage" in _names(app.url_patterns):
        return list(site_patterns)
    own = (
        [path(str(app.pattern), include(app.url_patterns))]
        if app is not None
        else [path("samarbeid/<int:pk>/", cooperation_stub, name="cooperation-detail")]
    )
    others = [p for p in site_patterns if p is not app]
    return [path("", include(([*overview_patterns, *own], "cooperations"))), *others]


urlpatterns = _with_overviews()
