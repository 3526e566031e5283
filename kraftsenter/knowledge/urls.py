from django.urls import include, path

from kraftsenter.core.views import record_urlpatterns

from . import region_views, services, views
from .profile_urls import urlpatterns as profile_urlpatterns

app_name = "knowledge"

scenario_patterns = record_urlpatterns(
    "scenario",
    mixin=views.ScenarioMixin,
    list_view=views.scenario_list,
    detail=views.ScenarioDetailView,
    form=views.ScenarioFormView,
    archive_service=services.scenario_archive,
    restore_service=services.scenario_restore,
)

urlpatterns = [
    # Before places' "regioner/<slug>/": a saved region called "beregn" would be hidden here.
    path("regioner/beregn/", region_views.region_compute, name="region-compute"),
    path("kunnskap/scenarier/", include(scenario_patterns)),
    *profile_urlpatterns,
]
