from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api
from kraftsenter.actors.options import organisation_options
from kraftsenter.core import views as core_views
from kraftsenter.portal.start import start_page

urlpatterns = [
    # The start page draws on every register (kraftsenter/portal/start.py).
    path("", start_page, name="home"),
    # For load balancers: the worker answers and reaches its databases (docs/DEPLOYMENT.md).
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("sprak/<str:code>/", core_views.choose_language, name="choose-language"),
    # The organisation combobox's options (kraftsenter/actors/widgets.py).
    path("organisasjoner/valg/", organisation_options, name="organisation-options"),
    path("organisasjoner/", include("kraftsenter.actors.urls")),
    path("konto/", include("kraftsenter.accounts.urls")),
    path("", include("kraftsenter.cooperations.urls")),
    path("", include("kraftsenter.knowledge.urls")),
    path("", include("kraftsenter.agreements.urls")),
    path("konsultasjoner/", include("kraftsenter.consultations.urls")),
    path("eierskap/", include("kraftsenter.ownership.urls")),
    path("om/data/", core_views.about_data, name="about-data"),
    path("om/tilgjengelighet/", core_views.accessibility, name="accessibility"),
    path("om/sprak/", core_views.language_correction, name="language-correction"),
    path(
        "om/tilgjengelighet/tilbakemeldinger/",
        core_views.AccessibilityFeedbackListView.as_view(),
        name="accessibility-feedback",
    ),
    path("", include("kraftsenter.places.urls")),
]

if settings.KRAFTSENTER_BENCH:
    urlpatterns.insert(0, path("bench/floor", core_views.floor))

handler403 = "kraftsenter.core.views.error_403"
handler404 = "kraftsenter.core.views.error_404"
handler500 = "kraftsenter.core.views.error_500"
