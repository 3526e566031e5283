from django.urls import path

from . import views

app_name = "actors"

urlpatterns = [
    path("", views.organisation_list_view, name="organisation-list"),
    path("<int:pk>/", views.organisation_detail, name="organisation-detail"),
]
