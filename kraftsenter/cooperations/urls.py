from django.urls import include, path

from . import import_views, views
from .overview_urls import urlpatterns as overview_urlpatterns

app_name = "cooperations"

register_urlpatterns = [
    path("", views.CooperationListView.as_view(), name="cooperation-list"),
    path("ny/", views.cooperation_create, name="cooperation-create"),
    path("import/", import_views.cooperation_import, name="cooperation-import"),
    path("<int:pk>/", views.CooperationDetailView.as_view(), name="cooperation-detail"),
    path("<int:pk>/endre/", views.cooperation_edit, name="cooperation-edit"),
    path("<int:pk>/historikk/", views.CooperationHistoryView.as_view(), name="cooperation-history"),
    path("<int:pk>/arkiver/", views.CooperationArchiveView.as_view(), name="cooperation-archive"),
    path(
        "<int:pk>/gjenopprett/", views.CooperationRestoreView.as_view(), name="cooperation-restore"
    ),
    path("<int:pk>/deltakere/", views.participants_edit, name="participants-edit"),
    path("<int:pk>/avtale/ny/", views.agreement_version_add, name="agreement-version-add"),
    path("<int:pk>/vedtak/ny/", views.council_decision_add, name="council-decision-add"),
    path("<int:pk>/organer/ny/", views.body_add, name="body-add"),
    path("<int:pk>/organer/medlem/ny/", views.body_member_add, name="body-member-add"),
    path(
        "<int:pk>/organer/medlem/<int:member_pk>/avslutt/",
        views.body_member_end,
        name="body-member-end",
    ),
    path("<int:pk>/dokumenter/ny/", views.document_add, name="document-add"),
]

urlpatterns = [path("samarbeid/", include(register_urlpatterns)), *overview_urlpatterns]
