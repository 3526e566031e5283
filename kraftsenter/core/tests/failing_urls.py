"""Test-only URLs: the site's, plus a page that fails, for the 500 page's test."""

from django.urls import path

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_patterns


def _fails(request):
    raise RuntimeError("a deliberate failure for the 500 page's test")


urlpatterns = [path("feiler/", _fails), *site_patterns]
