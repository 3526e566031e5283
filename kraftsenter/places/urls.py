from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("sok/", views.search, name="search"),
    path("fylker/", views.county_list, name="county-list"),
    path("fylker/<str:number>/", views.county_detail, name="county-detail"),
    path("kommuner/", views.MunicipalityListView.as_view(), name="municipality-list"),
    path("kommuner/<str:number>/", views.municipality_detail, name="municipality-detail"),
    path("regioner/", views.region_list, name="region-list"),
    path("regioner/<slug:slug>/", views.region_detail, name="region-detail"),
]
