"""Profile and map pages, from the site root; included into the ``knowledge`` namespace.

``knowledge:region-profile`` (slug), ``knowledge:municipality-profile`` (number),
``knowledge:county-map`` (number), ``knowledge:region-map`` (slug).
"""

from django.urls import path

from . import profile_views

urlpatterns = [
    path(
        "regioner/<slug:slug>/profil/",
        profile_views.region_profile_view,
        name="region-profile",
    ),
    path(
        "kommuner/<str:number>/profil/",
        profile_views.municipality_profile_view,
        name="municipality-profile",
    ),
    path(
        "kart/fylke/<str:key>/",
        profile_views.indicator_map_view,
        {"kind": "county"},
        name="county-map",
    ),
    path(
        "kart/region/<slug:key>/",
        profile_views.indicator_map_view,
        {"kind": "region"},
        name="region-map",
    ),
]
