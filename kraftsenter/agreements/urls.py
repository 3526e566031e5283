"""Addresses: /planer/, /partnerskap/, /avtaler/, /forpliktelser/ and /dashbord/."""

from django.urls import include, path

from .views import agreements, commitments, dashboards, partnerships, plans

app_name = "agreements"

plan_patterns = [
    path("", plans.PlanListView.as_view(), name="plan-list"),
    path("ny/", plans.PlanFormView.as_view(), name="plan-create"),
    path("fylker/<str:number>/", plans.county_plan_strategies, name="county-strategies"),
    path("<int:pk>/", plans.PlanDetailView.as_view(), name="plan-detail"),
    path("<int:pk>/endre/", plans.PlanFormView.as_view(), name="plan-edit"),
    path("<int:pk>/historikk/", plans.PlanHistoryView.as_view(), name="plan-history"),
    path("<int:pk>/arkiver/", plans.PlanArchiveView.as_view(), name="plan-archive"),
    path("<int:pk>/gjenopprett/", plans.PlanRestoreView.as_view(), name="plan-restore"),
    path("<int:pk>/tiltak/ny/", plans.plan_item_add, name="plan-item-add"),
]

partnership_patterns = [
    path("", partnerships.PartnershipListView.as_view(), name="partnership-list"),
    path("ny/", partnerships.PartnershipFormView.as_view(), name="partnership-create"),
    path("<int:pk>/", partnerships.PartnershipDetailView.as_view(), name="partnership-detail"),
    path("<int:pk>/endre/", partnerships.PartnershipFormView.as_view(), name="partnership-edit"),
    path(
        "<int:pk>/historikk/",
        partnerships.PartnershipHistoryView.as_view(),
        name="partnership-history",
    ),
    path(
        "<int:pk>/arkiver/",
        partnerships.PartnershipArchiveView.as_view(),
        name="partnership-archive",
    ),
    path(
        "<int:pk>/gjenopprett/",
        partnerships.PartnershipRestoreView.as_view(),
        name="partnership-restore",
    ),
    path("<int:pk>/moter/ny/", partnerships.meeting_add, name="meeting-add"),
    path("<int:pk>/vedtak/ny/", partnerships.decision_add, name="decision-add"),
]

agreement_patterns = [
    path("", agreements.AgreementListView.as_view(), name="agreement-list"),
    path("ny/", agreements.AgreementCreateView.as_view(), name="agreement-create"),
    path("<int:pk>/", agreements.AgreementDetailView.as_view(), name="agreement-detail"),
    path("<int:pk>/endre/", agreements.AgreementEditView.as_view(), name="agreement-edit"),
    path(
        "<int:pk>/historikk/", agreements.AgreementHistoryView.as_view(), name="agreement-history"
    ),
    path("<int:pk>/arkiver/", agreements.AgreementArchiveView.as_view(), name="agreement-archive"),
    path(
        "<int:pk>/gjenopprett/",
        agreements.AgreementRestoreView.as_view(),
        name="agreement-restore",
    ),
    path("<int:pk>/parter/", agreements.parties_edit, name="parties-edit"),
    path("<int:pk>/vedtak/ny/", agreements.party_decision_add, name="party-decision-add"),
    path("<int:pk>/mal/ny/", agreements.goal_add, name="goal-add"),
    path("<int:pk>/forankring/ny/", agreements.anchor_add, name="anchor-add"),
    path("<int:pk>/dokumenter/ny/", agreements.document_add, name="document-add"),
    path("<int:pk>/forpliktelser/ny/", agreements.commitment_add, name="commitment-add"),
    path("<int:pk>/forny/", agreements.agreement_renew, name="agreement-renew"),
    path("<int:pk>/rapporter/ny/", commitments.report_add, name="report-add"),
    path("<int:pk>/rapporter/<int:report_pk>/", commitments.report_detail, name="report-detail"),
    path(
        "<int:pk>/rapporter/<int:report_pk>/ferdig/",
        commitments.report_complete,
        name="report-complete",
    ),
]

commitment_patterns = [
    path("", commitments.CommitmentListView.as_view(), name="commitment-list"),
    path("<int:pk>/", commitments.CommitmentDetailView.as_view(), name="commitment-detail"),
    path("<int:pk>/endre/", commitments.CommitmentFormView.as_view(), name="commitment-edit"),
    path(
        "<int:pk>/historikk/",
        commitments.CommitmentHistoryView.as_view(),
        name="commitment-history",
    ),
    path(
        "<int:pk>/arkiver/",
        commitments.CommitmentArchiveView.as_view(),
        name="commitment-archive",
    ),
    path(
        "<int:pk>/gjenopprett/",
        commitments.CommitmentRestoreView.as_view(),
        name="commitment-restore",
    ),
]

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
