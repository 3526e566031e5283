"""Overview pages of the cooperation register, to be included into ``cooperations/urls.py``.

No ``app_name`` here: the patterns join the ``cooperations`` namespace of the app's urls.
The paths are absolute from the site root (``/kommuner/<number>/samarbeid/`` …), so the app's
urls must be included without a prefix for them (or this list included separately at root).
"""

from django.urls import path

from . import overview_views as views

urlpatterns = [
    path(
        "kommuner/<str:number>/samarbeid/",
        views.municipality_cooperations,
        name="municipality-cooperations",
    ),
    path(
        "kommuner/<str:number>/eierskapsoversikt/",
        views.municipality_ownership_report,
        name="municipality-ownership-report",
    ),
    path("fylker/<str:number>/samarbeid/", views.county_cooperations, name="county-cooperations"),
    path(
        "fylker/<str:number>/eierskapsoversikt/",
        views.county_ownership_report,
        name="county-ownership-report",
    ),
    path("regioner/<slug:slug>/samarbeid/", views.region_coverage_view, name="region-coverage"),
]
