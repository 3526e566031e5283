from django.urls import path

from . import views

app_name = "actors"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisation-list"),
    path("ny/", views.OrganisationFormView.as_view(), name="organisation-create"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("<int:pk>/endre/", views.OrganisationFormView.as_view(), name="organisation-edit"),
    path(
        "<int:pk>/historikk/", views.OrganisationHistoryView.as_view(), name="organisation-history"
    ),
    path("<int:pk>/arkiver/", views.OrganisationArchiveView.as_view(), name="organisation-archive"),
    path(
        "<int:pk>/gjenopprett/",
        views.OrganisationRestoreView.as_view(),
        name="organisation-restore",
    ),
    path("<int:pk>/medlemmer/", views.organisation_members, name="organisation-members"),
    path(
        "<int:pk>/medlemmer/<int:membership_pk>/", views.membership_change, name="membership-change"
    ),
    path("<int:pk>/kontaktpersoner/ny/", views.contact_add, name="contact-add"),
    path(
        "<int:pk>/kontaktpersoner/<int:contact_pk>/fjern/",
        views.contact_archive,
        name="contact-archive",
    ),
]
