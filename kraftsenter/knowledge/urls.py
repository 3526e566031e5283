from django.urls import path

from . import region_views, views
from .profile_urls import urlpatterns as profile_urlpatterns

app_name = "knowledge"

urlpatterns = [
    # Before places' "regioner/<slug>/": a saved region called "beregn" would be hidden here.
    path("regioner/beregn/", region_views.region_compute, name="region-compute"),
    path("kunnskap/scenarier/", views.scenario_list, name="scenario-list"),
    path("kunnskap/scenarier/ny/", views.scenario_create, name="scenario-create"),
    path(
        "kunnskap/scenarier/<int:pk>/", views.ScenarioDetailView.as_view(), name="scenario-detail"
    ),
    path("kunnskap/scenarier/<int:pk>/endre/", views.scenario_edit, name="scenario-edit"),
    path(
        "kunnskap/scenarier/<int:pk>/historikk/",
        views.ScenarioHistoryView.as_view(),
        name="scenario-history",
    ),
    path(
        "kunnskap/scenarier/<int:pk>/arkiver/",
        views.ScenarioArchiveView.as_view(),
        name="scenario-archive",
    ),
    path(
        "kunnskap/scenarier/<int:pk>/gjenopprett/",
        views.ScenarioRestoreView.as_view(),
        name="scenario-restore",
    ),
    *profile_urlpatterns,
]
