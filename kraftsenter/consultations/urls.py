from django.urls import path

from kraftsenter.core.views import record_urlpatterns

from . import services, views

app_name = "consultations"

urlpatterns = record_urlpatterns(
    "consultation",
    mixin=views.ConsultationMixin,
    list_view=views.ConsultationListView,
    detail=views.ConsultationDetailView,
    form=views.ConsultationFormView,
    archive_service=services.consultation_archive,
    restore_service=services.consultation_restore,
    parts=[
        path("<int:pk>/vurdering/", views.ScreeningView.as_view(), name="screening"),
        path("<int:pk>/parter/ny/", views.PartyAddView.as_view(), name="party-add"),
        path(
            "<int:pk>/parter/<int:party_pk>/svar/",
            views.PartyResponseView.as_view(),
            name="party-response",
        ),
        path("<int:pk>/varsel/", views.NoticeView.as_view(), name="notice"),
        path(
            "<int:pk>/informasjon/ny/", views.InformationAddView.as_view(), name="information-add"
        ),
        path("<int:pk>/dokumenter/ny/", views.DocumentAddView.as_view(), name="document-add"),
        path("<int:pk>/protokoller/ny/", views.ProtocolAddView.as_view(), name="protocol-add"),
        path(
            "<int:pk>/protokoller/<int:protocol_pk>/", views.protocol_print, name="protocol-print"
        ),
        path("<int:pk>/avslutt/", views.ConcludeView.as_view(), name="conclude"),
        path("<int:pk>/uten-konsultasjon/", views.MoveOnView.as_view(), name="move-on"),
        path("<int:pk>/vedtak/", views.DecisionView.as_view(), name="decision"),
    ],
)
