from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import forms, views

app_name = "accounts"

urlpatterns = [
    path(
        "logg-inn/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=forms.LoginForm
        ),
        name="login",
    ),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("tokener/<int:pk>/trekk-tilbake/", views.token_revoke_view, name="token-revoke"),
    path(
        "organisasjoner/<int:pk>/tokener/",
        views.organisation_tokens,
        name="organisation-tokens",
    ),
    path(
        "organisasjoner/<int:pk>/tokener/<int:token_pk>/trekk-tilbake/",
        views.organisation_token_revoke,
        name="organisation-token-revoke",
    ),
    path(
        "passord/glemt/",
        auth_views.PasswordResetView.as_view(
            form_class=forms.PasswordResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "passord/glemt/sendt/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "passord/nytt/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            form_class=forms.SetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "passord/nytt/ferdig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "passord/endre/",
        views.PasswordChangeView.as_view(
            form_class=forms.PasswordChangeForm, success_url=reverse_lazy("accounts:profile")
        ),
        name="password_change",
    ),
    path("sikkerhetslogg/", views.SecurityLogView.as_view(), name="security-log"),
]
