from django.urls import include, path

from . import views

urlpatterns = [
    path("test-login/", views.test_login),
    path("", include("oauth2_provider.urls")),
]
