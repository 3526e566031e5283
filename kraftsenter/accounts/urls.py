from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import forms, oidc_views, views
from .oidc import PROVIDERS

app_name = "accounts"

#: The password pages refuse (403) when password login is off (KRAFTSENTER_PASSWORD_LOGIN=0).
guard = oidc_views.password_pages_guard

urlpatterns = [
    path(
        "logg-inn/",
        oidc_views.LoginView.as_view(authentication_form=forms.LoginForm),
        name="login",
    ),
    path("logg-ut/", oidc_views.LogoutView.as_view(), name="logout"),
    path("logget-ut/", oidc_views.logged_out, name="logged-out"),
    path("navn/", oidc_views.display_name, name="display-name"),
    *[
        item
        for provider in PROVIDERS
        for item in (
            path(
                f"oidc/{provider}/",
                oidc_views.OidcLoginView.as_view(provider=provider),
                name=f"oidc-login-{provider}",
            ),
            path(
                f"oidc/{provider}/callback/",
                oidc_views.OidcCallbackView.as_view(provider=provider),
                name=f"oidc-callback-{provider}",
            ),
            path(
                f"oidc/{provider}/frontchannel-logout/",
                oidc_views.frontchannel_logout,
                {"provider": provider},
                name=f"oidc-frontchannel-logout-{provider}",
            ),
        )
    ],
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
        guard(
            auth_views.PasswordResetView.as_view(
                form_class=forms.PasswordResetForm,
                success_url=reverse_lazy("accounts:password_reset_done"),
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
            )
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
        guard(
            views.PasswordResetConfirmView.as_view(
                form_class=forms.SetPasswordForm,
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
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
        guard(
            views.PasswordChangeView.as_view(
                form_class=forms.PasswordChangeForm, success_url=reverse_lazy("accounts:profile")
            )
        ),
        name="password_change",
    ),
    path("sikkerhetslogg/", views.SecurityLogView.as_view(), name="security-log"),
]
