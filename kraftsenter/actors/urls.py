from django.urls import path

from kraftsenter.core.views import record_urlpatterns

from . import services, views

app_name = "actors"

urlpatterns = record_urlpatterns(
    "organisation",
    mixin=views.OrganisationMixin,
    list_view=views.OrganisationListView,
    detail=views.OrganisationDetailView,
    form=views.OrganisationFormView,
    archive_service=services.organisation_archive,
    restore_service=services.organisation_restore,
    parts=[
        path(
            "<int:pk>/medlemmer/",
            views.OrganisationMembersView.as_view(),
            name="organisation-members",
        ),
        path(
            "<int:pk>/medlemmer/<int:membership_pk>/rolle/",
            views.MembershipRoleView.as_view(),
            name="membership-change",
        ),
        path(
            "<int:pk>/medlemmer/<int:membership_pk>/avslutt/",
            views.MembershipEndView.as_view(),
            name="membership-end",
        ),
        path(
            "<int:pk>/medlemmer/ansattporten/",
            views.EmployeeAccessView.as_view(),
            name="employee-access",
        ),
        path(
            "<int:pk>/medlemmer/foresporsler/<int:request_pk>/godkjenn/",
            views.MembershipRequestApproveView.as_view(),
            name="membership-request-approve",
        ),
        path(
            "<int:pk>/medlemmer/foresporsler/<int:request_pk>/avsla/",
            views.MembershipRequestRefuseView.as_view(),
            name="membership-request-refuse",
        ),
        path("<int:pk>/kontaktpersoner/ny/", views.ContactAddView.as_view(), name="contact-add"),
        path(
            "<int:pk>/kontaktpersoner/<int:contact_pk>/fjern/",
            views.ContactRemoveView.as_view(),
            name="contact-archive",
        ),
    ],
)
