from django.urls import include, path

from kraftsenter.core.views import record_urlpatterns

from . import import_views, services, views
from .overview_urls import urlpatterns as overview_urlpatterns

app_name = "cooperations"

register_urlpatterns = record_urlpatterns(
    "cooperation",
    mixin=views.CooperationMixin,
    list_view=views.CooperationListView,
    detail=views.CooperationDetailView,
    form=views.CooperationFormView,
    archive_service=services.cooperation_archive,
    restore_service=services.cooperation_restore,
    parts=[
        path("import/", import_views.cooperation_import, name="cooperation-import"),
        path("<int:pk>/deltakere/", views.ParticipantsView.as_view(), name="participants-edit"),
        path(
            "<int:pk>/avtale/ny/",
            views.AgreementVersionAddView.as_view(),
            name="agreement-version-add",
        ),
        path(
            "<int:pk>/vedtak/ny/",
            views.CouncilDecisionAddView.as_view(),
            name="council-decision-add",
        ),
        path("<int:pk>/organer/ny/", views.BodyAddView.as_view(), name="body-add"),
        path(
            "<int:pk>/organer/medlem/ny/", views.BodyMemberAddView.as_view(), name="body-member-add"
        ),
        path(
            "<int:pk>/organer/medlem/<int:member_pk>/avslutt/",
            views.BodyMemberEndView.as_view(),
            name="body-member-end",
        ),
        path("<int:pk>/dokumenter/ny/", views.DocumentAddView.as_view(), name="document-add"),
    ],
)

urlpatterns = [path("samarbeid/", include(register_urlpatterns)), *overview_urlpatterns]
