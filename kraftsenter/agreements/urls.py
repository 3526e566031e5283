"""Addresses: /planer/, /partnerskap/, /avtaler/, /forpliktelser/ and /dashbord/."""

from django.urls import include, path

from kraftsenter.core.views import record_urlpatterns

from . import services
from .views import agreements, commitments, dashboards, partnerships, plans

app_name = "agreements"

plan_patterns = record_urlpatterns(
    "plan",
    mixin=plans.PlanMixin,
    list_view=plans.PlanListView,
    detail=plans.PlanDetailView,
    form=plans.PlanFormView,
    archive_service=services.plan_archive,
    restore_service=services.plan_restore,
    parts=[
        path("fylker/<str:number>/", plans.county_plan_strategies, name="county-strategies"),
        path("<int:pk>/tiltak/ny/", plans.PlanItemAddView.as_view(), name="plan-item-add"),
        path("<int:pk>/vedtak/ny/", plans.PlanAdoptionAddView.as_view(), name="plan-adoption-add"),
    ],
)

partnership_patterns = record_urlpatterns(
    "partnership",
    mixin=partnerships.PartnershipMixin,
    list_view=partnerships.PartnershipListView,
    detail=partnerships.PartnershipDetailView,
    form=partnerships.PartnershipFormView,
    archive_service=services.partnership_archive,
    restore_service=services.partnership_restore,
    parts=[
        path("<int:pk>/moter/ny/", partnerships.MeetingAddView.as_view(), name="meeting-add"),
        path("<int:pk>/vedtak/ny/", partnerships.DecisionAddView.as_view(), name="decision-add"),
    ],
)

agreement_patterns = record_urlpatterns(
    "agreement",
    mixin=agreements.AgreementMixin,
    list_view=agreements.AgreementListView,
    detail=agreements.AgreementDetailView,
    form=agreements.AgreementFormView,
    archive_service=services.agreement_archive,
    restore_service=services.agreement_restore,
    parts=[
        path("<int:pk>/parter/", agreements.PartiesView.as_view(), name="parties-edit"),
        path(
            "<int:pk>/vedtak/ny/",
            agreements.PartyDecisionAddView.as_view(),
            name="party-decision-add",
        ),
        path("<int:pk>/mal/ny/", agreements.GoalAddView.as_view(), name="goal-add"),
        path(
            "<int:pk>/mal/<int:goal_pk>/endre/",
            agreements.GoalEditView.as_view(),
            name="goal-edit",
        ),
        path(
            "<int:pk>/mal/<int:goal_pk>/fjern/",
            agreements.GoalRemoveView.as_view(),
            name="goal-remove",
        ),
        path("<int:pk>/forankring/ny/", agreements.AnchorAddView.as_view(), name="anchor-add"),
        path(
            "<int:pk>/forankring/<int:anchor_pk>/fjern/",
            agreements.AnchorRemoveView.as_view(),
            name="anchor-remove",
        ),
        path("<int:pk>/dokumenter/ny/", agreements.DocumentAddView.as_view(), name="document-add"),
        path(
            "<int:pk>/dokumenter/<int:document_pk>/fjern/",
            agreements.DocumentRemoveView.as_view(),
            name="document-remove",
        ),
        path(
            "<int:pk>/forpliktelser/ny/",
            agreements.CommitmentAddView.as_view(),
            name="commitment-add",
        ),
        path("<int:pk>/forny/", agreements.RenewView.as_view(), name="agreement-renew"),
        path("<int:pk>/rapporter/ny/", commitments.ReportAddView.as_view(), name="report-add"),
        path(
            "<int:pk>/rapporter/<int:report_pk>/", commitments.report_detail, name="report-detail"
        ),
        path(
            "<int:pk>/rapporter/<int:report_pk>/ferdig/",
            commitments.report_complete,
            name="report-complete",
        ),
    ],
)

commitment_patterns = record_urlpatterns(
    "commitment",
    mixin=commitments.CommitmentMixin,
    list_view=commitments.CommitmentListView,
    detail=commitments.CommitmentDetailView,
    edit=commitments.CommitmentFormView,
    archive_service=services.commitment_archive,
    restore_service=services.commitment_restore,
)

dashboard_patterns = [
    path("", dashboards.dashboard_index, name="dashboard"),
    path("fylker/<str:number>/", dashboards.county_dashboard, name="county-dashboard"),
    path(
        "organisasjoner/<int:pk>/",
        dashboards.organisation_dashboard,
        name="organisation-dashboard",
    ),
    path("varsler/", dashboards.digest_preference, name="digest-preference"),
]

urlpatterns = [
    path("planer/", include(plan_patterns)),
    path("partnerskap/", include(partnership_patterns)),
    path("avtaler/", include(agreement_patterns)),
    path("forpliktelser/", include(commitment_patterns)),
    path("dashbord/", include(dashboard_patterns)),
]
