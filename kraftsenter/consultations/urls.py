from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.ConsultationListView.as_view(), name="consultation-list"),
    path("ny/", views.consultation_create, name="consultation-create"),
    path("<int:pk>/", views.ConsultationDetailView.as_view(), name="consultation-detail"),
    path("<int:pk>/endre/", views.consultation_edit, name="consultation-edit"),
    path(
        "<int:pk>/historikk/", views.ConsultationHistoryView.as_view(), name="consultation-history"
    ),
    path("<int:pk>/arkiver/", views.ConsultationArchiveView.as_view(), name="consultation-archive"),
    path(
        "<int:pk>/gjenopprett/",
        views.ConsultationRestoreView.as_view(),
        name="consultation-restore",
    ),
    path("<int:pk>/vurdering/", views.screening, name="screening"),
    path("<int:pk>/parter/ny/", views.party_add, name="party-add"),
    path("<int:pk>/parter/<int:party_pk>/svar/", views.party_response, name="party-response"),
    path("<int:pk>/varsel/", views.notice, name="notice"),
    path("<int:pk>/informasjon/ny/", views.information_add, name="information-add"),
    path("<int:pk>/dokumenter/ny/", views.document_add, name="document-add"),
    path("<int:pk>/protokoller/ny/", views.protocol_add, name="protocol-add"),
    path("<int:pk>/protokoller/<int:protocol_pk>/", views.protocol_print, name="protocol-print"),
    path("<int:pk>/avslutt/", views.conclude, name="conclude"),
    path("<int:pk>/vedtak/", views.decision, name="decision"),
]
