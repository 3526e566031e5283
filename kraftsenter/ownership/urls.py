from django.urls import include, path

from kraftsenter.core.views import record_urlpatterns

from . import services, views

app_name = "ownership"

interest_urlpatterns = record_urlpatterns(
    "interest",
    mixin=views.InterestMixin,
    list_view=views.InterestListView,
    detail=views.InterestDetailView,
    form=views.InterestFormView,
    archive_service=services.interest_archive,
    restore_service=services.interest_restore,
)
statement_urlpatterns = record_urlpatterns(
    "statement",
    mixin=views.StatementMixin,
    list_view=views.StatementListView,
    detail=views.StatementDetailView,
    form=views.StatementFormView,
    archive_service=services.statement_archive,
    restore_service=services.statement_restore,
)

urlpatterns = [
    path("interesser/", include(interest_urlpatterns)),
    path("meldinger/", include(statement_urlpatterns)),
]
